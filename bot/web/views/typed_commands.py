"""A facilitator's typed command asked and decided from a dashboard page: the same
``ask_command``/``decide_command`` as in Teams, with one single-use confirmation token."""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.web.context import WEB, Visitor


async def ask(
    request: web.Request, visitor: Visitor, text: str | None, *, page: str, refusal: str
) -> web.StreamResponse:
    """Show the confirmation for ``text``, or ``refusal`` when there is nothing to confirm."""
    dashboard = request.app[WEB]
    token = (
        await asyncio.to_thread(
            dashboard.runtime.facilitation.ask_command, visitor.facilitator, text
        )
        if text
        else None
    )
    if not text or not token:
        return dashboard.result(visitor, page, [refusal], status=400)
    return dashboard.render(
        "command_confirm.html",
        visitor=visitor,
        page=page,
        command=text,
        token=token,
        action_path=f"{page}/bevestig",
    )


async def decide(request: web.Request, visitor: Visitor, *, page: str) -> web.StreamResponse:
    """Carry out (or cancel) the confirmed command and show what the bot said."""
    dashboard = request.app[WEB]
    form = await request.post()
    replies = await asyncio.to_thread(
        dashboard.runtime.facilitation.decide_command,
        visitor.facilitator,
        str(form.get("token", "")),
        str(form.get("opdracht", "")),
        confirm=form.get("keuze") == "bevestigen",
    )
    return dashboard.result(visitor, page, replies)
