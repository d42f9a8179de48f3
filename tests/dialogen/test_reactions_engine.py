"""Reacting to contributions in the pure engine (Verrijken): one contribution at a time in a chat,
a numbered batch by mail — with the door's offers handed in as the service does."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from dialogen.conversation import messages as msg
from dialogen.conversation.engine import Turn, decide
from dialogen.conversation.inputs import Answers, Input, Submit, Text
from dialogen.conversation.offers import Offer, Offers
from dialogen.conversation.replies import Prompt, PromptKind, Receipt
from dialogen.conversation.state import ConversationState, Decision, Phase, Profile
from dialogen.dialogue.definition import Dialogue
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from tests.support.engine_person import AMS

VERRIJKEN = datetime(2024, 10, 9, 10, 0, tzinfo=AMS)
KEY = ("verrijken", "reacties")
PROFILE = Profile(role="raadslid", municipality_code="0344", consent=True)


def offers(*ids: str, given: int = 0) -> Offers:
    return Offers(
        tuple(Offer(i, f"Bijdrage {i}: de raad moet meer grip krijgen.") for i in ids), given
    )


class Reactor:
    """A participant in Verrijken; ``offered`` is what the door would hand in next turn."""

    def __init__(self, dialogue: Dialogue, registry: MunicipalityRegistry) -> None:
        self.dialogue, self.registry = dialogue, registry
        self.state = ConversationState(phase=Phase.IDLE)
        self.answers: dict[str, dict[str, Any]] = {}
        self.offered = offers("c1", "c2", "c3")
        self.items: list[Any] = []
        self.last: Decision | None = None

    def send(self, message: Input | str) -> Decision:
        if isinstance(message, str):
            message = Text(message)
        turn = Turn(
            dialogue=self.dialogue,
            now=VERRIJKEN,
            state=self.state,
            profile=PROFILE,
            answers=self.answers,
            municipalities=self.registry,
            offers={KEY: self.offered},
            summaries={"verrijken": "**Wat stap Verkennen opleverde**\n\n- …"},
        )
        self.last = decide(turn, message)
        self.state = self.last.state
        for change in self.last.answers:
            self.answers.setdefault(change.step_key, {})[change.question_id] = change.value
        self.items += self.last.items
        answered = {i.item_id for i in self.last.items}  # the door moves on past these
        counted = sum(1 for i in self.last.items if i.value.get("vote"))
        left = tuple(o for o in self.offered.items if o.item_id not in answered)
        self.offered = Offers(left, self.offered.given + counted)
        return self.last

    @property
    def prompt(self) -> Prompt:
        assert self.last is not None
        return [r for r in self.last.replies if isinstance(r, Prompt)][-1]

    def texts(self) -> list[str]:
        assert self.last is not None
        return [getattr(r, "text", "") for r in self.last.replies]


@pytest.fixture
def reactor(real_dialogue: Dialogue, registry: MunicipalityRegistry) -> Reactor:
    return Reactor(real_dialogue, registry)


def test_verrijken_opens_with_what_verkennen_produced_and_the_first_contribution(reactor):
    reactor.send("verder")
    assert any("Wat stap Verkennen opleverde" in t for t in reactor.texts())
    prompt = reactor.prompt
    assert prompt.kind is PromptKind.REACTION and prompt.item == "c1"
    assert prompt.quote and prompt.quote.startswith("Bijdrage c1")
    assert [c.value for c in prompt.choices] == ["eens", "oneens", "pas"]
    assert [c.value for c in prompt.actions] == ["melden"] and prompt.note
    assert prompt.progress == "Reactie 1 van 10"


def test_each_reaction_is_recorded_and_the_next_contribution_follows(reactor):
    reactor.send("verder")
    reactor.send(Submit("q:verrijken:reacties", "eens", item="c1"))
    assert reactor.prompt.item == "c2" and reactor.prompt.progress == "Reactie 2 van 10"
    reactor.send("oneens: omdat de raad dan nog steeds buitenspel staat")
    assert [(i.item_id, i.value["vote"], i.value["note"]) for i in reactor.items] == [
        ("c1", "eens", None),
        ("c2", "oneens", "omdat de raad dan nog steeds buitenspel staat"),
    ]
    assert reactor.answers["verrijken"]["reacties"] == {"given": 2, "stopped": False}


def test_a_report_is_not_a_reaction_and_the_contribution_goes(reactor):
    reactor.send("verder")
    decision = reactor.send("melden")
    assert msg.REACTION_REPORTED in [getattr(r, "text", "") for r in decision.replies]
    assert decision.items[0].value == {"vote": None, "note": None, "report": True}
    assert reactor.answers["verrijken"]["reacties"]["given"] == 0
    assert reactor.prompt.item == "c2"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("misschien", msg.REACTION_NOT_UNDERSTOOD),
        ("eens: 👍👍", msg.REACTION_NOTE_EMPTY),
        ("eens: …?!", msg.REACTION_NOTE_EMPTY),
        ("oneens: " + "x" * 501, msg.reaction_note_too_long(501, 500)),
    ],
)
def test_bad_reactions_are_corrected_and_nothing_is_stored(reactor, typed, problem):
    reactor.send("verder")
    reactor.send(typed)
    assert problem in reactor.texts()
    assert reactor.items == [] and reactor.prompt.item == "c1"


def test_a_click_on_an_old_card_is_not_taken_for_the_current_contribution(reactor):
    reactor.send("verder")
    reactor.send("eens")
    reactor.send(Submit("q:verrijken:reacties", "oneens", item="c1"))  # the card of c1 again
    assert msg.REACTION_STALE in reactor.texts()
    assert [i.item_id for i in reactor.items] == ["c1"] and reactor.prompt.item == "c2"


@pytest.mark.parametrize("how", ["typed", "card"])
def test_an_answer_about_a_contribution_hidden_since_it_was_shown_is_not_moved_on(reactor, how):
    reactor.send("verder")
    reactor.offered = Offers(reactor.offered.items[1:], 0, shown="c1")  # c1 hidden meanwhile
    reactor.send("eens" if how == "typed" else Submit("q:verrijken:reacties", "eens", item="c1"))
    assert msg.REACTION_GONE in reactor.texts()
    assert reactor.items == [] and reactor.prompt.item == "c2"


def test_the_contribution_still_shown_takes_the_typed_answer(reactor):
    reactor.send("verder")
    reactor.offered = Offers(reactor.offered.items, 0, shown="c1")
    reactor.send("oneens")
    assert [(i.item_id, i.value["vote"]) for i in reactor.items] == [("c1", "oneens")]


def test_eens_typed_when_no_contribution_is_shown_is_not_a_reaction(reactor):
    reactor.state = ConversationState(phase=Phase.IDLE)
    reactor.send("eens")
    assert reactor.items == []


def test_reaching_the_target_is_said_and_reacting_can_go_on(reactor):
    reactor.offered = offers("c9", "c10", given=9)
    reactor.send("verder")
    assert reactor.prompt.progress == "Reactie 10 van 10"
    reactor.send("pas")
    assert msg.reaction_target_reached(10) in reactor.texts()
    assert reactor.prompt.item == "c10"  # more is fine
    reactor.send("klaar")
    assert msg.REACTION_STOPPED in reactor.texts()
    assert reactor.prompt.input_id == "q:verrijken:herkenning"


def test_stopping_before_the_target_moves_on_and_a_later_visit_skips_reacting(reactor):
    reactor.send("verder")
    reactor.send("eens")
    reactor.send("klaar")
    assert reactor.answers["verrijken"]["reacties"] == {"given": 1, "stopped": True}
    assert reactor.prompt.input_id == "q:verrijken:herkenning"
    reactor.send("pauze")
    reactor.send("verder")
    assert reactor.prompt.input_id == "q:verrijken:herkenning"


def test_with_nothing_left_to_react_to_the_step_goes_on(reactor):
    reactor.offered = offers()
    reactor.send("verder")
    assert msg.REACTION_NONE_LEFT in reactor.texts()
    assert reactor.prompt.input_id == "q:verrijken:herkenning"


# ---------------------------------------------------------------- by mail


def mail(reactor: Reactor, text: str) -> Receipt:
    decision = reactor.send(Answers("verrijken", (), unplaced=text, text=text))
    (receipt,) = [r for r in decision.replies if isinstance(r, Receipt)]
    return receipt


def test_a_mailed_batch_is_answered_line_by_line(reactor):
    reactor.offered = offers("m1", "m2", "m3", "m4")
    receipt = mail(reactor, "1 eens\n2. oneens: te vrijblijvend\n3: pas\n4 melden")
    assert receipt.batch and not receipt.problems
    assert [(n, v) for n, _, v in receipt.recorded] == [
        (1, "eens"),
        (2, "oneens: te vrijblijvend"),
        (3, "pas"),
        (4, msg.REACTION_SHOWN_REPORTED),
    ]
    assert [i.item_id for i in reactor.items] == ["m1", "m2", "m3", "m4"]
    assert reactor.answers["verrijken"]["reacties"] == {"given": 3, "stopped": False}


def test_a_mail_mixing_formats_gets_a_correction_per_line_and_stores_the_rest_whole(reactor):
    reactor.offered = offers("m1", "m2", "m3")
    receipt = mail(reactor, "1 ja\n2: oneens\n3 -\n7 eens\neens")
    assert [(n, v) for n, _, v in receipt.recorded] == [(2, "oneens")]
    assert dict(receipt.problems) == {
        1: msg.reaction_mail_not_understood(1),
        3: msg.reaction_mail_not_understood(3),
        7: msg.reaction_mail_unknown_number(7, 3),
        0: msg.REACTION_MAIL_NUMBER_MISSING,
    }
    assert [i.item_id for i in reactor.items] == ["m2"]


def test_a_contribution_hidden_since_the_mail_keeps_its_number_and_takes_no_reaction(reactor):
    reactor.offered = Offers((Offer("m1", "Tekst"), Offer("m2", "")), 0)
    receipt = mail(reactor, "1 eens\n2 eens")
    assert dict(receipt.problems) == {2: msg.reaction_mail_gone(2)}
    assert [i.item_id for i in reactor.items] == ["m1"]


def test_klaar_in_a_mail_stops_reacting(reactor):
    reactor.offered = offers("m1")
    mail(reactor, "1 eens\nklaar")
    assert reactor.answers["verrijken"]["reacties"] == {"given": 1, "stopped": True}


def test_status_counts_reactions_against_the_target(reactor):
    reactor.send("verder")
    reactor.send("eens")
    reactor.send("status")
    assert msg.reactions_status(1, 10) in reactor.texts()


def test_a_nudge_counts_reactions_against_the_target(real_dialogue):
    from dialogen.conversation.state import ConversationState as State
    from dialogen.participation import outreach

    step = real_dialogue.step("verrijken")
    given = {
        "reacties": {"given": 3, "stopped": False},
        "herkenning": 4,
        "aanvulling": "Meer raad.",
    }
    done = outreach.complete_questions(step, given)
    assert done == {"herkenning", "aanvulling"}  # reacting is not done before the target
    assert outreach.remaining_questions(step, State(), done) == 1
    (prompt,) = outreach.nudge(
        real_dialogue,
        step,
        remaining=1,
        at=VERRIJKEN,
        reactions=outreach.reactions_progress(step, given),
    )
    assert msg.nudge_reactions(3, 10) in prompt.text
    stopped = {**given, "reacties": {"given": 3, "stopped": True}}
    assert outreach.complete_questions(step, stopped) == {"reacties", "herkenning", "aanvulling"}
