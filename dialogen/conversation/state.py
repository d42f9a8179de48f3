"""Where a participant is in the conversation, what the domain knows of them besides their
answers, and what one turn decided. Plain immutable values; the state is persisted (versioned) on
the identity side, never with answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from dialogen.conversation.offers import ItemChange
from dialogen.conversation.replies import Reply

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
    CHANGE_WHAT = "change_what"  # 'gegevens wijzigen': which detail
    NAME = "name"
    CHANNEL = "channel"
    CONFIRM_ERASE = "confirm_erase"  # 'verwijder mij': are you sure?
    CONFIRM_ERASE_ALL = "confirm_erase_all"  # ... and my answers too


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
    other_for: str | None = None  # the question whose "Iets anders" is being explained
    welcomed_by_mail: bool = False  # the welcome went out by mail only: a 'hallo' elsewhere gets it

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
            "by_mail": self.welcomed_by_mail,
            "other_for": self.other_for,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ConversationState:
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
            welcomed_by_mail=bool(data.get("by_mail", False)),
            other_for=data.get("other_for"),
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
    name: str | None = None
    channel: str = "teams"  # where proactive messages go first: "teams" or "mail"
    has_email: bool = False  # an address is known (mail is possible)


CORRECTABLE = ("role", "municipality", "name", "channel")
"""Profile details a participant can set themselves; a re-import leaves those alone."""


@dataclass(frozen=True)
class Erasure:
    """The participant asked to be erased (and confirmed): their identity goes; their answers too
    when ``with_answers``. The door does it, in the turn's unit of work."""

    with_answers: bool


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
    items: tuple[ItemChange, ...] = ()  # items of repeating questions answered (reactions)
    extra: dict[str, Any] = field(default_factory=dict)
    corrected: frozenset[str] = frozenset()  # of CORRECTABLE: set by the participant this turn
    disclose: bool = False  # 'mijn gegevens': the door adds what it stores about them
    erase: Erasure | None = None
