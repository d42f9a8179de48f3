"""Broadcasts and nudges: what the calendar will send, what was sent, and sending a step prompt
or a nudge by hand — with the same preview and confirmation as the Teams commands
(``verstuur``/``herinner``, then Bevestigen or Annuleren)."""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.web import messages as wmsg
from bot.web.context import WEB, Visitor
from dialogen.facilitation.actions import ConfirmationRequest
from dialogen.facilitation.commands import Preview


async def show(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    dashboard = request.app[WEB]
    figures = dashboard.runtime.dashboard
    view = await asyncio.to_thread(figures.broadcasts_view)
    await asyncio.to_thread(figures.record_view, actor=visitor.actor, page="berichten")
    return dashboard.render(
        "broadcasts.html",
        visitor=visitor,
        page="berichten",
        refresh="",
        view=view,
        kinds=wmsg.KINDS,
    )


async def preview(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    dashboard = request.app[WEB]
    form = await request.post()
    kind = str(form.get("soort", ""))
    step = str(form.get("stap", ""))
    if kind not in ("step_prompt", "nudge") or dashboard.runtime.dialogue.step(step) is None:
        return dashboard.result(visitor, "berichten", [wmsg.UNKNOWN_STEP], status=400)
    replies = await asyncio.to_thread(
        dashboard.runtime.facilitation.run, visitor.facilitator, Preview(kind, step)
    )
    request_ = next((r for r in replies if isinstance(r, ConfirmationRequest)), None)
    if request_ is None:
        return dashboard.result(visitor, "berichten", replies)
    return dashboard.render(
        "broadcast_confirm.html",
        visitor=visitor,
        page="berichten",
        request=request_,
        action_path="berichten/bevestig",
    )


async def decide(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    return await request.app[WEB].decided(request, visitor, "berichten")
