"""Simulated participants, one per channel, who talk to the door exactly as the channels do: a
Teams participant sends the :class:`InboundEvent` the Teams channel makes of an activity (an
install, typed text, a card submit), a mail participant the :class:`MailReceived` the mail channel
makes of a reply (the verified reply token, the new text split into numbered answers by the mail
channel's own :func:`~bot.mail.inbound.reading.domain_input`). Each reads what the door answered
and answers the question it was asked, as a person would.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.mail.inbound.reading import domain_input
from bot.mail.outbound.body import form_step_of
from bot.simulation.choices import Chooser
from bot.simulation.population import TENANT, Persona
from dialogen.conversation.entries import BEGIN_INPUT
from dialogen.conversation.inputs import Input, Install, Submit, Text
from dialogen.conversation.kinds import kind_of
from dialogen.conversation.prompts import QUESTION_PREFIX
from dialogen.conversation.replies import Prompt, PromptKind, Receipt, Say
from dialogen.dialogue.definition import Dialogue, Question, Step
from dialogen.door.events import (
    Event,
    Identity,
    InboundEvent,
    MailKind,
    MailReceived,
    Outcome,
    VouchedToken,
)
from dialogen.participation.reach import Reach

Handle = Callable[[Event], Outcome]
MAX_TURNS = 80  # per session: a simulated person who is not understood gives up
SERVICE_URL = "https://smba.trafficmanager.net/emea/"


@dataclass
class Tally:
    """What the simulation did, for the summary."""

    events: int = 0
    teams_events: int = 0
    mails: int = 0
    reactions: int = 0
    notes: int = 0
    refused: int = 0  # answers the door did not understand (a simulation bug when not 0)
    gave_up: int = 0
    by_event: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: Outcome) -> None:
        self.events += 1
        self.by_event[outcome.event] = self.by_event.get(outcome.event, 0) + 1


class Person:
    def __init__(
        self,
        persona: Persona,
        *,
        seed: int,
        handle: Handle,
        dialogue: Dialogue,
        tally: Tally,
        advance: Callable[[float], None],
        additions: bool = True,
        reactions: tuple[int, int] | None = None,
    ) -> None:
        self.persona = persona
        self.reactions = reactions  # how many reactions a session gives (None: as people do)
        self.react_only = False  # this session: leave when the step asks anything but reactions
        self.rng = random.Random(f"person:{seed}:{persona.index}")
        self.chooser = Chooser(persona, self.rng, additions=additions)
        self.handle = handle
        self.dialogue = dialogue
        self.tally = tally
        self.advance = advance  # moves the clock on by seconds: people take time to type
        self.participant_id: str | None = None
        self.joined = False  # gave consent (in an earlier session)
        self._sent = 0
        self._seed = seed

    def event_id(self) -> str:
        self._sent += 1
        return f"sim-{self._seed}-{self.persona.index}-{self._sent}"

    def session(self, step: Step, *, stop_after: int | None = None) -> None:
        """Take part in ``step`` (stopping after ``stop_after`` answers, when given)."""
        raise NotImplementedError

    def question(self, input_id: str) -> tuple[Step, Question] | None:
        if not input_id.startswith(QUESTION_PREFIX):
            return None
        _, step_key, question_id = input_id.split(":", 2)
        step = self.dialogue.step(step_key)
        question = step.question(question_id) if step else None
        return (step, question) if step and question else None


class TeamsPerson(Person):
    """Chats in Teams: clicks a card's buttons, or types."""

    reacted = 0  # reactions given in this session
    enough = 0  # when they say 'klaar': most at the step's target, some a few later

    def identity(self) -> Identity:
        p = self.persona
        return Identity(
            channel="teams",
            aad_object_id=p.aad_object_id,
            teams_user_id=p.teams_user_id,
            tenant_id=TENANT,
            email=p.email,  # what the Bot Connector says about the member
            name=p.name,
        )

    def reference(self) -> dict[str, Any]:
        p = self.persona
        return {
            "user": {"id": p.teams_user_id, "name": p.name, "aadObjectId": p.aad_object_id},
            "bot": {"id": "28:sim-bot", "name": "Dialoogbot"},
            "conversation": {
                "conversationType": "personal",
                "id": f"a:1sim-{p.index}",
                "tenantId": TENANT,
            },
            "channelId": "msteams",
            "locale": "nl-NL",
            "serviceUrl": SERVICE_URL,
        }

    def send(self, message: Input, *, reference: bool = False) -> Outcome:
        self.advance(self.rng.uniform(8, 70))
        event = InboundEvent(
            self.identity(),
            message,
            event_id=self.event_id(),
            reference=self.reference() if reference else None,
        )
        outcome = self.handle(event)
        self.tally.count(outcome)
        self.tally.teams_events += 1
        if outcome.participant_id:
            self.participant_id = outcome.participant_id
        return outcome

    def session(self, step: Step, *, stop_after: int | None = None) -> None:
        """Take part in ``step``: open the bot (the first time) or click the step card's Begin,
        then answer what is asked until nothing is (or ``stop_after`` answers: they leave)."""
        if not self.joined:
            outcome = self.send(Install(), reference=True)
        else:
            outcome = self.send(Submit(BEGIN_INPUT, step.key))
        self.reacted = 0
        if self.reactions is not None:
            self.enough = self.rng.randint(*self.reactions)
        else:
            extra = self.rng.randint(1, 6) if self.rng.random() < 0.2 else 0
            self.enough = _target(step) + extra
        last: str | None = None
        repeats = 0
        for answered in range(MAX_TURNS):
            prompt = _last_prompt(outcome)
            if prompt is None:
                return
            if stop_after is not None and answered >= stop_after and prompt.input_id[:2] == "q:":
                return  # leaves halfway; a nudge may bring them back
            if self.react_only and prompt.input_id[:2] == "q:" and prompt.item is None:
                return
            key = f"{prompt.input_id}:{prompt.item or ''}:{prompt.kind}"  # "Iets anders" asks on
            repeats = repeats + 1 if key == last else 0
            if repeats >= 2:
                self.tally.gave_up += 1
                return
            if repeats:
                self.tally.refused += 1
            last = key
            message = self.reply_to(prompt)
            if message is None:
                return
            outcome = self.send(message)
        self.tally.gave_up += 1

    def reply_to(self, prompt: Prompt) -> Input | None:
        typed = self.rng.random() < self.persona.types
        if prompt.input_id == BEGIN_INPUT and prompt.choices:
            return Submit(BEGIN_INPUT, prompt.choices[0].value)
        if prompt.input_id in ("consent", "profile"):  # yes, and yes: the invitation is right
            if prompt.input_id == "consent":
                self.joined = True
            return Text("ja") if typed else Submit(prompt.input_id, "ja")
        if prompt.kind is PromptKind.REACTION and prompt.quote is not None:
            if self.reacted >= self.enough:
                return Text("klaar")
            self.reacted += 1
            said = self.chooser.reaction(prompt.quote)
            self.tally.reactions += 1
            if ": " in said:
                self.tally.notes += 1
            if typed:
                return Text(said)
            # the card's button, with what was typed in its field ("oneens: <text>")
            return Submit(prompt.input_id, said, item=prompt.item)
        found = self.question(prompt.input_id)
        if found is None:
            if prompt.choices:
                return Submit(prompt.input_id, prompt.choices[0].value)
            return Text("verder")
        _, question = found
        if prompt.kind is PromptKind.OPEN and question.kind != "open":
            return Text(self.chooser.other(question))  # "Iets anders": what they meant
        answer = self.chooser.answer(question, mail=False)
        if answer is None:
            return Text("overslaan")
        if answer.card is not None and not typed:
            return Submit(prompt.input_id, answer.card)
        if kind_of(question).shape in (PromptKind.RANKING, PromptKind.POINTS):
            return Submit(prompt.input_id, answer.card or answer.text)
        return Text(answer.text)


