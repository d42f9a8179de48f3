"""A whole step answered at once (a mail reply) through the pure engine: the same rules as a chat
answer, lettered choices, a receipt per question, closed steps, and a chat that goes on at the
first unanswered question afterwards."""

from __future__ import annotations

from datetime import datetime

import pytest

from dialogen.conversation.inputs import Answers, OptOut, Text
from dialogen.conversation.replies import Prompt, Receipt
from dialogen.conversation.reply_codec import decode_replies, encode_replies
from dialogen.conversation.state import ConversationState, Phase, Profile
from dialogen.dialogue.definition import Dialogue
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from tests.support.engine_person import AMS, Person

AFTER_VERKENNEN = datetime(2024, 10, 8, 8, 0, tzinfo=AMS)
BEELD = "We werken in veel verbanden samen, maar de raad ziet er weinig van."


@pytest.fixture
def person(real_dialogue: Dialogue, registry: MunicipalityRegistry) -> Person:
    return Person(real_dialogue, registry)


def test_every_answer_is_checked_and_reported_per_question(person: Person) -> None:
    receipt = person.mail((1, BEELD), (2, "9"), (3, "A, C"), (4, "Q"))
    assert [n for n, _, _ in receipt.recorded] == [1, 3]
    assert receipt.recorded[0] == (1, person.dialogue.step("verkennen").questions[0].text, BEELD)
    assert receipt.recorded[1][2] == (
        "A. Democratische legitimiteit en de rol van de raad; "
        "C. Voorkomen van een extra bestuurslaag"
    )
    assert dict(receipt.problems) == {
        2: "Kies een cijfer van 1 tot en met 5 (1 = Zeer ontevreden, 5 = Zeer tevreden).",
        4: "Kies één letter: A tot en met F.",
    }
    assert receipt.open_numbers == (2, 4, 5, 6, 7) and receipt.remaining == 5
    assert person.answers["verkennen"] == {
        "beeld": BEELD,
        "themas": ["democratische-legitimiteit", "bestuurslaag"],
    }


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("A, C", ["democratische-legitimiteit", "bestuurslaag"]),
        ("a en c", ["democratische-legitimiteit", "bestuurslaag"]),
        ("A\nC", ["democratische-legitimiteit", "bestuurslaag"]),
        ("B. Sturing en zeggenschap van de eigen gemeente", ["sturing"]),
        ("1, 5", ["democratische-legitimiteit", "afstand-inwoner"]),
    ],
)
def test_multiple_choice_takes_letters(person: Person, typed: str, expected: list[str]) -> None:
    receipt = person.mail((3, typed))
    assert not receipt.problems
    assert person.answers["verkennen"]["themas"] == expected


def test_single_choice_takes_a_letter_and_too_many_picks_say_so(person: Person) -> None:
    receipt = person.mail((4, "b"), (3, "A, B, C, D"))
    assert person.answers["verkennen"]["obstakel"] == "verschillende-belangen"
    assert receipt.problems == (
        (3, "U kunt maximaal 3 antwoorden kiezen. Wilt u er minder kiezen?"),
    )


def test_a_closed_step_counts_nothing(person: Person) -> None:
    person.now = AFTER_VERKENNEN
    decision = person.send(Answers("verkennen", ((1, BEELD),)))
    (receipt,) = decision.replies
    assert isinstance(receipt, Receipt) and receipt.closed and not receipt.recorded
    assert decision.answers == () and decision.event == "answers:closed"


def test_a_chat_goes_on_at_the_first_unanswered_question(person: Person) -> None:
    person.state = ConversationState(
        phase=Phase.ANSWERING, step_key="verkennen", question_id="beeld"
    )
    person.send(Text(BEELD))  # Teams: question 1
    assert person.state.question_id == "waardering"
    person.mail((3, "A"), (4, "C"))  # mail: questions 3 and 4
    assert (person.state.phase, person.state.question_id) == (Phase.ANSWERING, "waardering")
    decision = person.send(Text("4"))  # back in Teams: question 2, then on to 5
    assert person.answers["verkennen"]["waardering"] == 4
    prompt = next(r for r in decision.replies if isinstance(r, Prompt))
    assert prompt.input_id == "q:verkennen:obstakel-toelichting"


def test_blank_optional_questions_are_passed_over_once_the_required_ones_are_answered(
    person: Person,
) -> None:
    receipt = person.mail(
        (1, BEELD), (2, "4"), (3, "A"), (4, "B"), (6, "Een gezamenlijke raadscommissie.")
    )
    assert receipt.complete and receipt.passed_over == (5, 7)
    assert person.state.phase is Phase.IDLE and "verkennen" in person.state.completed_steps
    later = person.mail((7, "Kennis delen."))  # an optional one can still be answered
    assert later.recorded[0][0] == 7 and person.answers["verkennen"]["rol-vng"] == "Kennis delen."


def test_skipping_works_for_optional_questions_only(person: Person) -> None:
    receipt = person.mail((1, "overslaan"), (5, "overslaan"))
    assert receipt.problems == ((1, "Deze vraag is verplicht, dus overslaan kan niet."),)
    assert (
        receipt.recorded[0][2] == "overgeslagen"
        and "verkennen:obstakel-toelichting" in person.state.skipped
    )


def test_unnumbered_text_answers_the_only_open_question_or_asks_for_numbers(person: Person) -> None:
    first = person.mail(unplaced="Dit is een tekst zonder nummer erbij.")
    assert first.problems[0][0] == 0 and "nummer" in first.problems[0][1] and not first.recorded
    person.mail((1, BEELD), (2, "4"), (3, "A"), (4, "B"), (5, "overslaan"), (7, "overslaan"))
    last = person.mail(unplaced="Een gezamenlijke raadscommissie werkt goed.")
    assert last.recorded[0][0] == 6 and last.complete


def test_text_before_the_first_number_is_reported_as_not_stored(person: Person) -> None:
    assert person.mail((2, "4"), unplaced="Lange inleiding " * 10).unplaced_ignored


def test_a_reply_that_only_says_afmelden_is_the_command(person: Person) -> None:
    person.send(Answers("verkennen", (), "afmelden"))
    assert person.state.phase is Phase.CONFIRM_STOP


def test_no_answers_are_stored_before_consent_or_after_opting_out(
    real_dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    newcomer = Person(real_dialogue, registry, phase=Phase.WELCOME, profile=Profile())
    decision = newcomer.send(Answers("verkennen", ((1, BEELD),)))
    assert decision.answers == () and newcomer.state.phase is Phase.CONSENT
    assert any(isinstance(r, Prompt) and r.input_id == "consent" for r in decision.replies)
    leaver = Person(real_dialogue, registry)
    leaver.send(OptOut())
    assert leaver.state.phase is Phase.OPTED_OUT and leaver.profile.opted_out
    assert leaver.send(Answers("verkennen", ((1, BEELD),))).answers == ()


def test_a_receipt_survives_the_outbox(person: Person) -> None:
    receipt = person.mail((1, BEELD), (2, "zeven"))
    assert decode_replies(encode_replies((receipt,))) == (receipt,)
