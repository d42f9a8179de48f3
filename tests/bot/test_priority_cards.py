"""The Voorkeuren cards within Adaptive Cards 1.5 (no drag and drop): a ranking as one compact
choice set per place, points as a number field per option with the rule stated (a 1.5 card cannot
add up); both with a lettered text fallback, and what their submits become. Pure: no adapter."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botbuilder.schema import Activity

from bot.teams import messages as teams_msg
from bot.teams.activities import Ignored, to_activities, to_event
from bot.teams.cards import CARD_VERSION, SUBMIT_MARKER, prompt_card, prompt_text
from dialogen.conversation.inputs import Submit
from dialogen.conversation.replies import Choice, Prompt, PromptKind
from dialogen.door.events import InboundEvent
from tests.support import activities as act

URL = "http://127.0.0.1:1"
CHOICES = (
    Choice("raad", "De raad meer grip"),
    Choice("rollen", "Heldere rollen"),
    Choice("kennis", "Kennis delen"),
    Choice("inwoners", "Inwoners betrekken"),
)
RANKING = Prompt(
    input_id="q:voorkeuren:volgorde",
    kind=PromptKind.RANKING,
    text="Welke drie eerst?",
    choices=CHOICES,
    max_picks=3,
    hint="Kies er 3 en zet ze op volgorde.",
    progress="Vraag 1 van 2",
)
POINTS = Prompt(
    input_id="q:voorkeuren:punten",
    kind=PromptKind.POINTS,
    text="Verdeel 10 punten.",
    choices=CHOICES,
    max_picks=4,
    hint="Samen precies 10.",
    progress="Vraag 2 van 2",
    current="De raad meer grip: 10 punten",
    total=10,
)
ELEMENTS_UP_TO_1_5 = {"TextBlock", "Input.ChoiceSet", "Input.Number", "ActionSet", "Container"}


def inputs(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in card["body"] if e["type"].startswith("Input.")]


@pytest.mark.parametrize("prompt", [RANKING, POINTS], ids=["ranking", "points"])
def test_the_cards_are_1_5_with_one_send_and_a_text_fallback(prompt: Prompt) -> None:
    card = prompt_card(prompt)
    assert card["type"] == "AdaptiveCard" and card["version"] == CARD_VERSION == "1.5"
    assert {e["type"] for e in card["body"]} <= ELEMENTS_UP_TO_1_5
    assert card["actions"] == [
        {
            "type": "Action.Submit",
            "title": teams_msg.SEND,
            "data": {SUBMIT_MARKER: prompt.input_id},
        }
    ]
    assert card["fallbackText"] == prompt_text(prompt)
    assert all(i.get("label") for i in inputs(card))  # every field says what it is for
    texts = [e["text"] for e in card["body"] if e["type"] == "TextBlock"]
    assert texts[:2] == [prompt.progress, prompt.text] and prompt.hint in texts
    json.dumps(card)


def test_a_ranking_is_a_compact_choice_set_per_place_with_lettered_options() -> None:
    card = prompt_card(RANKING)
    fields = inputs(card)
    assert [(f["type"], f["id"], f["label"]) for f in fields] == [
        ("Input.ChoiceSet", "rang1", "1e keuze"),
        ("Input.ChoiceSet", "rang2", "2e keuze"),
        ("Input.ChoiceSet", "rang3", "3e keuze"),
    ]
    for field in fields:
        assert field["style"] == "compact" and field["isMultiSelect"] is False
        assert field["placeholder"] == teams_msg.CHOOSE_PLACEHOLDER
        assert field["choices"] == [
            {"title": "A. De raad meer grip", "value": "raad"},
            {"title": "B. Heldere rollen", "value": "rollen"},
            {"title": "C. Kennis delen", "value": "kennis"},
            {"title": "D. Inwoners betrekken", "value": "inwoners"},
        ]


def test_points_are_a_number_field_per_option_under_the_stated_rule() -> None:
    card = prompt_card(POINTS)
    assert [(f["type"], f["id"], f["label"], f["min"], f["max"]) for f in inputs(card)] == [
        ("Input.Number", "punten:raad", "A. De raad meer grip", 0, 10),
        ("Input.Number", "punten:rollen", "B. Heldere rollen", 0, 10),
        ("Input.Number", "punten:kennis", "C. Kennis delen", 0, 10),
        ("Input.Number", "punten:inwoners", "D. Inwoners betrekken", 0, 10),
    ]
    texts = [e["text"] for e in card["body"] if e["type"] == "TextBlock"]
    assert teams_msg.points_rule(10) in texts
    assert teams_msg.points_rule(10).startswith("Samen precies 10 punten.")
    assert f"{teams_msg.EARLIER_ANSWER}: De raad meer grip: 10 punten" in texts


@pytest.mark.parametrize("prompt", [RANKING, POINTS], ids=["ranking", "points"])
def test_the_text_fallback_letters_the_options_so_they_can_be_typed(prompt: Prompt) -> None:
    parts = prompt_text(prompt).split("\n\n")
    assert parts[1] == f"**{prompt.text}**"
    assert "A. De raad meer grip" in parts and "D. Inwoners betrekken" in parts
    assert parts[-1] == prompt.hint


def test_both_go_out_as_card_attachments() -> None:
    activities = to_activities((RANKING, POINTS))
    assert [a.attachments[0].content["version"] for a in activities] == ["1.5", "1.5"]
    assert [a.summary for a in activities] == [RANKING.text, POINTS.text]


# ---------------------------------------------------------------- what their submits become


def submitted(data: dict[str, Any]) -> Submit | Ignored:
    event = to_event(Activity().deserialize(act.card_submit(URL, "anna", data)), {})
    if isinstance(event, InboundEvent):
        assert isinstance(event.message, Submit)
        return event.message
    assert isinstance(event, Ignored)
    return event


@pytest.mark.parametrize(
    ("fields", "value"),
    [
        ({"rang1": "kennis", "rang2": "raad", "rang3": "rollen"}, ["kennis", "raad", "rollen"]),
        ({"rang3": "rollen", "rang1": "kennis", "rang2": "raad"}, ["kennis", "raad", "rollen"]),
        ({"rang1": "kennis", "rang2": "", "rang3": "rollen"}, ["kennis", "", "rollen"]),
        ({"rang1": "kennis", "rang3": "rollen"}, ["kennis", "", "rollen"]),  # a field left out
        ({"rang1": "kennis", "rang2": "raad", "rang3": ""}, ["kennis", "raad"]),
    ],
)
def test_a_ranking_card_sends_its_places_in_order(fields: dict[str, str], value: list[str]):
    assert submitted({SUBMIT_MARKER: RANKING.input_id} | fields) == Submit(RANKING.input_id, value)


def test_a_ranking_card_sent_empty_asks_to_choose() -> None:
    empty = {SUBMIT_MARKER: RANKING.input_id, "rang1": "", "rang2": "", "rang3": ""}
    assert submitted(empty) == Ignored("card submit without a value", teams_msg.CARD_WITHOUT_CHOICE)


def test_a_points_card_sends_every_field_as_option_and_amount() -> None:
    data = {
        SUBMIT_MARKER: POINTS.input_id,
        "punten:raad": "5",
        "punten:rollen": 3,
        "punten:kennis": "",
        "punten:inwoners": None,
    }
    assert submitted(data) == Submit(
        POINTS.input_id, ["raad=5", "rollen=3", "kennis=", "inwoners="]
    )
