"""The report: make a draft (its code), read it (HTML), download it (Word) and the exports
(Excel), and approve a draft — the report desk of the Teams command ``rapport`` and ``dialoog
report``/``export``. Approving is the typed ``rapport vaststellen <code>`` behind a confirmation
that works once. Every report made and every export is audited."""

from __future__ import annotations

import asyncio
import re

from aiohttp import web

from bot.web import messages as wmsg
from bot.web.context import WEB, Visitor
from bot.web.security import frame_ancestors
from bot.web.views import typed_commands
from dialogen.conversation.replies import Say
from dialogen.facilitation.actions import ReportReady
from dialogen.facilitation.commands import ReportCommand

# The report is one self-contained document with its own style sheet and charts as data: URLs;
# it has no script at all, so this policy allows its inline style and nothing else. It is shown in
# a frame of the report page (and so, in the Teams tab, inside Teams' frame too).
REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
_CODE = re.compile(r"^[0-9a-f]{8}$")


async def show(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    dashboard = request.app[WEB]
    await asyncio.to_thread(
        dashboard.runtime.dashboard.record_view, actor=visitor.actor, page="rapport"
    )
    return dashboard.render("report.html", visitor=visitor, page="rapport", refresh="", made=None)


async def _made(request: web.Request, visitor: Visitor) -> ReportReady | str:
    replies = await asyncio.to_thread(
        request.app[WEB].runtime.facilitation.run, visitor.facilitator, ReportCommand()
    )
    ready = next((r for r in replies if isinstance(r, ReportReady)), None)
    return ready or " ".join(r.text for r in replies if isinstance(r, Say))


async def make(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    dashboard = request.app[WEB]
    made = await _made(request, visitor)
    if isinstance(made, str):
        return dashboard.result(visitor, "rapport", [made])
    return dashboard.render("report.html", visitor=visitor, page="rapport", refresh="", made=made)


async def read(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    from bot.reporting.page import report_html

    made = await _made(request, visitor)
    if isinstance(made, str):
        return request.app[WEB].result(visitor, "rapport", [made])
    html = await asyncio.to_thread(report_html, made.made.report)
    response = web.Response(text=html, content_type="text/html", charset="utf-8")
    framed_by = frame_ancestors(request)
    in_teams = "" if framed_by == "'none'" else f" {framed_by}"
    response.headers["Content-Security-Policy"] = REPORT_CSP + in_teams
    return response


async def word(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    from bot.reporting.word import report_docx

    made = await _made(request, visitor)
    if isinstance(made, str):
        return request.app[WEB].result(visitor, "rapport", [made])
    data = await asyncio.to_thread(report_docx, made.made.report)
    return _download(data, f"rapport-{made.made.code}.docx", _DOCX)


async def export(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    from bot.reporting.spreadsheet import export_xlsx
    from dialogen.reporting.exports import build_export

    runtime = request.app[WEB].runtime

    def build() -> tuple[bytes, int]:
        made = build_export(runtime.dialogue, runtime.reports().facts(), runtime.clock())
        return export_xlsx(made), sum(len(s.rows) for s in made.sheets)

    data, rows = await asyncio.to_thread(build)
    runtime.audit.record(
        actor=visitor.actor, action="export", count=rows, details={"channel": "dashboard"}
    )
    return _download(data, "export.xlsx", _XLSX)


async def ask(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    code = str((await request.post()).get("code", "")).strip().lower()
    text = f"rapport vaststellen {code}" if _CODE.match(code) else None
    return await typed_commands.ask(
        request, visitor, text, page="rapport", refusal=wmsg.REPORT_CODE_NEEDED
    )


async def decide(request: web.Request, visitor: Visitor) -> web.StreamResponse:
    return await typed_commands.decide(request, visitor, page="rapport")


_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, name: str, kind: str) -> web.Response:
    return web.Response(
        body=data,
        content_type=kind,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
