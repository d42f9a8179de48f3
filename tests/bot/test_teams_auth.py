"""Authentication of POST /api/messages: with an app id, only a valid Bot Framework token gets in.

The tokens come from a local issuer (``tests.support.token_issuer``) that publishes its key the
way login.botframework.com does. Every case runs twice:

* ``configured`` — the OpenID metadata URL and the Entra login URL come from settings
  (``DIALOOG_OPENID_METADATA_URL``, ``DIALOOG_LOGIN_URL``), which switches botbuilder to its
  parameterized authentication; the bot's replies get a real bearer token from the local Entra
  stub.
* ``public_cloud`` — the production default: no overrides, botbuilder's built-in public-cloud
  validation, with only ``ChannelValidation``'s metadata endpoint pointed at the local issuer.
  The reply then needs a token from login.microsoftonline.com, which a test may not reach: the
  turn fails *after* authentication, which the channel's error handler must absorb.
"""

from __future__ import annotations

import logging
import socket
from datetime import timedelta
from pathlib import Path
from typing import Any

import jwt
import msal.authority
import pytest
from botframework.connector.auth import ChannelValidation, JwtTokenExtractor
from sqlmodel import Session, select

from bot.settings import Settings
from dialogen.store.database import Database
from dialogen.store.tables import ConversationReferenceRow, ParticipantRow
from tests.conftest import MakeApp
from tests.support import activities as act
from tests.support.connector import ConnectorStub
from tests.support.token_issuer import SigningKey, TokenIssuer

APP_ID = "5f0c7e2a-5b8e-4c1e-9f3e-2d6a0b1c9e77"
OTHER_APP_ID = "0e9d3c1b-7a6f-4e2d-8c5b-1a0f9e8d7c6b"
TENANT = act.TENANT
PASSWORD = "stub-client-secret"

MODES = ("configured", "public_cloud")


@pytest.fixture
def issuer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """A running token issuer; botbuilder's class-level metadata cache is fresh for each test."""
    monkeypatch.setattr(JwtTokenExtractor, "metadataCache", {})
    with TokenIssuer(client_secret=PASSWORD, folder=tmp_path / "tls") as running:
        # msal insists on https and on asking login.microsoftonline.com about hosts it does not
        # know; make it trust the stub's certificate and treat 127.0.0.1 as a known login host.
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(running.ca_file))
        monkeypatch.setattr(
            msal.authority,
            "WELL_KNOWN_AUTHORITY_HOSTS",
            msal.authority.WELL_KNOWN_AUTHORITY_HOSTS | {"127.0.0.1"},
        )
        yield running


@pytest.fixture
def _no_outside_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """Also refuse DNS look-ups of outside hosts (the connect guard in conftest comes after DNS)."""
    real = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1")):
            raise socket.gaierror(socket.EAI_NONAME, f"test tried to resolve {host}")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def settings(
    mode: str,
    issuer: TokenIssuer,
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    _no_outside_names: None,
) -> Settings:
    common: dict[str, Any] = dict(
        database_url=sqlite_url,
        demo_calendar=False,
        app_id=APP_ID,
        app_password=PASSWORD,
        app_tenant_id=TENANT,
        pseudonym_secret="9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e",
        pseudonym_secret_file=tmp_path / "secret",
    )
    if mode == "configured":
        return Settings(
            **common, openid_metadata_url=issuer.metadata_url, login_url=issuer.login_url(TENANT)
        )
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", issuer.metadata_url)
    return Settings(**common)


@pytest.fixture
async def client(aiohttp_client, settings: Settings, make_app: MakeApp):
    return await aiohttp_client(make_app(settings))


def valid(source: TokenIssuer, connector: ConnectorStub, /, **changes: Any) -> str:
    """A header with a token the bot must accept, unless ``changes`` spoil it."""
    return source.bearer(app_id=APP_ID, service_url=connector.url, **changes)


def stored(database: Database, table: type) -> list[Any]:
    with Session(database.engine) as session:
        return list(session.exec(select(table)).all())


# ---------------------------------------------------------------- every kind of bad token


def _hs256(issuer: TokenIssuer, connector: ConnectorStub) -> str:
    """Algorithm confusion: HMAC "signed" with a shared secret instead of the channel's RSA key."""
    claims = jwt.decode(
        issuer.token(app_id=APP_ID, service_url=connector.url), options={"verify_signature": False}
    )
    return "Bearer " + jwt.encode(
        claims,
        "not-a-channel-key-0123456789abcdef",
        algorithm="HS256",
        headers={"kid": issuer.published.kid},
    )


