"""Signing in to the dashboard with Entra ID (msal, authorization code flow with PKCE) against a
local stand-in for Entra's endpoints over HTTPS: only listed facilitators get a session; a reply
that does not belong to this browser's sign-in, or comes twice, is refused."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from dialogen.dialogue.definition import Dialogue
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.database import Database
from tests.bot.web.dashboard_fixtures import FENNA, FENNA_OID, MONDAY, build
from tests.support.clock import FakeClock
from tests.support.entra_stub import EntraStub, EntraUser
from tests.support.tls import make_certificates

TENANT = "0b6a4f6e-8d4f-4c2a-9a51-3c1f4f0b2d7e"
CLIENT_ID = "4a1e6b2c-3d5f-4e7a-8b9c-0d1e2f3a4b5c"
SECRET = "stub-client-secret-value"


@pytest.fixture
async def entra(tmp_path: Path) -> AsyncIterator[EntraStub]:
    stub = EntraStub(
        certificates=make_certificates(tmp_path / "tls"),
        tenant=TENANT,
        client_id=CLIENT_ID,
        client_secret=SECRET,
    )
    await stub.start()
    yield stub
    await stub.close()


@pytest.fixture
async def client(
    aiohttp_client: Any,
    entra: EntraStub,
    tmp_path: Path,
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
) -> TestClient:
    runtime, _ = build(
        tmp_path,
        sqlite_database,
        real_dialogue,
        registry,
        FakeClock(MONDAY),
        facilitators=[FENNA_OID, "els@gemeente.example"],
        dashboard_client_id=CLIENT_ID,
        dashboard_client_secret=SECRET,
        dashboard_tenant_id=TENANT,
        dashboard_authority_host=entra.origin,
        dashboard_ca_file=entra.certificates.ca_file,
        dashboard_public_url="http://127.0.0.1:3978",
    )
    return await aiohttp_client(create_app(runtime))


async def _at_entra(entra: EntraStub, url: str) -> str:
    """What the browser does at Entra: follow the authorize URL, get the reply's address."""
    context = ssl.create_default_context(cafile=str(entra.certificates.ca_file))
    async with aiohttp.ClientSession() as browser:
        response = await browser.get(url, ssl=context, allow_redirects=False)
        assert response.status == 302, await response.text()
        return response.headers["Location"]


async def _sign_in(client: TestClient, entra: EntraStub, user: EntraUser) -> tuple[Any, str]:
    entra.user = user
    start = await client.get(
        "/dashboard/aanmelden/entra?terug=/dashboard/berichten", allow_redirects=False
    )
    assert start.status == 303
    reply = await _at_entra(entra, start.headers["Location"])
    parts = urlsplit(reply)
    assert parts.path == "/dashboard/aanmelden/antwoord"
    back = f"{parts.path}?{parts.query}"
    return await client.get(back, allow_redirects=False), back


async def test_a_listed_facilitator_signs_in_with_pkce(client: TestClient, entra: EntraStub):
    page = await client.get("/dashboard/aanmelden")
    assert "Aanmelden met uw Microsoft-account" in await page.text()
    response, _ = await _sign_in(client, entra, EntraUser(FENNA_OID, FENNA, "Fenna de Vries"))
    assert response.status == 303
    assert response.headers["Location"] == "/dashboard/berichten"
    asked = entra.authorize_requests[-1]
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) >= 43
    assert "openid" in asked["scope"] and asked["redirect_uri"].endswith("/aanmelden/antwoord")
    page = await client.get("/dashboard/berichten")
    assert page.status == 200
    assert "Aangemeld als Fenna de Vries" in await page.text()


async def test_a_facilitator_listed_by_e_mail_signs_in(client: TestClient, entra: EntraStub):
    user = EntraUser("a0c4d2e1-0000-4000-8000-000000000001", "Els@Gemeente.example", "Els")
    response, _ = await _sign_in(client, entra, user)
    assert response.status == 303


async def test_someone_else_in_the_tenant_gets_a_403(client: TestClient, entra: EntraStub):
    user = EntraUser("a0c4d2e1-0000-4000-8000-000000000002", "olaf@gemeente.example", "Olaf")
    response, _ = await _sign_in(client, entra, user)
    assert response.status == 403
    assert "alleen voor de begeleiders" in await response.text()
    assert (await client.get("/dashboard", allow_redirects=False)).status == 303


async def test_a_reply_used_twice_is_refused(client: TestClient, entra: EntraStub):
    response, back = await _sign_in(client, entra, EntraUser(FENNA_OID, FENNA, "Fenna"))
    assert response.status == 303
    again = await client.get(back, allow_redirects=False)
    assert again.status == 403


async def test_a_reply_for_another_browser_is_refused(
    client: TestClient, entra: EntraStub, aiohttp_client: Any
):
    entra.user = EntraUser(FENNA_OID, FENNA, "Fenna")
    start = await client.get("/dashboard/aanmelden/entra", allow_redirects=False)
    reply = urlsplit(await _at_entra(entra, start.headers["Location"]))
    client.session.cookie_jar.clear()  # the reply arrives in a browser that did not start it
    response = await client.get(f"{reply.path}?{reply.query}", allow_redirects=False)
    assert response.status == 403
    assert "Begin opnieuw met aanmelden" in await response.text()
    assert parse_qs(reply.query)["state"]


async def test_a_refusal_at_entra_signs_nobody_in(client: TestClient, entra: EntraStub):
    entra.user = None  # the user cancels at the login page
    start = await client.get("/dashboard/aanmelden/entra", allow_redirects=False)
    reply = urlsplit(await _at_entra(entra, start.headers["Location"]))
    response = await client.get(f"{reply.path}?{reply.query}", allow_redirects=False)
    assert response.status == 403
    assert "Aanmelden is niet gelukt" in await response.text()
    assert entra.token_requests == 0


async def test_no_development_sign_in_when_entra_is_configured(client: TestClient):
    response = await client.post("/dashboard/aanmelden/lokaal", data={"wie": FENNA})
    assert response.status in (404, 405)
