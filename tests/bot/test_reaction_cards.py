"""The Teams side of Verrijken and moderation: a contribution to react to as an Adaptive Card
(quoted text, eens / oneens / pas, an optional addition, "Melden"), what its buttons send back,
and the moderation cards whose buttons send the facilitator's commands."""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity

from bot.teams.activities import to_activities, to_event
from bot.teams.cards import prompt_card, prompt_text
from dialogen.conversation.inputs import Submit, Text
from dialogen.conversation.replies import Choice, Prompt, PromptKind
from dialogen.door.events import InboundEvent
from dialogen.facilitation.moderation import MaskedPart, ModerationQueue, QueueItem
from tests.support import activities as act

URL = "http://127.0.0.1:1"
PROMPT = Prompt(
    input_id="q:verrijken:reacties",
    kind=PromptKind.REACTION,
    text="Bent u het eens met deze bijdrage?",
    choices=(Choice("eens", "Eens"), Choice("oneens", "Oneens"), Choice("pas", "Pas")),
    hint="Kies eens, oneens of pas.",
    progress="Reactie 3 van 10",
    quote="De raad moet meer grip krijgen op de regio.",
    item="c0ffee",
    note="Wilt u iets toevoegen? Dat is niet verplicht.",
    actions=(Choice("melden", "Melden"),),
)


def actions_of(card: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(card.get("actions", []))
    for block in card["body"]:
        found += block.get("actions", [])
    return found


def test_a_contribution_to_react_to_is_a_card_with_its_text_quoted():
    card = prompt_card(PROMPT)
    assert card["version"] == "1.5"
    quote = next(b for b in card["body"] if b["type"] == "Container")
    assert quote["items"][0]["text"] == PROMPT.quote and quote["style"] == "emphasis"
    field = next(b for b in card["body"] if b["type"] == "Input.Text")
    assert field["id"] == "aanvulling" and field["label"] == PROMPT.note
    buttons = {a["title"]: a for a in actions_of(card)}
    assert sorted(buttons) == ["Eens", "Melden", "Oneens", "Pas"]
    assert all(a["data"]["item"] == "c0ffee" for a in buttons.values())
    assert buttons["Melden"]["associatedInputs"] == "none"  # a report sends no addition
    assert (
        "De raad moet meer grip" in card["fallbackText"]
        and "Eens · Oneens · Pas" in card["fallbackText"]
    )


def test_the_text_version_quotes_the_contribution_first():
    text = prompt_text(PROMPT)
    assert text.index("> De raad moet") < text.index("**Bent u het eens")


def test_a_click_sends_the_vote_the_addition_and_which_contribution():
    data = {
        "dialoog": PROMPT.input_id,
        "value": "oneens",
        "item": "c0ffee",
        "aanvulling": "  omdat het te vrijblijvend is ",
    }
    event = to_event(Activity().deserialize(act.card_submit(URL, "anna", data)), {})
    assert isinstance(event, InboundEvent)
    assert event.message == Submit(
        PROMPT.input_id, "oneens: omdat het te vrijblijvend is", item="c0ffee"
    )


def test_moderation_cards_send_the_commands_a_facilitator_could_type():
    queue = ModerationQueue(
        (
            QueueItem(
                "1a2b3c4d",
                "Verkennen",
                "pending",
                "Bel [telefoonnummer].",
                (MaskedPart(1, "telefoonnummer", "06-12345678"),),
                0,
                None,
            ),
        ),
        total=1,
    )
    intro, card = (a.attachments[0].content for a in to_activities((queue,)))
    assert "1 bijdrage wacht op u." in intro["fallbackText"]
    assert [a["title"] for a in card["actions"]] == ["Goedkeuren", "Verbergen", "Afschermen"]
    cases = [
        ({"moderatie": "goedkeuren", "code": "1a2b3c4d"}, "goedkeuren 1a2b3c4d"),
        (
            {"moderatie": "verbergen", "code": "1a2b3c4d", "reden": "Persoonlijk"},
            "verbergen 1a2b3c4d Persoonlijk",
        ),
        (
            {"moderatie": "afschermen", "code": "1a2b3c4d", "afscherming": "Jan"},
            "maskeer 1a2b3c4d Jan",
        ),
        ({"moderatie": "afschermen", "code": "1a2b3c4d", "afscherming": "1"}, "toon 1a2b3c4d 1"),
    ]
    for data, typed in cases:
        event = to_event(Activity().deserialize(act.card_submit(URL, "fenna", data)), {})
        assert isinstance(event, InboundEvent) and event.message == Text(typed)
