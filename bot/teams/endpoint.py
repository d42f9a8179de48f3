"""``POST /api/messages``: Bot Framework activities in, through the CloudAdapter (which validates
the token when an app id is configured) to the Teams channel's turn."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.teams.runtime import TeamsRuntime

log = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"


def add_teams_routes(app: web.Application, teams: TeamsRuntime, *, auth: bool) -> None:
    app.router.add_post(MESSAGES_PATH, messages_handler(teams, auth=auth))


def messages_handler(
    teams: TeamsRuntime, *, auth: bool
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def messages(request: web.Request) -> web.StreamResponse:
        if auth and not request.headers.get("Authorization", "").strip():
            log.warning("rejected request: no Authorization header")
            return web.json_response({"error": "Unauthorized"}, status=401)
        if "application/json" not in request.headers.get("Content-Type", ""):
            return web.json_response({"error": "Content-Type must be application/json"}, status=415)
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            log.warning("rejected request: body is not valid JSON")
            return web.json_response({"error": "malformed JSON"}, status=400)
        if not isinstance(body, dict) or not isinstance(body.get("type"), str):
            log.warning("rejected request: not an activity (no type)")
            return web.json_response({"error": "not a Bot Framework activity"}, status=400)
        try:
            response = await teams.adapter.process(request, teams.channel)
        except web.HTTPException as exc:
            if exc.status == 401:
                log.warning("rejected request: missing or invalid token")
            return web.json_response({"error": exc.reason}, status=exc.status)
        except Exception as exc:  # noqa: BLE001 - turn errors are handled in on_error; this is auth/parsing
            if auth:
                log.warning("rejected request: token validation failed (%s)", type(exc).__name__)
                return web.json_response({"error": "Unauthorized"}, status=401)
            log.exception("request could not be processed")
            return web.json_response({"error": "request could not be processed"}, status=400)
        return response or web.Response(status=201)

    return messages
