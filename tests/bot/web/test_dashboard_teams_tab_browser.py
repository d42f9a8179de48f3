"""The dashboard's Teams tab in headless Chromium (Debian's, driven by Playwright): a page at
https://teams.microsoft.com (answered by the test through Playwright's routing, so no network)
plays the Teams client. It frames the tab page of a dashboard served over HTTPS and answers
TeamsJS's postMessage protocol as Teams does — ``initialize`` (frame context, host client type,
runtime configuration) and ``authentication.getAuthToken`` (the SSO token, signed by the local
Entra stand-in). The tab page loads the real TeamsJS (scripts/setup.d/40-teams-js.sh), signs in
with the token under its real CSP and partitioned cookie, and shows the dashboard's overview
inside the frame. The tab page also passes axe-core's WCAG 2.1 AA rules.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.runtime import Runtime
from bot.web.teams_tab import TEAMS_JS
from dialogen.dialogue.definition import Dialogue
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.database import Database
from tests.bot.web.dashboard_fixtures import FENNA_OID, MONDAY, build
from tests.bot.web.test_dashboard_browser import CHROMIUM, axe_violations
from tests.support.clock import FakeClock
from tests.support.entra_stub import EntraStub, EntraUser
from tests.support.tls import make_certificates

playwright_api = pytest.importorskip("playwright.async_api")

if not TEAMS_JS.is_file():
    reason = "TeamsJS missing: run scripts/setup.d/40-teams-js.sh"
    if os.environ.get("CI"):
        raise RuntimeError(reason)  # never a silent skip in CI
    pytest.skip(reason, allow_module_level=True)

TENANT = "0b6a4f6e-8d4f-4c2a-9a51-3c1f4f0b2d7e"
CLIENT_ID = "4a1e6b2c-3d5f-4e7a-8b9c-0d1e2f3a4b5c"
TEAMS = "https://teams.microsoft.com"
FENNA = EntraUser(FENNA_OID, "fenna@gemeente.example", "Fenna de Vries")

# What Teams answers to ``initialize``: the frame context, the host client type, the runtime
# configuration (as a JSON string) and the TeamsJS version the host supports.
RUNTIME = {
    "apiVersion": 4,
    "hostVersionsInfo": {"adaptiveCardSchemaVersion": {"majorVersion": 1, "minorVersion": 5}},
    "isLegacyTeams": False,
    "supports": {
        "appEntity": {},
        "pages": {"appButton": {}, "tabs": {}, "config": {}, "backStack": {}, "fullTrust": {}},
        "teamsCore": {},
    },
}

# The stand-in Teams client: frames the tab and answers the tab's requests (the message's id and
# uuid back, with the results in ``args``), only from the tab's frame, to the tab's origin.
HOST_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Microsoft Teams (nagebootst)</title></head>
<body>
<iframe id="tab" title="Dashboard" src="{tab}" width="1280" height="760"></iframe>
<script>
window.hostCalls = [];
window.addEventListener("message", function (event) {{
  var tab = document.getElementById("tab").contentWindow;
  var request = event.data;
  if (event.source !== tab || !request || typeof request.func !== "string") {{ return; }}
  window.hostCalls.push({{func: request.func, origin: event.origin, args: request.args}});
  var answers = {{
    "initialize": ["content", "web", JSON.stringify({runtime}), "2.58.0"],
    "authentication.getAuthToken": {token_answer}
  }};
  var args = answers[request.func];
  if (!args) {{ return; }}
  tab.postMessage({{id: request.id, uuidAsString: request.uuidAsString, args: args}},
                  event.origin);
}});
</script>
</body></html>
"""


@pytest.fixture
async def entra(tmp_path: Path) -> AsyncIterator[EntraStub]:
    stub = EntraStub(
        certificates=make_certificates(tmp_path / "entra-tls"),
        tenant=TENANT,
        client_id=CLIENT_ID,
        client_secret="stub-client-secret-value",
    )
    await stub.start()
    yield stub
    await stub.close()


@pytest.fixture
async def tab_site(
    tmp_path: Path,
    entra: EntraStub,
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
) -> AsyncIterator[tuple[str, Runtime]]:
    runtime, _ = build(
        tmp_path,
        sqlite_database,
        real_dialogue,
        registry,
        FakeClock(MONDAY.replace(hour=11)),
        facilitators=[FENNA_OID],
        dashboard_client_id=CLIENT_ID,
        dashboard_client_secret="stub-client-secret-value",
        dashboard_tenant_id=TENANT,
        dashboard_authority_host=entra.origin,
        dashboard_ca_file=entra.certificates.ca_file,
    )
    certificates = make_certificates(tmp_path / "bot-tls")
    server = TestServer(create_app(runtime), scheme="https", host="127.0.0.1")
    await server.start_server(ssl=certificates.server_context())
    yield str(server.make_url("")).rstrip("/"), runtime
    await server.close()


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    async with playwright_api.async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        await chromium.close()


