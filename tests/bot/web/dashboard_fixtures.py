"""Shared set-up of the dashboard tests: a dialogue in progress on 21 October 2024 (Verkennen
closed, Verrijken open), facilitator Fenna, and signing in through the development sign-in."""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from bot.runtime import Runtime
from dialogen.dialogue.definition import Dialogue
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.database import Database
from tests.conftest import AMS, SEALING, SECRET, make_runtime, test_settings
from tests.support.clock import FakeClock
from tests.support.dashboard_world import World, populate

FENNA = "fenna@gemeente.example"
FENNA_OID = "6f1d7a3e-2b7c-4c1e-9a57-0d6f2c0c5e11"
OUTSIDER = "olaf@gemeente.example"
MONDAY = datetime(2024, 10, 21, 10, 0, tzinfo=AMS)  # Verrijken open until Sunday 27 October


def build(
    tmp_path: Path,
    database: Database,
    dialogue: Dialogue,
    registry: MunicipalityRegistry,
    clock: FakeClock,
    **settings: Any,
) -> tuple[Runtime, World]:
    world = populate(
        database,
        dialogue=dialogue,
        registry=registry,
        pseudonyms=Pseudonyms(SECRET),
        sealing=SEALING,
        now=clock(),
        invitees=60,
        participants=23,
        contributions=2,
        days=3,
    )
    settings.setdefault("facilitators", [FENNA, FENNA_OID])
    runtime = make_runtime(
        test_settings(tmp_path, **settings),
        database=database,
        clock=clock,
        dialogue=dialogue,
        registry=registry,
    )
    return runtime, world


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no hidden field {name}"
    return html.unescape(found.group(1))  # as a browser sends it back


async def sign_in(client: TestClient, who: str = FENNA) -> Any:
    page = await client.get("/dashboard/aanmelden")
    html = await page.text()
    return await client.post(
        "/dashboard/aanmelden/lokaal",
        data={"csrf": hidden(html, "csrf"), "wie": who, "terug": "/dashboard"},
        allow_redirects=False,
    )


async def csrf_of(client: TestClient, path: str = "/dashboard") -> str:
    page = await client.get(path)
    assert page.status == 200
    return hidden(await page.text(), "csrf")
