"""From the calendar to a participant's Teams chat: the scheduler's occasions queue the messages,
the outbox sender delivers them to a Bot Connector stand-in — what participants actually see."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from dialogen.conversation.inputs import Submit
from dialogen.dialogue.definition import Dialogue
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.database import Database
from planning.broadcasts import Broadcasts
from tests.conftest import SECRET, make_door
from tests.planning.conftest import sender_for
from tests.planning.people import People
from tests.support.clock import FakeClock
from tests.support.teams_people import conversation_of

AMS = ZoneInfo("Europe/Amsterdam")


async def test_step_prompt_then_nudge_then_thank_you_arrive_in_teams(
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
    clock: FakeClock,
    fake_sleep,
    teams,
) -> None:
    clock.set(datetime(2024, 9, 17, 15, 0, tzinfo=AMS))
    people = People(
        make_door(sqlite_database, real_dialogue, registry, clock), service_url=teams.url
    )
    for name in ("anna", "bert"):
        people.join(name)
    broadcasts = Broadcasts(
        database=sqlite_database, dialogue=real_dialogue, clock=clock, pseudonyms=Pseudonyms(SECRET)
    )

    clock.set(datetime(2024, 9, 18, 9, 0, tzinfo=AMS))
    assert broadcasts.run_occasion("step_prompt:verkennen") == 2
    await sender_for(sqlite_database, clock, fake_sleep).drain()
    (prompt,) = teams.texts_for(conversation_of("anna"))
    assert (
        prompt.startswith("Stap Verkennen is begonnen.")
        and "maandag 7 oktober 2024 om 23:59" in prompt
    )

    people.send("anna", Submit("begin", "verkennen"))  # the card's button
    people.answer("anna", 4)
    people.send("bert", Submit("begin", "verkennen"))
    people.complete("bert")

    clock.set(datetime(2024, 9, 30, 8, 30, tzinfo=AMS))
    assert broadcasts.run_occasion("nudge:verkennen:7d") == 1  # bert completed the step
    await sender_for(sqlite_database, clock, fake_sleep).drain()
    assert "nog 3 vragen" in teams.texts_for(conversation_of("anna"))[-1]
    assert len(teams.texts_for(conversation_of("bert"))) == 1

    clock.set(datetime(2024, 10, 8, 8, 30, tzinfo=AMS))
    assert broadcasts.run_occasion("step_closed:verkennen") == 2
    await sender_for(sqlite_database, clock, fake_sleep).drain()
    assert teams.texts_for(conversation_of("bert"))[-1].startswith(
        "Stap Verkennen is gesloten. Dank u wel"
    )
    assert teams.duplicates() == 0
