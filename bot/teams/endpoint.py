"""``POST /api/messages``: Bot Framework activities in, to the Teams channel's turn.

Authenticated before anything of the body is read when an app id is configured, then parsed
defensively (:mod:`bot.teams.inbound_request`): bad input is a 400/401/415 with a friendly body and
one warning line in the log, never a 500 or a traceback."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.teams.inbound_request import Refused, authenticate, check_content_type, parse_activity
from bot.teams.runtime import TeamsRuntime

log = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"


def add_teams_routes(app: web.Application, teams: TeamsRuntime, *, auth: bool) -> None:
    app.router.add_post(MESSAGES_PATH, messages_handler(teams, auth=auth))


def messages_handler(
    teams: TeamsRuntime, *, auth: bool
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def messages(request: web.Request) -> web.StreamResponse:
        header = request.headers.get("Authorization", "")
        try:
            if auth:
                await authenticate(teams.adapter.bot_framework_authentication, header)
            check_content_type(request.headers.get("Content-Type", ""))
            activity = parse_activity(await request.read())
        except Refused as refused:
            log.warning("rejected request: %s", refused.reason)
            return web.json_response(refused.body(), status=refused.status)
        except web.HTTPException as exc:  # e.g. 413: larger than the app accepts
            log.warning("rejected request: %s", exc.reason)
            return web.json_response({"error": exc.reason}, status=exc.status)
        try:
            response = await teams.adapter.process_activity(
                header if auth else "", activity, teams.channel.on_turn
            )
        except Exception as exc:  # noqa: BLE001 - turn errors end in on_error; this is the token
            if not auth:
                raise  # a bug: aiohttp logs it with its traceback
            # botbuilder checks the token again against the activity (its channel's endorsement,
            # its service URL) and raises bare Exceptions when they do not match
            log.warning("rejected request: token does not match the activity (%s)", _name(exc))
            return web.json_response(Refused(401, "").body(), status=401)
        if response is not None:
            return web.json_response(response.body, status=response.status)
        return web.Response(status=201)

    return messages


def _name(error: BaseException) -> str:
    return type(error).__name__
