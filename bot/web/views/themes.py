"""Themes: the curated list (labels, sizes, representative contributions with their codes) and
the same curation as the CLI and the Teams commands — compute, rename, merge, drop, move a
contribution, publish — each as the typed command it is, behind a confirmation that works once."""

from __future__ import annotations

import asyncio
import re

from aiohttp import web

from bot.web import messages as wmsg
from bot.web.context import WEB, Visitor
from bot.web.views import typed_commands
from dialogen.conversation.replies import Say
from dialogen.facilitation.dashboard import k_text
from dialogen.facilitation.theme_commands import ThemeCommand
from dialogen.facilitation.themes import ThemeView

_NUMBER = re.compile(r"^\d{1,3}$")
_CODE = re.compile(r"^[0-9a-f]{4,32}$")


async def show(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    dashboard = request.app[WEB]
    replies = await asyncio.to_thread(
        dashboard.runtime.facilitation.run, visitor.facilitator, ThemeCommand("toon")
    )
    view = next((r for r in replies if isinstance(r, ThemeView)), None)
    await asyncio.to_thread(
        dashboard.runtime.dashboard.record_view, actor=visitor.actor, page="themas"
    )
    return dashboard.render(
        "themes.html",
        visitor=visitor,
        page="themas",
        refresh="",
        view=view,
        notes=[r.text for r in replies if isinstance(r, Say)],
        size=lambda theme: k_text(len(theme.members)),
        overig=k_text(len(view.curated.overig)) if view else "0",
    )


def command_text(form: dict[str, str]) -> str | None:
    """The typed theme command a dashboard form stands for; None for anything else."""
    action = form.get("actie", "")
    number = form.get("nummer", "").strip()
    target = form.get("doel", "").strip()
    if action in ("bereken", "publiceer"):
        return f"thema's {action}"
    if action == "hernoem":
        label = " ".join(form.get("naam", "").split())[:80]
        return f"thema hernoem {number} {label}" if _NUMBER.match(number) and label else None
    if action == "voeg" and _NUMBER.match(number) and _NUMBER.match(target):
        return f"thema voeg {number} bij {target}"
    if action == "schrap" and _NUMBER.match(number):
        return f"thema schrap {number}"
    code = form.get("code", "").strip().lower()
    if action == "verplaats" and _CODE.match(code) and _NUMBER.match(target):
        return f"thema verplaats {code} {target}"
    return None


async def ask(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    form = {k: str(v) for k, v in (await request.post()).items()}
    text = command_text(form)
    return await typed_commands.ask(
        request, visitor, text, page="themas", refusal=wmsg.UNKNOWN_ACTION
    )


async def decide(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    return await typed_commands.decide(request, visitor, page="themas")
