"""The results message from the report page: refused with the reason before the report is
approved; once it is, previewed (recipients per channel, the message as a participant reads it
and as a contributor reads it, with made-up contributions), sent on a confirmation that works
once, and refused once everyone has it — nobody gets it twice. CSRF and sign-in as every action."""

from __future__ import annotations

from datetime import datetime
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
from dialogen.store.contributions import ContributionRow
from dialogen.store.database import Database
from dialogen.store.outbox import OutboxRow
from tests.bot.web.dashboard_fixtures import FENNA, OUTSIDER, csrf_of, hidden, sign_in
from tests.conftest import AMS, make_runtime, test_settings
from tests.support.clock import FakeClock
from tests.support.report_world import build_world

DECEMBER = datetime(2024, 12, 10, 10, 0, tzinfo=AMS)  # Voortzetten has begun


@pytest.fixture
def runtime(
    tmp_path: Path,
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
) -> Runtime:
    build_world(sqlite_database, real_dialogue, registry, people=40, answering=0.7)
    return make_runtime(
        test_settings(tmp_path, facilitators=[FENNA]),
        database=sqlite_database,
        clock=FakeClock(DECEMBER),
        dialogue=real_dialogue,
        registry=registry,
    )


@pytest.fixture
async def client(aiohttp_client: Any, runtime: Runtime) -> TestClient:
    client = await aiohttp_client(create_app(runtime))
    await sign_in(client)
    return client


def approve(runtime: Runtime) -> None:
    desk = runtime.reports()
    desk.approve(actor=FENNA, code=desk.make(actor=FENNA).code)


def results_queued(runtime: Runtime) -> dict[str, int]:
    with runtime.database.unit_of_work() as session:
        rows = session.exec(select(OutboxRow).where(OutboxRow.kind == "results")).all()
    per_participant: dict[str, int] = {}
    for row in rows:
        per_participant[row.participant_id] = per_participant.get(row.participant_id, 0) + 1
    return per_participant


def actions(runtime: Runtime) -> list[str]:
    with runtime.database.unit_of_work() as session:
        return [r.action for r in session.exec(select(AuditRow)).all()]


async def preview(client: TestClient) -> Any:
    csrf = await csrf_of(client, "/dashboard/rapport")
    return await client.post("/dashboard/rapport/uitkomsten", data={"csrf": csrf})


async def test_the_report_page_offers_the_results_message(client: TestClient):
    page = await (await client.get("/dashboard/rapport")).text()
    assert "Uitkomsten aan de deelnemers" in page
    assert 'action="/dashboard/rapport/uitkomsten"' in page


async def test_refused_with_the_reason_until_the_report_is_approved(
    client: TestClient, runtime: Runtime
):
    response = await preview(client)
    assert response.status == 409
    html = await response.text()
    assert "Er wordt niets verstuurd" in html and "vastgesteld rapport" in html
    assert 'name="token"' not in html
    assert results_queued(runtime) == {}


async def test_previewed_then_sent_once_and_nobody_gets_it_twice(
    client: TestClient, runtime: Runtime
):
    approve(runtime)
    response = await preview(client)
    assert response.status == 200
    html = await response.text()
    assert "Dit bericht gaat naar 20 deelnemers in Teams en 20 per e-mail." in html
    assert "Dit zijn de uitkomsten" in html and "Aandachtspunt 1: " in html
    # the contributor's lines, both kinds, from made-up contributions only
    assert "Voor deelnemers met eigen bijdragen" in html
    assert "werd door 60% van de lezers onderschreven" in html
    assert "werd door minder dan 5 deelnemers beoordeeld" in html
    with runtime.database.unit_of_work() as session:
        real = [r.text for r in session.exec(select(ContributionRow)).all()]
    assert real and not any(" ".join(text.split()[:4]) in html for text in real)
    form = {"csrf": hidden(html, "csrf"), "token": hidden(html, "token"), "keuze": "bevestigen"}
    done = await client.post("/dashboard/rapport/uitkomsten/bevestig", data=form)
    assert "De uitkomsten zijn klaargezet voor 40 deelnemers" in await done.text()
    queued = results_queued(runtime)
    assert len(queued) == 40 and set(queued.values()) == {1}
    again = await client.post("/dashboard/rapport/uitkomsten/bevestig", data=form)
    assert "Over dit voorbeeld is al beslist" in await again.text()
    later = await preview(client)
    assert later.status == 409
    assert "iedereen heeft ze al" in await later.text()
    assert results_queued(runtime) == queued
    done_actions = actions(runtime)
    assert done_actions.count("results") == 1
    assert "results_preview" in done_actions and "confirm_refused" in done_actions


async def test_two_confirmations_from_two_previews_send_it_once(
    client: TestClient, runtime: Runtime
):
    approve(runtime)
    first = await (await preview(client)).text()
    second = await (await preview(client)).text()
    assert hidden(first, "token") != hidden(second, "token")
    for html in (first, second):
        await client.post(
            "/dashboard/rapport/uitkomsten/bevestig",
            data={
                "csrf": hidden(html, "csrf"),
                "token": hidden(html, "token"),
                "keuze": "bevestigen",
            },
        )
    queued = results_queued(runtime)
    assert len(queued) == 40 and set(queued.values()) == {1}


async def test_cancelled_sends_nothing(client: TestClient, runtime: Runtime):
    approve(runtime)
    html = await (await preview(client)).text()
    form = {"csrf": hidden(html, "csrf"), "token": hidden(html, "token"), "keuze": "annuleren"}
    cancelled = await client.post("/dashboard/rapport/uitkomsten/bevestig", data=form)
    assert "Geannuleerd. Er is niets verstuurd." in await cancelled.text()
    assert results_queued(runtime) == {}


async def test_csrf_sign_in_and_facilitator_rights_are_checked(
    client: TestClient, aiohttp_client: Any, runtime: Runtime
):
    approve(runtime)
    for data in ({}, {"csrf": "vervalst"}):
        response = await client.post("/dashboard/rapport/uitkomsten", data=data)
        assert response.status == 403
    html = await (await preview(client)).text()
    token = hidden(html, "token")
    forged = await client.post(
        "/dashboard/rapport/uitkomsten/bevestig",
        data={"csrf": "vervalst", "token": token, "keuze": "bevestigen"},
    )
    assert forged.status == 403
    outsider = await aiohttp_client(create_app(runtime))
    assert (await sign_in(outsider, OUTSIDER)).status == 403  # not on the list: no session
    for path in ("/dashboard/rapport/uitkomsten", "/dashboard/rapport/uitkomsten/bevestig"):
        response = await outsider.post(
            path, data={"csrf": "x", "token": token, "keuze": "bevestigen"}, allow_redirects=False
        )
        assert response.status == 401  # a POST while signed out
    assert results_queued(runtime) == {}