BAD_HEADERS = {
    "missing": lambda issuer, connector: None,
    "empty": lambda issuer, connector: "",
    "not a jwt": lambda issuer, connector: "Bearer abc",
    "basic scheme": lambda issuer, connector: "Basic x",
    "bearer without token": lambda issuer, connector: "Bearer",
    "valid token, wrong scheme": lambda issuer, connector: valid(issuer, connector).replace(
        "Bearer", "bearer"
    ),
    "three parts": lambda issuer, connector: valid(issuer, connector) + " extra",
    "expired": lambda issuer, connector: valid(issuer, connector, lifetime=timedelta(minutes=-10)),
    "not yet valid": lambda issuer, connector: valid(
        issuer, connector, not_before=timedelta(minutes=10)
    ),
    "wrong audience": lambda issuer, connector: valid(issuer, connector, audience=OTHER_APP_ID),
    "no audience": lambda issuer, connector: valid(issuer, connector, audience=""),
    "wrong issuer": lambda issuer, connector: valid(
        issuer, connector, issuer="https://api.botframework.example"
    ),
    "no issuer": lambda issuer, connector: valid(issuer, connector, issuer=None),
    "unknown signer": lambda issuer, connector: valid(issuer, connector, key=issuer.unpublished),
    "forged with a known key id": lambda issuer, connector: valid(
        issuer, connector, key=issuer.unpublished, kid=issuer.published.kid
    ),
    "key not endorsed for msteams": lambda issuer, connector: valid(
        issuer, connector, key=issuer.webchat_only
    ),
    "other service url": lambda issuer, connector: issuer.bearer(
        app_id=APP_ID, service_url="https://smba.trafficmanager.net/emea/"
    ),
    "no service url": lambda issuer, connector: issuer.bearer(app_id=APP_ID, service_url=None),
    "unsigned (alg none)": lambda issuer, connector: (
        "Bearer " + issuer.token(app_id=APP_ID, service_url=connector.url, algorithm="none")
    ),
    "hs256": _hs256,
}


@pytest.mark.parametrize("case", BAD_HEADERS)
async def test_request_without_a_valid_token_gets_401_and_changes_nothing(
    case: str,
    client,
    connector: ConnectorStub,
    issuer: TokenIssuer,
    sqlite_database: Database,
    caplog: pytest.LogCaptureFixture,
):
    header = BAD_HEADERS[case](issuer, connector)
    headers = {} if header is None else {"Authorization": header}
    with caplog.at_level(logging.WARNING, logger="bot.teams.endpoint"):
        response = await client.post(
            "/api/messages", json=act.installation_update(connector.url, "eve"), headers=headers
        )
    body = await response.text()

    assert response.status == 401, body
    assert body == '{"error": "Unauthorized"}'
    assert any(
        r.name == "bot.teams.endpoint" and "rejected request" in r.getMessage()
        for r in caplog.records
    )
    assert connector.activities == []
    assert stored(sqlite_database, ParticipantRow) == []
    assert stored(sqlite_database, ConversationReferenceRow) == []


@pytest.mark.parametrize(
    "body, content_type", [(b"{not json", "application/json"), (b"hallo", "text/plain")]
)
async def test_without_a_token_even_a_broken_request_gets_401(
    client, body: bytes, content_type: str
):
    """Who has no token learns nothing about what the bot accepts."""
    response = await client.post("/api/messages", data=body, headers={"Content-Type": content_type})
    assert response.status == 401


async def test_rejection_log_names_the_reason_but_never_the_token(
    client, connector: ConnectorStub, issuer: TokenIssuer, caplog: pytest.LogCaptureFixture
):
    token = valid(issuer, connector, audience=OTHER_APP_ID)
    with caplog.at_level(logging.DEBUG):
        response = await client.post(
            "/api/messages",
            json=act.message(connector.url, "eve", "ja"),
            headers={"Authorization": token},
        )
    assert response.status == 401
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert token.split(" ")[1] not in logged
    assert token.split(".")[1] not in logged  # not even the claims part


# ---------------------------------------------------------------- a valid token


