"""One-click unsubscribe (RFC 8058): ``/mail/afmelden/<token>``.

- ``POST`` (what mail clients send for ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``, and
  what the button on the page sends) verifies the unsubscribe token and opts the participant out
  through the domain's one door (:class:`~dialogen.conversation.inputs.OptOut`). Repeating it is
  harmless.
- ``GET`` only shows a small Dutch page with that button: link scanners and previews fetch links,
  so opening the link must not unsubscribe anyone.

The page has no scripts, no remote resources, and asks not to be cached, indexed or referred.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.mail import messages as mmsg
from bot.mail.mailbox import UNSUBSCRIBE_PATH
from bot.mail.reply_token import Purpose, ReplyToken, TokenKeys
from dialogen.door.events import Event, Outcome, Unsubscribe

__all__ = ["add_unsubscribe_routes"]

log = logging.getLogger(__name__)

_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
}
Handler = Callable[[web.Request], Awaitable[web.Response]]


def add_unsubscribe_routes(
    app: web.Application, handle: Callable[[Event], Outcome], keys: TokenKeys
) -> None:
    """``handle``: the door, which opts the participant out."""
    path = f"{UNSUBSCRIBE_PATH}/{{token}}"
    app.router.add_get(path, _show(keys))
    app.router.add_post(path, _unsubscribe(handle, keys))


def _show(keys: TokenKeys) -> Handler:
    async def show(request: web.Request) -> web.Response:
        if _read(keys, request) is None:
            return _page(mmsg.UNSUBSCRIBE_INVALID, status=404)
        button = (
            f'<form method="post" action="{html.escape(request.path)}">'
            '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
            f'<button type="submit" style="font-size:16px;padding:8px 16px">'
            f"{html.escape(mmsg.UNSUBSCRIBE_BUTTON)}</button></form>"
        )
        return _page(mmsg.UNSUBSCRIBE_QUESTION, extra=button)

    return show


def _unsubscribe(handle: Callable[[Event], Outcome], keys: TokenKeys) -> Handler:
    async def unsubscribe(request: web.Request) -> web.Response:
        token = _read(keys, request)
        if token is None:
            log.warning("unsubscribe refused: not a valid token")
            return _page(mmsg.UNSUBSCRIBE_INVALID, status=404)
        outcome = await asyncio.to_thread(handle, Unsubscribe(token.participant_id))
        if outcome.event != "unsubscribed":
            return _page(mmsg.UNSUBSCRIBE_INVALID, status=404)
        log.info("participant unsubscribed by one-click link")
        return _page(mmsg.UNSUBSCRIBED)

    return unsubscribe


def _read(keys: TokenKeys, request: web.Request) -> ReplyToken | None:
    token = keys.read(request.match_info.get("token", "").lower())
    return token if token is not None and token.purpose is Purpose.UNSUBSCRIBE else None


def _page(text: str, *, status: int = 200, extra: str = "") -> web.Response:
    title = html.escape(mmsg.UNSUBSCRIBE_PAGE_TITLE)
    body = (
        f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        '<body style="font-family:Arial,Helvetica,sans-serif;max-width:560px;margin:40px auto;'
        f'padding:0 16px;line-height:1.5"><h1 style="font-size:22px">{title}</h1>'
        f"<p>{html.escape(text)}</p>{extra}</body></html>"
    )
    return web.Response(
        text=body, status=status, content_type="text/html", charset="utf-8", headers=_HEADERS
    )
