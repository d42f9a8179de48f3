"""The Voorkeuren kinds end to end: the shipped dialogue's ranking (top 3 of the aandachtspunten)
and points (10 over the same) asked in a Teams chat — card, submit through the activity
translation, typed text — and by mail (the form listed, a reply with letters and numbers, the
receipt); every bad answer refused with a Dutch correction and nothing stored; a ``top`` question;
and a question whose options are the themes the door supplies (``Turn.options``), including a
theme merged away while a participant ranks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from botbuilder.schema import Activity

from bot.mail.inbound.reading import domain_input
from bot.mail.outbound.body import render_body
from bot.teams.activities import to_event
from bot.teams.cards import prompt_card, prompt_text
from dialogen.conversation import messages as msg
from dialogen.conversation.inputs import Input, Text
from dialogen.conversation.replies import Prompt, PromptKind, Receipt, Say
from dialogen.conversation.state import Decision
from dialogen.dialogue.definition import Dialogue, Option
from dialogen.dialogue.loader import default_dialogue_path, load_dialogue
from dialogen.door.events import InboundEvent
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from tests.support import activities as act
from tests.support.engine_person import AMS, Person

OCT_29 = datetime(2024, 10, 29, 10, 0, tzinfo=AMS)  # Voorkeuren is open (28 Oct – 10 Nov)
RANKING = "q:voorkeuren:volgorde"
POINTS = "q:voorkeuren:punten"
C_A_F = ["heldere-rollen", "raad-aan-zet", "kennis-delen"]
A5_C3_F2 = {
    "raad-aan-zet": 5,
    "minder-verbanden": 0,
    "heldere-rollen": 3,
    "rijk-afstemming": 0,
    "inwoner-betrekken": 0,
    "kennis-delen": 2,
}
URL = "http://127.0.0.1:1"


def prompts(replies: Sequence[object]) -> list[Prompt]:
    return [r for r in replies if isinstance(r, Prompt)]


def says(decision: Decision) -> list[str]:
    return [r.text for r in decision.replies if isinstance(r, Say)]


def started(dialogue: Dialogue, registry: MunicipalityRegistry) -> tuple[Person, Prompt]:
    """A participant who just opened Voorkeuren, and the ranking they are asked."""
    person = Person(dialogue, registry, now=OCT_29)
    (asked,) = prompts(person.send(Text("verder")).replies)
    assert asked.input_id == RANKING
    return person, asked


def at_voorkeuren(dialogue: Dialogue, registry: MunicipalityRegistry) -> Person:
    return started(dialogue, registry)[0]


def clicked(prompt: Prompt, **inputs: Any) -> Input:
    """What Teams sends when the card of ``prompt`` is filled in with ``inputs`` (by input id)
    and sent, read by the channel's translation."""
    card = prompt_card(prompt)
    ids = {e["id"] for e in card["body"] if "id" in e}
    assert set(inputs) <= ids, f"the card has no input {set(inputs) - ids}"
    data = dict(card["actions"][0]["data"]) | inputs
    event = to_event(Activity().deserialize(act.card_submit(URL, "anna", data)), {})
    assert isinstance(event, InboundEvent)
    return event.message


# ---------------------------------------------------------------- Teams: cards and their submits


