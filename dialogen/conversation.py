"""The conversation as data: the phases a participant can be in, what they send, what the bot says.

Everything here is a plain immutable value. Channels translate their own input into
:class:`Text`, :class:`Submit` or :class:`Install` and render :class:`Say` and :class:`Prompt`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

STATE_VERSION = 1


class Phase(StrEnum):
    WELCOME = "welcome"  # never greeted
    CONSENT = "consent"  # privacy text shown, waiting for yes/no
    DECLINED = "declined"  # said no to taking part (can still say "start")
    CONFIRM_PROFILE = "confirm_profile"  # role and municipality known from the invitation
    ROLE = "role"
    MUNICIPALITY = "municipality"
    ANSWERING = "answering"  # a question of the open step is waiting for an answer
    IDLE = "idle"  # nothing to answer right now
    PAUSED = "paused"
    CONFIRM_STOP = "confirm_stop"
    OPTED_OUT = "opted_out"


class Command(StrEnum):
    HELP = "help"
    STATUS = "status"
    BACK = "terug"
    SKIP = "overslaan"
    MY_ANSWERS = "mijn antwoorden"
    PAUSE = "pauze"
    RESUME = "verder"
    STOP = "afmelden"
    START = "start"


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Text:
    """Something the participant typed."""

    text: str


@dataclass(frozen=True)
class Submit:
    """A button or card submit: ``input_id`` names the prompt it answers (see :class:`Prompt`)."""

    input_id: str
    value: str | list[str]


@dataclass(frozen=True)
class Install:
    """The participant opened or installed the bot."""


@dataclass(frozen=True)
class Answers:
    """Answers to several questions of one step at once (a mail reply).

    ``parts`` maps the question number as shown (1-based) to the raw text; ``unplaced`` is text
    the channel could not tie to a question (no number, or a long text before the first number).
    """

    step_key: str
    parts: tuple[tuple[int, str], ...]
    unplaced: str = ""


@dataclass(frozen=True)
class OptOut:
    """A one-click unsubscribe: no more messages, without the "are you sure?" question."""


Input = Text | Submit | Install | Answers | OptOut


# ---------------------------------------------------------------- replies


class PromptKind(StrEnum):
    OPEN = "open"
    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Say:
    """A plain message."""

    text: str


@dataclass(frozen=True)
class Prompt:
    """Something the participant is asked to answer.

    ``input_id`` is ``consent``, ``role``, ``municipality``, ``profile``, ``stop`` or
    ``q:<step>:<question>`` for a dialogue question; a submit carries it back, so a submit for a
    prompt that is no longer current can be recognised.
    """

    input_id: str
    kind: PromptKind
    text: str
    choices: tuple[Choice, ...] = ()
    max_picks: int = 1
    hint: str | None = None
    progress: str | None = None
    optional: bool = False
    current: str | None = None  # the answer given before, shown when a participant goes back


@dataclass(frozen=True)
class Receipt:
    """What happened to :class:`Answers`: per question what was recorded or why not.

    ``recorded`` holds (number, question text, value as shown), ``problems`` (number, hint; number
    0 for text that belongs to no question), ``open_numbers`` the questions still to answer,
    ``passed_over`` optional questions left blank once every required one was answered.
    ``closed``: the step had closed, nothing was counted.
    """

    step_key: str
    step_name: str
    closes: str  # the closing moment as participants read it
    recorded: tuple[tuple[int, str, str], ...] = ()
    problems: tuple[tuple[int, str], ...] = ()
    open_numbers: tuple[int, ...] = ()
    passed_over: tuple[int, ...] = ()
    closed: bool = False
    unplaced_ignored: bool = False

    @property
    def remaining(self) -> int:
        return len(self.open_numbers)

    @property
    def complete(self) -> bool:
        return not self.closed and not self.open_numbers


Reply = Say | Prompt | Receipt


# ---------------------------------------------------------------- state


@dataclass(frozen=True)
class ConversationState:
    """Where one participant is. Persisted (versioned) on the identity side, never with answers."""

    phase: Phase = Phase.WELCOME
    step_key: str | None = None
    question_id: str | None = None
    resume_phase: Phase | None = None
    suggestions: tuple[str, ...] = ()
    completed_steps: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()  # "<step>:<question>" of optional questions passed over

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": STATE_VERSION,
            "phase": self.phase.value,
            "step": self.step_key,
            "question": self.question_id,
            "resume": self.resume_phase.value if self.resume_phase else None,
            "suggestions": list(self.suggestions),
            "completed": list(self.completed_steps),
            "skipped": list(self.skipped),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ConversationState:
        if not data:
            return cls()
        if data.get("v") != STATE_VERSION:
            raise ValueError(f"unsupported conversation state version {data.get('v')!r}")
        resume = data.get("resume")
        return cls(
            phase=Phase(data["phase"]),
            step_key=data.get("step"),
            question_id=data.get("question"),
            resume_phase=Phase(resume) if resume else None,
            suggestions=tuple(data.get("suggestions", ())),
            completed_steps=tuple(data.get("completed", ())),
            skipped=tuple(data.get("skipped", ())),
        )

    def at(self, phase: Phase, **changes: Any) -> ConversationState:
        return replace(self, phase=phase, **changes)


@dataclass(frozen=True)
class Profile:
    """What the domain knows of a participant besides their answers (set at import or in chat)."""

    role: str | None = None
    municipality_code: str | None = None
    consent: bool = False
    opted_out: bool = False


@dataclass(frozen=True)
class AnswerChange:
    step_key: str
    question_id: str
    value: Any


@dataclass(frozen=True)
class Decision:
    """What the engine decided for one input: the new state, what to say, and what to store."""

    state: ConversationState
    replies: tuple[Reply, ...]
    answers: tuple[AnswerChange, ...] = ()
    profile: Profile | None = None
    event: str = "turn"  # a short, identity-free label for the operator's log
    extra: dict[str, Any] = field(default_factory=dict)
