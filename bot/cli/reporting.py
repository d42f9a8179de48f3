"""Operator verbs for Voortzetten: ``dialoog report`` (the seven-step report as Word or HTML, with a
progress bar; ``--approve <code>`` approves a draft) and ``dialoog export`` (answers,
contributions, reactions, priorities and participation as Excel or CSV). Every report made and
approved is audited with the actor ``cli:<os user>``."""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from dialogen.reporting import messages as rmsg
from dialogen.reporting.build import PHASES

if TYPE_CHECKING:
    from bot.cli.context import Context

REPORT_SUFFIXES = (".docx", ".html")
EXPORT_SUFFIXES = (".xlsx", ".csv")
BAD_INPUT = 2


def add_reporting_verbs(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse has no public type
    parser = sub.add_parser("report", help="write the seven-step report (.docx or .html)")
    parser.add_argument("--output", type=Path, help="rapport.docx or rapport.html")
    parser.add_argument("--approve", metavar="CODE", help="approve the draft report with this code")
    parser.add_argument("--dialogue", type=Path, help="dialogue file (default: the shipped one)")
    parser.set_defaults(run=_report)
    parser = sub.add_parser(
        "results", help="send every participant the results message (after the report is approved)"
    )
    parser.add_argument("--dry-run", action="store_true", help="show it and the recipients only")
    parser.add_argument("--dialogue", type=Path, help="dialogue file (default: the shipped one)")
    parser.set_defaults(run=_results)
    parser = sub.add_parser("export", help="write the answers as a spreadsheet (.xlsx or .csv)")
    parser.add_argument("--output", type=Path, required=True, help="antwoorden.xlsx or .csv")
    parser.add_argument("--dialogue", type=Path, help="dialogue file (default: the shipped one)")
    parser.set_defaults(run=_export)


class ProgressBar:
    """A bar on the terminal (stderr), one tick per part of the report."""

    def __init__(self, total: int, *, stream: TextIO | None = None, width: int = 30) -> None:
        self.total, self.done, self.width = total, 0, width
        self.stream = stream or sys.stderr

    def __call__(self, name: str) -> None:
        self.done = min(self.total, self.done + 1)
        filled = round(self.width * self.done / self.total)
        bar = "#" * filled + "-" * (self.width - filled)
        end = "\n" if self.done == self.total else ""
        print(f"\r[{bar}] {self.done}/{self.total} {name:<14}", end=end, file=self.stream)


def _report(ctx: Context) -> int:
    args = ctx.args
    desk = ctx.runtime.reports()
    if args.approve:
        print(desk.approve(actor=ctx.actor, code=args.approve))
        return 0
    output: Path | None = args.output
    if output is None or output.suffix.lower() not in REPORT_SUFFIXES:
        print("dialoog report: --output moet eindigen op .docx of .html", file=sys.stderr)
        return BAD_INPUT
    bar = ProgressBar(2 * PHASES if output.suffix.lower() == ".docx" else PHASES + 1)
    with warnings.catch_warnings():  # the themes' NMF may stop at its iteration limit: fine
        warnings.simplefilter("ignore", category=Warning)
        made = desk.make(actor=ctx.actor, progress=bar)
    if output.suffix.lower() == ".docx":
        from bot.reporting.word import report_docx

        output.write_bytes(report_docx(made.report, progress=bar))
    else:
        from bot.reporting.page import report_html

        output.write_text(report_html(made.report), encoding="utf-8")
        bar("HTML")
    print(f"Rapport geschreven naar {output}")
    print(rmsg.approved_made(made.code) if made.approved else rmsg.draft_made(made.code))
    return 0


def _export(ctx: Context) -> int:
    from bot.reporting.spreadsheet import export_csv, export_xlsx
    from dialogen.reporting.exports import build_export

    output: Path = ctx.args.output
    suffix = output.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        print("dialoog export: --output moet eindigen op .xlsx of .csv", file=sys.stderr)
        return BAD_INPUT
    runtime = ctx.runtime
    desk = runtime.reports()
    export = build_export(runtime.dialogue, desk.facts(), runtime.clock())
    if suffix == ".xlsx":
        output.write_bytes(export_xlsx(export))
        written = [output]
    else:
        written = export_csv(export, output)
    runtime.audit.record(
        actor=ctx.actor, action="export", count=sum(len(s.rows) for s in export.sheets)
    )
    for path in written:
        print(f"Export geschreven naar {path}")
    return 0


def _results(ctx: Context) -> int:
    from bot.teams.cards import prompt_text
    from dialogen.conversation.replies import Prompt, Say
    from dialogen.facilitation import messages as fmsg

    results = ctx.runtime.results()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=Warning)
        if not ctx.args.dry_run:
            count = results.send(actor=ctx.actor)
            if count:
                print(rmsg.results_queued(count))
                return 0
        preview = results.preview(actor=ctx.actor)
    if preview.problem:
        print(preview.problem)
        return 1
    for reply in preview.replies:
        print(
            reply.text
            if isinstance(reply, Say)
            else prompt_text(reply)
            if isinstance(reply, Prompt)
            else ""
        )
    teams, mail = preview.recipients.get("teams", 0), preview.recipients.get("mail", 0)
    print(f"\n{fmsg.recipients(teams, mail)} {rmsg.results_authors(preview.authors)}")
    return 0