async def _in_teams(browser: Any, base: str, token_answer: list[Any]) -> Any:
    """A page at Teams' address whose tab frame is the dashboard's tab page."""
    # The bot's certificate comes from the tests' own CA, which Chromium does not know.
    context = await browser.new_context(
        viewport={"width": 1366, "height": 820}, locale="nl-NL", ignore_https_errors=True
    )
    html = HOST_PAGE.format(
        tab=f"{base}/dashboard/teams",
        runtime=json.dumps(RUNTIME),
        token_answer=json.dumps(token_answer),
    )

    async def teams(route: Any) -> None:
        await route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    await context.route(f"{TEAMS}/**", teams)
    # Chromium asks before a public page (Teams) reaches a loopback address (the bot in this
    # test); the person using Teams would allow it, so the test does.
    await context.grant_permissions(["local-network-access"], origin=TEAMS)
    page = await context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("console", lambda m: print("console", m.type, m.text))  # shown when a test fails
    await page.goto(f"{TEAMS}/_#/apps/dialoogbot/dashboard")
    return page


async def test_the_tab_signs_in_with_teams_and_shows_the_overview_inside_teams(
    tab_site: tuple[str, Runtime], entra: EntraStub, browser: Any, tmp_path: Path
):
    base, _ = tab_site
    page = await _in_teams(browser, base, [True, entra.sso_token(FENNA)])
    tab = page.frame_locator("#tab")
    heading = tab.get_by_role("heading", level=1)
    await heading.wait_for()
    await tab.get_by_text("Aangemeld als Fenna de Vries").wait_for()
    assert await heading.inner_text() == "Overzicht van de dialoog"
    calls = await page.evaluate("window.hostCalls.map(c => c.func)")
    assert calls[:2] == ["initialize", "authentication.getAuthToken"]
    origins = set(await page.evaluate("window.hostCalls.map(c => c.origin)"))
    assert origins == {base}
    # the session lives in the partitioned cookie, for the bot's site inside Teams only
    cookies = await page.context.cookies()
    (session,) = [c for c in cookies if c["name"] == "dialoog_dashboard_teams"]
    assert (session["sameSite"], session["secure"], session["httpOnly"]) == ("None", True, True)
    assert session.get("partitionKey") == "https://microsoft.com"  # Teams' site only
    # the same browser, outside Teams: the tab's session is not there
    outside = await page.context.new_page()
    await outside.goto(f"{base}/dashboard")
    assert outside.url.startswith(f"{base}/dashboard/aanmelden")
    await outside.close()
    # another page of the dashboard, inside the frame, with the same session
    await tab.get_by_role("link", name="Berichten").click()
    await tab.get_by_role("heading", name="Oproepen en herinneringen").wait_for()
    shots = Path(os.environ.get("DIALOOG_SCREENSHOTS") or tmp_path)
    await page.screenshot(path=str(shots / "teams-tab.png"), full_page=True)
    assert page.problems == []


async def test_when_teams_cannot_give_a_token_the_tab_says_so_in_dutch(
    tab_site: tuple[str, Runtime], browser: Any, tmp_path: Path
):
    base, _ = tab_site
    page = await _in_teams(browser, base, [False, "resourceDisabled"])
    status = page.frame_locator("#tab").locator("#teams-status")
    await status.get_by_text("Aanmelden via Teams is niet gelukt").wait_for()
    shots = Path(os.environ.get("DIALOOG_SCREENSHOTS") or tmp_path)
    await page.screenshot(path=str(shots / "teams-tab-geweigerd.png"))
    link = page.frame_locator("#tab").get_by_role("link", name="Open het dashboard in uw browser")
    assert await link.get_attribute("href") == f"{base}/dashboard"


async def test_the_tab_page_passes_axe(tab_site: tuple[str, Runtime], browser: Any):
    base, _ = tab_site
    # axe-core is injected by the test, which the page's CSP would refuse: bypass it here only.
    context = await browser.new_context(locale="nl-NL", ignore_https_errors=True, bypass_csp=True)
    page = await context.new_page()
    for path in ("/dashboard/teams", "/dashboard/teams?afgemeld=1"):
        await page.goto(base + path)
        assert await page.get_by_role("heading", level=1).inner_text() == "Dashboard in Teams"
        assert await axe_violations(page) == [], path
    # outside Teams (no host frame) TeamsJS cannot start: the page says so
    await page.goto(base + "/dashboard/teams")
    await page.locator("#teams-status").get_by_text("niet gelukt").wait_for()
