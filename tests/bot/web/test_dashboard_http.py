"""The dashboard over HTTP: signing in, each page with its figures, actions behind a
confirmation, and every refusal (signed out, not a facilitator, expired, CSRF, replay, a step
that closed meanwhile) — with what the audit log and the outbox then hold."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlmodel import select

from bot.app import create_app
from bot.runtime import Runtime
from dialogen.dialogue.definition import Dialogue
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.audit import AuditRow
from dialogen.store.contributions import ContributionRow
from dialogen.store.database import Database
from dialogen.store.outbox import OutboxRow
from tests.bot.web.dashboard_fixtures import (
    FENNA,
    MONDAY,
    OUTSIDER,
    build,
    csrf_of,
    hidden,
    sign_in,
)
from tests.support.clock import FakeClock
from tests.support.dashboard_world import World

PAGES = ("", "/vertegenwoordiging", "/moderatie", "/berichten", "/themas", "/rapport")


@pytest.fixture
def monday() -> FakeClock:
    return FakeClock(MONDAY)


@pytest.fixture
def built(
    tmp_path: Path,
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
    monday: FakeClock,
) -> tuple[Runtime, World]:
    return build(tmp_path, sqlite_database, real_dialogue, registry, monday)


@pytest.fixture
async def client(aiohttp_client: Any, built: tuple[Runtime, World]) -> AsyncIterator[TestClient]:
    yield await aiohttp_client(create_app(built[0]))


def audit(runtime: Runtime, action: str) -> list[AuditRow]:
    with runtime.database.unit_of_work() as session:
        return list(session.exec(select(AuditRow).where(AuditRow.action == action)).all())


def outbox_count(runtime: Runtime) -> int:
    with runtime.database.unit_of_work() as session:
        return len(session.exec(select(OutboxRow)).all())


# ------------------------------------------------------------ signing in


async def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient):
    for path in PAGES:
        response = await client.get("/dashboard" + path, allow_redirects=False)
        assert response.status == 303
        assert response.headers["Location"].startswith("/dashboard/aanmelden?terug=")
    api = await client.get("/dashboard/api/overzicht.json")
    assert api.status == 401
    action = await client.post("/dashboard/berichten/voorbeeld", data={"stap": "verrijken"})
    assert action.status == 401


async def test_a_facilitator_signs_in_with_a_strict_session_cookie(
    client: TestClient, built: tuple[Runtime, World]
):
    response = await sign_in(client)
    assert response.status == 303
    assert response.headers["Location"] == "/dashboard"
    cookie = next(c for c in response.headers.getall("Set-Cookie") if "dialoog_dashboard=" in c)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/dashboard" in cookie
    assert "Secure" not in cookie  # loopback: plain http is all there is
    page = await client.get("/dashboard")
    assert "Overzicht van de dialoog" in await page.text()
    assert [r.actor for r in audit(built[0], "dashboard_sign_in")] == [FENNA]


async def test_someone_not_on_the_list_gets_a_dutch_403_and_no_session(
    client: TestClient, built: tuple[Runtime, World]
):
    response = await sign_in(client, OUTSIDER)
    assert response.status == 403
    assert "alleen voor de begeleiders" in await response.text()
    assert "dialoog_dashboard=" not in "".join(response.headers.getall("Set-Cookie", []))
    assert (await client.get("/dashboard", allow_redirects=False)).status == 303
    refused = audit(built[0], "refused")
    assert [(r.actor, r.details["reason"]) for r in refused] == [(OUTSIDER, "not_facilitator")]


async def test_sign_in_without_its_form_token_is_refused(client: TestClient):
    response = await client.post(
        "/dashboard/aanmelden/lokaal", data={"wie": FENNA}, allow_redirects=False
    )
    assert response.status == 403
    assert "formulier" in await response.text()


async def test_a_session_expires_after_idling(client: TestClient, monday: FakeClock):
    await sign_in(client)
    monday.advance(minutes=29)
    assert (await client.get("/dashboard")).status == 200
    monday.advance(minutes=31)  # the visit above moved the idle limit along
    response = await client.get("/dashboard/berichten", allow_redirects=False)
    assert response.status == 303
    assert "verlopen=1" in response.headers["Location"]
    login = await client.get(response.headers["Location"])
    assert "Uw sessie is verlopen" in await login.text()
    assert (await client.get("/dashboard/api/overzicht.json")).status == 401


async def test_a_session_ends_after_eight_hours_even_when_used(
    client: TestClient, monday: FakeClock
):
    await sign_in(client)
    for _ in range(16):
        monday.advance(minutes=29)
        assert (await client.get("/dashboard/api/overzicht.json")).status == 200
    monday.advance(minutes=29)  # 8 h 13 min after signing in
    assert (await client.get("/dashboard/api/overzicht.json")).status == 401


async def test_signing_out_ends_the_session(client: TestClient):
    await sign_in(client)
    csrf = await csrf_of(client)
    response = await client.post("/dashboard/afmelden", data={"csrf": csrf}, allow_redirects=False)
    assert response.status == 303
    assert (await client.get("/dashboard", allow_redirects=False)).status == 303


async def test_removed_from_the_list_means_refused_at_the_next_request(
    client: TestClient, built: tuple[Runtime, World]
):
    await sign_in(client)
    facilitation = built[0].facilitation
    facilitation._emails.discard(FENNA)  # noqa: SLF001 - the list changed after signing in
    facilitation._object_ids.clear()  # noqa: SLF001
    response = await client.get("/dashboard")
    assert response.status == 403


# ------------------------------------------------------------ pages


class _Page(HTMLParser):
    """What a page holds that the CSP would block or a reader needs."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts = 0
        self.event_handlers: list[str] = []
        self.style_attributes = 0
        self.external: list[str] = []
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang") or ""
        if tag == "script" and not values.get("src"):
            self.inline_scripts += 1
        self.event_handlers += [name for name, _ in attrs if name.startswith("on")]
        self.style_attributes += "style" in values
        for name in ("src", "href", "action"):
            link = values.get(name) or ""
            if re.match(r"^(https?:)?//", link):
                self.external.append(link)
        if tag == "style":
            self.style_attributes += 1