@pytest.mark.parametrize("mode", ["configured"])  # needs the local Entra stand-in
async def test_valid_token_is_accepted_and_the_reply_carries_the_bots_own_token(
    mode: str,
    client,
    connector: ConnectorStub,
    issuer: TokenIssuer,
    make_app: MakeApp,
    caplog: pytest.LogCaptureFixture,
):
    response = await client.post(
        "/api/messages",
        json=act.installation_update(connector.url, "fien"),
        headers={"Authorization": valid(issuer, connector)},
    )
    assert response.status == 201
    greeting, consent_card = await connector.wait_for(2)
    assert "Uw privacy" in greeting["text"]
    assert consent_card["attachments"][0]["content"]["version"] == "1.5"
    assert greeting["_authorization"] == f"Bearer {issuer.issued_access_tokens[0]}"
    first = issuer.token_requests[0]
    assert first["client_id"] == APP_ID and first["grant_type"] == "client_credentials"

    response = await client.post(
        "/api/messages",
        json=act.message(connector.url, "fien", "ja"),
        headers={"Authorization": valid(issuer, connector)},
    )
    assert response.status == 201
    await connector.wait_for(3)
    assert connector.activities[-1]["_authorization"].startswith("Bearer stub-access-token-")
    assert issuer.metadata_requests == 1  # botbuilder caches the channel's keys per metadata URL


@pytest.mark.parametrize("mode", ["configured"])  # needs the local Entra stand-in
async def test_the_bot_reuses_its_outbound_token_across_turns(
    mode: str, client, connector: ConnectorStub, issuer: TokenIssuer
):
    """botbuilder builds new credentials (a new msal app, an empty token cache) for every turn;
    without the bot's credential cache each reply cost a blocking token request to Entra."""
    await client.post(
        "/api/messages",
        json=act.installation_update(connector.url, "ida"),
        headers={"Authorization": valid(issuer, connector)},
    )
    for text in ("ja", "5", "Utrecht", "status"):
        response = await client.post(
            "/api/messages",
            json=act.message(connector.url, "ida", text),
            headers={"Authorization": valid(issuer, connector)},
        )
        assert response.status == 201
    assert len(connector.activities) >= 6
    assert {a["_authorization"] for a in connector.activities} == {
        f"Bearer {issuer.issued_access_tokens[0]}"
    }
    assert len(issuer.token_requests) == 1
    assert issuer.discovery_requests == 1


async def test_valid_token_whose_reply_cannot_get_an_outbound_token_is_handled_by_the_error_handler(
    mode: str,
    client,
    connector: ConnectorStub,
    issuer: TokenIssuer,
    sqlite_database: Database,
    caplog: pytest.LogCaptureFixture,
):
    """Authenticated, handled and stored — but the reply needs a token from Entra, which fails here
    (public cloud: unreachable; configured: the stub refuses a wrong secret). The turn's error
    handler logs it with a correlation code, the apology fails the same way, nothing crashes."""
    if mode == "configured":
        issuer.client_secret = "rotated-secret"
    with caplog.at_level(logging.INFO):
        response = await client.post(
            "/api/messages",
            json=act.installation_update(connector.url, "gijs"),
            headers={"Authorization": valid(issuer, connector)},
        )
    assert response.status == 201
    assert connector.activities == []
    failed = [
        r for r in caplog.records if r.getMessage().startswith("teams turn failed correlation=")
    ]
    assert len(failed) == 1 and failed[0].levelno == logging.ERROR
    correlation = failed[0].getMessage().split("correlation=")[1].split()[0]
    assert any(
        f"apology could not be sent correlation={correlation}" in r.getMessage()
        for r in caplog.records
    )
    assert not any("rejected request" in r.getMessage() for r in caplog.records)
    # The domain handled the event before the reply failed: the participant and their
    # conversation reference are stored (a proactive resend can reach them later).
    assert len(stored(sqlite_database, ParticipantRow)) == 1
    assert len(stored(sqlite_database, ConversationReferenceRow)) == 1


# ---------------------------------------------------------------- local mode


@pytest.fixture
def local_settings(sqlite_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=sqlite_url,
        demo_calendar=False,
        pseudonym_secret="9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e",
        pseudonym_secret_file=tmp_path / "secret",
    )


