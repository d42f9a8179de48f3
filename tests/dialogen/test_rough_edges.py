"""Rough edges a new user hit in the chat (issue 11, items 9–13), through the pure engine."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from dialogen.conversation.inputs import Install
from dialogen.dialogue.definition import Dialogue
from dialogen.dialogue.loader import default_dialogue_path, load_demo_dialogue, parse_dialogue
from dialogen.errors import DialogueFileError
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from tests.dialogen.test_engine import Participant, seen

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
