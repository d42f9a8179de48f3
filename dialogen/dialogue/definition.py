"""Dialogue definitions: the steps, questions and calendar of one dialogue, as validated values.

A dialogue is written in YAML (see ``dialogen/data/regionale-samenwerking.yaml``) and loaded with
:func:`dialogen.dialogue.loader.load_dialogue`. Everything here is immutable and validated at
construction, so the rest of the code can trust a ``Dialogue`` it is handed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

from dialogen.conversation.kinds import (
    KindSettings,
    QuestionKind,
    find_kind,
    kind_names,
    kind_of,
)
from dialogen.dialogue.prose import reflow
from dialogen.dialogue.timing import normalize_offset, nudge_moment, parse_offset

__all__ = [
    "DEFAULT_NUDGE_OFFSETS",
    "STEP_KEYS",
    "Dialogue",
    "Option",
    "Question",
    "QuestionKind",
    "Results",
    "SendWindow",
    "Step",
    "demo_shift",
]

STEP_KEYS = (
    "vinden",
    "verzamelen",
    "verkennen",
    "verrijken",
    "voorkeuren",
    "verdiepen",
    "voortzetten",
)
"""The seven 7V steps, in their fixed order."""

DEFAULT_NUDGE_OFFSETS = ("7d", "2d", "ochtend")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Option(_Frozen):
    """One answer option of a choice question. ``value`` is what is stored, ``label`` is shown."""

    value: Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z0-9_-]+$")]
    label: Annotated[str, Field(min_length=1, max_length=200)]
    other: bool = False  # "Iets anders": the chat then asks what is meant


class Question(_Frozen):
    """One question of a step. ``kind`` names a registered kind (see
    :mod:`dialogen.conversation.kinds`), which checks the rest of the definition; keys that are not
    fields here are the kind's own settings, validated by its settings model (``settings``)."""

    id: Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z0-9_-]+$")]
    kind: str
    text: Annotated[str, Field(min_length=1, max_length=1000)]
    help: str | None = None
    required: bool = True
    # open questions
    min_length: int = 1
    max_length: int = 2000
    # choice questions
    options: tuple[Option, ...] = ()
    max_picks: int | None = None
    # scale questions
    scale_min: int = 1
    scale_max: int = 5
    min_label: str | None = None
    max_label: str | None = None
    # the kind's own keys
    settings: KindSettings = KindSettings()

    @model_validator(mode="wrap")
    @classmethod
    def _kind_settings(cls, data: Any, handler: ModelWrapValidatorHandler[Question]) -> Question:
        """Hand the keys ``Question`` does not know to the kind's settings model; its problems are
        reported at the question's own place (``...questions[0].target: ...``)."""
        name = data.get("kind") if isinstance(data, dict) else None
        kind = find_kind(name) if isinstance(name, str) else None
        if kind is None or "settings" in data:  # an unknown kind is reported by ``_known_kind``
            return handler(data)
        own = {k: v for k, v in data.items() if k in cls.model_fields}
        extra = {k: v for k, v in data.items() if k not in cls.model_fields}
        try:
            own["settings"] = kind.settings_model.model_validate(extra)
        except ValidationError as exc:
            problems = exc.errors()
            try:
                handler(own)  # report the question's own problems as well
            except ValidationError as more:
                problems = more.errors() + problems
            raise ValidationError.from_exception_data(
                cls.__name__, [_again(problem) for problem in problems]
            ) from None
        return handler(own)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        kind = find_kind(value)
        if kind is None:
            names = [f"'{name}'" for name in kind_names()]
            either = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
            raise ValueError(f"Input should be {either}")
        return kind.name

    @model_validator(mode="after")
    def _check_kind(self) -> Question:
        kind_of(self).check(self)
        return self

    @property
    def picks(self) -> int:
        """How many options a participant may choose."""
        return kind_of(self).picks(self)

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


class SendWindow(_Frozen):
    """When automatic messages may go out (local time of the dialogue)."""

    days: tuple[Literal["ma", "di", "wo", "do", "vr", "za", "zo"], ...] = (
        "ma",
        "di",
        "wo",
        "do",
        "vr",
    )
    start: time = time(8, 30)
    end: time = time(17, 30)

    @model_validator(mode="after")
    def _check(self) -> SendWindow:
        if not self.days:
            raise ValueError("days: the send window never opens (no days)")
        if self.start >= self.end:
            raise ValueError("start/end: the send window never opens (start must be before end)")
        return self


