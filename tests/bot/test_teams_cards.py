"""Adaptive Cards for prompts: what Teams can render (schema ≤ 1.5), always with a text fallback,
buttons for a few single choices and a choice set otherwise. Pure: no adapter, no database."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.teams import messages as teams_msg
from bot.teams.cards import CARD_VERSION, MAX_BUTTONS, SUBMIT_MARKER, prompt_card, prompt_text
from dialogen.conversation.engine import question_prompt
from dialogen.conversation.replies import Choice, Prompt, PromptKind
from dialogen.dialogue.definition import Dialogue

# Element and action types of Adaptive Cards up to 1.5 that these cards may use.
ALLOWED_ELEMENTS = {
    "TextBlock",
    "Input.ChoiceSet",
    "ActionSet",
    "Container",
    "ColumnSet",
    "Column",
    "FactSet",
}
ALLOWED_ACTIONS = {"Action.Submit", "Action.OpenUrl", "Action.ShowCard", "Action.ToggleVisibility"}


def choices(count: int) -> tuple[Choice, ...]:
    return tuple(Choice(f"c{n}", f"Keuze {n}") for n in range(1, count + 1))


def prompt(kind: PromptKind, count: int = 3, **extra: Any) -> Prompt:
    return Prompt(
        input_id="q:verkennen:test", kind=kind, text="Wat vindt u?", choices=choices(count), **extra
    )


def elements(card: dict[str, Any]) -> list[dict[str, Any]]:
    return list(card["body"])


def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(card.get("actions", []))
    for element in card["body"]:
        if element.get("type") == "ActionSet":
            found += element["actions"]
    return found


def version(card: dict[str, Any]) -> tuple[int, ...]:
    return tuple(int(part) for part in card["version"].split("."))


# ---------------------------------------------------------------- every card


CARD_KINDS = [
    (PromptKind.SINGLE, 2),
    (PromptKind.SINGLE, MAX_BUTTONS),
    (PromptKind.SINGLE, MAX_BUTTONS + 1),
    (PromptKind.MULTIPLE, 2),
    (PromptKind.MULTIPLE, 8),
    (PromptKind.SCALE, 5),
    (PromptKind.SCALE, 10),
]


@pytest.mark.parametrize("kind, count", CARD_KINDS)
def test_every_card_is_one_teams_renders_and_has_a_text_fallback(kind: PromptKind, count: int):
    card = prompt_card(
        prompt(kind, count, hint="Kies.", progress="Vraag 2 van 7", current="Keuze 1")
    )
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == CARD_VERSION and version(card) <= (1, 5)
    assert {e["type"] for e in elements(card)} <= ALLOWED_ELEMENTS
    assert {a["type"] for a in actions(card)} <= ALLOWED_ACTIONS
    assert card["fallbackText"] == prompt_text(
        prompt(kind, count, hint="Kies.", progress="Vraag 2 van 7", current="Keuze 1")
    )
    assert "Wat vindt u?" in card["fallbackText"]
    assert all(a["data"][SUBMIT_MARKER] == "q:verkennen:test" for a in actions(card))
    json.dumps(card)  # goes over the wire as JSON


def test_a_few_single_choices_are_buttons_that_carry_their_value():
    card = prompt_card(prompt(PromptKind.SINGLE, 3))
    assert [a["title"] for a in card["actions"]] == ["Keuze 1", "Keuze 2", "Keuze 3"]
    assert [a["data"] for a in card["actions"]] == [
        {SUBMIT_MARKER: "q:verkennen:test", "value": f"c{n}"} for n in (1, 2, 3)
    ]
    assert not any(e["type"] == "Input.ChoiceSet" for e in elements(card))


def test_many_single_choices_are_a_choice_set_with_one_send_button():
    card = prompt_card(prompt(PromptKind.SINGLE, MAX_BUTTONS + 1))
    (choice_set,) = [e for e in elements(card) if e["type"] == "Input.ChoiceSet"]
    assert choice_set["id"] == "keuze" and choice_set["isMultiSelect"] is False
    assert [c["value"] for c in choice_set["choices"]] == [
        f"c{n}" for n in range(1, MAX_BUTTONS + 2)
    ]
    assert card["actions"] == [
        {
            "type": "Action.Submit",
            "title": teams_msg.SEND,
            "data": {SUBMIT_MARKER: "q:verkennen:test", "multi": False},
        }
    ]


def test_multiple_choice_is_always_a_multi_select_choice_set():
    card = prompt_card(prompt(PromptKind.MULTIPLE, 2))
    (choice_set,) = [e for e in elements(card) if e["type"] == "Input.ChoiceSet"]
    assert choice_set["isMultiSelect"] is True and choice_set["style"] == "expanded"
    assert card["actions"][0]["data"] == {SUBMIT_MARKER: "q:verkennen:test", "multi": True}


def test_a_scale_is_a_row_of_buttons_inside_the_body():
    card = prompt_card(
        Prompt(
            "q:verkennen:waardering",
            PromptKind.SCALE,
            "Hoe tevreden?",
            tuple(Choice(str(n), str(n)) for n in range(1, 6)),
            hint="1 = slecht, 5 = goed",
        )
    )
    assert "actions" not in card
    (row,) = [e for e in elements(card) if e["type"] == "ActionSet"]
    assert [a["data"]["value"] for a in row["actions"]] == ["1", "2", "3", "4", "5"]
    assert (
        "1. 1" not in card["fallbackText"]
    )  # a scale's fallback gives the range in the hint, not a list
    assert "1 = slecht, 5 = goed" in card["fallbackText"]


def test_progress_earlier_answer_and_hint_are_shown():
    card = prompt_card(
        prompt(PromptKind.SINGLE, 2, hint="Kies één.", progress="Vraag 4 van 7", current="Keuze 2")
    )
    shown = [e["text"] for e in elements(card) if e["type"] == "TextBlock"]
    assert shown == [
        "Vraag 4 van 7",
        "Wat vindt u?",
        f"{teams_msg.EARLIER_ANSWER}: Keuze 2",
        "Kies één.",
    ]


def test_the_text_fallback_numbers_the_choices_so_they_can_be_typed():
    text = prompt_text(prompt(PromptKind.SINGLE, 3, hint="Typ het nummer."))
    assert text.split("\n\n") == [
        "**Wat vindt u?**",
        "1. Keuze 1",
        "2. Keuze 2",
        "3. Keuze 3",
        "Typ het nummer.",
    ]


# ---------------------------------------------------------------- the shipped dialogue


def test_every_question_of_the_shipped_dialogue_renders_within_the_limits(real_dialogue: Dialogue):
    for step in real_dialogue.steps:
        for question in step.questions:
            rendered = question_prompt(step, question)
            if rendered.kind is PromptKind.OPEN:
                assert question.text in prompt_text(rendered)
                continue
            card = prompt_card(rendered)
            assert version(card) <= (1, 5)
            assert question.text in card["fallbackText"]
            if rendered.kind is not PromptKind.SCALE:
                for option in question.options:
                    assert option.label in card["fallbackText"]
            assert all(
                a["data"][SUBMIT_MARKER] == f"q:{step.key}:{question.id}" for a in actions(card)
            )
            assert len(json.dumps(card).encode()) < 28 * 1024  # Teams' message size limit is ~28 KB
