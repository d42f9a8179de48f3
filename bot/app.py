"""The composition root: ``create_app(settings)`` builds the aiohttp application with its routes.

``POST /api/messages`` takes Bot Framework activities, ``GET /healthz`` reports readiness.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter

from bot.mail.setup import token_keys
from bot.mail.unsubscribe import add_unsubscribe_routes
from bot.settings import Settings
from bot.teams.auth import bot_framework_authentication
from bot.teams.channel import TeamsChannel
from bot.teams.facilitation import teams_extras
from dialogen.dialogue.definition import Dialogue, demo_shift
from dialogen.dialogue.loader import default_dialogue_path, load_dialogue
from dialogen.door.service import Clock, DialogueService
from dialogen.facilitation.actions import Broadcasting
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.database import Database

log = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 256 * 1024

SERVICE = web.AppKey("service", DialogueService)
SETTINGS = web.AppKey("settings", Settings)
ADAPTER = web.AppKey("adapter", CloudAdapter)

Extension = Callable[[web.Application], None]
"""A hook that adds to the app (the scheduler of ``planning`` registers itself this way)."""


def system_clock() -> datetime:
    return datetime.now(UTC)


def load_configured_dialogue(settings: Settings, clock: Clock) -> Dialogue:
    dialogue = load_dialogue(settings.dialogue_file or default_dialogue_path())
    if settings.use_demo_calendar:
        today = clock().astimezone(dialogue.zone).date()
        dialogue = dialogue.shifted(demo_shift(dialogue, today))
    return dialogue


def build_service(settings: Settings, clock: Clock = system_clock) -> DialogueService:
    database = Database(settings.database_url)
    database.migrate()
    return DialogueService(
        database=database,
        dialogue=load_configured_dialogue(settings, clock),
        municipalities=MunicipalityRegistry.load(networks_path=settings.networks_file),
        pseudonym_secret=settings.pseudonym_key(),
        clock=clock,
    )


def create_app(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    service: DialogueService | None = None,
    extensions: tuple[Extension, ...] = (),
    broadcasts: Broadcasting | None = None,
) -> web.Application:
    if settings.local_mode:
        log.warning(
            "LOCAL MODE: no app id configured, Bot Framework tokens are NOT validated. "
            "Never expose this bot to the internet like this."
        )
    service = service or build_service(settings, clock)
    adapter = CloudAdapter(bot_framework_authentication(settings))
    adapter.on_turn_error = TeamsChannel.on_error
    facilitation, members = teams_extras(
        settings, service, broadcasts
    )  # broadcasts: tests inject a fake
    channel = TeamsChannel(service, facilitation=facilitation, members=members)

    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app[SERVICE] = service
    app[SETTINGS] = settings
    app[ADAPTER] = adapter
    app.router.add_post(
        "/api/messages", _messages_handler(adapter, channel, auth=not settings.local_mode)
    )
    app.router.add_get("/healthz", _healthz)
    add_unsubscribe_routes(
        app, service, lambda: token_keys(settings)
    )  # one-click "Afmelden" in mails
    app.on_cleanup.append(_close_database)
    for extend in extensions:
        extend(app)
    return app


def _messages_handler(
    adapter: CloudAdapter, channel: TeamsChannel, *, auth: bool
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
            response = await adapter.process(request, channel)
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


async def _healthz(request: web.Request) -> web.Response:
    ready = request.app[SERVICE].database.ping()
    return web.json_response(
        {"status": "ok" if ready else "database unreachable"}, status=200 if ready else 503
    )


async def _close_database(app: web.Application) -> None:
    app[SERVICE].database.dispose()
