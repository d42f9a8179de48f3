"""Dialogue definitions: the steps, questions and calendar of one dialogue, as validated values.

A dialogue is written in YAML (see ``dialogen/data/regionale-samenwerking.yaml``) and loaded with
:func:`dialogen.dialogue.loader.load_dialogue`. Everything here is immutable and validated at construction,
so the rest of the code can trust a ``Dialogue`` it is handed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from dialogen.dialogue.timing import normalize_offset, nudge_moment, parse_offset

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


class QuestionKind(StrEnum):
    OPEN = "open"
    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Option(_Frozen):
    """One answer option of a choice question. ``value`` is what is stored, ``label`` is shown."""

    value: Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z0-9_-]+$")]
    label: Annotated[str, Field(min_length=1, max_length=200)]


class Question(_Frozen):
    id: Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z0-9_-]+$")]
    kind: QuestionKind
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

    @model_validator(mode="after")
    def _check_kind(self) -> Question:
        if self.kind is QuestionKind.OPEN:
            if self.options:
                raise ValueError("options: only choice questions have options")
            if not 0 <= self.min_length <= self.max_length <= 4000:
                raise ValueError(
                    "min_length/max_length: need 0 <= min_length <= max_length <= 4000"
                )
        elif self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            if len(self.options) < 2:
                raise ValueError("options: at least 2 needed")
            values = [o.value for o in self.options]
            if len(set(values)) != len(values):
                raise ValueError("options: values must be unique")
            if self.kind is QuestionKind.MULTIPLE:
                picks = self.max_picks if self.max_picks is not None else len(self.options)
                if not 1 <= picks <= len(self.options):
                    raise ValueError("max_picks: must be between 1 and the number of options")
            elif self.max_picks is not None:
                raise ValueError("max_picks: only for multiple choice questions")
        else:
            if self.options:
                raise ValueError("options: a scale has no options, use scale_min/scale_max")
            if not 0 <= self.scale_min < self.scale_max <= 10:
                raise ValueError("scale_min/scale_max: need 0 <= scale_min < scale_max <= 10")
        return self

    @property
    def picks(self) -> int:
        """How many options a participant may choose."""
        if self.kind is QuestionKind.MULTIPLE:
            return self.max_picks if self.max_picks is not None else len(self.options)
        return 1

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


class Step(_Frozen):
    key: Literal[STEP_KEYS]  # type: ignore[valid-type]
    name: Annotated[str, Field(min_length=1, max_length=60)]
    purpose: Annotated[str, Field(min_length=1, max_length=1000)]
    opens: datetime
    closes: datetime
    interactive: bool = False
    intro: str | None = None
    questions: tuple[Question, ...] = ()
    nudges: tuple[Annotated[str, AfterValidator(normalize_offset)], ...] = DEFAULT_NUDGE_OFFSETS

    @model_validator(mode="after")
    def _check(self) -> Step:
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


class Dialogue(_Frozen):
    version: Literal[1] = 1
    key: Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z0-9_-]+$")]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    introduction: Annotated[str, Field(min_length=1)]
    privacy: Annotated[str, Field(min_length=1)]
    contact: str | None = None
    time_zone: str = "Europe/Amsterdam"
    send_window: SendWindow = SendWindow()
    steps: tuple[Step, ...]

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
        return self

    def _check_nudges(self) -> None:
        """Every nudge of an interactive step must go out after the step opens (see nudge_timing)."""
        for i, step in enumerate(self.steps):
            for j, text in enumerate(step.nudges if step.interactive else ()):
                moment = nudge_moment(step.closes, parse_offset(text), self.send_window, self.zone)
                if moment <= step.opens:
                    local = f"{moment.astimezone(self.zone):%Y-%m-%d %H:%M}"
                    raise ValueError(
                        f"steps[{i}].nudges[{j}]: {text!r} would go out at {local}, which is not "
                        f"after the step opens ({step.opens.astimezone(self.zone):%Y-%m-%d %H:%M}); "
                        "use a shorter offset or remove it"
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
        """The same dialogue with every step moved by ``delta`` (whole days keep local clock times)."""
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
    """Whole days to move the calendar so the first interactive step opened two days before ``today``.

    Keeps every interval between steps, and the clock times within a day.
    """
    first = next(s for s in dialogue.steps if s.interactive)
    opened_on = first.opens.astimezone(dialogue.zone).date()
    return timedelta(days=(today - timedelta(days=2) - opened_on).days)
