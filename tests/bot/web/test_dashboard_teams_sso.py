"""The dashboard as a Teams tab, signed in with Teams single sign-on: the token Teams hands the
tab is checked for real against a local stand-in for Entra ID (OpenID metadata and JWKS over
HTTPS, tokens signed with the stub's RSA keys, real-shaped claims). A valid token of a listed
facilitator opens a session in the tab's partitioned cookie; any other token is refused, logged in
one line without the token, and audited."""

from __future__ import annotations

import base64
import json
import logging
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp.test_utils import TestClient
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlmodel import select

from bot.app import create_app
from bot.runtime import Runtime
from bot.web import teams_tab
from bot.web.entra_tokens import LEEWAY, SsoTokens, TenantKeys, TokenRefused, https_json
from bot.web.security import TAB_COOKIE
from dialogen.dialogue.definition import Dialogue
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.audit import AuditRow
from dialogen.store.database import Database
from tests.bot.web.dashboard_fixtures import FENNA, FENNA_OID, MONDAY, build, hidden
from tests.support.clock import FakeClock
from tests.support.entra_stub import EntraStub, EntraUser
from tests.support.tls import make_certificates

TENANT = "0b6a4f6e-8d4f-4c2a-9a51-3c1f4f0b2d7e"
OTHER_TENANT = "9e0c1d2b-7a6f-4e5d-8c4b-3a2f1e0d9c8b"
CLIENT_ID = "4a1e6b2c-3d5f-4e7a-8b9c-0d1e2f3a4b5c"
PUBLIC = "https://dialoog.gemeente.example"
FENNA_USER = EntraUser(FENNA_OID, FENNA, "Fenna de Vries")
OLAF = EntraUser("a0c4d2e1-0000-4000-8000-000000000002", "olaf@gemeente.example", "Olaf")


@pytest.fixture
async def entra(tmp_path: Path) -> AsyncIterator[EntraStub]:
    stub = EntraStub(
        certificates=make_certificates(tmp_path / "tls"),
        tenant=TENANT,
        client_id=CLIENT_ID,
        client_secret="stub-client-secret-value",
    )
    await stub.start()
    yield stub
    await stub.close()


def _runtime(tmp_path: Path, database: Database, dialogue: Dialogue, registry: Any, **kw: Any):
    runtime, _ = build(
        tmp_path,
        database,
        dialogue,
        registry,
        FakeClock(MONDAY),
        facilitators=[FENNA_OID, "els@gemeente.example"],
        **kw,
    )
    return runtime


@pytest.fixture
def runtime(
    entra: EntraStub,
    tmp_path: Path,
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
) -> Runtime:
    return _runtime(
        tmp_path,
        sqlite_database,
        real_dialogue,
        registry,
        dashboard_client_id=CLIENT_ID,
        dashboard_client_secret="stub-client-secret-value",
        dashboard_tenant_id=TENANT,
        dashboard_authority_host=entra.origin,
        dashboard_ca_file=entra.certificates.ca_file,
        dashboard_public_url=PUBLIC,
    )


@pytest.fixture
async def client(aiohttp_client: Any, runtime: Runtime) -> TestClient:
    return await aiohttp_client(create_app(runtime))


async def _nonce(client: TestClient) -> str:
    page = await client.get("/dashboard/teams")
    assert page.status == 200
    return hidden(await page.text(), "nonce")


async def _sso(
    client: TestClient, token: str, *, nonce: str | None = None, origin: str | None = PUBLIC
) -> Any:
    headers = {"Origin": origin} if origin else {}
    return await client.post(
        "/dashboard/sso",
        data={"nonce": nonce or await _nonce(client), "token": token},
        headers=headers,
        allow_redirects=False,
    )


def _tab_cookie(response: Any) -> str | None:
    for header in response.headers.getall("Set-Cookie", []):
        if header.startswith(f"{TAB_COOKIE}="):
            return str(header)
    return None


