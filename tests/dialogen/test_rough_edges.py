"""Rough edges a new user hit in the chat (issue 11, items 9–13), through the pure engine."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from dialogen.conversation.inputs import Install
from dialogen.conversation.state import ConversationState, Phase, Profile
from dialogen.dialogue.definition import Dialogue
from dialogen.dialogue.loader import default_dialogue_path, load_demo_dialogue, parse_dialogue
from dialogen.errors import DialogueFileError
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from tests.dialogen.test_engine import Participant, answer_up_to, onboard, seen

AMS = ZoneInfo("Europe/Amsterdam")


# ---------------------------------------------------------------- item 10: dates from the calendar


def test_the_welcome_names_the_dates_of_the_calendar_it_runs_on(
    real_dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    real = seen(Participant(real_dialogue, registry).send(Install()))
    assert "van 18 september tot 20 december" in real

    demo = load_demo_dialogue(date(2026, 12, 6), default_dialogue_path())
    verkennen = demo.step("verkennen")
    assert verkennen is not None
    now = datetime(2026, 12, 6, 10, 0, tzinfo=AMS)
    shown = seen(Participant(demo, registry, now=now).send(Install()))
    assert "van 4 december tot " in shown and "18 september" not in shown
    last = demo.steps[-1].closes.astimezone(AMS)
    assert f"tot {last.day} " in shown and "{" not in shown
    assert verkennen.closes.astimezone(AMS).date() == date(2026, 12, 23)


def test_a_text_with_an_unknown_date_placeholder_is_refused_with_the_known_ones() -> None:
    text = default_dialogue_path().read_text(encoding="utf-8")
    bad = text.replace("{begin} tot {einde}", "{start} tot {einde}")
    assert bad != text
    with pytest.raises(
        DialogueFileError, match=r"unknown placeholder \{start\}.*\{begin\}, \{einde\}"
    ):
        parse_dialogue(bad)


# ---------------------------------------------------------------- item 9: reflowed paragraphs


def test_texts_from_the_dialogue_file_read_as_paragraphs_without_ragged_lines(
    real_dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    shown = seen(Participant(real_dialogue, registry).send(Install()))
    assert "maar ze zien nooit dat ze van u komen" in shown
    assert "Welkom bij de verenigingsdialoog over regionale samenwerking van de VNG. Gemeenten" in (
        shown
    )
    assert "**Uw privacy**\n\nUw antwoorden zijn anoniem." in shown  # paragraphs stay apart
    verkennen = real_dialogue.step("verkennen")
    assert verkennen is not None and verkennen.intro is not None
    assert "\n" not in verkennen.intro


def test_reflow_keeps_paragraphs_list_items_and_hard_breaks() -> None:
    from dialogen.dialogue.prose import reflow

    text = "Een zin die\ndoorloopt.\n\n- punt een\n- punt\n  twee\nRegel  \nNieuwe regel"
    assert reflow(text) == ("Een zin die doorloopt.\n\n- punt een\n- punt twee Regel\nNieuwe regel")


# ---------------------------------------------------------------- item 11: the real limit


@pytest.fixture
def answering(real_dialogue: Dialogue, registry: MunicipalityRegistry) -> Participant:
    p = Participant(real_dialogue, registry)
    onboard(p)
    return p


def test_a_message_too_long_names_the_limit_of_the_question_asked(answering: Participant) -> None:
    told = answering.says("woord " * 900)  # 5,400 characters; the question takes 1,500
    assert "Het maximum is 1.500 tekens" in told and "in delen" not in told
    assert answering.state.question_id == "beeld" and not answering.answers
    answer_up_to(answering, "waardering")  # a scale: no limit of its own
    told = answering.says("x" * 4500)
    assert "maximaal 4.000 tekens" in told and "in delen" not in told


# ---------------------------------------------------------------- item 12: chat rough edges


def test_empty_input_repeats_the_question(answering: Participant) -> None:
    told = answering.says("   ")
    assert "Ik heb geen tekst ontvangen" in told
    assert answering.prompt.input_id == "q:verkennen:beeld"


def test_a_misspelt_role_is_answered_with_the_closest_role(
    real_dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    p = Participant(real_dialogue, registry)
    p.send(Install())
    p.send("ja")
    assert "Bedoelt u 'Raadslid'?" in p.says("raadsld")
    assert "Bedoelt u 'Burgemeester'?" in p.says("burgemeestr")
    assert p.phase is Phase.ROLE
    assert "Bedoelt u" not in p.says("xyz") and p.phase is Phase.ROLE
    p.send("vier")  # number words count as the number: the 4th role
    assert p.profile.role == "gemeentesecretaris" and p.phase is Phase.MUNICIPALITY


def test_number_words_answer_scales_and_choices(answering: Participant) -> None:
    answer_up_to(answering, "waardering")
    answering.send("vier")
    assert answering.answers["verkennen"]["waardering"] == 4
    answering.send("een, drie en vijf")
    assert answering.answers["verkennen"]["themas"] == [
        "democratische-legitimiteit",
        "bestuurslaag",
        "afstand-inwoner",
    ]
    answering.send("de tweede")
    assert answering.answers["verkennen"]["obstakel"] == "verschillende-belangen"


def test_skipping_an_answered_optional_question_says_the_answer_stays(
    answering: Participant,
) -> None:
    answer_up_to(answering, "oplossing")  # obstakel-toelichting (optional) was answered
    answering.send("terug")
    assert answering.state.question_id == "obstakel-toelichting"
    told = answering.says("overslaan")
    assert "Uw antwoord blijft bewaard" in told and "overgeslagen" not in told
    assert answering.answers["verkennen"]["obstakel-toelichting"].startswith("Bij de GGD")
    assert answering.state.question_id == "oplossing"
    assert "verkennen:obstakel-toelichting" not in answering.state.skipped


# ---------------------------------------------------------------- item 13: hallo after a mail


def test_an_invitee_who_got_the_mail_and_says_hallo_in_teams_is_greeted(
    real_dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    invited = Participant(
        real_dialogue,
        registry,
        profile=Profile(role="griffier", municipality_code="0344"),
        state=ConversationState(phase=Phase.CONSENT, welcomed_by_mail=True),  # invited by mail
    )
    told = invited.says("Hallo!")
    assert "Welkom bij de verenigingsdialoog" in told and "Uw privacy" in told
    assert "niet begrepen" not in told
    assert invited.prompt.input_id == "consent" and invited.phase is Phase.CONSENT
    assert not invited.state.welcomed_by_mail  # welcomed here now: a second hello is not
    assert "Uw privacy" not in invited.says("hallo")
    assert "niet begrepen" in invited.says("misschien")  # other text: the yes/no hint as before


# ---------------------------------------------------------------- item 9: texts


def test_small_counts_read_under_five_and_a_reason_after_nothing_sent_is_its_own_sentence() -> None:
    from dialogen.facilitation import messages as fmsg

    # 1 to 4 people are never shown as a number (k = 5), so "1 deelnemers" cannot arise
    assert fmsg.recipients(1, 0) == "Dit bericht gaat naar < 5 deelnemers in Teams en 0 per e-mail."
    assert "naar 12 deelnemers in Teams en < 5 per e-mail" in fmsg.recipients(12, 1)
    assert "staat klaar voor < 5 deelnemers en" in fmsg.sent("step_prompt", "Verkennen", 1)
    assert "staat klaar voor 7 deelnemers en" in fmsg.sent("step_prompt", "Verkennen", 7)
    told = fmsg.nothing_to_send("Er is niemand die een herinnering nodig heeft.")
    assert told == "Er wordt niets verstuurd. Er is niemand die een herinnering nodig heeft."


def test_a_municipality_with_brackets_in_its_name_gets_no_second_pair(
    real_dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    p = Participant(real_dialogue, registry)
    p.send(Install())
    p.send("ja")
    p.send("griffier")
    told = p.says("Bergen")  # two municipalities: suggestions
    assert "(NH.) (" not in told and "(L.) (" not in told
    assert "Bergen (NH.), Noord-Holland" in told
    told = p.says("Bergen (NH.), Noord-Holland")
    assert "gemeente Bergen (NH.), Noord-Holland." in told


def test_no_question_of_the_shipped_dialogue_repeats_its_instruction(
    real_dialogue: Dialogue,
) -> None:
    from dialogen.conversation.step_answers import form_hint

    for step in real_dialogue.steps:
        for question in step.questions:
            line = f"{question.text} {form_hint(question)}"
            assert line.count("Kies") <= 1, line


# ---------------------------------------------------------------- item 12: "Iets anders"


def test_an_option_marked_other_asks_what_is_meant_and_stores_the_words(
    answering: Participant,
) -> None:
    answer_up_to(answering, "obstakel")
    told = answering.says("F")  # Iets anders
    assert "U koos 'Iets anders'. Wat bedoelt u daarmee?" in told
    assert answering.state.question_id == "obstakel"
    assert '"other_for": "obstakel"' in answering.persisted()
    answering.send("Wantrouwen tussen de gemeenten")
    given = answering.answers["verkennen"]
    assert given["obstakel"] == "anders"
    assert given["obstakel.anders"] == "Wantrouwen tussen de gemeenten"
    assert answering.state.question_id == "obstakel-toelichting"
    assert answering.state.other_for is None


def test_skipping_the_words_for_other_keeps_the_choice(answering: Participant) -> None:
    answer_up_to(answering, "obstakel")
    answering.send("Iets anders")
    assert "overgeslagen" in answering.says("overslaan")
    assert answering.answers["verkennen"]["obstakel"] == "anders"
    assert "obstakel.anders" not in answering.answers["verkennen"]
    assert answering.state.question_id == "obstakel-toelichting"


def test_an_ordinary_option_asks_nothing_more(answering: Participant) -> None:
    answer_up_to(answering, "obstakel")
    answering.send("B")
    assert answering.state.question_id == "obstakel-toelichting"
    assert answering.state.other_for is None


def test_by_mail_the_words_for_other_follow_the_letter(
    real_dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    from dialogen.conversation.step_answers import form_lines
    from tests.support.engine_person import Person

    obstakel = real_dialogue.step("verkennen").question("obstakel")  # type: ignore[union-attr]
    assert form_lines(obstakel)[-1] == (
        "F. Iets anders (zet dan achter de letter wat u bedoelt, bijvoorbeeld 'F: ...')"
    )
    person = Person(real_dialogue, registry)
    receipt = person.mail((4, "F: wantrouwen tussen gemeenten"), (2, "4"))
    assert not receipt.problems
    assert person.answers["verkennen"]["obstakel"] == "anders"
    assert person.answers["verkennen"]["obstakel.anders"] == "wantrouwen tussen gemeenten"
    person.mail((4, "F. Iets anders"))  # the line copied: the choice, no words
    assert person.answers["verkennen"]["obstakel.anders"] == "wantrouwen tussen gemeenten"
    receipt = person.mail((4, "B: ze willen niet"))  # not the 'other' option: as before
    assert receipt.problems
