"""The shared core of a conversation: the state it works on, the replies it collects, and re-asking
whatever is pending. The flows (profile, steps, commands) are mixins over :class:`ConversationCore`;
``dialogen.conversation.engine`` composes them and dispatches input to them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from dialogen.conversation import messages as msg
from dialogen.conversation.answering import interpret_yes_no
from dialogen.conversation.replies import Reply, Say
from dialogen.conversation.state import AnswerChange, Decision, Phase

if TYPE_CHECKING:
    from dialogen.conversation.engine import Turn


class ConversationCore:
    """What every flow shares. ``_reprompt`` asks again through the flows' ``_ask_*`` methods."""

    def __init__(self, turn: Turn) -> None:
        self.turn = turn
        self.dialogue = turn.dialogue
        self.state = turn.state
        self.profile = turn.profile
        self.answers = {k: dict(v) for k, v in turn.answers.items()}
        self.replies: list[Reply] = []
        self.changes: list[AnswerChange] = []
        self.event = "turn"

    # ------------------------------------------------------------ plumbing

    def decision(self) -> Decision:
        profile = self.profile if self.profile != self.turn.profile else None
        return Decision(self.state, tuple(self.replies), tuple(self.changes), profile, self.event)

    def say(self, text: str) -> None:
        self.replies.append(Say(text))

    def when(self, moment: datetime) -> str:
        return msg.when(moment, self.dialogue.zone)

    # ------------------------------------------------------------ prompts

    def _current_prompt_id(self) -> str | None:
        phase = self.state.phase
        if phase is Phase.ANSWERING:
            return f"q:{self.state.step_key}:{self.state.question_id}"
        return {
            Phase.CONSENT: "consent",
            Phase.CONFIRM_PROFILE: "profile",
            Phase.ROLE: "role",
            Phase.MUNICIPALITY: "municipality",
            Phase.CONFIRM_STOP: "stop",
        }.get(phase)

    def _reprompt(self) -> None:
        phase = self.state.phase
        if phase is Phase.ANSWERING:
            self._ask_current_question()
        elif phase is Phase.WELCOME:
            self._greet()
        elif phase is Phase.CONSENT:
            self._ask_consent()
        elif phase is Phase.CONFIRM_PROFILE:
            self._ask_profile_check()
        elif phase is Phase.ROLE:
            self._ask_role()
        elif phase is Phase.MUNICIPALITY:
            self._ask_municipality()
        elif phase is Phase.CONFIRM_STOP:
            self._ask_stop()


def first_input(raw: str | list[str]) -> str:
    return raw if isinstance(raw, str) else (raw[0] if raw else "")


def yes_no(raw: str | list[str]) -> bool | None:
    return interpret_yes_no(first_input(raw))
