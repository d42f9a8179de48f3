"""The 'Begin' and 'Verder' buttons on step prompts and nudges bring a participant back into the
conversation where that makes sense — through the one door."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dialogen.conversation import messages as msg
from dialogen.conversation.inputs import Submit, Text
from dialogen.conversation.replies import Prompt, Say
from dialogen.door.door import Door
from tests.planning.people import People
from tests.support.clock import FakeClock

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def people(door: Door) -> People:
    return People(door)


def texts(people: People, name: str) -> list[str]:
    return [r.text for r in people.last[name]]


def question_id(people: People, name: str) -> str | None:
    return next((r.input_id for r in people.last[name] if isinstance(r, Prompt)), None)


def test_begin_starts_the_open_step_for_someone_who_is_idle(
    people: People, clock: FakeClock
) -> None:
    clock.set(datetime(2024, 9, 17, 10, 0, tzinfo=AMS))  # before Verkennen opens
    people.join("anna")
    assert question_id(people, "anna") is None  # nothing open yet
    clock.set(datetime(2024, 9, 18, 9, 5, tzinfo=AMS))
    outcome = people.send("anna", Submit("begin", "verkennen"))
    assert outcome.event.startswith("step_start:verkennen")
    assert question_id(people, "anna") == "q:verkennen:beeld"


def test_verder_continues_at_the_question_where_they_stopped(people: People) -> None:
    people.join("bert")
    people.answer("bert", 2)
    people.send("bert", Text("pauze"))
    people.send("bert", Submit("verder", "verkennen"))
    assert msg.RESUMED in texts(people, "bert")
    assert question_id(people, "bert") == "q:verkennen:themas"


def test_verder_while_answering_repeats_the_current_question_without_complaint(
    people: People,
) -> None:
    people.join("carla")
    people.answer("carla", 1)
    people.send("carla", Submit("verder", "verkennen"))
    assert question_id(people, "carla") == "q:verkennen:waardering"
    assert msg.NOT_NOW not in texts(people, "carla") and msg.STALE_SUBMIT not in texts(
        people, "carla"
    )


def test_typing_verder_from_a_mail_nudge_while_answering_repeats_the_question(
    people: People,
) -> None:
    people.join("dirk")
    people.send("dirk", Text("verder"))
    assert question_id(people, "dirk") == "q:verkennen:beeld"
    assert msg.NOT_NOW not in texts(people, "dirk")


def test_begin_does_not_sign_an_opted_out_participant_back_in(people: People) -> None:
    people.join("eva")
    people.opt_out("eva")
    outcome = people.send("eva", Submit("begin", "verkennen"))
    assert texts(people, "eva") == [msg.STILL_OPTED_OUT]
    assert outcome.event == "submit:begin"


def test_begin_before_consent_shows_the_privacy_question(people: People) -> None:
    people.join("frits", consent=False)
    people.send("frits", Submit("begin", "verkennen"))
    assert question_id(people, "frits") == "consent"


def test_begin_on_a_card_of_a_closed_step_says_so_and_starts_the_open_one(
    people: People, clock: FakeClock
) -> None:
    people.join("greet")
    people.complete("greet")
    clock.set(datetime(2024, 10, 9, 10, 0, tzinfo=AMS))  # Verkennen closed, Verrijken open
    people.send("greet", Submit("begin", "verkennen"))
    said = texts(people, "greet")
    assert said[0] == msg.step_closed("Verkennen", "maandag 7 oktober 2024 om 23:59")
    assert any(isinstance(r, Say) and "Stap Verrijken" in r.text for r in people.last["greet"])
    assert question_id(people, "greet") == "q:verrijken:herkenning"


def test_verder_after_completing_the_step_says_it_is_complete(people: People) -> None:
    people.join("hans")
    people.complete("hans")
    people.send("hans", Submit("verder", "verkennen"))
    assert any("alle vragen van stap Verkennen beantwoord" in t for t in texts(people, "hans"))
