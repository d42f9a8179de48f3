"""Real and hostile Teams fields through ``POST /api/messages`` on SQLite and PostgreSQL: a long
display name, long or odd ids, NUL, lone surrogates, ``channelData.tenant`` of the wrong type —
the participant is greeted as anyone else (not the apology on every message), what is stored is
what the fields allow, and bad input leaves one warning line, no traceback."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from bot.app import create_app
from dialogen.dialogue.definition import Dialogue
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.database import Database
from dialogen.store.tables import ParticipantRow
from tests.conftest import make_runtime, test_settings
from tests.support import activities as act
from tests.support.clock import FakeClock
from tests.support.connector import ConnectorStub

Change = Callable[[dict[str, Any]], None]
Check = Callable[[ParticipantRow], bool]


def _set(path: str, value: Any) -> Change:
    def change(activity: dict[str, Any]) -> None:
        target = activity
        *parents, last = path.split(".")
        for key in parents:
            target = target[key]
        target[last] = value

    return change


LONG_NAME = "Wilhelmina " + "Oosterhuis-" * 22  # 253 characters: Entra allows 256
FIELDS: dict[str, tuple[Change, Check]] = {
    "display name of 256": (
        _set("from.name", (LONG_NAME + "abc")[:256]),
        lambda r: r.name is not None and len(r.name) == 256,
    ),
    "display name over 256": (_set("from.name", "N" * 300), lambda r: r.name == "N" * 256),
    "NUL in the name": (
        _set("from.name", "Anna\x00 de Vries"),
        lambda r: r.name == "Anna de Vries",
    ),
    "lone surrogate in the name": (
        _set("from.name", "Anna \ud800"),
        lambda r: r.name == "Anna \ufffd",
    ),
    "aadObjectId over 64": (_set("from.aadObjectId", "a" * 100), lambda r: r.aad_object_id is None),
    "NUL in aadObjectId": (
        _set("from.aadObjectId", "5c3e9a71-2b4d-4f6e-8a1c-9d0e7f6a5b4c\x00"),
        lambda r: r.aad_object_id == "5c3e9a71-2b4d-4f6e-8a1c-9d0e7f6a5b4c",
    ),
    "tenant id over 64": (_set("channelData.tenant.id", "t" * 100), lambda r: r.tenant_id is None),
    "from.id of 300": (
        _set("from.id", "29:" + "k" * 297),
        lambda r: r.teams_user_id == "29:" + "k" * 297,
    ),
    "NUL in from.id": (
        _set("from.id", "29:1abc\x00def"),
        lambda r: r.teams_user_id == "29:1abcdef",
    ),
    "lone surrogate in from.id": (
        _set("from.id", "29:1\udc00x"),
        lambda r: r.teams_user_id == "29:1\ufffdx",
    ),
    "channelData.tenant a string": (
        _set("channelData.tenant", "contoso"),
        lambda r: r.tenant_id == act.TENANT,
    ),
    "channelData.tenant a number": (
        _set("channelData.tenant", 42),
        lambda r: r.tenant_id == act.TENANT,
    ),
    "channelData a list": (_set("channelData", ["x"]), lambda r: r.tenant_id == act.TENANT),
}


@pytest.fixture
async def client(
    aiohttp_client,
    tmp_path: Path,
    database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
    clock: FakeClock,
):
    runtime = make_runtime(
        test_settings(tmp_path),
        database=database,
        clock=clock,
        dialogue=real_dialogue,
        registry=registry,
    )
    return await aiohttp_client(create_app(runtime))


def participants(database: Database) -> list[ParticipantRow]:
    with Session(database.engine) as session:
        return list(session.exec(select(ParticipantRow)).all())


@pytest.mark.parametrize("case", list(FIELDS))
async def test_a_teams_field_at_or_beyond_its_limit_still_gets_the_greeting(
    case: str, client, connector: ConnectorStub, database: Database, caplog
):
    change, check = FIELDS[case]
    activity = act.installation_update(connector.url, "anna")
    change(activity)
    with caplog.at_level(logging.INFO):
        response = await client.post(
            "/api/messages",
            data=json.dumps(activity),  # lone surrogates travel as \\ud800 escapes, as in JSON
            headers={"Content-Type": "application/json"},
        )
    assert response.status == 201
    seen = await connector.wait_for(2)
    assert "Uw privacy" in seen[0]["text"]  # the greeting, not the apology
    [row] = participants(database)
    assert check(row), row
    assert not any(r.exc_info for r in caplog.records)


ODD_REQUESTS: dict[str, tuple[bytes, str, int]] = {
    "bogus charset": (b'{"type": "message"}', "application/json; charset=bogus-42", 400),
    "200 KB of brackets": (b"[" * 200_000, "application/json", 400),
    "not json": (b"{not json", "application/json", 400),
    "not UTF-8": (b'{"type": "message", "text": "\xff"}', "application/json", 400),
    "plain text": (b"hallo", "text/plain", 415),
    "a JSON array": (b'["message"]', "application/json", 400),
    "text a number": (
        json.dumps({**act.message("http://127.0.0.1:9", "x", ""), "text": {"a": 1}}).encode(),
        "application/json",
        400,
    ),
    "conversation id with NUL": (
        json.dumps(
            {**act.message("http://127.0.0.1:9", "x", "hoi"), "conversation": {"id": "a\x00"}}
        ).encode(),
        "application/json",
        400,
    ),
    "serviceUrl not a URL": (
        json.dumps({**act.message("x", "x", "hoi")}).encode(),
        "application/json",
        400,
    ),
}


@pytest.mark.parametrize("case", list(ODD_REQUESTS))
async def test_odd_requests_in_local_mode_get_a_friendly_4xx_and_one_warning(
    case: str, client, connector: ConnectorStub, caplog
):
    body, content_type, status = ODD_REQUESTS[case]
    with caplog.at_level(logging.INFO):
        response = await client.post(
            "/api/messages", data=body, headers={"Content-Type": content_type}
        )
    assert response.status == status
    assert "error" in await response.json()
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and warnings[0].getMessage().startswith("rejected request")
    assert not any(r.exc_info for r in caplog.records)
    assert connector.activities == []