async def test_local_mode_accepts_requests_without_a_token_and_warns_loudly(
    aiohttp_client,
    local_settings: Settings,
    make_app: MakeApp,
    connector: ConnectorStub,
    caplog: pytest.LogCaptureFixture,
):
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        app = make_app(local_settings)
    warnings = [r for r in caplog.records if r.name == "bot.app" and r.levelno == logging.WARNING]
    assert any(
        "LOCAL MODE" in r.getMessage() and "NOT validated" in r.getMessage() for r in warnings
    )

    client = await aiohttp_client(app)
    response = await client.post(
        "/api/messages", json=act.installation_update(connector.url, "hans")
    )
    assert response.status == 201
    seen = await connector.wait_for(2)
    assert seen[0]["_authorization"] is None  # no credentials, so no token on the replies either


async def test_configured_mode_does_not_warn_about_local_mode(
    settings: Settings, make_app: MakeApp, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        make_app(settings)
    assert not any("LOCAL MODE" in r.getMessage() for r in caplog.records)


def test_an_app_id_given_in_code_is_not_silently_dropped(tmp_path: Path):
    """The fields have environment aliases (MICROSOFT_APP_ID, ...); their own names must work too,
    or Settings(app_id=...) would quietly run the bot in local mode."""
    settings = Settings(
        app_id=APP_ID,
        app_password=PASSWORD,
        app_tenant_id=TENANT,
        pseudonym_secret="9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e",
        pseudonym_secret_file=tmp_path / "secret",
    )
    assert (
        settings.app_id == APP_ID and settings.app_tenant_id == TENANT and not settings.local_mode
    )


# ---------------------------------------------------------------- nothing read before the token

ODD_BODIES = {
    "bogus charset": (b'{"type": "message"}', "application/json; charset=bogus-42"),
    "200 KB of brackets": (b"[" * 200_000, "application/json"),
    "not json": (b"{not json", "application/json"),
    "plain text": (b"hallo", "text/plain"),
}


@pytest.mark.parametrize("case", list(ODD_BODIES))
async def test_an_odd_body_with_a_bad_token_gets_401_not_500(
    case: str, client, caplog: pytest.LogCaptureFixture
):
    body, content_type = ODD_BODIES[case]
    with caplog.at_level(logging.INFO):
        response = await client.post(
            "/api/messages",
            data=body,
            headers={"Authorization": "Bearer x", "Content-Type": content_type},
        )
    assert response.status == 401
    assert await response.json() == {"error": "Unauthorized"}
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
        "rejected request: token is not a JWT"
    ]
    assert not any(r.exc_info for r in caplog.records)


@pytest.mark.parametrize("case", list(ODD_BODIES))
async def test_an_odd_body_with_a_valid_token_gets_a_friendly_4xx(
    case: str, client, issuer: TokenIssuer, connector: ConnectorStub, caplog
):
    body, content_type = ODD_BODIES[case]
    with caplog.at_level(logging.INFO):
        response = await client.post(
            "/api/messages",
            data=body,
            headers={"Authorization": valid(issuer, connector), "Content-Type": content_type},
        )
    assert response.status == (415 if content_type == "text/plain" else 400)
    assert "error" in await response.json()
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and warnings[0].getMessage().startswith("rejected request")
    assert not any(r.exc_info for r in caplog.records)


# ---------------------------------------------------------------- signing-key rotation


async def test_after_bot_framework_rotates_its_keys_the_new_key_is_fetched_once(
    client, connector: ConnectorStub, issuer: TokenIssuer
):
    first = await client.post(
        "/api/messages",
        json=act.installation_update(connector.url, "rob"),
        headers={"Authorization": valid(issuer, connector)},
    )
    assert first.status == 201
    fetched = issuer.metadata_requests
    issuer.published = SigningKey("bf-key-2", issuer.unpublished.private)  # the rotation
    for user in ("sam", "tim"):
        response = await client.post(
            "/api/messages",
            json=act.installation_update(connector.url, user),
            headers={"Authorization": valid(issuer, connector)},
        )
        assert response.status == 201
    assert issuer.metadata_requests == fetched + 1  # refreshed once, then known


async def test_made_up_key_ids_do_not_refetch_the_keys_on_every_request(
    client, connector: ConnectorStub, issuer: TokenIssuer
):
    for number in range(4):
        response = await client.post(
            "/api/messages",
            json=act.installation_update(connector.url, f"mallory{number}"),
            headers={"Authorization": valid(issuer, connector, kid=f"made-up-{number}")},
        )
        assert response.status == 401
    assert issuer.metadata_requests <= 2  # the first fetch, and one refresh for an unknown id
