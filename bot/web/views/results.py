"""The results message (Voortzetten) from the report page: the same ``uitkomsten`` as in Teams —
previewed (who gets it per channel, the message as a participant reads it, and as someone with
contributions reads it), then sent on a confirmation that works once. Refused, with the reason,
before the report is approved and once everyone has it; nobody gets it twice (the outbox keeps
one per participant)."""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.web.context import WEB, Visitor
from dialogen.facilitation.actions import ConfirmationRequest
from dialogen.facilitation.commands import Results

PAGE = "rapport"


async def preview(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    dashboard = request.app[WEB]
    replies = await asyncio.to_thread(
        dashboard.runtime.facilitation.run, visitor.facilitator, Results()
    )
    asked = next((r for r in replies if isinstance(r, ConfirmationRequest)), None)
    if asked is None:  # not approved, not yet Voortzetten, or everyone has it
        return dashboard.result(visitor, PAGE, replies, status=409)
    return dashboard.render(
        "broadcast_confirm.html",
        visitor=visitor,
        page=PAGE,
        request=asked,
        action_path=f"{PAGE}/uitkomsten/bevestig",
    )


async def decide(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    return await request.app[WEB].decided(request, visitor, PAGE)
