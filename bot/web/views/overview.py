"""The overview: per interactive step invited, reached, started and completed, and a chart of
started and completed over time (with the same values as a table)."""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.web.chart import chart
from bot.web.context import WEB, Visitor
from dialogen.facilitation.dashboard import Overview


async def show(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    dashboard = request.app[WEB]
    figures = dashboard.runtime.dashboard
    overview = await asyncio.to_thread(figures.overview)
    await asyncio.to_thread(figures.record_view, actor=visitor.actor, page="overzicht")
    return dashboard.render(
        "overview.html",
        visitor=visitor,
        page="overzicht",
        refresh=f"{request.app.router['dashboard_api_overview'].url_for()}",
        overview=overview,
        chart=chart(overview.history),
    )


async def figures(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    overview = await asyncio.to_thread(request.app[WEB].runtime.dashboard.overview)
    return web.json_response({"figures": as_figures(overview)})


def as_figures(overview: Overview) -> dict[str, str]:
    shown = {"invited": overview.invited, "consented": overview.consented}
    shown["opted_out"] = overview.opted_out
    shown["reached_in_teams"] = overview.reached_in_teams
    shown["reached_by_mail"] = overview.reached_by_mail
    for step in overview.steps:
        for name in ("reached", "started", "started_share", "completed", "completed_share"):
            shown[f"{step.key}.{name}"] = getattr(step, name)
        shown[f"{step.key}.status"] = step.status
    return shown
