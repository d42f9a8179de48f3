"""One turn being decided: the :class:`TurnContext` every handler works on, and the shape of a
phase's declaration (:class:`PhaseSpec`) that the context consults to ask again.

Handlers are plain functions ``(ctx, ...) -> None``. They change the turn only through the
context's declared fields (``state``, ``profile``, ``answers``, ``event``) and add replies with
:meth:`TurnContext.say` and :meth:`TurnContext.add`; :meth:`TurnContext.decision` is the result.
The phase table itself is ``dialogen.conversation.phases.PHASES``; the engine hands it in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import KW_ONLY, dataclass, field, replace
from datetime import datetime
from typing import Any

from dialogen.conversation import messages as msg
from dialogen.conversation.inputs import Command
from dialogen.conversation.kinds import Raw, kind_of
from dialogen.conversation.matching import interpret_yes_no
from dialogen.conversation.offers import ItemChange, Offer
from dialogen.conversation.options import as_asked
from dialogen.conversation.prompts import question_input_id
from dialogen.conversation.replies import Reply, Say
from dialogen.conversation.state import (
    AnswerChange,
    ConversationState,
    Decision,
    Erasure,
    Phase,
    Profile,
)
from dialogen.conversation.turn import Turn
from dialogen.dialogue.definition import Dialogue, Question, Step

InputHandler = Callable[["TurnContext", Raw], None]
Asker = Callable[["TurnContext"], None]


@dataclass(frozen=True)
class PhaseSpec:
    """Everything the conversation does differently in one phase.

    ``commands``: the commands it takes (others get a "not now"). ``on_input``: what free text or
    a card submit does. ``ask``: asks again what the phase waits for (None: nothing pending).
    ``input_id``: the prompt a card submit must name (``asks_question``: the current dialogue
    question's ``q:<step>:<question>``). The flags name groups of phases the handlers tell apart.
    """

    commands: frozenset[Command]
    on_input: InputHandler
    _: KW_ONLY
    ask: Asker | None = None
    input_id: str | None = None
    asks_question: bool = False
    not_started: bool = False  # never said yes or no to taking part
    before_consent: bool = False  # not (yet) taking part: not started, or said no
    in_profile: bool = False  # role and municipality are being asked
    in_step: bool = False  # at a question of a step, answering or paused
    between_questions: bool = False  # nothing asked right now: 'verder' goes to the open step
    opted_out: bool = False
    standing: str | None = None  # told whoever is not taking part, whatever they send
    plain_by_mail: bool = False
    about_own_data: bool = False  # asking about changing or erasing their data

    def prompt_id(self, state: ConversationState) -> str | None:
        if self.asks_question:
            return question_input_id(state.step_key, state.question_id)
        return self.input_id


@dataclass
class TurnContext:
    """The working record of one turn: begins as a :class:`Turn`, ends as a :class:`Decision`."""

    turn: Turn
    phases: Mapping[Phase, PhaseSpec]
    state: ConversationState
    profile: Profile
    answers: dict[str, dict[str, Any]]
    replies: list[Reply] = field(default_factory=list)
    changes: list[AnswerChange] = field(default_factory=list)
    event: str = "turn"  # a short, identity-free label for the operator's log
    items: list[ItemChange] = field(default_factory=list)  # items of repeating questions answered
    submitted_item: str | None = None  # the item a card submit was about
    _used: dict[tuple[str, str], int] = field(default_factory=dict)  # offers consumed this turn
    corrected: set[str] = field(default_factory=set)  # profile details the participant set
    disclose: bool = False  # show what is stored about them (the door adds it)
    erase: Erasure | None = None

    @classmethod
    def begin(cls, turn: Turn, phases: Mapping[Phase, PhaseSpec]) -> TurnContext:
        asked = as_asked(turn.dialogue, turn.options)  # the door's current options in place
        if asked is not turn.dialogue:
            turn = replace(turn, dialogue=asked)
        answers = {key: dict(given) for key, given in turn.answers.items()}
        return cls(turn, phases, turn.state, turn.profile, answers)

    def decision(self) -> Decision:
        profile = self.profile if self.profile != self.turn.profile else None
        return Decision(
            self.state,
            tuple(self.replies),
            tuple(self.changes),
            profile,
            self.event,
            items=tuple(self.items),
            corrected=frozenset(self.corrected),
            disclose=self.disclose,
            erase=self.erase,
        )

    # ------------------------------------------------------------ reading

    @property
    def dialogue(self) -> Dialogue:
        return self.turn.dialogue

    @property
    def now(self) -> datetime:
        return self.turn.now

    @property
    def here(self) -> PhaseSpec:
        """The declaration of the phase the conversation is in now."""
        return self.phases[self.state.phase]

    def when(self, moment: datetime) -> str:
        return msg.when(moment, self.dialogue.zone)

    def current_step(self) -> Step | None:
        return self.dialogue.step(self.state.step_key) if self.state.step_key else None

    def current_question(self) -> tuple[Step, Question] | None:
        step = self.current_step()
        question = step.question(self.state.question_id or "") if step else None
        return (step, question) if step is not None and question is not None else None

    # ------------------------------------------------------------ items (repeating questions)

    def current_offer(self, step: Step, question: Question) -> Offer | None:
        """The item asked about now: the first the door offered that this turn did not use."""
        offers = self.turn.offers.get((step.key, question.id))
        used = self._used.get((step.key, question.id), 0)
        if offers is None or used >= len(offers.items):
            return None
        return offers.items[used]

    def shown_gone(self, step: Step, question: Question) -> str | None:
        """The item the participant was shown last when it is no longer offered (hidden since):
        what their answer this turn was about. None when it is still the current one."""
        offers = self.turn.offers.get((step.key, question.id))
        if offers is None or offers.shown is None or self._used.get((step.key, question.id)):
            return None
        first = offers.items[0].item_id if offers.items else None
        return offers.shown if offers.shown != first else None

    def use_offer(self, step: Step, question: Question) -> None:
        key = (step.key, question.id)
        self._used[key] = self._used.get(key, 0) + 1

    def given(self, step: Step, question: Question) -> int:
        """Items answered so far, this turn included."""
        offers = self.turn.offers.get((step.key, question.id))
        earlier = offers.given if offers is not None else 0
        mine = [c for c in self.items if (c.step_key, c.question_id) == (step.key, question.id)]
        kind = kind_of(question)
        return earlier + sum(1 for c in mine if kind.counts(question, c.value))

    # ------------------------------------------------------------ replying

    def say(self, text: str) -> None:
        self.replies.append(Say(text))

    def add(self, reply: Reply) -> None:
        self.replies.append(reply)

    def reprompt(self) -> None:
        """Ask again whatever the current phase waits for (some phases wait for nothing)."""
        if self.here.ask is not None:
            self.here.ask(self)


def first_input(raw: Raw) -> str:
    return raw if isinstance(raw, str) else (raw[0] if raw else "")


def yes_or_no(ctx: TurnContext, raw: Raw, ask_again: Asker) -> bool | None:
    """'ja' or 'nee'; anything else is answered with a hint and the question again (None)."""
    answer = interpret_yes_no(first_input(raw))
    if answer is None:
        ctx.say(msg.YES_NO_NOT_UNDERSTOOD)
        ask_again(ctx)
    return answer