def test_ranking_and_points_on_cards_in_teams(
    real_dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    person = Person(real_dialogue, registry, now=OCT_29)
    (ranking,) = prompts(person.send(Text("verder")).replies)
    assert ranking.kind is PromptKind.RANKING and ranking.max_picks == 3
    assert ranking.progress == "Vraag 1 van 2"
    assert ranking.hint == (
        "Kies er 3 en zet ze op volgorde: de belangrijkste eerst. Typ bijvoorbeeld 'C, A, F'."
    )
    submit = clicked(ranking, rang1="heldere-rollen", rang2="raad-aan-zet", rang3="kennis-delen")
    answered = person.send(submit)
    assert answered.event == "answer" and person.answers["voorkeuren"]["volgorde"] == C_A_F

    (points,) = prompts(answered.replies)
    assert points.input_id == POINTS and points.kind is PromptKind.POINTS and points.total == 10
    fields = {f"punten:{value}": "" for value in A5_C3_F2}
    submit = clicked(
        points,
        **fields
        | {"punten:raad-aan-zet": "5", "punten:heldere-rollen": "3"}
        | {"punten:kennis-delen": "2"},
    )
    finished = person.send(submit)
    assert finished.event == "step_complete:voorkeuren"
    assert person.answers["voorkeuren"]["punten"] == A5_C3_F2


@pytest.mark.parametrize(
    ("inputs", "said"),
    [
        (
            {"rang1": "heldere-rollen", "rang2": "heldere-rollen", "rang3": "kennis-delen"},
            "U koos 'Heldere rollen en verantwoordelijkheden' twee keer. "
            "Kies elk antwoord maar één keer.",
        ),
        (
            {"rang1": "heldere-rollen", "rang2": "", "rang3": "kennis-delen"},
            "De 2e keuze is leeg. Vul de keuzes op volgorde in, zonder een plaats over te slaan.",
        ),
        ({"rang1": "heldere-rollen", "rang2": "kennis-delen"}, "U koos er 2. Kies er 3."),
        ({"rang1": "gemeentefonds", "rang2": "a", "rang3": "b"}, msg.OPTION_GONE),
    ],
)
def test_a_ranking_card_with_a_mistake_is_refused_and_comes_back(
    real_dialogue: Dialogue, registry: MunicipalityRegistry, inputs: dict[str, str], said: str
) -> None:
    person, ranking = started(real_dialogue, registry)
    refused = person.send(clicked(ranking, **inputs))
    assert refused.event == "answer_rejected" and not refused.answers
    assert says(refused) == [said]
    assert [p.input_id for p in prompts(refused.replies)] == [RANKING]
    assert "voorkeuren" not in person.answers


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (
            {"raad-aan-zet": "5", "heldere-rollen": "4", "kennis-delen": "3"},
            "Samen zijn dat 12 punten. Het moeten er precies 10 zijn. Wilt u de punten aanpassen?",
        ),
        ({}, "U heeft nog geen punten verdeeld. Verdeel precies 10 punten."),
        ({"raad-aan-zet": "-2", "heldere-rollen": "12"}, msg.POINTS_NOT_WHOLE),
        ({"raad-aan-zet": "2.5", "heldere-rollen": "7.5"}, msg.POINTS_NOT_WHOLE),
    ],
)
def test_a_points_card_that_does_not_add_up_is_refused_with_the_total(
    real_dialogue: Dialogue, registry: MunicipalityRegistry, given: dict[str, str], said: str
) -> None:
    person = at_voorkeuren(real_dialogue, registry)
    (points,) = prompts(person.send(Text("C, A, F")).replies)
    fields = {f"punten:{value}": given.get(value, "") for value in A5_C3_F2}
    refused = person.send(clicked(points, **fields))
    assert refused.event == "answer_rejected" and not refused.answers
    assert says(refused) == [said]
    assert [p.input_id for p in prompts(refused.replies)] == [POINTS]
    assert "punten" not in person.answers["voorkeuren"]


# ---------------------------------------------------------------- Teams: typed answers


@pytest.mark.parametrize(
    "typed",
    [
        "C, A, F",
        "C A F",
        "c > a > f",
        "1. C 2. A 3. F",
        "1. C\n2. A\n3. F",
        "1e C, 2e A, 3e F",
        "1 C 2 A 3 F",
        "2. A 1. C 3. F",
        "Mijn volgorde: 1. C 2. A 3. F",
        "3, 1, 6",
        "Heldere rollen en verantwoordelijkheden, De raad meer grip geven op regionale besluiten, "
        "Kennis en goede voorbeelden delen tussen regio's",
        "heldere rollen; de raad; kennis",
    ],
)
def test_a_typed_ranking_is_read_in_its_everyday_forms(
    real_dialogue: Dialogue, registry: MunicipalityRegistry, typed: str
) -> None:
    person = at_voorkeuren(real_dialogue, registry)
    answered = person.send(Text(typed))
    assert answered.event == "answer", says(answered)
    assert person.answers["voorkeuren"]["volgorde"] == C_A_F


