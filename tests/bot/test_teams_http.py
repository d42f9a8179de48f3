"""HTTP tests: real-shaped Teams activities posted to /api/messages, replies captured by a local
Bot Connector stub — what a participant in Teams would see."""

from __future__ import annotations

import pytest

from bot.settings import Settings
from tests.conftest import MakeApp
from tests.support import activities as act


@pytest.fixture
def settings(sqlite_url: str, tmp_path) -> Settings:
    return Settings(
        database_url=sqlite_url,
        demo_calendar=False,
        pseudonym_secret="9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e",
        pseudonym_secret_file=tmp_path / "secret",
    )


@pytest.fixture
async def client(aiohttp_client, settings: Settings, make_app: MakeApp):
    return await aiohttp_client(make_app(settings))


async def post(client, activity: dict) -> int:
    response = await client.post("/api/messages", json=activity)
    return response.status


async def test_install_greets_with_privacy_promise_and_consent_card(client, connector):
    assert await post(client, act.installation_update(connector.url, "anna")) == 201
    seen = await connector.wait_for(2)
    assert "Uw privacy" in seen[0]["text"] and "nooit dat" in seen[0]["text"]
    card = seen[1]["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["version"] == "1.5"
    assert [a["title"] for a in card["content"]["actions"]] == ["Ja, ik doe mee", "Nee, nu niet"]
    assert "Ja, ik doe mee" in card["content"]["fallbackText"]


async def test_card_submit_is_handled_like_a_typed_answer(client, connector):
    await post(client, act.installation_update(connector.url, "bob"))
    await connector.wait_for(2)
    await post(client, act.card_submit(connector.url, "bob", {"dialoog": "consent", "value": "ja"}))
    seen = await connector.wait_for(3)
    assert "Wat is uw rol?" in connector.texts()[-1]
    await post(client, act.message(connector.url, "bob", "5"))  # typed number = Griffier
    seen = await connector.wait_for(4)
    assert "Bij welke gemeente" in seen[-1]["text"]


async def test_redelivered_activity_is_processed_once(client, connector):
    await post(client, act.installation_update(connector.url, "cas"))
    await connector.wait_for(2)
    answer = act.message(connector.url, "cas", "ja")
    assert await post(client, answer) == 201
    await connector.wait_for(3)
    assert await post(client, answer) == 201  # Teams retries with the same activity id
    await connector.wait_for(4)
    # answered again with what the first processing replied, nothing processed twice
    texts = connector.texts()
    assert texts[-1] == texts[-2] and "Wat is uw rol?" in texts[-1]
    await post(client, act.message(connector.url, "cas", "5"))
    seen = await connector.wait_for(5)
    assert "Bij welke gemeente" in seen[-1]["text"]


async def test_same_activity_id_in_another_conversation_is_not_a_duplicate(client, connector):
    """Teams activity ids are unique per conversation: another user's message with the same id
    is theirs, stored and answered."""
    for user in ("eva", "fien"):
        await post(client, act.installation_update(connector.url, user))
    await connector.wait_for(4)
    for user in ("eva", "fien"):
        consent = act.card_submit(connector.url, user, {"dialoog": "consent", "value": "ja"})
        consent["id"] = "1:same-id-in-both-chats"
        assert await post(client, consent) == 201
    seen = await connector.wait_for(6)
    asked = {a["_conversation"] for a in seen[4:] if "Wat is uw rol?" in str(a)}
    assert asked == {"a:1personal-eva", "a:1personal-fien"}


async def test_malformed_json_gets_400_and_nothing_changes(client):
    response = await client.post(
        "/api/messages", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status == 400


async def test_attachment_only_message_gets_friendly_dutch_reply(client, connector):
    activity = act.message(connector.url, "dirk", "")
    activity["attachments"] = [
        {
            "contentType": "application/vnd.microsoft.teams.file.download.info",
            "name": "notulen.pdf",
            "content": {"downloadUrl": "https://x/y"},
        }
    ]
    await post(client, activity)
    seen = await connector.wait_for(1)
    assert "alleen tekst" in seen[0]["text"]


async def test_healthz_reports_database(client):
    response = await client.get("/healthz")
    assert response.status == 200
    assert (await response.json())["status"] == "ok"