def _session_of(response: Any) -> dict[str, str]:
    header = _tab_cookie(response)
    assert header, "no tab session cookie"
    return {"Cookie": header.split(";", 1)[0]}  # the browser sends it back inside Teams


def _audit(runtime: Runtime, action: str) -> list[AuditRow]:
    with runtime.database.unit_of_work() as session:
        return list(session.exec(select(AuditRow).where(AuditRow.action == action)).all())


def _unsigned(token: str) -> str:
    """The same claims with ``alg: none`` and no signature (the classic forgery)."""
    _, body, _ = token.split(".")
    head = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{head.decode().rstrip('=')}.{body}."


async def test_a_facilitator_in_teams_gets_the_dashboard_in_the_tab(
    client: TestClient, entra: EntraStub, runtime: Runtime
):
    response = await _sso(client, entra.sso_token(FENNA_USER))
    assert response.status == 303
    assert response.headers["Location"] == "/dashboard"
    cookie = _tab_cookie(response)
    assert cookie is not None
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "secure", "partitioned", "samesite=none", "path=/dashboard"} <= attributes
    page = await client.get("/dashboard", headers=_session_of(response))
    assert page.status == 200
    assert "Aangemeld als Fenna de Vries" in await page.text()
    assert "frame-ancestors https://teams.microsoft.com" in page.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in page.headers
    (signed_in,) = _audit(runtime, "dashboard_sign_in")
    assert signed_in.actor == FENNA_OID and signed_in.details["teams_tab"] is True


async def test_a_v1_token_for_the_resource_of_a_facilitator_listed_by_e_mail_is_accepted(
    client: TestClient, entra: EntraStub
):
    els = EntraUser("a0c4d2e1-0000-4000-8000-000000000001", "Els@Gemeente.example", "Els")
    response = await _sso(client, entra.sso_token(els, version="1.0"))
    assert response.status == 303
    page = await client.get("/dashboard/berichten", headers=_session_of(response))
    assert "Aangemeld als Els" in await page.text()


def _wrong_tokens(entra: EntraStub) -> dict[str, tuple[str, str]]:
    """Each a token that must be refused, with the reason the log names."""
    now = time.time()
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return {
        "for another app": (entra.sso_token(FENNA_USER, aud="api://elders/other"), "audience"),
        "from another issuer": (
            entra.sso_token(FENNA_USER, iss="https://login.example/evil/v2.0"),
            "issuer",
        ),
        "expired": (entra.sso_token(FENNA_USER, now=now - 7200), "expired"),
        "not yet valid": (entra.sso_token(FENNA_USER, nbf=int(now) + 3600), "not_yet_valid"),
        "unsigned (alg none)": (_unsigned(entra.sso_token(FENNA_USER)), "algorithm"),
        "signed with an unpublished key": (
            entra.sso_token(FENNA_USER, key=stranger),
            "signature",
        ),
        "of another tenant": (
            entra.sso_token(
                FENNA_USER,
                tid=OTHER_TENANT,
                iss=f"{entra.origin}/{OTHER_TENANT}/v2.0",
            ),
            "tenant",
        ),
        "without the tab's scope": (entra.sso_token(FENNA_USER, scp="User.Read"), "scope"),
        "without an expiry": (entra.sso_token(FENNA_USER, exp=None), "missing_claim"),
        "not a token at all": ("dit-is-geen-token", "malformed"),
    }