@pytest.mark.parametrize(
    "typed",
    [
        "A 5, C 3, F 2",
        "A=5 C=3 F=2",
        "A: 5; C: 3; F: 2",
        "a5 c3 f2",
        "5 A, 3 C, 2 F",
        "5 punten voor A, 3 punten voor C, 2 punten voor F",
        "A 5\nC 3\nF 2\nB 0",
        "De raad meer grip geven op regionale besluiten 5, Heldere rollen: 3, kennis 2 punten",
    ],
)
def test_typed_points_are_read_in_their_everyday_forms(
    real_dialogue: Dialogue, registry: MunicipalityRegistry, typed: str
) -> None:
    person = at_voorkeuren(real_dialogue, registry)
    person.send(Text("C, A, F"))
    answered = person.send(Text(typed))
    assert answered.event == "step_complete:voorkeuren", says(answered)
    assert person.answers["voorkeuren"]["punten"] == A5_C3_F2


CHOOSE_AGAIN = msg.choice_not_understood(6, multiple=True)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("C, A", "U koos er 2. Kies er 3."),
        ("C, A, F, B", "U koos er 4. Kies er 3."),
        (
            "C, A, C",
            "U koos 'Heldere rollen en verantwoordelijkheden' twee keer. "
            "Kies elk antwoord maar één keer.",
        ),
        ("C, A, Z", "'Z' staat niet in de lijst. Kies uit de lijst hieronder."),
        (
            "C, A, gemeentefonds",
            "'gemeentefonds' staat niet in de lijst. Kies uit de lijst hieronder.",
        ),
        ("1. C 3. A 4. F", msg.place_empty(2)),
        ("1. C 1. A 2. F", "U gaf de 1e plaats twee keer. Geef elke plaats één keuze."),
        ("ik weet het niet", msg.ranking_not_understood("C, A, F")),
        ("A, D 3", msg.ranking_not_understood("C, A, F")),  # option 3, or 3 points for D?
        ("F 1. D 2. C 3. E", msg.ranking_not_understood("C, A, F")),  # F first, or D?
    ],
)
def test_a_bad_typed_ranking_gets_a_dutch_correction_and_stores_nothing(
    real_dialogue: Dialogue, registry: MunicipalityRegistry, typed: str, said: str
) -> None:
    person = at_voorkeuren(real_dialogue, registry)
    refused = person.send(Text(typed))
    assert refused.event == "answer_rejected" and not refused.answers
    assert says(refused) == [said]
    assert [p.input_id for p in prompts(refused.replies)] == [RANKING]
    assert "voorkeuren" not in person.answers


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("A 5, C 3, F 3", msg.points_total_wrong(11, 10)),
        (
            "A 5, C 3",
            "Samen zijn dat 8 punten. Het moeten er precies 10 zijn. Wilt u de punten aanpassen?",
        ),
        ("A 10, C 1", msg.points_total_wrong(11, 10)),
        (
            "A 5, A 3, F 2",
            "U gaf 'De raad meer grip geven op regionale besluiten' twee keer punten. "
            "Noem elke keuze één keer.",
        ),
        ("A 5, Z 5", "'Z' staat niet in de lijst. Kies uit de lijst hieronder."),
        ("A -2, C 12", msg.POINTS_NOT_WHOLE),
        ("A 2.5, C 7.5", msg.POINTS_NOT_WHOLE),
        ("veel voor A", msg.points_not_understood("A 5, C 3, F 2")),
    ],
)
def test_bad_typed_points_get_a_dutch_correction_and_store_nothing(
    real_dialogue: Dialogue, registry: MunicipalityRegistry, typed: str, said: str
) -> None:
    person = at_voorkeuren(real_dialogue, registry)
    person.send(Text("C, A, F"))
    refused = person.send(Text(typed))
    assert refused.event == "answer_rejected" and not refused.answers
    assert says(refused) == [said]
    assert [p.input_id for p in prompts(refused.replies)] == [POINTS]
    assert "punten" not in person.answers["voorkeuren"]