async def test_every_page_renders_in_dutch_without_inline_script_or_outside_assets(
    client: TestClient,
):
    await sign_in(client)
    for path in PAGES:
        response = await client.get("/dashboard" + path)
        assert response.status == 200, path
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert csp.endswith("frame-ancestors 'none'")  # only the Teams tab may be framed
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Cache-Control"] == "no-store"
        page = _Page()
        page.feed(await response.text())
        assert page.lang == "nl"
        assert (page.inline_scripts, page.event_handlers, page.style_attributes) == (0, [], 0)
        assert page.external == [], path
    for asset in ("dashboard.css", "dashboard.js"):
        assert (await client.get(f"/dashboard/static/{asset}")).status == 200


async def test_overview_shows_each_step_with_small_figures_as_under_five(
    client: TestClient, built: tuple[Runtime, World]
):
    _, world = built
    await sign_in(client)
    html = await (await client.get("/dashboard")).text()
    row = re.search(r"<th scope=\"row\">Verrijken</th>(.*?)</tr>", html, re.S)
    assert row is not None
    cells = re.findall(r'data-figure="verrijken\.(\w+)">([^<]*)<', row.group(1))
    figures = dict(cells)
    assert figures["reached"] == "60"
    assert figures["started"] == str(world.started["verrijken"])
    assert figures["completed"] == str(world.completed["verrijken"])
    assert '<dd data-figure="opted_out">0</dd>' not in html  # 0 opted out reads "< 5" like stats
    assert "&lt; 5" in html
    assert "<svg" in html and "De cijfers van de grafiek als tabel" in html


async def test_figures_refresh_as_json_with_the_same_suppression(
    client: TestClient, built: tuple[Runtime, World]
):
    _, world = built
    await sign_in(client)
    data = await (await client.get("/dashboard/api/overzicht.json")).json()
    assert data["figures"]["verrijken.started"] == str(world.started["verrijken"])
    assert data["figures"]["opted_out"] == "< 5"
    assert data["figures"]["voorkeuren.started"] == "< 5"
    rep = await (await client.get("/dashboard/api/vertegenwoordiging.json")).json()
    shown = set(rep["figures"].values())
    assert not any(v.isdigit() and 0 < int(v) < 5 for v in shown)


async def test_representation_shows_score_threshold_and_groups_behind(client: TestClient):
    await sign_in(client)
    html = await (await client.get("/dashboard/vertegenwoordiging?stap=verkennen")).text()
    assert "Vertegenwoordiging: stap Verkennen" in html
    assert "drempel van 25%" in html
    for title in ("Per rolgroep", "Per provincie", "Per netwerk"):
        assert title in html
    assert "Score:" in html
    assert 'class="behind"' in html or "Te klein om te tonen" in html
    numbers = re.findall(r'class="num"[^>]*>(\d+)<', html)
    assert all(int(n) == 0 or int(n) >= 5 for n in numbers)


