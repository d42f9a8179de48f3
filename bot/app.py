"""The web application of ``dialoog serve``: ``create_app(runtime)`` adds the routes and starts
what the settings enable beside them (:mod:`bot.serving`).

- ``POST /api/messages`` — Bot Framework activities (the Teams channel, :mod:`bot.teams.endpoint`);
- ``GET /healthz`` — 200 when the database is reachable, 503 otherwise;
- ``GET|POST /mail/afmelden/<token>`` — the one-click unsubscribe of the mails;
- ``/dashboard`` — the facilitator dashboard (:mod:`bot.web.routes`).
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.mail.unsubscribe import add_unsubscribe_routes
from bot.runtime import Runtime
from bot.serving import run_beside
from bot.teams.endpoint import add_teams_routes
from bot.web.routes import add_dashboard_routes

log = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 256 * 1024

RUNTIME = web.AppKey("runtime", Runtime)


def create_app(runtime: Runtime) -> web.Application:
    settings = runtime.settings
    if settings.local_mode:
        log.warning(
            "LOCAL MODE: no app id configured, Bot Framework tokens are NOT validated. "
            "Never expose this bot to the internet like this."
        )
    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app[RUNTIME] = runtime
    add_teams_routes(app, runtime.teams, auth=not settings.local_mode)
    app.router.add_get("/healthz", _healthz)
    add_unsubscribe_routes(app, runtime.door.handle, runtime.mail_keys)
    add_dashboard_routes(app, runtime)
    app.on_cleanup.append(_close)
    run_beside(app, runtime)
    return app


async def _healthz(request: web.Request) -> web.Response:
    ready = request.app[RUNTIME].database.ping()
    return web.json_response(
        {"status": "ok" if ready else "database unreachable"}, status=200 if ready else 503
    )


async def _close(app: web.Application) -> None:
    app[RUNTIME].close()