def test_answers_read_back_and_shown_again_when_going_back(
    real_dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    person = at_voorkeuren(real_dialogue, registry)
    person.send(Text("C, A, F"))
    person.send(Text("A 5, C 3, F 2"))
    (mine,) = says(person.send(Text("mijn antwoorden")))
    assert (
        "→ 1. Heldere rollen en verantwoordelijkheden; 2. De raad meer grip geven op regionale "
        "besluiten; 3. Kennis en goede voorbeelden delen tussen regio's" in mine
    )
    assert (
        "→ De raad meer grip geven op regionale besluiten: 5 punten; Heldere rollen en "
        "verantwoordelijkheden: 3 punten; Kennis en goede voorbeelden delen tussen regio's: "
        "2 punten" in mine
    )
    (again,) = prompts(person.send(Text("terug")).replies)
    assert again.input_id == POINTS and again.current is not None
    assert again.current.startswith("De raad meer grip geven op regionale besluiten: 5 punten")
    assert f"Uw eerdere antwoord: {again.current}" in prompt_text(again)


# ---------------------------------------------------------------- mail: the form and a reply


def mail_reply(person: Person, dialogue: Dialogue, text: str) -> Receipt:
    step = dialogue.step("voorkeuren")
    answers = domain_input(step, text)
    assert answers is not None
    (receipt,) = [r for r in person.send(answers).replies if isinstance(r, Receipt)]
    return receipt


def test_the_mail_form_lists_the_options_with_letters_and_says_how_to_answer(
    real_dialogue: Dialogue,
) -> None:
    body = render_body(
        [], dialogue=real_dialogue, form_step="voorkeuren", signature="Team", unsubscribe_url=None
    )
    letters = (
        "   A. De raad meer grip geven op regionale besluiten\n"
        "   B. Minder en overzichtelijkere samenwerkingsverbanden\n"
        "   C. Heldere rollen en verantwoordelijkheden\n"
        "   D. Betere afstemming met het Rijk over regio-indelingen\n"
        "   E. Inwoners beter betrekken bij regionale keuzes\n"
        "   F. Kennis en goede voorbeelden delen tussen regio's"
    )
    assert (
        "het belangrijkste eerst. Schrijf 3 letters op één regel, de belangrijkste eerst, "
        f"bijvoorbeeld 'C, A, F'.\n{letters}\n\n2. " in body.text
    )
    assert (
        "Schrijf per letter het aantal punten, samen precies 10, bijvoorbeeld 'A 5, C 3, F 2'."
        f"\n{letters}\n\n" in body.text
    )


@pytest.mark.parametrize(
    "reply",
    [
        "1. C  2. A  3. F\n2. A 5, C 3, F 2",  # the ranking's "1." is also the question's
        "1. C, A, F\n\n2. A=5 C=3 F=2",
        "Goedemorgen,\n\n1. C A F\n2. 5 A, 3 C, 2 F",  # the closing is cut before (extract.py)
        "1. C. Heldere rollen en verantwoordelijkheden\nA. De raad meer grip geven op regionale "
        "besluiten\nF. Kennis en goede voorbeelden delen tussen regio's\n2. A 5, C 3, F 2",
    ],
)
def test_a_mail_reply_with_letters_and_numbers_answers_both(
    real_dialogue: Dialogue, registry: MunicipalityRegistry, reply: str
) -> None:
    person = Person(real_dialogue, registry, now=OCT_29)
    receipt = mail_reply(person, real_dialogue, reply)
    assert receipt.problems == () and receipt.complete
    assert person.answers["voorkeuren"] == {"volgorde": C_A_F, "punten": A5_C3_F2}
    shown = {number: value for number, _, value in receipt.recorded}
    assert shown[1] == (
        "1e keuze: C. Heldere rollen en verantwoordelijkheden; 2e keuze: A. De raad meer grip "
        "geven op regionale besluiten; 3e keuze: F. Kennis en goede voorbeelden delen tussen "
        "regio's"
    )
    assert shown[2] == (
        "A. De raad meer grip geven op regionale besluiten: 5 punten; C. Heldere rollen en "
        "verantwoordelijkheden: 3 punten; F. Kennis en goede voorbeelden delen tussen regio's: "
        "2 punten"
    )
    body = render_body([receipt], dialogue=real_dialogue, signature="Team", unsubscribe_url=None)
    assert "→ 1e keuze: C. Heldere rollen" in body.text


def test_a_mail_reply_with_mistakes_says_what_is_wrong_and_stores_neither(
    real_dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    person = Person(real_dialogue, registry, now=OCT_29)
    receipt = mail_reply(person, real_dialogue, "1. C, A, C\n2. A 5, C 3, F 3")
    assert receipt.recorded == () and receipt.open_numbers == (1, 2)
    assert receipt.problems == (
        (1, msg.chosen_twice("Heldere rollen en verantwoordelijkheden")),
        (2, msg.points_total_wrong(11, 10)),
    )
    assert "voorkeuren" not in person.answers
    body = render_body([receipt], dialogue=real_dialogue, signature="Team", unsubscribe_url=None)
    assert "Samen zijn dat 11 punten" in body.text and "   F. Kennis en goede" in body.text

    receipt = mail_reply(person, real_dialogue, "1. weet ik niet\n2. A 5, C 3, F 2")
    assert receipt.problems == (
        (1, "Schrijf 3 letters op één regel, de belangrijkste eerst, bijvoorbeeld 'C, A, F'."),
    )
    assert person.answers["voorkeuren"] == {"punten": A5_C3_F2}  # the good answer is kept


# ---------------------------------------------------------------- a top question


def with_questions(tmp_path: Path, *questions: dict[str, Any]) -> Dialogue:
    """The shipped dialogue with ``questions`` added to Voorkeuren (``steps[4]``)."""
    data = yaml.safe_load(default_dialogue_path().read_text(encoding="utf-8"))
    data["steps"][4]["questions"] += list(questions)
    path = tmp_path / "dialoog.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_dialogue(path)


TOP = {
    "id": "drie",
    "kind": "top",
    "text": "Welke aandachtspunten steunt u? Kies er hoogstens drie.",
    "top": 3,
    "options": [
        {"value": "raad", "label": "De raad meer grip"},
        {"value": "rollen", "label": "Heldere rollen"},
        {"value": "kennis", "label": "Kennis delen"},
        {"value": "inwoners", "label": "Inwoners betrekken"},
    ],
}


def test_a_top_question_is_a_multiple_choice_of_at_most_n(
    tmp_path: Path, registry: MunicipalityRegistry
) -> None:
    dialogue = with_questions(tmp_path, TOP)
    person = at_voorkeuren(dialogue, registry)
    person.send(Text("C, A, F"))
    (top,) = prompts(person.send(Text("A 5, C 3, F 2")).replies)
    assert top.kind is PromptKind.MULTIPLE and top.max_picks == 3
    assert top.hint == "Kies er hoogstens 3. U kunt ook de nummers typen, bijvoorbeeld '1, 3'."
    refused = person.send(Text("1, 2, 3, 4"))
    assert says(refused) == ["U koos er 4. Kies er hoogstens 3."] and not refused.answers
    refused = person.send(clicked(top, keuze="raad,gemeentefonds"))
    assert says(refused) == [msg.OPTION_GONE] and not refused.answers
    person.send(clicked(top, keuze="kennis,raad"))
    assert person.answers["voorkeuren"]["drie"] == ["raad", "kennis"]  # in the list's order

    other = Person(dialogue, registry, now=OCT_29)
    receipt = mail_reply(other, dialogue, "3. D, B")
    assert receipt.recorded == ((3, TOP["text"], "B. Heldere rollen; D. Inwoners betrekken"),)
    assert other.answers["voorkeuren"] == {"drie": ["rollen", "inwoners"]}


# ---------------------------------------------------------------- options from the themes


THEMES_RANKING = {
    "id": "themas",
    "kind": "ranking",
    "text": "Zet de thema's op volgorde.",
    "top": 3,
    "options_from": "themes",
}
THEMES = (
    Option(value="t1", label="Grip van de raad"),
    Option(value="t2", label="Te veel verbanden"),
    Option(value="t3", label="Capaciteit"),
    Option(value="t4", label="Inwoners"),
    Option(value="t5", label="Rijk en regio"),
)


def at_themes(tmp_path: Path, registry: MunicipalityRegistry) -> tuple[Dialogue, Person]:
    dialogue = with_questions(tmp_path, THEMES_RANKING)
    person = at_voorkeuren(dialogue, registry)
    person.send(Text("C, A, F"))
    person.send(Text("A 5, C 3, F 2"))
    return dialogue, person


def test_the_themes_the_door_supplies_are_the_options(
    tmp_path: Path, registry: MunicipalityRegistry
) -> None:
    dialogue, person = at_themes(tmp_path, registry)
    person.options = {("voorkeuren", "themas"): THEMES}
    (asked,) = prompts(person.send(Text("verder")).replies)
    assert asked.input_id == "q:voorkeuren:themas"
    assert [c.label for c in asked.choices] == [t.label for t in THEMES]
    assert "E. Rijk en regio" in prompt_text(asked)
    person.send(Text("B, A, E"))
    assert person.answers["voorkeuren"]["themas"] == ["t2", "t1", "t5"]
    (mine,) = says(person.send(Text("mijn antwoorden")))
    assert "→ 1. Te veel verbanden; 2. Grip van de raad; 3. Rijk en regio" in mine


def test_a_theme_merged_away_while_ranking_refuses_the_old_card_with_the_current_list(
    tmp_path: Path, registry: MunicipalityRegistry
) -> None:
    dialogue, person = at_themes(tmp_path, registry)
    person.options = {("voorkeuren", "themas"): THEMES}
    (old,) = prompts(person.send(Text("verder")).replies)
    merged = (Option(value="t1", label="Grip van de raad en minder verbanden"), *THEMES[2:])
    person.options = {("voorkeuren", "themas"): merged}  # t2 merged into t1
    refused = person.send(clicked(old, rang1="t2", rang2="t1", rang3="t5"))
    assert refused.event == "answer_rejected" and not refused.answers
    assert says(refused) == [msg.OPTION_GONE]
    (current,) = prompts(refused.replies)
    assert [c.value for c in current.choices] == ["t1", "t3", "t4", "t5"]
    person.send(clicked(current, rang1="t1", rang2="t5", rang3="t3"))
    assert person.answers["voorkeuren"]["themas"] == ["t1", "t5", "t3"]


def test_fewer_themes_than_places_ask_for_all_of_them_and_none_yet_is_said_plainly(
    tmp_path: Path, registry: MunicipalityRegistry
) -> None:
    dialogue, person = at_themes(tmp_path, registry)
    (waiting,) = prompts(person.send(Text("verder")).replies)  # the door supplied no themes
    assert waiting.choices == () and waiting.hint == msg.OPTIONS_NOT_READY
    refused = person.send(Text("A, B"))
    assert says(refused) == [msg.OPTIONS_NOT_READY] and not refused.answers

    person.options = {("voorkeuren", "themas"): THEMES[:2]}
    (asked,) = prompts(person.send(Text("verder")).replies)
    assert asked.max_picks == 2 and prompt_card(asked)["body"][-1]["id"] == "rang2"
    person.send(Text("B, A"))
    assert person.answers["voorkeuren"]["themas"] == ["t2", "t1"]