# ------------------------------------------------------------ broadcasts


async def _preview(client: TestClient, step: str, kind: str = "step_prompt") -> Any:
    csrf = await csrf_of(client, "/dashboard/berichten")
    return await client.post(
        "/dashboard/berichten/voorbeeld", data={"csrf": csrf, "stap": step, "soort": kind}
    )


async def test_a_nudge_is_previewed_then_sent_once_after_confirmation(
    client: TestClient, built: tuple[Runtime, World], monday: FakeClock
):
    runtime, _ = built
    monday.set(MONDAY.replace(hour=11))  # inside the send window
    await sign_in(client)
    preview = await _preview(client, "verrijken", "nudge")
    html = await preview.text()
    assert "Voorbeeld van de herinnering voor stap Verrijken" in html
    assert outbox_count(runtime) == 0  # a preview sends nothing
    form = {"csrf": hidden(html, "csrf"), "token": hidden(html, "token")}
    sent = await client.post("/dashboard/berichten/bevestig", data={**form, "keuze": "bevestigen"})
    assert "Bevestigd" in await sent.text()
    queued = outbox_count(runtime)
    assert queued > 0
    replay = await client.post(
        "/dashboard/berichten/bevestig", data={**form, "keuze": "bevestigen"}
    )
    assert "al beslist" in await replay.text()
    assert outbox_count(runtime) == queued
    assert [r.details["reason"] for r in audit(runtime, "confirm_refused")] == ["decided"]
    assert [r.actor for r in audit(runtime, "nudge_confirmed")] == [FENNA]


async def test_cancel_sends_nothing(client: TestClient, built: tuple[Runtime, World]):
    await sign_in(client)
    html = await (await _preview(client, "verrijken")).text()
    form = {"csrf": hidden(html, "csrf"), "token": hidden(html, "token"), "keuze": "annuleren"}
    assert (
        "Geannuleerd"
        in await (await client.post("/dashboard/berichten/bevestig", data=form)).text()
    )
    assert outbox_count(built[0]) == 0


async def test_a_step_that_closed_after_the_preview_sends_nothing(
    aiohttp_client: Any,
    tmp_path: Path,
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
    monday: FakeClock,
):
    # Verrijken closing at noon today, inside the send window
    steps = [
        s.model_copy(update={"closes": MONDAY.replace(hour=12)}) if s.key == "verrijken" else s
        for s in real_dialogue.steps
    ]
    dialogue = real_dialogue.model_copy(update={"steps": steps})
    runtime, _ = build(tmp_path, sqlite_database, dialogue, registry, monday)
    client = await aiohttp_client(create_app(runtime))
    monday.set(MONDAY.replace(hour=11, minute=55))
    await sign_in(client)
    html = await (await _preview(client, "verrijken")).text()
    assert "Bevestigen" in html
    monday.advance(minutes=10)  # within the 15 minutes of the preview, after the close
    response = await client.post(
        "/dashboard/berichten/bevestig",
        data={"csrf": hidden(html, "csrf"), "token": hidden(html, "token"), "keuze": "bevestigen"},
    )
    assert "Er wordt niets verstuurd" in await response.text()
    assert outbox_count(runtime) == 0
    assert [r.count for r in audit(runtime, "broadcast_confirmed")] == [0]


async def test_a_closed_step_cannot_be_broadcast(client: TestClient, built: tuple[Runtime, World]):
    await sign_in(client)
    html = await (await _preview(client, "verkennen")).text()
    assert "Er wordt niets verstuurd" in html
    assert 'name="token"' not in html
    assert outbox_count(built[0]) == 0


async def test_actions_without_or_with_a_forged_csrf_token_are_refused(
    client: TestClient, built: tuple[Runtime, World]
):
    runtime, _ = built
    await sign_in(client)
    for data in (
        {"stap": "verrijken", "soort": "step_prompt"},
        {"stap": "verrijken", "soort": "step_prompt", "csrf": "vervalst"},
    ):
        response = await client.post("/dashboard/berichten/voorbeeld", data=data)
        assert response.status == 403
        assert "formulier is verlopen" in await response.text()
    assert [r.details["reason"] for r in audit(runtime, "refused")] == ["csrf", "csrf"]
    assert audit(runtime, "broadcast_preview") == []


