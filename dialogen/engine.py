"""The conversation engine: given where a participant is and what they sent, decide what happens.

Pure: no I/O, no clock of its own (``Turn.now`` is injected), no storage. The service around it
loads the state, calls :func:`decide` and stores the :class:`~dialogen.conversation.Decision`.

The conversation is a state machine. ``ACCEPTS`` says which commands each phase takes and
``_PHASE_INPUT`` which method handles free input in that phase; everything else is a fallback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from dialogen import messages as msg
from dialogen.answering import (
    MAX_MESSAGE_LENGTH,
    Rejection,
    describe_value,
    interpret,
    interpret_yes_no,
    normalize,
    pick_one,
)
from dialogen.conversation import (
    AnswerChange,
    Answers,
    Choice,
    Command,
    ConversationState,
    Decision,
    Input,
    Install,
    OptOut,
    Phase,
    Profile,
    Prompt,
    PromptKind,
    Reply,
    Say,
    Submit,
    Text,
)
from dialogen.definition import Dialogue, Question, QuestionKind, Step
from dialogen.step_answers import answer_step
from dialogen.municipalities import Municipality, MunicipalityMatch
from dialogen.roles import ROLE_ALIASES, ROLES, ROLES_WITHOUT_MUNICIPALITY, role_label

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
    "help": C.HELP, "hulp": C.HELP, "?": C.HELP, "uitleg": C.HELP,
    "status": C.STATUS, "waar ben ik": C.STATUS,
    "terug": C.BACK, "vorige": C.BACK, "vorige vraag": C.BACK,
    "overslaan": C.SKIP, "sla over": C.SKIP, "skip": C.SKIP,
    "mijn antwoorden": C.MY_ANSWERS, "antwoorden": C.MY_ANSWERS,
    "pauze": C.PAUSE, "pauzeren": C.PAUSE,
    "verder": C.RESUME, "doorgaan": C.RESUME, "ga verder": C.RESUME,
    "stop": C.STOP, "afmelden": C.STOP, "uitschrijven": C.STOP,
    "start": C.START, "begin": C.START, "beginnen": C.START, "aanmelden": C.START, "meedoen": C.START,
}
_MUNICIPALITY_OTHER = "anders"
BEGIN_INPUT = "begin"
RESUME_INPUT = "verder"
"""Input ids of the proactive cards (step prompt, nudge); the submitted value is the step key."""
_NO_MUNICIPALITY_WORDS = frozenset({"geen", "geen gemeente", "niet van toepassing", "nvt", "n v t"})


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


class _Conversation:
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

    # ------------------------------------------------------------ dispatch

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
            self._enter_from_card(_one(submit.value))
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

    def _on_opt_out(self) -> None:
        self.event = "opted_out"
        self.profile = replace(self.profile, opted_out=True)
        self.state = self.state.at(Phase.OPTED_OUT, resume_phase=None)
        self.say(msg.OPTED_OUT_ONE_CLICK)

    def _on_answers(self, message: Answers) -> None:
        """Several answers of one step at once (a mail reply): see ``dialogen.step_answers``."""
        whole = " ".join([message.unplaced] + [text for _, text in message.parts]).strip()
        if parse_command(whole) is not None:  # a reply that only says "afmelden" or "help"
            self._on_text(Text(whole))
            return
        phase = self.state.phase
        self.event = "answers:not_now"
        if phase is Phase.OPTED_OUT:
            self.say(msg.STILL_OPTED_OUT)
            return
        if phase in (Phase.WELCOME, Phase.CONSENT, Phase.DECLINED):
            self.say(msg.ANSWERS_BEFORE_CONSENT)
            self._greet()
            return
        if phase in (Phase.CONFIRM_PROFILE, Phase.ROLE, Phase.MUNICIPALITY):
            self.say(msg.ANSWERS_BEFORE_PROFILE)
            self._reprompt()
            return
        step = self.dialogue.step(message.step_key)
        if step is None or not step.interactive:
            self.say(msg.ANSWERS_UNKNOWN_STEP)
            return
        if self.turn.now < step.opens:
            self.say(msg.step_not_open_yet(step.name, self.when(step.opens)))
            return
        closed = self.turn.now >= step.closes
        result = answer_step(step, self.answers.get(step.key, {}), self.state.skipped, message,
                             closes=self.when(step.closes), closed=closed)
        self.replies.append(result.receipt)
        if closed:
            self.event = "answers:closed"
            if self.state.step_key == step.key and phase in (Phase.ANSWERING, Phase.PAUSED):
                self.state = self.state.at(Phase.IDLE, step_key=None, question_id=None)
            return
        self.event = "answers"
        for change in result.changes:
            self.answers.setdefault(step.key, {})[change.question_id] = change.value
        self.changes.extend(result.changes)
        self.state = replace(self.state, skipped=result.skipped)
        if result.first_open is not None:  # a chat goes on at the first unanswered question
            after = Phase.PAUSED if phase is Phase.PAUSED else Phase.ANSWERING
            self.state = self.state.at(after, step_key=step.key, question_id=result.first_open.id,
                                       resume_phase=None)
            return
        self.state = self.state.at(Phase.IDLE, step_key=step.key, question_id=None, resume_phase=None)
        if step.key not in self.state.completed_steps:
            self.event = f"step_complete:{step.key}"
            self.state = replace(self.state, completed_steps=self.state.completed_steps + (step.key,))

    def _enter_from_card(self, step_key: str) -> None:
        """'Begin' or 'Verder' on a step prompt or nudge: start or continue the open step from here."""
        if self.state.phase is Phase.OPTED_OUT:
            self.say(msg.STILL_OPTED_OUT)
            return
        step = self.dialogue.step(step_key)
        if step is not None and self.turn.now >= step.closes:
            self.say(msg.step_closed(step.name, self.when(step.closes)))
        if self.state.phase in (Phase.WELCOME, Phase.DECLINED):
            self._greet()
        elif self.state.phase is Phase.CONSENT:  # consent is given on the privacy card only
            self._ask_consent()
        elif self.state.phase is Phase.PAUSED:
            self._cmd_resume()
        else:
            self._resume()

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

    def _step_closed_under_participant(self) -> bool:
        """A participant mid-step when the step closed: say so, then move on."""
        if self.state.phase not in (Phase.ANSWERING, Phase.PAUSED) or not self.state.step_key:
            return False
        step = self.dialogue.step(self.state.step_key)
        if step is not None and step.is_open(self.turn.now):
            return False
        self.event = "step_closed"
        if step is not None:
            self.say(msg.step_closed(step.name, self.when(step.closes)))
        self.state = self.state.at(Phase.IDLE, step_key=None, question_id=None, resume_phase=None)
        self._go_to_open_step()
        return True

    # ------------------------------------------------------------ prompts

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

    def _ask_consent(self) -> None:
        self.replies.append(Prompt("consent", PromptKind.SINGLE, msg.CONSENT_QUESTION,
                                   (Choice("ja", msg.CONSENT_YES), Choice("nee", msg.CONSENT_NO))))

    def _ask_profile_check(self) -> None:
        place = self._municipality_name(self.profile.municipality_code)
        self.replies.append(Prompt("profile", PromptKind.SINGLE,
                                   msg.profile_check(role_label(self.profile.role), place),
                                   (Choice("ja", msg.PROFILE_YES), Choice("nee", msg.PROFILE_NO))))

    def _ask_role(self) -> None:
        self.replies.append(Prompt("role", PromptKind.SINGLE, msg.ROLE_QUESTION, ROLES,
                                   hint=msg.hint_single(len(ROLES))))

    def _ask_municipality(self) -> None:
        if self.state.suggestions:
            choices = tuple(Choice(code, self._municipality_label(code)) for code in self.state.suggestions)
            self.replies.append(Prompt("municipality", PromptKind.SINGLE, msg.MUNICIPALITY_PICK,
                                       choices + (Choice(_MUNICIPALITY_OTHER, msg.MUNICIPALITY_OTHER),)))
            return
        text = (msg.MUNICIPALITY_QUESTION_OPTIONAL if self.profile.role in ROLES_WITHOUT_MUNICIPALITY
                else msg.MUNICIPALITY_QUESTION)
        self.replies.append(Prompt("municipality", PromptKind.OPEN, text))

    def _ask_stop(self) -> None:
        self.replies.append(Prompt("stop", PromptKind.SINGLE, msg.STOP_QUESTION,
                                   (Choice("ja", msg.STOP_YES), Choice("nee", msg.STOP_NO))))

    def _ask_current_question(self) -> None:
        step = self._current_step()
        question = step.question(self.state.question_id or "") if step else None
        if step is None or question is None:
            self.state = self.state.at(Phase.IDLE, step_key=None, question_id=None)
            self._go_to_open_step()
            return
        self.replies.append(question_prompt(step, question, self.answers.get(step.key, {}).get(question.id)))

    # ------------------------------------------------------------ welcome and profile

    def _on_install(self) -> None:
        if self.state.phase is Phase.WELCOME:
            self._greet()
        elif self.state.phase is Phase.CONSENT:
            self._greet()  # e.g. invited by mail, now opening Teams: show the privacy text again
        elif self.state.phase is Phase.OPTED_OUT:
            self.say(msg.STILL_OPTED_OUT)
        else:
            self.say(msg.WELCOME_BACK)
            self._resume()

    def _greet(self) -> None:
        d = self.dialogue
        self.say(msg.welcome(d.title, d.introduction, d.privacy))
        self.state = self.state.at(Phase.CONSENT)
        self._ask_consent()

    def _input_welcome(self, _raw: str | list[str]) -> None:
        self._greet()

    def _input_consent(self, raw: str | list[str]) -> None:
        answer = _yes_no(raw)
        if answer is None:
            self.say(msg.YES_NO_NOT_UNDERSTOOD)
            self._ask_consent()
        elif answer:
            self.event = "consent"
            self.profile = replace(self.profile, consent=True)
            if self.profile.role:
                self.state = self.state.at(Phase.CONFIRM_PROFILE)
                self._ask_profile_check()
            else:
                self.state = self.state.at(Phase.ROLE)
                self._ask_role()
        else:
            self.event = "declined"
            self.state = self.state.at(Phase.DECLINED)
            self.say(msg.DECLINED)

    def _input_declined(self, _raw: str | list[str]) -> None:
        self.say(msg.DECLINED)

    def _input_profile_check(self, raw: str | list[str]) -> None:
        answer = _yes_no(raw)
        if answer is None:
            self.say(msg.YES_NO_NOT_UNDERSTOOD)
            self._ask_profile_check()
        elif answer:
            self._profile_done()
        else:
            self.state = self.state.at(Phase.ROLE)
            self._ask_role()

    def _input_role(self, raw: str | list[str]) -> None:
        value = pick_one(_one(raw), ROLES, ROLE_ALIASES)
        if value is None:
            self.say(msg.ROLE_NOT_UNDERSTOOD)
            self._ask_role()
            return
        self.profile = replace(self.profile, role=value)
        self.state = self.state.at(Phase.MUNICIPALITY, suggestions=())
        self._ask_municipality()

    def _input_municipality(self, raw: str | list[str]) -> None:
        text = _one(raw)
        if self.state.suggestions:
            offered = tuple(Choice(c, self._municipality_label(c)) for c in self.state.suggestions)
            picked = pick_one(text, offered + (Choice(_MUNICIPALITY_OTHER, msg.MUNICIPALITY_OTHER),))
            if picked == _MUNICIPALITY_OTHER:
                self.state = self.state.at(Phase.MUNICIPALITY, suggestions=())
                self._ask_municipality()
                return
            if picked is not None:
                self._set_municipality(picked)
                return
        if normalize(text) in _NO_MUNICIPALITY_WORDS and self.profile.role in ROLES_WITHOUT_MUNICIPALITY:
            self.profile = replace(self.profile, municipality_code=None)
            self._profile_done()
            return
        found = self.turn.municipalities.match(text)
        if found.municipality is not None:
            self._set_municipality(found.municipality.cbs_code)
        elif found.suggestions:
            self.state = self.state.at(Phase.MUNICIPALITY, suggestions=tuple(m.cbs_code for m in found.suggestions))
            self._ask_municipality()
        else:
            self.state = self.state.at(Phase.MUNICIPALITY, suggestions=())
            self.say(msg.MUNICIPALITY_NOT_FOUND)

    def _set_municipality(self, code: str) -> None:
        self.profile = replace(self.profile, municipality_code=code)
        self._profile_done()

    def _profile_done(self) -> None:
        self.event = "profile"
        place = self._place(self.profile.municipality_code)
        self.say(msg.profile_saved(role_label(self.profile.role), place.name if place else None,
                                   place.province if place else None))
        self.state = self.state.at(Phase.IDLE, suggestions=())
        self._go_to_open_step()

    def _place(self, code: str | None) -> Municipality | None:
        if not code:
            return None
        try:
            return self.turn.municipalities.by_code(code)
        except LookupError:
            return None

    def _municipality_name(self, code: str | None) -> str | None:
        place = self._place(code)
        return place.name if place else None

    def _municipality_label(self, code: str) -> str:
        place = self._place(code)
        if place is None:
            return code
        if "(" in place.name:  # "Bergen (L.), Limburg" rather than "Bergen (L.) (Limburg)"
            return f"{place.name}, {place.province}"
        return f"{place.name} ({place.province})"

    # ------------------------------------------------------------ steps and questions

    def _current_step(self) -> Step | None:
        return self.dialogue.step(self.state.step_key) if self.state.step_key else None

    def _go_to_open_step(self) -> None:
        """Start (or continue) the open step, or say when the next one opens."""
        step = self.dialogue.open_step(self.turn.now)
        if step is None:
            self.state = self.state.at(Phase.IDLE, step_key=None, question_id=None)
            self._say_nothing_open()
            return
        question = self._next_question(step)
        if question is None:
            self.state = self.state.at(Phase.IDLE, step_key=step.key, question_id=None)
            self._say_step_complete(step)
            return
        fresh = not self.answers.get(step.key) and not self._skipped_in(step)
        if fresh:
            self.event = f"step_start:{step.key}"
            self.say(msg.step_intro(step.name, step.purpose, step.intro, self.when(step.closes), len(step.questions)))
        self.state = self.state.at(Phase.ANSWERING, step_key=step.key, question_id=question.id)
        self._ask_current_question()

    def _say_nothing_open(self) -> None:
        upcoming = self.dialogue.next_step(self.turn.now)
        self.say(msg.nothing_open(upcoming.name if upcoming else None,
                                  self.when(upcoming.opens) if upcoming else None))

    def _say_step_complete(self, step: Step) -> None:
        upcoming = self.dialogue.next_step(self.turn.now)
        self.say(msg.step_complete(step.name, upcoming.name if upcoming else None,
                                   self.when(upcoming.opens) if upcoming else None))

    def _skipped_in(self, step: Step) -> set[str]:
        prefix = f"{step.key}:"
        return {s.removeprefix(prefix) for s in self.state.skipped if s.startswith(prefix)}

    def _next_question(self, step: Step, after: str | None = None) -> Question | None:
        done = set(self.answers.get(step.key, {})) | self._skipped_in(step)
        ids = [q.id for q in step.questions]
        start = ids.index(after) + 1 if after in ids else 0
        for question in step.questions[start:] + step.questions[:start]:
            if question.id not in done:
                return question
        return None

    def _input_answer(self, raw: str | list[str]) -> None:
        step = self._current_step()
        question = step.question(self.state.question_id or "") if step else None
        if step is None or question is None:
            self._ask_current_question()
            return
        value = interpret(question, raw)
        if isinstance(value, Rejection):
            self.event = "answer_rejected"
            self.say(value.text)
            if question.kind is not QuestionKind.OPEN:
                self._ask_current_question()
            return
        self.event = "answer"
        changed = question.id in self.answers.get(step.key, {})
        self.answers.setdefault(step.key, {})[question.id] = value
        self.changes.append(AnswerChange(step.key, question.id, value))
        skipped = tuple(s for s in self.state.skipped if s != f"{step.key}:{question.id}")
        self.state = replace(self.state, skipped=skipped)
        if changed or step.key in self.state.completed_steps:  # a change, not the next question
            self.say(msg.ANSWER_SAVED)
        self._advance(step, question)

    def _advance(self, step: Step, question: Question) -> None:
        following = self._next_question(step, after=question.id)
        if following is not None:
            self.state = self.state.at(Phase.ANSWERING, question_id=following.id)
            self._ask_current_question()
            return
        self.state = self.state.at(Phase.IDLE, question_id=None)
        if step.key not in self.state.completed_steps:
            self.event = f"step_complete:{step.key}"
            self.state = replace(self.state, completed_steps=self.state.completed_steps + (step.key,))
            self._say_step_complete(step)

    def _input_idle(self, _raw: str | list[str]) -> None:
        step = self.dialogue.open_step(self.turn.now)
        if step is not None and self._next_question(step) is not None:
            self._go_to_open_step()
        else:
            self.say(msg.NOT_UNDERSTOOD_IDLE)

    def _input_paused(self, _raw: str | list[str]) -> None:
        self._cmd_resume()

    def _input_confirm_stop(self, raw: str | list[str]) -> None:
        answer = _yes_no(raw)
        if answer is None:
            self.say(msg.YES_NO_NOT_UNDERSTOOD)
            self._ask_stop()
        elif answer:
            self.event = "opted_out"
            self.profile = replace(self.profile, opted_out=True)
            self.state = self.state.at(Phase.OPTED_OUT, resume_phase=None)
            self.say(msg.OPTED_OUT)
        else:
            self.say(msg.STOP_CANCELLED)
            self.state = self.state.at(self.state.resume_phase or Phase.IDLE, resume_phase=None)
            if not self._step_closed_under_participant():  # it may have closed while asking
                self._resume()

    def _input_opted_out(self, _raw: str | list[str]) -> None:
        self.say(msg.STILL_OPTED_OUT)

    # ------------------------------------------------------------ commands

    def _command_not_now(self, command: Command) -> None:
        if command is C.SKIP:
            self.say(msg.NOTHING_TO_SKIP)
        elif command is C.BACK:
            self.say(msg.NOTHING_TO_GO_BACK_TO)
        elif command is C.PAUSE:
            self.say(msg.NOT_PAUSABLE)
        elif self.state.phase is Phase.OPTED_OUT:
            self.say(msg.STILL_OPTED_OUT)
            return
        else:
            self.say(msg.NOT_NOW)
        self._reprompt()

    def _cmd_help(self) -> None:
        self.say(msg.help_text(msg.HELP_COMMANDS))
        self._reprompt()

    def _cmd_status(self) -> None:
        if self.state.phase in (Phase.WELCOME, Phase.CONSENT):
            self.say(msg.NOT_STARTED)
            self._reprompt()
            return
        if self.state.phase in (Phase.DECLINED, Phase.OPTED_OUT):
            self.say(msg.STILL_OPTED_OUT if self.state.phase is Phase.OPTED_OUT else msg.DECLINED)
            return
        step = self.dialogue.open_step(self.turn.now)
        upcoming = self.dialogue.next_step(self.turn.now)
        next_line = msg.next_step_line(upcoming.name, self.when(upcoming.opens)) if upcoming else None
        if step is None:
            self._say_nothing_open()
        else:
            done = len(self.answers.get(step.key, {}))
            self.say(msg.status(step.name, self.when(step.closes), done, len(step.questions), next_line))
        self._reprompt()

    def _cmd_back(self) -> None:
        if self.state.phase is Phase.MUNICIPALITY:
            self.state = self.state.at(Phase.ROLE, suggestions=())
            self._ask_role()
            return
        step = self.dialogue.open_step(self.turn.now)
        if step is None or (self.state.phase is Phase.IDLE and not self.answers.get(step.key)):
            self.say(msg.NOTHING_TO_GO_BACK_TO)
            return
        ids = [q.id for q in step.questions]
        if self.state.phase is Phase.ANSWERING and self.state.question_id in ids:
            index = ids.index(self.state.question_id)
            if index == 0:
                self.say(msg.BACK_AT_FIRST)
                self._ask_current_question()
                return
            target = ids[index - 1]
        else:
            target = ids[-1]
        self.state = self.state.at(Phase.ANSWERING, step_key=step.key, question_id=target)
        self._ask_current_question()

    def _cmd_skip(self) -> None:
        step = self._current_step()
        question = step.question(self.state.question_id or "") if step else None
        if step is None or question is None:
            self.say(msg.NOTHING_TO_SKIP)
            return
        if question.required:
            self.say(msg.SKIP_REQUIRED)
            return
        key = f"{step.key}:{question.id}"
        if key not in self.state.skipped:
            self.state = replace(self.state, skipped=self.state.skipped + (key,))
        self.say(msg.SKIPPED)
        self._advance(step, question)

    def _cmd_my_answers(self) -> None:
        lines: list[str] = []
        for step in self.dialogue.steps:
            given = self.answers.get(step.key) or {}
            if not given:
                continue
            lines.append(f"**{step.name}**")
            for number, question in enumerate(step.questions, start=1):
                if question.id in given:
                    lines.append(f"{number}. {question.text}\n   → {describe_value(question, given[question.id])}")
        self.say(msg.MY_ANSWERS_HEADER + "\n\n" + "\n".join(lines) if lines else msg.NO_ANSWERS)
        self._reprompt()

    def _cmd_pause(self) -> None:
        self.state = self.state.at(Phase.PAUSED)
        self.say(msg.PAUSED)

    def _cmd_resume(self) -> None:
        if self.state.phase is Phase.PAUSED:
            self.say(msg.RESUMED)
            self.state = self.state.at(Phase.ANSWERING)
        self._resume()

    def _resume(self) -> None:
        if self.state.phase in (Phase.IDLE, Phase.PAUSED):
            self.state = self.state.at(Phase.IDLE)
            self._go_to_open_step()
        else:
            self._reprompt()

    def _cmd_stop(self) -> None:
        # Also before or without consent: whoever says "afmelden" gets no more messages.
        self.state = self.state.at(Phase.CONFIRM_STOP, resume_phase=self.state.phase)
        self._ask_stop()

    def _cmd_start(self) -> None:
        phase = self.state.phase
        if phase is Phase.CONSENT:  # "meedoen" / "start" answers "Wilt u meedoen?"
            self._input_consent("ja")
        elif phase in (Phase.WELCOME, Phase.DECLINED):
            self._greet()
        elif phase is Phase.OPTED_OUT:
            self.event = "opted_in"
            self.profile = replace(self.profile, opted_out=False)
            self.say(msg.WELCOME_BACK)
            # Whoever opted out before finishing consent or profile picks up there, not at the questions.
            if not self.profile.consent:
                self._greet()
            elif not self.profile.role:
                self.state = self.state.at(Phase.ROLE, resume_phase=None)
                self._ask_role()
            elif not self.profile.municipality_code and self.profile.role not in ROLES_WITHOUT_MUNICIPALITY:
                self.state = self.state.at(Phase.MUNICIPALITY, resume_phase=None, suggestions=())
                self._ask_municipality()
            else:
                self.state = self.state.at(Phase.IDLE)
                self._go_to_open_step()
        else:
            self._resume()


def question_prompt(step: Step, question: Question, current: Any = None) -> Prompt:
    """The prompt for one dialogue question (shared by chat and mail rendering)."""
    number = [q.id for q in step.questions].index(question.id) + 1
    choices: tuple[Choice, ...] = ()
    kind = PromptKind(question.kind.value)
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        choices = tuple(Choice(o.value, o.label) for o in question.options)
        hint = (msg.hint_single(len(choices)) if question.kind is QuestionKind.SINGLE
                else msg.hint_multiple(len(choices), question.picks))
    elif question.kind is QuestionKind.SCALE:
        choices = tuple(Choice(str(n), _scale_label(question, n))
                        for n in range(question.scale_min, question.scale_max + 1))
        hint = msg.hint_scale(question.scale_min, question.scale_max, question.min_label, question.max_label)
    else:
        hint = msg.HINT_OPEN
    if not question.required:
        hint = f"{hint} {msg.HINT_OPTIONAL}"
    return Prompt(
        input_id=f"q:{step.key}:{question.id}",
        kind=kind,
        text=question.text,
        choices=choices,
        max_picks=question.picks,
        hint=hint,
        progress=msg.progress(number, len(step.questions)),
        optional=not question.required,
        current=describe_value(question, current) if current is not None else None,
    )


def _scale_label(question: Question, n: int) -> str:
    if n == question.scale_min and question.min_label:
        return f"{n} – {question.min_label}"
    if n == question.scale_max and question.max_label:
        return f"{n} – {question.max_label}"
    return str(n)


def _one(raw: str | list[str]) -> str:
    return raw if isinstance(raw, str) else (raw[0] if raw else "")


def _yes_no(raw: str | list[str]) -> bool | None:
    return interpret_yes_no(_one(raw))


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