class MailPerson(Person):
    """Answers by replying to the dialogue's mails, several answers in one reply."""

    def __init__(self, persona: Persona, *, reach: Reach, **kwargs: Any) -> None:
        super().__init__(persona, **kwargs)
        self.reach = reach
        self.replying_to: str | None = None  # the step the mail they answer is about (its token)

    def send(self, text: str) -> Outcome:
        self.advance(self.rng.uniform(60, 900))
        assert self.participant_id is not None
        step = self.dialogue.step(self.replying_to) if self.replying_to else None
        number = self.event_id()
        mail = MailReceived(
            MailKind.REPLY,
            event_id=f"<{number}@{self.persona.email.split('@')[1]}>",
            from_address=self.persona.email,
            token=VouchedToken(self.participant_id, self.replying_to),
            message=domain_input(step, text),
            message_id=f"<{number}@{self.persona.email.split('@')[1]}>",
        )
        outcome = self.handle(mail)
        self.tally.count(outcome)
        self.tally.mails += 1
        self._read(outcome)
        return outcome

    def _read(self, outcome: Outcome) -> None:
        """What the confirmation lists decides what the next reply answers."""
        replies = [r for r in outcome.replies if isinstance(r, Say | Prompt | Receipt)]
        self.replying_to = form_step_of(replies)

    def join(self) -> bool:
        """Reply to the invitation: 'Ja', then confirm the profile. True when they are in."""
        self.replying_to = None
        outcome = self.send("Ja")
        for _ in range(3):
            prompt = _last_prompt(outcome)
            if prompt is None or prompt.input_id not in ("consent", "profile"):
                break
            outcome = self.send("ja, dat klopt" if prompt.input_id == "profile" else "ja")
        self.joined = True
        return True

    def session(self, step: Step, *, stop_after: int | None = None) -> None:
        """Reply to the step's mail: reactions to the listed batch while the step asks for them,
        then the step's questions, in one or two replies (the invitation first, if not yet)."""
        if not self.joined:
            self.join()
        self.replying_to = step.key
        for _ in range(12):  # batches of reactions
            target = self.reach.mail_target(self.participant_id or "", step_key=step.key)
            batch = target.batch if target else ()
            if not batch:
                break
            lines = []
            for number, item in enumerate(batch, start=1):
                said = self.chooser.reaction(item.text)
                self.tally.reactions += 1
                self.tally.notes += ": " in said
                lines.append(f"{number} {said}")
            self.replying_to = step.key
            self.send("\n".join(lines))
        if self.react_only:
            return
        numbers = [n for n, q in enumerate(step.questions, start=1) if not kind_of(q).repeats]
        if stop_after is not None:
            numbers = numbers[:stop_after]
        if not numbers:
            return
        split = len(numbers) > 3 and self.rng.random() < 0.25
        parts = [numbers[: len(numbers) // 2], numbers[len(numbers) // 2 :]] if split else [numbers]
        for part in parts:
            lines = []
            for number in part:
                answer = self.chooser.answer(step.questions[number - 1], mail=True)
                if answer is not None:
                    lines.append(f"{number}. {answer.text}")
            if lines:
                self.replying_to = step.key
                self.send("\n".join(lines))


def _target(step: Step) -> int:
    """The reactions a step asks of each participant (0 when it asks none)."""
    for question in step.questions:
        if kind_of(question).repeats:
            return int(getattr(question.settings, "target", 10))
    return 0


def _last_prompt(outcome: Outcome) -> Prompt | None:
    prompts = [r for r in outcome.replies if isinstance(r, Prompt)]
    return prompts[-1] if prompts else None