class ContributionRules(_Frozen):
    """How anonymous contributions (shared answers, additions) are moderated.

    ``moderation``: ``post`` shows a contribution as soon as it is masked (a facilitator can hide
    it later); ``pre`` shows nothing before a facilitator approved it. ``report_threshold``: this
    many reports by participants hide a contribution until a facilitator has looked at it."""

    moderation: Literal["pre", "post"] = "post"
    report_threshold: Annotated[int, Field(ge=1, le=100)] = 3


class RepresentationRules(_Frozen):
    """Live representation. ``threshold``: facilitators get an alert (at most once a day) when a
    group's response rate in the open step is below this share. ``nudge_behind_first``: a
    reminder goes out to the groups furthest behind before the others."""

    threshold: Annotated[float, Field(gt=0, lt=1)] = 0.25
    nudge_behind_first: bool = False


class FollowUp(_Frozen):
    """Verdiepen from the real priorities: ``templates`` (each with ``{thema}``) become one open
    question per theme for the ``top`` themes of the priority question ``source``
    (``step/question``); ``first_ranked`` (with ``{thema}``) also asks each participant about
    the theme they themselves put first. A facilitator previews, edits and confirms them."""

    source: Annotated[str, Field(pattern=r"^[a-z]+/[a-z0-9_-]+$")]
    top: Annotated[int, Field(ge=1, le=5)] = 2
    templates: tuple[Annotated[str, Field(min_length=5, max_length=500)], ...] = ()
    first_ranked: Annotated[str, Field(min_length=5, max_length=500)] | None = None

    @model_validator(mode="after")
    def _placeholders(self) -> FollowUp:
        for text in (*self.templates, *([self.first_ranked] if self.first_ranked else [])):
            if "{thema}" not in text:
                raise ValueError(f"follow_up: '{text}' needs {{thema}} where the theme goes")
        return self


class Results(_Frozen):
    """Voortzetten: what the report covers and what the results message says comes next."""

    next_steps: Annotated[str, Field(min_length=1, max_length=2000)]
    link: str | None = None  # where the approved report can be read (else it is attached)
    include: tuple[Literal[STEP_KEYS], ...] = STEP_KEYS  # type: ignore[valid-type]
    headlines: Annotated[int, Field(ge=1, le=10)] = 3


class Step(_Frozen):
    key: Literal[STEP_KEYS]  # type: ignore[valid-type]
    name: Annotated[str, Field(min_length=1, max_length=60)]
    purpose: Annotated[str, Field(min_length=1, max_length=1000)]
    opens: datetime
    closes: datetime
    interactive: bool = False
    intro: str | None = None
    summary_of: str | None = None  # an earlier step whose outcome opens this one (k-safe figures)
    questions: tuple[Question, ...] = ()
    nudges: tuple[Annotated[str, AfterValidator(normalize_offset)], ...] = DEFAULT_NUDGE_OFFSETS
    follow_up: FollowUp | None = None  # Verdiepen: questions generated from the priorities
    results: Results | None = None  # only Voortzetten

    @field_validator("purpose", "intro")
    @classmethod
    def _reflowed(cls, value: str | None) -> str | None:
        return reflow(value) if value else value

    @model_validator(mode="after")
    def _check(self) -> Step:
        if self.results is not None and self.key != "voortzetten":
            raise ValueError("results: only the step voortzetten has results")
        if self.closes <= self.opens:
            raise ValueError("closes: must be after opens")
        if self.interactive and not self.questions:
            raise ValueError("questions: an interactive step needs at least 1 question")
        if not self.interactive and self.questions:
            raise ValueError("questions: only interactive steps have questions")
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError("questions: question ids must be unique within a step")
        if len(set(self.nudges)) != len(self.nudges):
            raise ValueError("nudges: each offset may appear only once")
        return self

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def is_open(self, now: datetime) -> bool:
        return self.opens <= now < self.closes


CALENDAR_PLACEHOLDERS = ("begin", "einde")
_PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")


