"""``add_dashboard_routes(app, runtime)``: the facilitator dashboard under ``/dashboard``.

Pages (GET, signed-in facilitators only): ``/dashboard`` (overview), ``/vertegenwoordiging``,
``/moderatie``, ``/berichten``, ``/themas``, ``/rapport``; their figures as JSON under ``/api/``
(the page's script refreshes them); actions (POST, with the form's CSRF token): a moderation or
broadcast is asked first and carried out only after its confirmation. Assets under ``/static/``
come from ``bot/web/static`` — no CDN. Sign-in: :mod:`bot.web.login`.

The Teams tab (``/teams``, Teams single sign-on at ``/sso``): :mod:`bot.web.teams_tab`.

Without an Entra app the development sign-in is only offered on a loopback address; on any other
the dashboard is not served (each page answers 503 with a Dutch explanation) and an error is
logged, while the rest of the bot runs.
"""

from __future__ import annotations

import logging
from pathlib import Path

from aiohttp import web

from bot.runtime import Runtime
from bot.web.context import WEB, DashboardWeb, dev_sign_in_allowed, facilitator_only
from bot.web.login import add_login_routes
from bot.web.security import PREFIX, is_loopback, security_headers
from bot.web.teams_tab import add_teams_tab_routes
from bot.web.templating import environment
from bot.web.views import (
    broadcasts,
    moderation,
    overview,
    report,
    representation,
    results,
    themes,
)

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"


def add_dashboard_routes(app: web.Application, runtime: Runtime) -> None:
    settings = runtime.settings
    public = settings.dashboard_public_url or ""
    dashboard = DashboardWeb(
        runtime=runtime,
        templates=environment(runtime.dialogue.zone),
        secure_cookies=public.startswith("https://") or not is_loopback(settings.host),
        entra=settings.dashboard_entra,
        refresh_seconds=settings.dashboard_refresh_seconds,
    )
    app[WEB] = dashboard
    app.middlewares.append(security_headers)
    app.router.add_static(f"{PREFIX}/static", STATIC, append_version=False)
    if not dashboard.entra and not dev_sign_in_allowed(settings.host):
        log.error(
            "dashboard not served: no Entra app configured (DIALOOG_DASHBOARD_CLIENT_ID, "
            "_CLIENT_SECRET, _TENANT_ID) and the development sign-in refuses to run on %s, "
            "which is not a loopback address",
            settings.host,
        )
        app.router.add_route("*", PREFIX, _not_configured)
        app.router.add_route("*", PREFIX + "/{tail:.*}", _not_configured)
        return
    if not dashboard.entra:
        log.warning("dashboard: development sign-in (no Entra app), on %s only", settings.host)
    add_login_routes(app, dashboard)
    add_teams_tab_routes(app, dashboard)
    pages = (
        ("", overview.show, "overview"),
        ("/vertegenwoordiging", representation.show, "representation"),
        ("/moderatie", moderation.show, "moderation"),
        ("/berichten", broadcasts.show, "broadcasts"),
        ("/themas", themes.show, "themes"),
        ("/rapport", report.show, "report"),
        ("/rapport/rapport.html", report.read, "report_html"),
        ("/rapport/rapport.docx", report.word, "report_docx"),
        ("/rapport/export.xlsx", report.export, "report_export"),
    )
    for path, view, name in pages:
        app.router.add_get(PREFIX + path, facilitator_only(view), name=f"dashboard_{name}")
    app.router.add_get(
        f"{PREFIX}/api/overzicht.json",
        facilitator_only(overview.figures),
        name="dashboard_api_overview",
    )
    app.router.add_get(
        f"{PREFIX}/api/vertegenwoordiging.json",
        facilitator_only(representation.figures),
        name="dashboard_api_representation",
    )
    actions = (
        ("/moderatie/vraag", moderation.ask),
        ("/moderatie/bevestig", moderation.decide),
        ("/berichten/voorbeeld", broadcasts.preview),
        ("/berichten/bevestig", broadcasts.decide),
        ("/themas/vraag", themes.ask),
        ("/themas/bevestig", themes.decide),
        ("/rapport/maken", report.make),
        ("/rapport/vraag", report.ask),
        ("/rapport/bevestig", report.decide),
        ("/rapport/uitkomsten", results.preview),
        ("/rapport/uitkomsten/bevestig", results.decide),
    )
    for path, action in actions:
        app.router.add_post(PREFIX + path, facilitator_only(action))


async def _not_configured(request: web.Request) -> web.StreamResponse:
    return request.app[WEB].render("not_configured.html", status=503)
