"""The facilitator's themes card (Adaptive Cards 1.5) and what its buttons become: the same typed
commands, so rights, audit and refusals are those of ``thema ...``. Also end to end: a click on
the card goes through the activity translation and the door, for a facilitator and for someone
who is not one; and the priorities card."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from botbuilder.schema import Activity

from bot.runtime import Runtime
from bot.teams.activities import to_activities, to_event
from bot.teams.cards import CARD_VERSION
from bot.teams.theme_cards import THEME_MARKER, priorities_card, theme_command, themes_card
from dialogen.analysis.themes import Theme, ThemeSet
from dialogen.conversation.inputs import Text
from dialogen.door.events import InboundEvent
from dialogen.facilitation import messages as fmsg
from dialogen.facilitation.theme_decisions import curate
from dialogen.facilitation.themes import ThemeView
from dialogen.store.database import Database
from tests.conftest import make_runtime, test_settings
from tests.dialogen.test_theme_curation import add_contributions
from tests.support import activities as act
from tests.support.clock import FakeClock

URL = "http://127.0.0.1:1"
ELEMENTS_UP_TO_1_5 = {"TextBlock", "Input.ChoiceSet", "Input.Text", "ActionSet", "Container"}
VIEW = ThemeView(
    curate(
        ThemeSet(
            themes=(
                Theme("raad", ("raad",), "raad, grip", ("a1", "a2"), ("a1",), 0.5),
                Theme("zorg", ("zorg",), "zorg, jeugd", ("b1", "b2"), ("b1",), 0.5),
            ),
            overig=("x1",),
        ),
        (),
    ),
    {"a1": "De raad heeft te weinig grip.", "b1": "Jeugdzorg kost te veel."},
    None,
)


def elements(card: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for element in card["body"]:
        found.append(element)
        for action in element.get("actions", ()):
            if action["type"] == "Action.ShowCard":
                found += elements(action["card"])
    return found


def test_the_themes_card_is_1_5_lists_each_theme_and_has_a_text_fallback() -> None:
    card = themes_card(VIEW)
    assert card["version"] == CARD_VERSION == "1.5"
    assert {e["type"] for e in elements(card)} <= ELEMENTS_UP_TO_1_5
    texts = [e["text"] for e in elements(card) if e["type"] == "TextBlock"]
    # Two contributions are at most two people: every size under 5 reads "< 5".
    assert "1. raad, grip (< 5 bijdragen)" in texts
    assert "[a1] De raad heeft te weinig grip." in texts
    assert "Overig: < 5" in texts
    assert "2. zorg, jeugd (< 5 bijdragen)" in card["fallbackText"]
    assert len(json.dumps(card)) < 28_000  # Teams' message size limit


@pytest.mark.parametrize(
    ("data", "typed"),
    [
        (
            {THEME_MARKER: "hernoem", "nummer": 2, "thema_naam_2": "  Zorg dichtbij "},
            "thema hernoem 2 Zorg dichtbij",
        ),
        ({THEME_MARKER: "voeg", "nummer": 2, "thema_doel_2": "1"}, "thema voeg 2 bij 1"),
        ({THEME_MARKER: "schrap", "nummer": "1"}, "thema schrap 1"),
        ({THEME_MARKER: "bereken"}, "thema's bereken"),
        ({THEME_MARKER: "publiceer"}, "thema's publiceer"),
        ({THEME_MARKER: "hernoem", "nummer": 2, "thema_naam_2": " "}, "thema's help"),
        ({THEME_MARKER: "voeg", "nummer": 2}, "thema's help"),
        ({THEME_MARKER: "onbekend", "nummer": 2}, None),
        ({THEME_MARKER: "schrap", "nummer": "x"}, None),
    ],
)
def test_each_button_becomes_the_command_a_facilitator_could_type(
    data: dict[str, Any], typed: str | None
) -> None:
    assert theme_command(data) == typed


def test_every_button_on_the_card_sends_data_the_translation_understands() -> None:
    card = themes_card(VIEW)
    submits = [
        a["data"]
        for e in elements(card)
        for a in e.get("actions", ())
        if a["type"] == "Action.Submit"
    ]
    for sub in (a["card"] for e in card["body"] for a in e.get("actions", ()) if "card" in a):
        submits += [a["data"] for a in sub["actions"]]
    assert {d[THEME_MARKER] for d in submits} == {
        "hernoem",
        "voeg",
        "schrap",
        "bereken",
        "publiceer",
    }
    assert all(theme_command(d | {"thema_doel_1": "2", "thema_doel_2": "1"}) for d in submits)


# ---------------------------------------------------------------- through the door


@pytest.fixture
def runtime(
    tmp_path: Path, database: Database, real_dialogue, registry, clock: FakeClock
) -> Runtime:
    fenna = str(uuid.uuid5(uuid.NAMESPACE_URL, "aad:fenna"))
    settings = test_settings(tmp_path, facilitators=fenna, database_url=str(database.url))
    return make_runtime(
        settings, database=database, clock=clock, dialogue=real_dialogue, registry=registry
    )


def click(runtime: Runtime, user: str, data: dict[str, Any]) -> list[Activity]:
    event = to_event(Activity().deserialize(act.card_submit(URL, user, data)), {})
    assert isinstance(event, InboundEvent)
    return to_activities(runtime.door.handle(event).replies)


def test_a_click_on_the_themes_card_curates_for_a_facilitator_only(runtime: Runtime) -> None:
    add_contributions(runtime.database, runtime.dialogue.key)
    event = to_event(Activity().deserialize(act.message(URL, "fenna", "thema's bereken")), {})
    assert isinstance(event, InboundEvent)
    computed = to_activities(runtime.door.handle(event).replies)
    card = computed[-1].attachments[0].content
    assert card["version"] == "1.5" and card["fallbackText"].startswith("**Thema's**")

    renamed = click(
        runtime, "fenna", {THEME_MARKER: "hernoem", "nummer": 1, "thema_naam_1": "Grip"}
    )
    assert renamed[0].text.endswith("heet nu 'Grip'.")
    assert "1. Grip (" in renamed[-1].attachments[0].content["fallbackText"]

    refused = click(runtime, "piet", {THEME_MARKER: "schrap", "nummer": 1})
    assert [a.text for a in refused] == [fmsg.REFUSED]
    (after,) = [
        r
        for r in runtime.door.handle(InboundEvent(event.identity, Text("thema's"))).replies
        if isinstance(r, ThemeView)
    ]
    assert after.curated.themes[0].label == "Grip"


def test_the_priorities_card_carries_the_figures_as_text() -> None:
    from dialogen.facilitation.theme_desk import PrioritiesView

    view = PrioritiesView((), None)
    card = priorities_card(view)
    assert card["version"] == "1.5"
    assert [e["text"] for e in card["body"]] == [view.text]
    assert card["fallbackText"] == view.text
