"""The report page: make a draft, read it, download it and the export, approve it after a
confirmation that works once — every report made and export audited."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlmodel import select

from bot.app import create_app
from bot.runtime import Runtime
from dialogen.dialogue.definition import Dialogue
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.audit import AuditRow
from dialogen.store.database import Database
from tests.bot.web.dashboard_fixtures import FENNA, hidden, sign_in
from tests.conftest import AMS, make_runtime, test_settings
from tests.support.clock import FakeClock
from tests.support.report_world import build_world


@pytest.fixture
def runtime(
    tmp_path: Path,
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
) -> Runtime:
    from datetime import datetime

    build_world(sqlite_database, real_dialogue, registry, people=40)
    return make_runtime(
        test_settings(tmp_path, facilitators=[FENNA]),
        database=sqlite_database,
        clock=FakeClock(datetime(2024, 12, 10, 10, 0, tzinfo=AMS)),
        dialogue=real_dialogue,
        registry=registry,
    )


@pytest.fixture
async def client(aiohttp_client: Any, runtime: Runtime) -> TestClient:
    client = await aiohttp_client(create_app(runtime))
    await sign_in(client)
    return client


def actions(runtime: Runtime) -> list[str]:
    with runtime.database.unit_of_work() as session:
        return [r.action for r in session.exec(select(AuditRow)).all()]


async def test_a_draft_is_made_read_downloaded_and_approved_once(
    client: TestClient, runtime: Runtime
):
    page = await (await client.get("/dashboard/rapport")).text()
    made = await client.post("/dashboard/rapport/maken", data={"csrf": hidden(page, "csrf")})
    html = await made.text()
    code = re.search(r"code ([0-9a-f]{8})", html)
    assert code is not None and "concept" in html
    read = await client.get("/dashboard/rapport/rapport.html")
    assert read.status == 200
    assert "script" not in read.headers["Content-Security-Policy"]
    assert "<script" not in await read.text()
    word = await client.get("/dashboard/rapport/rapport.docx")
    assert word.headers["Content-Disposition"].endswith('.docx"')
    assert (await word.read())[:2] == b"PK"
    ask = await client.post(
        "/dashboard/rapport/vraag", data={"csrf": hidden(page, "csrf"), "code": code.group(1)}
    )
    confirm = await ask.text()
    assert "Weet u het zeker?" in confirm
    form = {
        "csrf": hidden(page, "csrf"),
        "token": hidden(confirm, "token"),
        "opdracht": hidden(confirm, "opdracht"),
        "keuze": "bevestigen",
    }
    done = await (await client.post("/dashboard/rapport/bevestig", data=form)).text()
    assert "vastgesteld" in done
    again = await (await client.post("/dashboard/rapport/bevestig", data=form)).text()
    assert "niet (meer) geldig" in again
    assert actions(runtime).count("report_approved") == 1


async def test_the_export_downloads_and_is_audited(client: TestClient, runtime: Runtime):
    export = await client.get("/dashboard/rapport/export.xlsx")
    assert export.status == 200
    assert export.headers["Content-Disposition"] == 'attachment; filename="export.xlsx"'
    assert (await export.read())[:2] == b"PK"
    assert "export" in actions(runtime)


async def test_an_approval_needs_a_code_and_signed_in_facilitator(
    client: TestClient, aiohttp_client: Any, runtime: Runtime
):
    page = await (await client.get("/dashboard/rapport")).text()
    bad = await client.post(
        "/dashboard/rapport/vraag", data={"csrf": hidden(page, "csrf"), "code": "zz"}
    )
    assert bad.status == 400
    stranger = await aiohttp_client(create_app(runtime))
    for path in ("/dashboard/rapport/rapport.html", "/dashboard/rapport/export.xlsx"):
        response = await stranger.get(path, allow_redirects=False)
        assert response.status == 303
