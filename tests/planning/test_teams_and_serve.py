"""The planning messages in Teams: the step prompt renders as a card whose 'Begin' button, sent back
the way Teams sends a card submit, starts the step; and ``dialoog serve`` runs the scheduler."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import create_app
from bot.runtime import Runtime
from bot.serving import SCHEDULER
from bot.settings import Settings
from bot.teams.activities import to_activities
from dialogen.dialogue.definition import Dialogue
from dialogen.dialogue.loader import load_demo_dialogue
from dialogen.participation import outreach as nudging
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.database import Database
from tests.conftest import make_runtime, test_settings
from tests.support import activities as act
from tests.support.clock import FakeClock

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return test_settings(tmp_path)


async def test_begin_on_the_step_prompt_card_starts_the_step(
    aiohttp_client,
    runtime: Runtime,
    connector,
    real_dialogue: Dialogue,
    clock: FakeClock,
) -> None:
    client = await aiohttp_client(create_app(runtime))
    clock.set(datetime(2024, 9, 17, 15, 0, tzinfo=AMS))  # the day before Verkennen opens
    for activity in (
        act.installation_update(connector.url, "anna"),
        act.card_submit(connector.url, "anna", {"dialoog": "consent", "value": "ja"}),
        act.message(connector.url, "anna", "raadslid"),
        act.message(connector.url, "anna", "Utrecht"),
    ):
        assert (await client.post("/api/messages", json=activity)).status == 201
    await connector.wait_for(6)  # welcome, consent, role, municipality, profile saved, nothing open
    assert "Er staat nu geen stap open" in connector.texts()[-1]

    clock.set(datetime(2024, 9, 18, 9, 0, tzinfo=AMS))
    step = real_dialogue.step("verkennen")
    assert step is not None
    (card_activity,) = to_activities(nudging.step_prompt(real_dialogue, step))
    card = card_activity.attachments[0].content
    assert "maandag 7 oktober 2024 om 23:59" in card["fallbackText"]
    (button,) = card["actions"]
    assert button["title"] == "Begin"
    await client.post("/api/messages", json=act.card_submit(connector.url, "anna", button["data"]))
    await connector.wait_for(8)
    assert "Stap Verkennen" in connector.texts()[6]
    assert "Welk beeld heeft u" in connector.texts()[7]


async def test_serve_runs_the_scheduler_and_stops_it(
    aiohttp_client, settings: Settings, sqlite_database: Database, registry: MunicipalityRegistry
) -> None:
    def now() -> datetime:
        return datetime.now(UTC)

    dialogue = load_demo_dialogue(datetime.now(AMS).date())
    assert Settings.model_fields["scheduler_enabled"].default is True  # what dialoog serve runs
    runtime = make_runtime(
        settings.model_copy(update={"scheduler_enabled": True}),
        database=sqlite_database,
        clock=now,  # type: ignore[arg-type]
        dialogue=dialogue,
        registry=registry,
    )
    app = create_app(runtime)
    client = await aiohttp_client(app)
    scheduler = app[SCHEDULER]
    assert scheduler.running
    assert "planning:nudge:verkennen:7d" in {job.id for job in scheduler.jobs()}
    await client.close()
    assert not scheduler.running
