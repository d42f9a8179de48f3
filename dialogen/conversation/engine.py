"""The conversation engine: given where a participant is and what they sent, decide what happens.

Pure: no I/O, no clock of its own (``Turn.now`` is injected), no storage. The service around it
loads the state, calls :func:`decide` and stores the :class:`~dialogen.conversation.state.Decision`.

The conversation is a state machine. ``ACCEPTS`` says which commands each phase takes and
``_PHASE_INPUT`` which method handles free input in that phase; everything else is a fallback.
The handlers live in ``dialogen.conversation_flow`` (profile, steps, commands over a shared core);
this module composes them and dispatches input to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from dialogen.conversation import messages as msg
from dialogen.conversation.answering import MAX_MESSAGE_LENGTH, normalize
from dialogen.conversation.commands import CommandFlow
from dialogen.conversation.core import first_input
from dialogen.conversation.inputs import Answers, Command, Input, Install, OptOut, Submit, Text
from dialogen.conversation.profile import ProfileFlow
from dialogen.conversation.prompts import question_prompt
from dialogen.conversation.state import ConversationState, Decision, Phase, Profile
from dialogen.conversation.steps import StepFlow
from dialogen.dialogue.definition import Dialogue
from dialogen.stakeholders.municipalities import Municipality, MunicipalityMatch

__all__ = [
    "ACCEPTS",
    "BEGIN_INPUT",
    "COMMAND_WORDS",
    "RESUME_INPUT",
    "MunicipalityLookup",
    "Turn",
    "decide",
    "parse_command",
    "question_prompt",
]

C = Command
_ALWAYS = frozenset({C.HELP, C.STATUS, C.STOP})
ACCEPTS: dict[Phase, frozenset[Command]] = {
    Phase.WELCOME: frozenset({C.HELP, C.START, C.STATUS, C.STOP}),
    Phase.CONSENT: frozenset({C.HELP, C.START, C.STATUS, C.STOP}),
    Phase.DECLINED: frozenset({C.HELP, C.START, C.STATUS, C.STOP}),
    Phase.CONFIRM_PROFILE: _ALWAYS,
    Phase.ROLE: _ALWAYS,
    Phase.MUNICIPALITY: _ALWAYS | {C.BACK},
    Phase.ANSWERING: _ALWAYS | {C.BACK, C.SKIP, C.MY_ANSWERS, C.PAUSE, C.RESUME, C.START},
    Phase.IDLE: _ALWAYS | {C.BACK, C.MY_ANSWERS, C.START, C.RESUME},
    Phase.PAUSED: _ALWAYS | {C.MY_ANSWERS, C.RESUME, C.START},
    Phase.CONFIRM_STOP: frozenset({C.HELP}),
    Phase.OPTED_OUT: frozenset({C.HELP, C.START}),
}

COMMAND_WORDS: dict[str, Command] = {
    "help": C.HELP,
    "hulp": C.HELP,
    "?": C.HELP,
    "uitleg": C.HELP,
    "status": C.STATUS,
    "waar ben ik": C.STATUS,
    "terug": C.BACK,
    "vorige": C.BACK,
    "vorige vraag": C.BACK,
    "overslaan": C.SKIP,
    "sla over": C.SKIP,
    "skip": C.SKIP,
    "mijn antwoorden": C.MY_ANSWERS,
    "antwoorden": C.MY_ANSWERS,
    "pauze": C.PAUSE,
    "pauzeren": C.PAUSE,
    "verder": C.RESUME,
    "doorgaan": C.RESUME,
    "ga verder": C.RESUME,
    "stop": C.STOP,
    "afmelden": C.STOP,
    "uitschrijven": C.STOP,
    "start": C.START,
    "begin": C.START,
    "beginnen": C.START,
    "aanmelden": C.START,
    "meedoen": C.START,
}
BEGIN_INPUT = "begin"
RESUME_INPUT = "verder"
"""Input ids of the proactive cards (step prompt, nudge); the submitted value is the step key."""


class MunicipalityLookup(Protocol):
    def match(self, text: str) -> MunicipalityMatch: ...
    def networks_of(self, code: str) -> frozenset[str]: ...
    def by_code(self, code: str) -> Municipality: ...  # raises LookupError for an unknown code


@dataclass(frozen=True)
class Turn:
    """Everything the engine may look at for one input."""

    dialogue: Dialogue
    now: datetime
    state: ConversationState
    profile: Profile
    answers: Mapping[str, Mapping[str, Any]]  # step key -> question id -> stored value
    municipalities: MunicipalityLookup


def parse_command(text: str) -> Command | None:
    return COMMAND_WORDS.get(normalize(text)) or COMMAND_WORDS.get(text.strip().lower())


def decide(turn: Turn, message: Input) -> Decision:
    """The one entry point: what happens when this participant sends ``message`` now."""
    conversation = _Conversation(turn)
    conversation.receive(message)
    return conversation.decision()


class _Conversation(CommandFlow, StepFlow, ProfileFlow):
    """One turn of one participant's conversation: dispatch here, handlers in the flows."""

    def receive(self, message: Input) -> None:
        if isinstance(message, Install):
            self.event = "install"
            self._on_install()
            return
        if isinstance(message, OptOut):
            self._on_opt_out()
            return
        if isinstance(message, Answers):  # checks the step's dates itself
            self._on_answers(message)
            return
        if self._step_closed_under_participant():
            return
        if isinstance(message, Submit):
            self.event = "submit"
            self._on_submit(message)
            return
        self._on_text(message)

    def _on_text(self, message: Text) -> None:
        text = message.text.strip()
        if not text:
            self.event = "empty"
            self.say(msg.EMPTY_MESSAGE)
            return
        if len(text) > MAX_MESSAGE_LENGTH:
            self.event = "too_long"
            self.say(msg.message_too_long(len(text), MAX_MESSAGE_LENGTH))
            return
        command = parse_command(text)
        if command is not None:
            self.event = f"command:{command.value}"
            if command in ACCEPTS[self.state.phase]:
                _COMMANDS[command](self)
            else:
                self._command_not_now(command)
            return
        self.event = "text"
        _PHASE_INPUT[self.state.phase](self, text)

    def _on_submit(self, submit: Submit) -> None:
        if submit.input_id in (BEGIN_INPUT, RESUME_INPUT):
            self.event = f"submit:{submit.input_id}"
            self._enter_from_card(first_input(submit.value))
            return
        current = self._current_prompt_id()
        if submit.input_id != current:
            step_key = submit.input_id.split(":")[1] if submit.input_id.startswith("q:") else None
            step = self.dialogue.step(step_key) if step_key else None
            if step is not None and self.turn.now >= step.closes:
                self.event = "submit:closed_step"
                self.say(msg.step_closed(step.name, self.when(step.closes)))
                return
            self.event = "submit:stale"
            self.say(msg.STALE_SUBMIT if current else msg.NOT_NOW)
            self._reprompt()
            return
        _PHASE_INPUT[self.state.phase](self, submit.value)

    def _on_answers(self, message: Answers) -> None:
        """A mail reply: a bare command, or several answers of one step at once."""
        whole = " ".join([message.unplaced] + [text for _, text in message.parts]).strip()
        if parse_command(whole) is not None:  # a reply that only says "afmelden" or "help"
            self._on_text(Text(whole))
            return
        self._on_step_answers(message)


_PHASE_INPUT = {
    Phase.WELCOME: _Conversation._input_welcome,
    Phase.CONSENT: _Conversation._input_consent,
    Phase.DECLINED: _Conversation._input_declined,
    Phase.CONFIRM_PROFILE: _Conversation._input_profile_check,
    Phase.ROLE: _Conversation._input_role,
    Phase.MUNICIPALITY: _Conversation._input_municipality,
    Phase.ANSWERING: _Conversation._input_answer,
    Phase.IDLE: _Conversation._input_idle,
    Phase.PAUSED: _Conversation._input_paused,
    Phase.CONFIRM_STOP: _Conversation._input_confirm_stop,
    Phase.OPTED_OUT: _Conversation._input_opted_out,
}

_COMMANDS = {
    C.HELP: _Conversation._cmd_help,
    C.STATUS: _Conversation._cmd_status,
    C.BACK: _Conversation._cmd_back,
    C.SKIP: _Conversation._cmd_skip,
    C.MY_ANSWERS: _Conversation._cmd_my_answers,
    C.PAUSE: _Conversation._cmd_pause,
    C.RESUME: _Conversation._cmd_resume,
    C.STOP: _Conversation._cmd_stop,
    C.START: _Conversation._cmd_start,
}