async def test_another_sessions_csrf_token_does_not_work(
    aiohttp_client: Any, built: tuple[Runtime, World]
):
    runtime, _ = built
    first = await aiohttp_client(create_app(runtime))
    await sign_in(first)
    stolen = await csrf_of(first)
    second = await aiohttp_client(create_app(runtime))
    await sign_in(second)
    response = await second.post(
        "/dashboard/berichten/voorbeeld",
        data={"csrf": stolen, "stap": "verrijken", "soort": "step_prompt"},
    )
    assert response.status == 403


# ------------------------------------------------------------ moderation


def contribution(runtime: Runtime, code: str) -> ContributionRow:
    with runtime.database.unit_of_work() as session:
        rows = session.exec(select(ContributionRow)).all()
        return next(r for r in rows if r.id.startswith(code))


async def test_approving_a_contribution_needs_confirmation_and_works_once(
    client: TestClient, built: tuple[Runtime, World]
):
    runtime, world = built
    code = world.contribution_codes[0]
    await sign_in(client)
    queue = await (await client.get("/dashboard/moderatie")).text()
    assert f"Bijdrage {code}" in queue
    csrf = hidden(queue, "csrf")
    ask = await client.post(
        "/dashboard/moderatie/vraag", data={"csrf": csrf, "code": code, "actie": "goedkeuren"}
    )
    confirm = await ask.text()
    assert "Weet u het zeker?" in confirm
    assert contribution(runtime, code).state == "pending"
    form = {
        "csrf": csrf,
        "token": hidden(confirm, "token"),
        "code": code,
        "actie": "goedkeuren",
        "keuze": "bevestigen",
    }
    done = await client.post("/dashboard/moderatie/bevestig", data=form)
    assert "goedgekeurd" in (await done.text()).lower()
    assert contribution(runtime, code).state == "visible"
    again = await client.post("/dashboard/moderatie/bevestig", data=form)
    assert "niet (meer) geldig" in await again.text()
    assert [r.target for r in audit(runtime, "moderation_approved")] == [code]


async def test_a_confirmation_for_one_contribution_does_not_work_for_another(
    client: TestClient, built: tuple[Runtime, World]
):
    runtime, world = built
    first, second = world.contribution_codes
    await sign_in(client)
    csrf = await csrf_of(client, "/dashboard/moderatie")
    ask = await client.post(
        "/dashboard/moderatie/vraag", data={"csrf": csrf, "code": first, "actie": "goedkeuren"}
    )
    token = hidden(await ask.text(), "token")
    form = {
        "csrf": csrf,
        "token": token,
        "code": second,
        "actie": "verbergen",
        "tekst": "spam",
        "keuze": "bevestigen",
    }
    response = await client.post("/dashboard/moderatie/bevestig", data=form)
    assert "niet (meer) geldig" in await response.text()
    assert contribution(runtime, second).state == "pending"


async def test_masking_more_text_is_shown_in_the_queue(
    client: TestClient, built: tuple[Runtime, World]
):
    runtime, world = built
    code = world.contribution_codes[1]
    await sign_in(client)
    csrf = await csrf_of(client, "/dashboard/moderatie")
    ask = await client.post(
        "/dashboard/moderatie/vraag",
        data={"csrf": csrf, "code": code, "actie": "maskeer", "tekst": "duidelijke afspraken"},
    )
    confirm = await ask.text()
    await client.post(
        "/dashboard/moderatie/bevestig",
        data={
            "csrf": csrf,
            "token": hidden(confirm, "token"),
            "code": code,
            "actie": "maskeer",
            "tekst": "duidelijke afspraken",
            "keuze": "bevestigen",
        },
    )
    assert "duidelijke afspraken" not in contribution(runtime, code).text
    queue = await (await client.get("/dashboard/moderatie")).text()
    assert "Gemaskeerde delen" in queue


# ------------------------------------------------------------ configuration


async def test_the_development_sign_in_refuses_a_non_loopback_address(
    aiohttp_client: Any,
    tmp_path: Path,
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
    monday: FakeClock,
):
    runtime, _ = build(
        tmp_path,
        sqlite_database,
        real_dialogue,
        registry,
        monday,
        host="0.0.0.0",
        insecure_local_mode=True,  # the bot may run there; its development sign-in may not
    )
    client = await aiohttp_client(create_app(runtime))
    for path in ("/dashboard", "/dashboard/aanmelden"):
        response = await client.get(path)
        assert response.status == 503
        assert "niet ingesteld" in await response.text()
    response = await client.post("/dashboard/aanmelden/lokaal", data={"wie": FENNA})
    assert response.status == 503
    assert (await client.get("/healthz")).status == 200  # the bot itself runs
