"""The dashboard as a personal tab in Teams, signed in with Teams single sign-on.

``GET /dashboard/teams`` is the tab's page (the manifest's ``contentUrl``). Its own script
(``static/teams-tab.js``; TeamsJS served by the bot from ``static/vendor/teams-js``) initialises
TeamsJS, asks Teams for the SSO token and posts it, with the page's single-use nonce, as a form to
``POST /dashboard/sso``. That checks the request came from this page (the nonce, held
server-side for ten minutes, and the ``Origin`` header), validates the token
(:mod:`bot.web.entra_tokens`), maps it to the facilitator list as the Entra sign-in does, and
opens a session in the tab's partitioned cookie (https only). Refusals answer the Dutch page,
one log line (no token) and an audit record.

Without TeamsJS installed, without an Entra app, or over plain http, the page says so in Dutch
and links to the dashboard in the browser.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

from bot.web.context import WEB, DashboardWeb, safe_return
from bot.web.entra_tokens import SsoTokens, TokenRefused
from bot.web.login import facilitator_from_claims, signed_in
from bot.web.security import PREFIX, new_token

STATIC = Path(__file__).parent / "static"
TEAMS_JS = STATIC / "vendor" / "teams-js" / "MicrosoftTeams.min.js"  # scripts/setup.d/40-teams-js
TAB_PATH = f"{PREFIX}/teams"
SSO_PATH = f"{PREFIX}/sso"
TOKEN_FIELD = "token"
NONCE_FIELD = "nonce"
MAX_TOKEN = 16_000  # an Entra access token is a few kilobytes


def sso_resource(public_url: str | None, client_id: str) -> str | None:
    """The app's resource as the manifest names it: ``api://<host>/<client id>``."""
    host = urlsplit(public_url or "").netloc
    return f"api://{host}/{client_id}" if host else None


def add_teams_tab_routes(app: web.Application, dashboard: DashboardWeb) -> None:
    app.router.add_get(TAB_PATH, show_tab)
    if dashboard.entra:
        settings = dashboard.runtime.settings
        assert settings.dashboard_client_id and settings.dashboard_tenant_id
        tokens = SsoTokens.for_tenant(
            authority_host=settings.dashboard_authority_host,
            tenant=settings.dashboard_tenant_id,
            client_id=settings.dashboard_client_id,
            resource=sso_resource(settings.dashboard_public_url, settings.dashboard_client_id),
            ca_file=settings.dashboard_ca_file,
        )
        app.router.add_post(SSO_PATH, _sign_in_with(tokens))


def _https(request: web.Request, dashboard: DashboardWeb) -> bool:
    public = dashboard.runtime.settings.dashboard_public_url or ""
    return request.secure or public.startswith("https://")


def _browser_url(request: web.Request, dashboard: DashboardWeb) -> str:
    public = dashboard.runtime.settings.dashboard_public_url
    base = public.rstrip("/") if public else f"{request.scheme}://{request.host}"
    return base + PREFIX


def _own_origin(request: web.Request, dashboard: DashboardWeb) -> str:
    public = urlsplit(dashboard.runtime.settings.dashboard_public_url or "")
    if public.scheme and public.netloc:
        return f"{public.scheme}://{public.netloc}"
    return f"{request.scheme}://{request.host}"


async def show_tab(request: web.Request) -> web.StreamResponse:
    dashboard = request.app[WEB]
    problem = None
    if not dashboard.entra:
        problem = "no_sso"
    elif not _https(request, dashboard):
        problem = "no_https"
    elif not TEAMS_JS.is_file():
        problem = "no_teams_js"
    nonce = new_token()
    if problem is None:
        back = safe_return(request.query.get("terug"))
        await asyncio.to_thread(
            dashboard.runtime.signins.hold_login, _held(nonce), {"back": back, "teams": True}
        )
    return dashboard.render(
        "teams_tab.html",
        problem=problem,
        nonce=nonce,
        signed_out=request.query.get("afgemeld") == "1",
        browser_url=_browser_url(request, dashboard),
        sso_path=SSO_PATH,
        token_field=TOKEN_FIELD,
        nonce_field=NONCE_FIELD,
    )


def _held(nonce: str) -> str:
    return f"teams-tab:{nonce}"


def _sign_in_with(tokens: SsoTokens) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def sign_in(request: web.Request) -> web.StreamResponse:
        dashboard = request.app[WEB]
        if request.headers.get("Origin") != _own_origin(request, dashboard):
            return dashboard.refused(request, reason="csrf", actor="", detail="origin")
        form = await request.post()
        nonce, token = form.get(NONCE_FIELD), form.get(TOKEN_FIELD)
        if not isinstance(nonce, str) or not nonce or len(nonce) > 100:
            return dashboard.refused(request, reason="csrf", actor="", detail="nonce")
        held = await asyncio.to_thread(dashboard.runtime.signins.take_login, _held(nonce))
        if held is None or not held.get("teams"):
            return dashboard.refused(request, reason="login_stale", actor="")
        if not _https(request, dashboard):
            return dashboard.refused(request, reason="tab_needs_https", actor="")
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
            return dashboard.refused(request, reason="sso_refused", actor="", detail="no_token")
        try:
            claims = await tokens.claims(token)
        except TokenRefused as refused:
            return dashboard.refused(request, reason="sso_refused", actor="", detail=refused.reason)
        candidate, name = facilitator_from_claims(dashboard, claims)
        return await signed_in(
            request, dashboard, candidate, name=name, back=held.get("back"), teams_tab=True
        )

    return sign_in
