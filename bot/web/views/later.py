"""Themes and the report: pages for domain services other branches build. Until those are
merged the pages say so ("nog niet beschikbaar") instead of showing anything made up."""

from __future__ import annotations

from aiohttp import web

from bot.web.context import WEB, View, Visitor

TITLES = {"themas": "Thema's", "rapport": "Rapport en exports"}


def placeholder(page: str) -> View:
    async def show(request: web.Request, visitor: Visitor) -> web.StreamResponse:
        return request.app[WEB].render(
            "later.html", visitor=visitor, page=page, refresh="", title=TITLES[page]
        )

    return show
