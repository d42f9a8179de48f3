"""``rapport`` in Teams: the report arrives as a file through Teams' file consent flow — a consent
card, the upload to the (stubbed) OneDrive upload URL on accept, a file info card — and
``rapport vaststellen``, ``uitkomsten`` with Bevestigen, and refusals, over HTTP."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from aiohttp import web
from docx import Document
from sqlmodel import select

from bot.app import create_app
from bot.teams.report_files import CONSENT_CARD, INFO_CARD, PENDING_MINUTES
from dialogen.reporting import messages as rmsg
from dialogen.store.audit import AuditRow
from dialogen.store.outbox import OutboxRow
from tests.bot.test_facilitation_http import FACILITATOR, make_settings
from tests.conftest import make_runtime
from tests.support import activities as act
from tests.support.http_stub import LocalHttpStub
from tests.support.report_world import build_world


class OneDriveStub(LocalHttpStub):
    """The upload session Teams opens in the facilitator's OneDrive."""

    def __init__(self) -> None:
        self.uploads: list[tuple[str, bytes]] = []

    async def start(self) -> OneDriveStub:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_put("/upload/{name}", self._put)
        await self._serve(app)
        return self

    async def _put(self, request: web.Request) -> web.Response:
        data = await request.read()
        self.uploads.append((request.headers.get("Content-Range", ""), data))
        return web.json_response({"id": "file-1"}, status=201)


@pytest.fixture
async def onedrive():
    stub = await OneDriveStub().start()
    yield stub
    await stub.close()


@pytest.fixture
async def client(aiohttp_client, sqlite_url, sqlite_database, tmp_path, real_dialogue, registry):
    from datetime import datetime

    from tests.conftest import AMS
    from tests.support.clock import FakeClock

    build_world(sqlite_database, real_dialogue, registry, people=30)
    aad = str(uuid.uuid5(uuid.NAMESPACE_URL, f"aad:{FACILITATOR}"))
    settings = make_settings(sqlite_url, tmp_path, aad).model_copy(
        update={"mail_transport": "none"}
    )
    runtime = make_runtime(
        settings,
        database=sqlite_database,
        clock=FakeClock(datetime(2024, 12, 5, 10, 0, tzinfo=AMS)),
        dialogue=real_dialogue,
        registry=registry,
    )
    return await aiohttp_client(create_app(runtime))


def consent_invoke(service_url: str, user: str, value: dict[str, Any]) -> dict[str, Any]:
    activity = act._base(service_url, user, "invoke")
    activity.update({"name": "fileConsent/invoke", "value": value})
    return activity


async def report_card(client, connector) -> dict[str, Any]:
    before = len(connector.activities)
    response = await client.post(
        "/api/messages", json=act.message(connector.url, FACILITATOR, "rapport")
    )
    assert response.status in (200, 201)
    first, second = (await connector.wait_for(before + 2, timeout=120))[before : before + 2]
    assert first["text"] == rmsg.REPORT_BEING_MADE
    return second


async def test_the_report_as_a_file_in_teams(client, connector, onedrive, sqlite_database):
    sent = await report_card(client, connector)
    (attachment,) = sent["attachments"]
    assert attachment["contentType"] == CONSENT_CARD
    assert attachment["name"].startswith("rapport-") and attachment["name"].endswith(".docx")
    consent = attachment["content"]
    assert consent["sizeInBytes"] > 10_000 and "concept" in consent["description"].lower()
    code = attachment["name"][len("rapport-") : -len(".docx")]
    info = {
        "name": attachment["name"],
        "uploadUrl": f"{onedrive.url}/upload/{attachment['name']}",
        "contentUrl": "https://contoso-my.sharepoint.com/personal/fenna/rapport.docx",
        "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C9D",
        "fileType": "docx",
    }
    accept = {
        "type": "fileUpload",
        "action": "accept",
        "context": consent["acceptContext"],
        "uploadInfo": info,
    }
    # someone else cannot take the file
    before = len(connector.activities)
    response = await client.post(
        "/api/messages", json=consent_invoke(connector.url, "piet", accept)
    )
    assert response.status == 200
    assert (await connector.wait_for(before + 1))[before]["text"] == rmsg.REPORT_FILE_GONE
    assert onedrive.uploads == []
    before = len(connector.activities)
    response = await client.post(
        "/api/messages", json=consent_invoke(connector.url, FACILITATOR, accept)
    )
    assert response.status == 200
    (card,) = (await connector.wait_for(before + 1))[before]["attachments"]
    assert card["contentType"] == INFO_CARD and card["contentUrl"] == info["contentUrl"]
    assert card["content"] == {"uniqueId": info["uniqueId"], "fileType": "docx"}
    ((content_range, data),) = onedrive.uploads
    assert (
        content_range == f"bytes 0-{len(data) - 1}/{len(data)}"
        and len(data) == consent["sizeInBytes"]
    )
    headings = [
        p.text for p in Document(io.BytesIO(data)).paragraphs if p.style.name == "Heading 1"
    ]
    assert "Routekaart" in headings
    # a second accept of the same card uploads nothing again
    before = len(connector.activities)
    await client.post("/api/messages", json=consent_invoke(connector.url, FACILITATOR, accept))
    assert (await connector.wait_for(before + 1))[before]["text"] == rmsg.REPORT_FILE_GONE
    # approve it, then the results message: preview card, Bevestigen
    before = len(connector.activities)
    await client.post(
        "/api/messages", json=act.message(connector.url, FACILITATOR, f"rapport vaststellen {code}")
    )
    assert "is vastgesteld" in (await connector.wait_for(before + 1))[before]["text"]
    before = len(connector.activities)
    await client.post("/api/messages", json=act.message(connector.url, FACILITATOR, "uitkomsten"))
    preview = (await connector.wait_for(before + 1, timeout=120))[before]
    body = str(preview["attachments"][0]["content"])
    assert "Aandachtspunt 1" in body and "30 deelnemers" not in body
    token = next(
        a["data"]["token"]
        for a in preview["attachments"][0]["content"]["actions"]
        if a.get("data", {}).get("token")
    )
    before = len(connector.activities)
    await client.post(
        "/api/messages",
        json=act.card_submit(
            connector.url, FACILITATOR, {"begeleider": "bevestigen", "token": token}
        ),
    )
    done = (await connector.wait_for(before + 2, timeout=120))[before + 1]
    assert "klaargezet voor" in done["text"]
    with sqlite_database.unit_of_work() as session:
        queued = session.exec(select(OutboxRow).where(OutboxRow.kind == "results")).all()
        actions = {r.action for r in session.exec(select(AuditRow)).all()}
    assert len(queued) == 30
    assert {"report_made", "report_approved", "results_preview", "results"} <= actions


