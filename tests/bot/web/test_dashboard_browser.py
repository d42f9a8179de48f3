"""The dashboard in headless Chromium (Debian's, driven by Playwright): signing in is required,
every page renders with a dialogue in progress and passes axe-core's WCAG 2.1 AA rules, actions
need a confirmation that works once, figures refresh while the page is open, and the refusals
show a Dutch page. Screenshots of every page land in the test's folder (or
``DIALOOG_SCREENSHOTS``) to be looked at.

axe-core (npm, tests/browser) is injected into the page by these tests only; the dashboard's CSP
would refuse it, so only the test's browser context bypasses the CSP.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer
from sqlmodel import select

from bot.app import create_app
from bot.runtime import Runtime
from dialogen.dialogue.definition import Dialogue
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.database import Database
from dialogen.store.outbox import OutboxRow
from tests.bot.web.dashboard_fixtures import FENNA, MONDAY, OUTSIDER, build
from tests.support.clock import FakeClock
from tests.support.dashboard_world import World

playwright_api = pytest.importorskip("playwright.async_api")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = Path(__file__).resolve().parents[2] / "browser" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "overzicht": ("", "Overzicht van de dialoog"),
    "vertegenwoordiging": ("/vertegenwoordiging", "Vertegenwoordiging: stap Verrijken"),
    "moderatie": ("/moderatie", "Moderatie"),
    "berichten": ("/berichten", "Oproepen en herinneringen"),
    "themas": ("/themas", "Thema's"),
    "rapport": ("/rapport", "Rapport en exports"),
}

if not (CHROMIUM and AXE.exists()):
    reason = "chromium or axe-core missing: run scripts/setup.d/30-browser.sh"
    if os.environ.get("CI"):
        raise RuntimeError(reason)  # never a silent skip in CI
    pytest.skip(reason, allow_module_level=True)


@pytest.fixture
def monday() -> FakeClock:
    return FakeClock(MONDAY.replace(hour=11))  # inside the send window


@pytest.fixture
async def site(
    tmp_path: Path,
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
    monday: FakeClock,
) -> AsyncIterator[tuple[str, Runtime, World]]:
    runtime, world = build(tmp_path, sqlite_database, real_dialogue, registry, monday)
    server = TestServer(create_app(runtime), host="127.0.0.1")
    await server.start_server()
    yield str(server.make_url("")).rstrip("/"), runtime, world
    await server.close()


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    async with playwright_api.async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        await chromium.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("DIALOOG_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def new_page(browser: Any) -> Any:
    context = await browser.new_context(
        viewport={"width": 1366, "height": 800}, locale="nl-NL", bypass_csp=True
    )
    page = await context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    return page


async def sign_in(page: Any, base: str, who: str = FENNA, path: str = "") -> None:
    await page.goto(f"{base}/dashboard{path}")
    assert "Aanmelden" in await page.title()
    await page.get_by_label("E-mailadres of object-id").fill(who)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Aanmelden").click()


async def axe_violations(page: Any) -> list[str]:
    await page.add_script_tag(path=str(AXE))
    found = await page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations
            .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""
    )
    return list(found)


async def test_every_page_needs_sign_in_renders_and_passes_axe(
    site: tuple[str, Runtime, World], browser: Any, shots: Path
):
    base, _, _ = site
    page = await new_page(browser)
    await sign_in(page, base, path="/berichten")
    await page.wait_for_url(f"{base}/dashboard/berichten")  # back where the visitor wanted to go
    for name, (path, heading) in PAGES.items():
        await page.goto(f"{base}/dashboard{path}")
        assert await page.get_by_role("heading", level=1).inner_text() == heading
        assert await page.locator("nav a[aria-current=page]").count() == 1
        await page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
        assert await axe_violations(page) == [], name
    await page.goto(f"{base}/dashboard")
    await page.get_by_text("De cijfers van de grafiek als tabel").click()
    assert await page.locator("details table tbody tr").count() == 4  # 3 days built + today
    assert await page.locator("figure.chart > svg polyline").count() >= 1
    assert page.errors == []


async def test_the_login_page_and_refusals_pass_axe(
    site: tuple[str, Runtime, World], browser: Any, shots: Path
):
    base, _, _ = site
    page = await new_page(browser)
    await page.goto(f"{base}/dashboard")
    await page.screenshot(path=str(shots / "aanmelden.png"), full_page=True)
    assert await axe_violations(page) == []
    await sign_in(page, base, OUTSIDER)
    assert "alleen voor de begeleiders" in await page.locator("main").inner_text()
    await page.screenshot(path=str(shots / "geweigerd.png"), full_page=True)
    assert await axe_violations(page) == []


async def test_keyboard_reaches_the_content_with_visible_focus(
    site: tuple[str, Runtime, World], browser: Any
):
    base, _, _ = site
    page = await new_page(browser)
    await sign_in(page, base)
    await page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert await focused.inner_text() == "Naar de inhoud"
    outline = await focused.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"
    await page.keyboard.press("Enter")
    assert page.url.endswith("#inhoud")


def _outbox(runtime: Runtime) -> int:
    with runtime.database.unit_of_work() as session:
        return len(session.exec(select(OutboxRow)).all())


async def test_a_nudge_needs_confirmation_and_a_replay_sends_nothing(
    site: tuple[str, Runtime, World], browser: Any, shots: Path
):
    base, runtime, _ = site
    page = await new_page(browser)
    await sign_in(page, base, path="/berichten")
    await page.get_by_role("button", name="Herinnering voor Verrijken: voorbeeld").click()
    assert "Voorbeeld van de herinnering" in await page.get_by_role("heading", level=1).inner_text()
    await page.screenshot(path=str(shots / "voorbeeld.png"), full_page=True)
    assert await axe_violations(page) == []
    assert _outbox(runtime) == 0
    form = {
        name: await page.locator(f"form.confirm input[name={name}]").get_attribute("value")
        for name in ("csrf", "token")
    }
    await page.get_by_role("button", name="Bevestigen").click()
    assert "Bevestigd" in await page.locator("main").inner_text()
    sent = _outbox(runtime)
    assert sent > 0
    # the same confirmation again, from the same browser (its cookies)
    replay = await page.request.post(
        f"{base}/dashboard/berichten/bevestig", form={**form, "keuze": "bevestigen"}
    )
    assert "al beslist" in await replay.text()
    assert _outbox(runtime) == sent


async def test_moderation_asks_before_it_hides(
    site: tuple[str, Runtime, World], browser: Any, shots: Path
):
    base, _, world = site
    page = await new_page(browser)
    await sign_in(page, base, path="/moderatie")
    code = await page.locator("form input[name=code]").first.get_attribute("value")
    assert code in world.contribution_codes
    await page.get_by_label("Reden om te verbergen").first.fill("Niet over het onderwerp")
    await page.get_by_role("button", name="Verbergen…").first.click()
    assert "Weet u het zeker?" in await page.locator("h1").inner_text()
    await page.screenshot(path=str(shots / "moderatie-bevestigen.png"), full_page=True)
    assert await axe_violations(page) == []
    await page.get_by_role("button", name="Bevestigen").click()
    assert "verborgen" in (await page.locator("main").inner_text()).lower()
    await page.goto(f"{base}/dashboard/moderatie")
    assert code not in await page.locator("main").inner_text()


async def test_a_forged_csrf_token_gets_the_dutch_refusal(
    site: tuple[str, Runtime, World], browser: Any
):
    base, runtime, _ = site
    page = await new_page(browser)
    await sign_in(page, base, path="/berichten")
    await page.evaluate(
        "() => document.querySelectorAll('input[name=csrf]').forEach(i => i.value = 'vervalst')"
    )
    await page.get_by_role("button", name="Oproep voor Verrijken: voorbeeld").click()
    assert "formulier is verlopen" in await page.locator("main").inner_text()
    assert _outbox(runtime) == 0


async def test_an_expired_session_goes_back_to_sign_in(
    site: tuple[str, Runtime, World], browser: Any, monday: FakeClock
):
    base, _, _ = site
    page = await new_page(browser)
    await sign_in(page, base)
    monday.advance(minutes=45)
    await page.goto(f"{base}/dashboard/vertegenwoordiging")
    assert "Uw sessie is verlopen" in await page.locator("main").inner_text()


async def test_figures_refresh_while_the_page_is_open(
    site: tuple[str, Runtime, World], browser: Any, monday: FakeClock
):
    base, runtime, _ = site
    page = await new_page(browser)
    await page.clock.install()
    await sign_in(page, base)
    figure = page.locator('[data-figure="voorkeuren.reached"]')
    assert await page.locator('[data-figure="verrijken.reached"]').inner_text() == "60"
    runtime.audit.record(actor="scheduler", action="step_prompt", target="verrijken", count=7)
    await page.clock.fast_forward(31_000)
    await playwright_api.expect(page.locator('[data-figure="verrijken.reached"]')).to_have_text(
        "67"
    )
    assert await figure.count() == 0  # a step not open yet shows no figures
    await playwright_api.expect(page.locator("[data-updated]")).to_contain_text("Bijgewerkt om")


async def test_curated_themes_render_and_pass_axe(
    site: tuple[str, Runtime, World], browser: Any, shots: Path
):
    from tests.dialogen.test_theme_curation import add_contributions

    base, runtime, _ = site
    add_contributions(runtime.database, runtime.dialogue.key)
    page = await new_page(browser)
    await sign_in(page, base, path="/themas")
    await page.get_by_role("button", name="Thema's (opnieuw) berekenen…").click()
    await page.get_by_role("button", name="Bevestigen").click()
    assert "berekend uit" in await page.locator("main").inner_text()
    await page.goto(f"{base}/dashboard/themas")
    assert await page.locator("article.card").count() >= 2
    await page.screenshot(path=str(shots / "themas-berekend.png"), full_page=True)
    assert await axe_violations(page) == []


@pytest.fixture
async def december_site(
    tmp_path: Path,
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
) -> AsyncIterator[tuple[str, Runtime]]:
    """A dialogue whose Voortzetten has begun: the report can be approved, the results sent."""
    from datetime import datetime

    from tests.conftest import AMS, make_runtime, test_settings
    from tests.support.report_world import build_world

    build_world(sqlite_database, real_dialogue, registry, people=40, answering=0.7)
    runtime = make_runtime(
        test_settings(tmp_path, facilitators=[FENNA]),
        database=sqlite_database,
        clock=FakeClock(datetime(2024, 12, 10, 11, 0, tzinfo=AMS)),
        dialogue=real_dialogue,
        registry=registry,
    )
    server = TestServer(create_app(runtime), host="127.0.0.1")
    await server.start_server()
    yield str(server.make_url("")).rstrip("/"), runtime
    await server.close()


async def test_the_results_message_is_refused_then_previewed_and_confirmed_once(
    december_site: tuple[str, Runtime], browser: Any, shots: Path
):
    base, runtime = december_site
    page = await new_page(browser)
    await sign_in(page, base, path="/rapport")
    await page.get_by_role("button", name="Bericht met de uitkomsten bekijken…").click()
    assert "nog geen vastgesteld rapport" in await page.locator("main").inner_text()
    assert await axe_violations(page) == []
    assert [e for e in page.errors if "409" not in e] == []  # the refusal is a 409 page
    page.errors.clear()
    desk = runtime.reports()
    desk.approve(actor=FENNA, code=desk.make(actor=FENNA).code)
    await page.goto(f"{base}/dashboard/rapport")
    await page.get_by_role("button", name="Bericht met de uitkomsten bekijken…").click()
    heading = await page.get_by_role("heading", level=1).inner_text()
    assert heading == "Voorbeeld: de uitkomsten aan alle deelnemers"
    main = await page.locator("main").inner_text()
    assert "20 deelnemers in Teams en 20 per e-mail" in main
    assert "60% van de lezers" in main
    await page.screenshot(path=str(shots / "uitkomsten-voorbeeld.png"), full_page=True)
    assert await axe_violations(page) == []
    assert _outbox(runtime) == 0
    form = {
        name: await page.locator(f"form.confirm input[name={name}]").get_attribute("value")
        for name in ("csrf", "token")
    }
    await page.get_by_role("button", name="Bevestigen").click()
    assert "klaargezet voor 40 deelnemers" in await page.locator("main").inner_text()
    await page.screenshot(path=str(shots / "uitkomsten-verstuurd.png"), full_page=True)
    assert _outbox(runtime) == 40
    replay = await page.request.post(
        f"{base}/dashboard/rapport/uitkomsten/bevestig", form={**form, "keuze": "bevestigen"}
    )
    assert "al beslist" in await replay.text()
    assert _outbox(runtime) == 40
    assert page.errors == []
