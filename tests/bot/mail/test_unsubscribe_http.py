"""One-click unsubscribe over HTTP: POST opts out (RFC 8058), GET only shows the button."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import create_app
from bot.mail.reply_token import Purpose, ReplyToken
from dialogen.store.database import Database
from tests.support.clock import FakeClock
from tests.support.mail_world import MailWorld


@pytest.fixture
def world(sqlite_database: Database, clock: FakeClock, tmp_path: Path) -> MailWorld:
    return MailWorld(sqlite_database, clock, tmp_path)


async def test_one_click_unsubscribe(aiohttp_client, world: MailWorld) -> None:
    participant = world.join("bas")
    client = await aiohttp_client(create_app(world.runtime))
    token = world.keys.mint(ReplyToken(participant, None, Purpose.UNSUBSCRIBE))

    page = await client.get(f"/mail/afmelden/{token}")
    assert page.status == 200 and page.headers["Cache-Control"] == "no-store"
    body = await page.text()
    assert '<form method="post"' in body and "Ja, meld mij af" in body and "<script" not in body
    assert not world.participant(participant).opted_out  # a link scanner opening it changes nothing

    done = await client.post(f"/mail/afmelden/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status == 200 and "U bent afgemeld" in await done.text()
    assert world.participant(participant).opted_out
    assert (
        await client.post(f"/mail/afmelden/{token}", data={"List-Unsubscribe": "One-Click"})
    ).status == 200


async def test_a_forged_or_reply_token_unsubscribes_nobody(
    aiohttp_client, world: MailWorld
) -> None:
    participant = world.join("bas")
    client = await aiohttp_client(create_app(world.runtime))
    reply_token = world.keys.mint(ReplyToken(participant, "verkennen"))
    for token in (reply_token, "a" * 40, "kort"):
        response = await client.post(f"/mail/afmelden/{token}")
        assert response.status == 404 and "werkt niet" in await response.text()
    assert not world.participant(participant).opted_out
