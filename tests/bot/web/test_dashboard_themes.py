"""The themes page: the curated list, and curation (compute, rename, merge, publish) as the same
typed commands as in Teams, each after a confirmation that works once and only for its command."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlmodel import select

from bot.app import create_app
from bot.runtime import Runtime
from bot.web.views.themes import command_text
from dialogen.dialogue.definition import Dialogue
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.audit import AuditRow
from dialogen.store.database import Database
from dialogen.store.themes import ThemeDecisionRow
from tests.bot.web.dashboard_fixtures import MONDAY, build, csrf_of, hidden, sign_in
from tests.dialogen.test_theme_curation import add_contributions
from tests.support.clock import FakeClock


@pytest.fixture
def runtime(
    tmp_path: Path,
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
) -> Runtime:
    runtime, _ = build(tmp_path, sqlite_database, real_dialogue, registry, FakeClock(MONDAY))
    add_contributions(sqlite_database, real_dialogue.key)
    return runtime


@pytest.fixture
async def client(aiohttp_client: Any, runtime: Runtime) -> TestClient:
    client = await aiohttp_client(create_app(runtime))
    await sign_in(client)
    return client


async def _confirmed(client: TestClient, **form: str) -> str:
    csrf = await csrf_of(client, "/dashboard/themas")
    ask = await client.post("/dashboard/themas/vraag", data={"csrf": csrf, **form})
    html = await ask.text()
    assert "Weet u het zeker?" in html, html
    done = await client.post(
        "/dashboard/themas/bevestig",
        data={
            "csrf": csrf,
            "token": hidden(html, "token"),
            "opdracht": hidden(html, "opdracht"),
            "keuze": "bevestigen",
        },
    )
    return await done.text()


def decisions(runtime: Runtime) -> list[str]:
    with runtime.database.unit_of_work() as session:
        return [d.action for d in session.exec(select(ThemeDecisionRow)).all()]


async def test_themes_are_computed_curated_and_published_after_confirmation(
    client: TestClient, runtime: Runtime
):
    page = await (await client.get("/dashboard/themas")).text()
    assert "nog geen thema" in page.lower()
    computed = await _confirmed(client, actie="bereken")
    assert "berekend uit" in computed, re.findall(r'notice">([^<]*)', computed)
    page = await (await client.get("/dashboard/themas")).text()
    assert "1. " in page and "Hernoemen…" in page
    await _confirmed(client, actie="hernoem", nummer="1", naam="Grip van de raad")
    await _confirmed(client, actie="voeg", nummer="3", doel="2")
    assert decisions(runtime) == ["rename", "merge"]
    page = await (await client.get("/dashboard/themas")).text()
    assert "1. Grip van de raad" in page
    await _confirmed(client, actie="publiceer")
    assert "Gepubliceerd op" in await (await client.get("/dashboard/themas")).text()
    with runtime.database.unit_of_work() as session:
        actions = {r.action for r in session.exec(select(AuditRow)).all()}
    assert {"themes_computed", "themes_rename", "themes_merge", "themes_published"} <= actions


async def test_a_theme_confirmation_works_once_and_for_its_own_command(
    client: TestClient, runtime: Runtime
):
    await _confirmed(client, actie="bereken")
    csrf = await csrf_of(client, "/dashboard/themas")
    ask = await client.post(
        "/dashboard/themas/vraag",
        data={"csrf": csrf, "actie": "hernoem", "nummer": "1", "naam": "Eerste"},
    )
    token = hidden(await ask.text(), "token")
    other = {"csrf": csrf, "token": token, "opdracht": "thema schrap 1", "keuze": "bevestigen"}
    refused = await client.post("/dashboard/themas/bevestig", data=other)
    assert "niet (meer) geldig" in await refused.text()
    assert decisions(runtime) == []
    form = {**other, "opdracht": "thema hernoem 1 Eerste"}
    assert (
        "niet (meer) geldig"
        not in await (await client.post("/dashboard/themas/bevestig", data=form)).text()
    )
    again = await client.post("/dashboard/themas/bevestig", data=form)
    assert "niet (meer) geldig" in await again.text()
    assert decisions(runtime) == ["rename"]


def test_only_theme_commands_are_built_from_a_form():
    assert command_text({"actie": "hernoem", "nummer": "2", "naam": "Nieuwe\nnaam"}) == (
        "thema hernoem 2 Nieuwe naam"
    )
    assert command_text({"actie": "verplaats", "code": "ab12cd", "doel": "3"}) == (
        "thema verplaats ab12cd 3"
    )
    for form in (
        {"actie": "hernoem", "nummer": "x", "naam": "a"},
        {"actie": "hernoem", "nummer": "1", "naam": "  "},
        {"actie": "verstuur", "nummer": "1"},
        {"actie": "verplaats", "code": "niet-hex", "doel": "1"},
    ):
        assert command_text(form) is None