async def test_tokens_that_are_not_valid_sso_tokens_are_refused_logged_and_audited(
    client: TestClient, entra: EntraStub, runtime: Runtime, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    for case, (token, reason) in _wrong_tokens(entra).items():
        caplog.clear()
        response = await _sso(client, token)
        assert response.status == 403, case
        assert "Aanmelden via Teams is niet gelukt" in await response.text(), case
        assert _tab_cookie(response) is None, case
        refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
        assert refusals == [
            f"dashboard refused path=/dashboard/sso reason=sso_refused detail={reason}"
        ], case
        assert not any(token in r.getMessage() for r in caplog.records), case
    audited = [r.details["detail"] for r in _audit(runtime, "refused")]
    assert audited == [reason for _, reason in _wrong_tokens(entra).values()]
    assert _audit(runtime, "dashboard_sign_in") == []


async def test_an_unknown_key_id_fetches_the_keys_again_once(client: TestClient, entra: EntraStub):
    assert (await _sso(client, entra.sso_token(FENNA_USER))).status == 303
    assert entra.jwks_requests == 1
    entra.rotate("rolled-2026")  # Entra rolls its keys: tokens now name a key the bot lacks
    assert (await _sso(client, entra.sso_token(FENNA_USER))).status == 303
    assert entra.jwks_requests == 2
    made_up = entra.sso_token(FENNA_USER, headers={"kid": "made-up"})
    assert (await _sso(client, made_up)).status == 403
    assert (await _sso(client, made_up)).status == 403
    assert entra.jwks_requests == 2  # made-up key ids do not make the bot fetch every time


async def test_someone_in_the_tenant_who_is_no_facilitator_gets_the_403_page(
    client: TestClient, entra: EntraStub, runtime: Runtime
):
    response = await _sso(client, entra.sso_token(OLAF))
    assert response.status == 403
    page = await response.text()
    assert "alleen voor de begeleiders" in page
    assert 'href="/dashboard/teams"' in page  # in the tab: try again there, not Entra's page
    assert (
        "frame-ancestors https://teams.microsoft.com" in response.headers["Content-Security-Policy"]
    )
    assert _tab_cookie(response) is None
    assert [r.details["reason"] for r in _audit(runtime, "refused")] == ["not_facilitator"]


async def test_the_sign_in_needs_the_tab_page_nonce_once_and_its_own_origin(
    client: TestClient, entra: EntraStub
):
    token = entra.sso_token(FENNA_USER)
    nonce = await _nonce(client)
    assert (await _sso(client, token, nonce=nonce, origin="https://elders.example")).status == 403
    assert (await _sso(client, token, nonce=nonce, origin=None)).status == 403
    assert (await _sso(client, token, nonce="verzonnen")).status == 403
    assert (await _sso(client, token, nonce=nonce)).status == 303
    again = await _sso(client, token, nonce=nonce)
    assert again.status == 403
    assert "Begin opnieuw met aanmelden" in await again.text()


async def test_a_tab_session_needs_the_csrf_token_for_every_action(
    client: TestClient, entra: EntraStub, runtime: Runtime
):
    session = _session_of(await _sso(client, entra.sso_token(FENNA_USER)))
    page = await client.get("/dashboard/berichten", headers=session)
    csrf = hidden(await page.text(), "csrf")
    for path in (
        "/dashboard/berichten/voorbeeld",
        "/dashboard/moderatie/vraag",
        "/dashboard/afmelden",
    ):
        refused = await client.post(path, data={}, headers=session, allow_redirects=False)
        assert refused.status == 403, path
        assert "het formulier is verlopen" in await refused.text(), path
    out = await client.post(
        "/dashboard/afmelden", data={"csrf": csrf}, headers=session, allow_redirects=False
    )
    assert out.status == 303
    assert out.headers["Location"] == "/dashboard/teams?afgemeld=1"
    cleared = _tab_cookie(out)
    assert cleared is not None and "max-age=0" in cleared.lower()
    gone = await client.get("/dashboard", headers=session, allow_redirects=False)
    assert gone.status == 303 and gone.headers["Location"].startswith("/dashboard/teams?terug=")


async def test_the_tab_page_is_framed_by_teams_only_and_the_sign_in_page_by_nobody(
    client: TestClient,
):
    tab = await client.get("/dashboard/teams")
    policy = tab.headers["Content-Security-Policy"]
    assert "frame-ancestors https://teams.microsoft.com https://*.teams.microsoft.com" in policy
    assert "https://*.cloud.microsoft" in policy and "'self'" not in policy.split("frame-")[1]
    page = await tab.text()
    assert re.search(r'<script src="/dashboard/static/vendor/teams-js/MicrosoftTeams.min.js"', page)
    assert '<script src="/dashboard/static/teams-tab.js"' in page
    login = await client.get("/dashboard/aanmelden")
    assert login.headers["Content-Security-Policy"].endswith("frame-ancestors 'none'")
    assert login.headers["X-Frame-Options"] == "DENY"
    # Without a session, a page opened in a frame goes to the tab's sign-in, not Entra's
    framed = await client.get(
        "/dashboard/themas", headers={"Sec-Fetch-Dest": "iframe"}, allow_redirects=False
    )
    target = urlsplit(framed.headers["Location"])
    assert (target.path, parse_qs(target.query)) == (
        "/dashboard/teams",
        {"terug": ["/dashboard/themas"]},
    )


async def test_without_teams_js_the_tab_says_so_and_links_to_the_browser(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.setattr(teams_tab, "TEAMS_JS", tmp_path / "ontbreekt.js")
    page = await (await client.get("/dashboard/teams")).text()
    assert "de Teams-koppeling (TeamsJS) is niet op de server geïnstalleerd" in page
    assert f'href="{PUBLIC}/dashboard" target="_blank"' in page
    assert '<script src="/dashboard/static/teams-tab.js"' not in page


async def test_over_plain_http_the_tab_sends_people_to_the_browser(
    aiohttp_client: Any,
    entra: EntraStub,
    tmp_path: Path,
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
):
    plain = _runtime(
        tmp_path,
        sqlite_database,
        real_dialogue,
        registry,
        dashboard_client_id=CLIENT_ID,
        dashboard_client_secret="stub-client-secret-value",
        dashboard_tenant_id=TENANT,
        dashboard_authority_host=entra.origin,
        dashboard_ca_file=entra.certificates.ca_file,
        dashboard_public_url="http://127.0.0.1:3978",
    )
    client = await aiohttp_client(create_app(plain))
    page = await (await client.get("/dashboard/teams")).text()
    assert "werkt alleen als het dashboard via https bereikbaar is" in page
    assert 'name="nonce"' not in page


async def test_without_an_entra_app_there_is_no_teams_sign_in(
    aiohttp_client: Any,
    tmp_path: Path,
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
):
    dev = await aiohttp_client(
        create_app(_runtime(tmp_path, sqlite_database, real_dialogue, registry))
    )
    page = await (await dev.get("/dashboard/teams")).text()
    assert "Aanmelden via Teams is niet ingesteld" in page
    assert (await dev.post("/dashboard/sso", data={})).status in (404, 405)


async def test_expiry_is_checked_against_the_clock_with_a_small_leeway(entra: EntraStub):
    at = 1_800_000_000.0
    tokens = SsoTokens(
        tenant=TENANT,
        client_id=CLIENT_ID,
        resource=None,
        keys=TenantKeys(
            f"{entra.origin}/{TENANT}/v2.0/.well-known/openid-configuration",
            https_json(entra.certificates.ca_file),
        ),
        now=lambda: at,
    )
    just_expired = entra.sso_token(FENNA_USER, now=at - 3600 - LEEWAY + 5)
    assert (await tokens.claims(just_expired))["oid"] == FENNA_OID
    with pytest.raises(TokenRefused) as refused:
        await tokens.claims(entra.sso_token(FENNA_USER, now=at - 3600 - LEEWAY - 5))
    assert refused.value.reason == "expired"
    early = entra.sso_token(FENNA_USER, now=at + LEEWAY - 5)
    assert (await tokens.claims(early))["tid"] == TENANT
    with pytest.raises(TokenRefused) as refused:
        await tokens.claims(entra.sso_token(FENNA_USER, now=at + LEEWAY + 5))
    assert refused.value.reason == "not_yet_valid"