class Dialogue(_Frozen):
    version: Literal[1] = 1
    key: Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z0-9_-]+$")]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    introduction: Annotated[str, Field(min_length=1)]
    privacy: Annotated[str, Field(min_length=1)]
    contact: str | None = None
    time_zone: str = "Europe/Amsterdam"
    send_window: SendWindow = SendWindow()
    contributions: ContributionRules = ContributionRules()
    representation: RepresentationRules = RepresentationRules()
    steps: tuple[Step, ...]

    @field_validator("introduction", "privacy")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        for name in _PLACEHOLDER.findall(value):
            if name not in CALENDAR_PLACEHOLDERS:
                known = ", ".join("{" + n + "}" for n in CALENDAR_PLACEHOLDERS)
                raise ValueError(
                    f"unknown placeholder {{{name}}}; dates from the calendar: {known}"
                )
        return reflow(value)

    def calendar_dates(self) -> dict[str, datetime]:
        """What the texts' placeholders stand for: ``begin`` when the first interactive step
        opens, ``einde`` when the last step closes (so a moved calendar moves the texts too)."""
        first = next((s for s in self.steps if s.interactive), self.steps[0])
        return {"begin": first.opens, "einde": self.steps[-1].closes}

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @model_validator(mode="before")
    @classmethod
    def _localize(cls, data: object) -> object:
        """Give naive step dates the dialogue's time zone, so files can say ``2024-10-07 23:59``."""
        if not isinstance(data, dict):
            return data
        try:
            zone = ZoneInfo(str(data.get("time_zone", "Europe/Amsterdam")))
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")  # the field validator reports the zone; dates must still compare
        for step in data.get("steps") or ():
            if isinstance(step, dict):
                for field in ("opens", "closes"):
                    if field in step:
                        step[field] = _aware(step[field], zone)
        return data

    @model_validator(mode="after")
    def _check_steps(self) -> Dialogue:
        keys = [s.key for s in self.steps]
        if keys != list(STEP_KEYS):
            raise ValueError(f"steps: need the seven 7V steps in order: {', '.join(STEP_KEYS)}")
        for i, (before, after) in enumerate(zip(self.steps, self.steps[1:], strict=False), start=1):
            if after.opens < before.closes:
                raise ValueError(
                    f"steps[{i}].opens: {after.key} opens before {before.key} closes "
                    f"({before.closes.astimezone(self.zone):%Y-%m-%d %H:%M}); steps may not overlap"
                )
        self._check_nudges()
        for i, step in enumerate(self.steps):
            if step.summary_of is not None and step.summary_of not in keys[:i]:
                raise ValueError(
                    f"steps[{i}].summary_of: {step.summary_of!r} is not a step before {step.key}"
                )
        return self

    def _check_nudges(self) -> None:
        """Every nudge of an interactive step must go out after the step opens (see timing)."""
        for i, step in enumerate(self.steps):
            for j, text in enumerate(step.nudges if step.interactive else ()):
                moment = nudge_moment(step.closes, parse_offset(text), self.send_window, self.zone)
                if moment <= step.opens:
                    local = f"{moment.astimezone(self.zone):%Y-%m-%d %H:%M}"
                    opens = f"{step.opens.astimezone(self.zone):%Y-%m-%d %H:%M}"
                    raise ValueError(
                        f"steps[{i}].nudges[{j}]: {text!r} would go out at {local}, which is not "
                        f"after the step opens ({opens}); use a shorter offset or remove it"
                    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    def open_step(self, now: datetime) -> Step | None:
        """The interactive step that participants can answer at ``now`` (steps never overlap)."""
        return next((s for s in self.steps if s.interactive and s.is_open(now)), None)

    def next_step(self, now: datetime) -> Step | None:
        """The first interactive step that opens after ``now``."""
        return next((s for s in self.steps if s.interactive and s.opens > now), None)

    def shifted(self, delta: timedelta) -> Dialogue:
        """The same dialogue with every step moved by ``delta`` (whole days keep local times)."""
        zone = self.zone
        steps = tuple(
            s.model_copy(
                update={
                    "opens": _shift(s.opens, delta, zone),
                    "closes": _shift(s.closes, delta, zone),
                }
            )
            for s in self.steps
        )
        return self.model_copy(update={"steps": steps})


def _again(problem: ErrorDetails) -> InitErrorDetails:
    """A reported problem as it can be raised again, with its place and message unchanged."""
    return InitErrorDetails(
        type=PydanticCustomError(problem["type"], problem["msg"]),
        loc=problem["loc"],
        input=problem["input"],
    )


def _aware(value: object, zone: ZoneInfo) -> object:
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time(0, 0))
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value


def _shift(moment: datetime, delta: timedelta, zone: ZoneInfo) -> datetime:
    local = moment.astimezone(zone).replace(tzinfo=None)
    return (local + delta).replace(tzinfo=zone)


def demo_shift(dialogue: Dialogue, today: date) -> timedelta:
    """Whole days to move the calendar so the first interactive step opened two days before
    ``today``.

    Keeps every interval between steps, and the clock times within a day.
    """
    first = next(s for s in dialogue.steps if s.interactive)
    opened_on = first.opens.astimezone(dialogue.zone).date()
    return timedelta(days=(today - timedelta(days=2) - opened_on).days)