async def test_declining_and_a_stranger(client, connector, onedrive) -> None:
    sent = await report_card(client, connector)
    consent = sent["attachments"][0]["content"]
    decline = {"type": "fileUpload", "action": "decline", "context": consent["declineContext"]}
    before = len(connector.activities)
    await client.post("/api/messages", json=consent_invoke(connector.url, FACILITATOR, decline))
    assert (await connector.wait_for(before + 1))[before]["text"] == rmsg.REPORT_FILE_DECLINED
    before = len(connector.activities)
    await client.post("/api/messages", json=act.message(connector.url, "piet", "rapport"))
    refusal = (await connector.wait_for(before + 1))[before]
    assert "begeleider" in refusal["text"].lower() or "niet" in refusal["text"]
    assert onedrive.uploads == []


async def test_a_report_offered_by_one_replica_is_accepted_by_another(
    aiohttp_client, database, tmp_path, real_dialogue, registry, connector, onedrive
) -> None:
    """Two app objects (replicas) on one database: the consent may reach either of them."""
    from datetime import datetime

    from tests.conftest import AMS
    from tests.support.clock import FakeClock

    build_world(database, real_dialogue, registry, people=30)
    aad = str(uuid.uuid5(uuid.NAMESPACE_URL, f"aad:{FACILITATOR}"))
    clock = FakeClock(datetime(2024, 12, 5, 10, 0, tzinfo=AMS))
    replicas = []
    for n in range(2):
        url = database.url.render_as_string(hide_password=False)
        settings = make_settings(url, tmp_path / f"r{n}", aad).model_copy(
            update={"mail_transport": "none"}
        )
        (tmp_path / f"r{n}").mkdir()
        runtime = make_runtime(
            settings, database=database, clock=clock, dialogue=real_dialogue, registry=registry
        )
        replicas.append(await aiohttp_client(create_app(runtime)))
    first, second = replicas

    async def consent(client, attachment, action: str, token: str | None = None) -> dict:
        content = attachment["content"]
        context = {"token": token} if token is not None else content[f"{action}Context"]
        value: dict[str, Any] = {"type": "fileUpload", "action": action, "context": context}
        if action == "accept":
            value["uploadInfo"] = {
                "name": attachment["name"],
                "uploadUrl": f"{onedrive.url}/upload/{attachment['name']}",
                "contentUrl": "https://contoso-my.sharepoint.com/personal/fenna/rapport.docx",
                "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C9D",
                "fileType": "docx",
            }
        before = len(connector.activities)
        response = await client.post(
            "/api/messages", json=consent_invoke(connector.url, FACILITATOR, value)
        )
        assert response.status == 200
        return (await connector.wait_for(before + 1))[before]

    (offered,) = (await report_card(first, connector))["attachments"]
    answered = await consent(second, offered, "accept")  # the other replica
    assert answered["attachments"][0]["contentType"] == INFO_CARD
    ((_, data),) = onedrive.uploads
    assert len(data) == offered["content"]["sizeInBytes"]
    assert "Routekaart" in [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert (await consent(first, offered, "accept"))["text"] == rmsg.REPORT_FILE_GONE  # taken
    assert (await consent(second, offered, "accept", token="made-up"))["text"] == (
        rmsg.REPORT_FILE_GONE
    )
    (declined,) = (await report_card(second, connector))["attachments"]
    assert (await consent(first, declined, "decline"))["text"] == rmsg.REPORT_FILE_DECLINED
    assert (await consent(second, declined, "accept"))["text"] == rmsg.REPORT_FILE_GONE
    (stale,) = (await report_card(first, connector))["attachments"]
    clock.advance(minutes=PENDING_MINUTES + 1)
    assert (await consent(second, stale, "accept"))["text"] == rmsg.REPORT_FILE_GONE
    assert len(onedrive.uploads) == 1
    await report_card(first, connector)  # never answered ...
    clock.advance(minutes=PENDING_MINUTES + 1)
    (kept,) = (await report_card(second, connector))["attachments"]  # ... deleted by a new offer
    from dialogen.store.report_offers import ReportOfferRow

    with database.unit_of_work() as session:
        rows = session.exec(select(ReportOfferRow)).all()
    assert len(rows) == 1 and rows[0].name == kept["name"]
    assert rows[0].content.startswith(b"DIALOOG-SEALED-1")  # the file is sealed at rest
