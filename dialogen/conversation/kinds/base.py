"""What a question kind is: the one interface every kind implements, and the values it hands back.

A kind is everything that differs between an open question, a multiple choice and a scale: which
definitions it accepts, how it is asked (as a channel-neutral :class:`Prompt` of a known input
shape), how a typed, clicked or mailed answer becomes a stored value, how a stored value reads back,
and how the stored values of many participants add up for a report (:class:`Summary`).

Channels never see kinds: they render a prompt's ``kind`` (a :class:`PromptKind`, the *input
shape*), so a new kind that is asked like an existing shape needs no channel change.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

from dialogen.conversation import messages as msg
from dialogen.conversation.offers import Offer
from dialogen.conversation.replies import Choice, Prompt, PromptKind

if TYPE_CHECKING:  # kinds read questions; the definition validates through the registry
    from dialogen.dialogue.definition import Question

Raw = str | list[str]
"""An answer as it comes in: typed text, or the value(s) a card submitted."""


class QuestionKind(StrEnum):
    """The names of the kinds that ship. A dialogue may use any registered kind by its name."""

    OPEN = "open"
    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"
    REACTIONS = "reactions"
    RANKING = "ranking"
    POINTS = "points"
    TOP = "top"


@dataclass(frozen=True)
class Rejection:
    """An answer that cannot be stored, with a friendly Dutch explanation: a reply, not an error."""

    text: str


@dataclass(frozen=True)
class Summary:
    """What the stored answers to one question come to, for a report. Counts only, no identities.

    ``respondents``: how many answers there are. ``counts``: (label, how many chose it) per option
    or scale point, in the order the question shows them. ``mean``: the average of a scale (None
    without answers). ``texts``: the answers to an open question, as written. ``distribution``:
    per option (label, how many answers gave it each place or amount) — for a ranking the count
    of 1st, 2nd, … places, for points the count of 0, 1, …, P points (see the kind's docstring).
    """

    respondents: int
    counts: tuple[tuple[str, int], ...] = ()
    mean: float | None = None
    texts: tuple[str, ...] = ()
    distribution: tuple[tuple[str, tuple[int, ...]], ...] = ()


class KindSettings(BaseModel):
    """A kind's own keys on a question in the dialogue file. The base has none (any key fails)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


SettingsT = TypeVar("SettingsT", bound=KindSettings)


def settings_of(question: Question, model: type[SettingsT]) -> SettingsT:
    """``question.settings`` as the kind's own settings model (the definition validated it so)."""
    settings = question.settings
    if not isinstance(settings, model):
        raise TypeError(f"question {question.id!r} has no {model.__name__}")
    return settings


class Kind(ABC):
    """One question kind. Subclass it, set the class attributes, and register an instance.

    Methods that take a ``question`` get a validated
    :class:`~dialogen.dialogue.definition.Question` whose ``kind`` is this kind's name.
    """

    name: ClassVar[str]
    """What a dialogue file writes after ``kind:``."""
    shape: ClassVar[PromptKind]
    """How channels render the prompt: typed text, one choice, several choices or a scale."""
    settings_model: ClassVar[type[KindSettings]] = KindSettings
    """The kind's own keys on a question (extra keys fail); available as ``question.settings``."""
    reasks_after_rejection: ClassVar[bool] = True
    """Whether a chat asks the question again after a rejected answer (open questions do not:
    the participant still has their text in view)."""

    # ------------------------------------------------------------ the definition

    def check(self, question: Question) -> None:  # noqa: B027 (optional: most kinds check)
        """Raise ``ValueError("field: problem")`` for a definition this kind cannot ask."""

    def picks(self, question: Question) -> int:
        """How many options a participant may choose."""
        return 1

    # ------------------------------------------------------------ asking in a chat

    def choices(self, question: Question) -> tuple[Choice, ...]:
        """What the prompt offers to click or type (numbered in text, buttons on a card)."""
        return ()

    @abstractmethod
    def hint(self, question: Question) -> str:
        """How to answer in a chat, shown under the question."""

    def prompt(
        self, question: Question, *, input_id: str, progress: str, current: Any = None
    ) -> Prompt:
        """The channel-neutral prompt; ``current`` is the stored answer when asked again."""
        hint = self.hint(question)
        if not question.required:
            hint = f"{hint} {msg.HINT_OPTIONAL}"
        return Prompt(
            input_id=input_id,
            kind=self.shape,
            text=question.text,
            choices=self.choices(question),
            max_picks=self.picks(question),
            hint=hint,
            progress=progress,
            optional=not question.required,
            current=self.describe(question, current) if current is not None else None,
        )

    # ------------------------------------------------------------ answers

    @abstractmethod
    def interpret(self, question: Question, raw: Raw) -> Any | Rejection:
        """The value to store for a typed or submitted answer, or why it cannot be stored."""

    @abstractmethod
    def describe(self, question: Question, value: Any) -> str:
        """A stored value as the participant reads it back ("mijn antwoorden", a prompt again)."""

    # ------------------------------------------------------------ a whole step by mail

    def interpret_mail(self, question: Question, text: str) -> Any | Rejection:
        """An answer written in a mail reply under the question's number."""
        return self.interpret(question, text)

    def form_hint(self, question: Question) -> str:
        """How to answer when all questions are listed at once; empty when the question says it."""
        return ""

    def form_lines(self, question: Question) -> tuple[str, ...]:
        """Lines listed under the question in a mail (e.g. lettered choices); none by default."""
        return ()

    def mail_problem(self, question: Question, rejection: Rejection) -> str:
        """What a mail receipt says about an answer that could not be stored."""
        return rejection.text

    def shown(self, question: Question, value: Any) -> str:
        """A stored value as a mail receipt shows it."""
        return self.describe(question, value)

    def longest(self, question: Question) -> int | None:
        """The most characters an answer may have (None: no limit of the question's own)."""
        return None

    # ------------------------------------------------------------ asked once per item

    repeats: ClassVar[bool] = False
    """Whether the question is asked once per item the door offers (the reactions question asks
    about one contribution after another); see :mod:`dialogen.conversation.repeating`."""

    def complete(self, question: Question, value: Any) -> bool:
        """Whether a stored value means the question needs no more asking (a repeating question
        stores its progress and is complete once the participant reached the target or stopped)."""
        return True

    def item_prompt(
        self, question: Question, item: Offer, *, input_id: str, progress: str, given: int
    ) -> Prompt:
        """The prompt about one offered item (repeating kinds only)."""
        raise NotImplementedError(f"{self.name} is not asked per item")

    def interpret_item(self, question: Question, raw: Raw) -> Any | Rejection:
        """The answer about one item (repeating kinds only)."""
        raise NotImplementedError(f"{self.name} is not asked per item")

    def progress_value(self, question: Question, given: int, *, stopped: bool) -> Any:
        """What a repeating question stores as its answer: how far the participant is."""
        raise NotImplementedError(f"{self.name} is not asked per item")

    def stop_words(self, question: Question) -> frozenset[str]:
        """Words that end the asking (normalised; repeating kinds only)."""
        return frozenset()

    def counts(self, question: Question, value: Any) -> bool:
        """Whether an item answer counts towards the question's target."""
        return True

    def target(self, question: Question) -> int:
        """How many items a participant is asked to answer (the rest is up to them)."""
        return 0

    # ------------------------------------------------------------ the report

    @abstractmethod
    def summarise(self, question: Question, values: Sequence[Any]) -> Summary:
        """What the stored answers of all participants come to. Pure; ``None`` values are absent."""


def given(values: Sequence[Any]) -> list[Any]:
    """The values that are answers (callers may pass None for a participant who gave none)."""
    return [v for v in values if v is not None and v != [] and v != ""]
