"""Representation per role group, province and network for one step: the score, the threshold,
and the groups that fall behind highlighted."""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.web.context import WEB, Visitor
from bot.web.templating import percent, score
from dialogen.facilitation.dashboard import RepresentationView


async def show(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    dashboard = request.app[WEB]
    figures = dashboard.runtime.dashboard
    view = await asyncio.to_thread(figures.representation, request.query.get("stap"))
    await asyncio.to_thread(figures.record_view, actor=visitor.actor, page="vertegenwoordiging")
    refresh = request.app.router["dashboard_api_representation"].url_for()
    return dashboard.render(
        "representation.html",
        visitor=visitor,
        page="vertegenwoordiging",
        refresh=f"{refresh.with_query(stap=view.step_key)}",
        view=view,
    )


async def figures(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    figures = request.app[WEB].runtime.dashboard
    view = await asyncio.to_thread(figures.representation, request.query.get("stap"))
    return web.json_response({"figures": as_figures(view)})


def as_figures(view: RepresentationView) -> dict[str, str]:
    shown: dict[str, str] = {}
    for index, dimension in enumerate(view.dimensions):
        shown[f"d{index}.score"] = score(dimension.score)
        for row, group in enumerate(dimension.groups):
            shown[f"d{index}.{row}.invited"] = group.invited.text
            shown[f"d{index}.{row}.responded"] = group.responded.text
            shown[f"d{index}.{row}.rate"] = percent(group.rate)
    return shown
