"""Who is due and what they read — the pure domain rules of dialogen.participation.outreach."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dialogen.conversation.replies import Prompt, PromptKind, Say
from dialogen.conversation.state import ConversationState, Phase
from dialogen.dialogue.definition import Dialogue, Step
from dialogen.participation import outreach as nudging
from dialogen.participation.outreach import Contact

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def verkennen(real_dialogue: Dialogue) -> Step:
    step = real_dialogue.step("verkennen")
    assert step is not None
    return step


def contact(**changes: object) -> Contact:
    base = Contact(
        participant_id="p1",
        consent=True,
        opted_out=False,
        preferred_channel="teams",
        has_email=True,
        has_teams_reference=True,
        teams_reachable=True,
        state=ConversationState(phase=Phase.IDLE),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_teams_first_then_mail_as_fallback() -> None:
    assert nudging.channel_for(contact()) == "teams"
    assert nudging.channel_for(contact(teams_reachable=False)) == "mail"  # Teams refused (403)
    assert nudging.channel_for(contact(has_teams_reference=False)) == "mail"  # never opened the bot
    assert nudging.channel_for(contact(preferred_channel="mail")) == "mail"
    assert nudging.channel_for(contact(preferred_channel="mail", has_email=False)) == "teams"
    assert nudging.channel_for(contact(has_teams_reference=False, has_email=False)) is None


def test_no_consent_opted_out_or_unreachable_get_nothing(verkennen: Step) -> None:
    assert nudging.due_nudge(contact(), verkennen, set())
    assert not nudging.due_nudge(contact(consent=False), verkennen, set())
    assert not nudging.due_nudge(contact(opted_out=True), verkennen, set())
    assert not nudging.due_nudge(
        contact(has_teams_reference=False, has_email=False), verkennen, set()
    )


def test_who_completed_the_step_gets_no_nudge_and_no_prompt(verkennen: Step) -> None:
    done = contact(state=ConversationState(phase=Phase.IDLE, completed_steps=("verkennen",)))
    assert not nudging.due_nudge(done, verkennen, set())
    assert not nudging.due_step_prompt(done, verkennen)
    assert nudging.took_part(done, verkennen, set())


def test_remaining_counts_neither_answered_nor_skipped_questions(verkennen: Step) -> None:
    state = ConversationState(
        phase=Phase.ANSWERING, skipped=("verkennen:obstakel-toelichting", "verrijken:x")
    )
    assert nudging.remaining_questions(verkennen, state, {"beeld", "waardering", "themas"}) == 3


def test_step_prompt_is_a_card_with_purpose_deadline_and_begin(
    real_dialogue: Dialogue, verkennen: Step
) -> None:
    (prompt,) = nudging.step_prompt(real_dialogue, verkennen)
    assert isinstance(prompt, Prompt)
    assert prompt.input_id == "begin" and prompt.kind is PromptKind.SINGLE
    assert [(c.value, c.label) for c in prompt.choices] == [("verkennen", "Begin")]
    assert verkennen.purpose in prompt.text
    assert "maandag 7 oktober 2024 om 23:59" in prompt.text
    assert "7 vragen" in prompt.text


def test_nudge_says_what_is_left_and_offers_verder(
    real_dialogue: Dialogue, verkennen: Step
) -> None:
    (prompt,) = nudging.nudge(
        real_dialogue, verkennen, remaining=3, at=datetime(2024, 10, 4, 8, 30, tzinfo=AMS)
    )
    assert isinstance(prompt, Prompt)
    assert "nog 3 vragen" in prompt.text
    assert "sluit op maandag 7 oktober 2024 om 23:59" in prompt.text
    assert prompt.input_id == "verder" and [c.label for c in prompt.choices] == ["Verder"]


def test_nudge_on_the_last_day_says_today(real_dialogue: Dialogue, verkennen: Step) -> None:
    (prompt,) = nudging.nudge(
        real_dialogue, verkennen, remaining=1, at=datetime(2024, 10, 7, 8, 30, tzinfo=AMS)
    )
    assert isinstance(prompt, Prompt)
    assert "sluit vandaag om 23:59" in prompt.text and "nog 1 vraag " in prompt.text


def test_nudge_for_someone_who_has_not_started_offers_begin(
    real_dialogue: Dialogue, verkennen: Step
) -> None:
    (prompt,) = nudging.nudge(
        real_dialogue, verkennen, remaining=7, at=datetime(2024, 10, 4, 8, 30, tzinfo=AMS)
    )
    assert isinstance(prompt, Prompt)
    assert "nog niet meegedaan" in prompt.text and prompt.input_id == "begin"


def test_thank_you_says_what_comes_next(real_dialogue: Dialogue, verkennen: Step) -> None:
    (say,) = nudging.step_thanks(real_dialogue, verkennen, all_answered=True)
    assert isinstance(say, Say)
    assert "Dank u wel" in say.text
    assert "Verrijken, begint op dinsdag 8 oktober 2024 om 09:00" in say.text


def test_thank_you_after_the_last_interactive_step(real_dialogue: Dialogue) -> None:
    last = real_dialogue.step("verdiepen")
    assert last is not None
    (say,) = nudging.step_thanks(real_dialogue, last, all_answered=False)
    assert isinstance(say, Say) and "uitkomsten" in say.text
