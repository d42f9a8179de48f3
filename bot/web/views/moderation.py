"""The moderation queue: approve, hide (with a reason) or adjust the masking of a contribution —
the moderation desk's own actions, each behind a confirmation that works once."""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.web import messages as wmsg
from bot.web.context import WEB, Visitor
from dialogen.conversation.replies import Say
from dialogen.facilitation.commands import Moderate, ModerationAction
from dialogen.facilitation.moderation import ModerationQueue


async def show(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    dashboard = request.app[WEB]
    facilitation = dashboard.runtime.facilitation
    replies = await asyncio.to_thread(facilitation.run, visitor.facilitator, Moderate())
    queue = next((r for r in replies if isinstance(r, ModerationQueue)), None)
    notes = [r.text for r in replies if isinstance(r, Say)]
    return dashboard.render(
        "moderation.html",
        visitor=visitor,
        page="moderatie",
        refresh="",
        queue=queue,
        notes=notes,
        actions=wmsg.MODERATION_ACTIONS,
    )


def _action(form: dict[str, str]) -> ModerationAction | None:
    action = form.get("actie", "")
    code = form.get("code", "").strip().lower()
    if action not in wmsg.MODERATION_ACTIONS or not code.isalnum() or len(code) > 32:
        return None
    return ModerationAction(action, code, form.get("tekst", "").strip()[:300])


async def ask(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    dashboard = request.app[WEB]
    form = {k: str(v) for k, v in (await request.post()).items()}
    action = _action(form)
    if action is None:
        return dashboard.result(visitor, "moderatie", [wmsg.UNKNOWN_ACTION], status=400)
    token = await asyncio.to_thread(
        dashboard.runtime.facilitation.ask_moderation, visitor.facilitator, action
    )
    return dashboard.render(
        "moderation_confirm.html",
        visitor=visitor,
        page="moderatie",
        action=action,
        label=wmsg.MODERATION_ACTIONS[action.action],
        token=token or "",
    )


async def decide(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    dashboard = request.app[WEB]
    form = {k: str(v) for k, v in (await request.post()).items()}
    action = _action(form)
    if action is None:
        return dashboard.result(visitor, "moderatie", [wmsg.UNKNOWN_ACTION], status=400)
    replies = await asyncio.to_thread(
        dashboard.runtime.facilitation.decide_moderation,
        visitor.facilitator,
        form.get("token", ""),
        action,
        confirm=form.get("keuze") == "bevestigen",
    )
    return dashboard.result(visitor, "moderatie", replies)
