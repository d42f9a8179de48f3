"""The bot's outbound clients live as long as the process: botbuilder asks for new ones on every
turn, and each new one cost a retry-policy build (~12 ms CPU), a new connection to the Bot
Connector and — with credentials — a new token from Entra. Creating clients opens no connection,
so these tests need no network."""

from __future__ import annotations

from pathlib import Path

import pytest
from botbuilder.schema import Activity
from botframework.connector.auth import ClaimsIdentity

from bot.settings import Settings
from bot.teams import outbound_clients
from bot.teams.auth import bot_framework_authentication
from tests.support import activities as act

APP_ID = "5f0c7e2a-5b8e-4c1e-9f3e-2d6a0b1c9e77"
EMEA = "https://smba.trafficmanager.net/emea/"
AMER = "https://smba.trafficmanager.net/amer/"


@pytest.fixture
def local(tmp_path: Path) -> Settings:
    return Settings(
        pseudonym_secret="9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e",
        pseudonym_secret_file=tmp_path / "secret",
    )


@pytest.fixture
def configured(tmp_path: Path) -> Settings:
    return Settings(
        app_id=APP_ID,
        app_password="Qx8~kR2.vN5_mT9-wL4zH7sJ1pB3cF6yD0gA",
        app_tenant_id=act.TENANT,
        pseudonym_secret="9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e",
        pseudonym_secret_file=tmp_path / "secret",
    )


def incoming(service_url: str = EMEA) -> Activity:
    return Activity().deserialize(act.message(service_url, "anna", "ja"))


async def test_every_turn_gets_the_same_connector_client_for_the_same_service_url(local: Settings):
    auth = bot_framework_authentication(local)
    first = await auth.authenticate_request(incoming(), "")
    second = await auth.authenticate_request(incoming(), "")
    client = await first.connector_factory.create(EMEA, first.audience)
    assert await second.connector_factory.create(EMEA, second.audience) is client
    assert await second.connector_factory.create(AMER, second.audience) is not client


async def test_proactive_sends_share_the_clients_of_the_turns(local: Settings):
    auth = bot_framework_authentication(local)
    turn = await auth.authenticate_request(incoming(), "")
    reactive = await turn.connector_factory.create(EMEA, turn.audience)
    proactive = await auth.create_connector_factory(turn.claims_identity).create(
        EMEA, turn.audience
    )
    assert proactive is reactive


async def test_the_user_token_client_is_made_once(local: Settings):
    auth = bot_framework_authentication(local)
    identity = (await auth.authenticate_request(incoming(), "")).claims_identity
    assert await auth.create_user_token_client(identity) is await auth.create_user_token_client(
        identity
    )


async def test_with_an_app_id_the_credentials_and_so_msals_token_cache_are_shared(
    configured: Settings,
):
    auth = bot_framework_authentication(configured)
    identity = ClaimsIdentity({"aud": APP_ID, "iss": "https://api.botframework.com"}, True)
    emea = await auth.create_connector_factory(identity).create(
        EMEA, "https://api.botframework.com"
    )
    amer = await auth.create_connector_factory(identity).create(
        AMER, "https://api.botframework.com"
    )
    assert emea is not amer
    assert emea.config.credentials is amer.config.credentials
    assert emea.config.credentials.microsoft_app_id == APP_ID


async def test_clients_for_another_audience_or_app_are_kept_apart(configured: Settings):
    auth = bot_framework_authentication(configured)
    ours = ClaimsIdentity({"aud": APP_ID}, True)
    factory = auth.create_connector_factory(ours)
    channel = await factory.create(EMEA, "https://api.botframework.com")
    assert await factory.create(EMEA, "https://other.example") is not channel


async def test_only_the_most_recently_used_clients_are_kept(
    local: Settings, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(outbound_clients, "MAX_CONNECTORS", 2)
    auth = bot_framework_authentication(local)
    turn = await auth.authenticate_request(incoming(), "")
    factory = turn.connector_factory
    urls = [f"https://smba.trafficmanager.net/r{n}/" for n in range(3)]
    first = await factory.create(urls[0])
    await factory.create(urls[1])
    assert await factory.create(urls[0]) is first  # used again: now the most recent
    await factory.create(urls[2])  # pushes out urls[1], the least recently used
    assert await factory.create(urls[0]) is first
    assert await factory.create(urls[1]) is not None
    assert len(auth._connectors) == 2  # noqa: SLF001 - the bound is what is tested
