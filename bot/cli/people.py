"""Operator verbs for the people in the dialogue: ``dialoog import FILE`` (the stakeholder sheet),
``dialoog stats`` (participation, the same figures as the Teams command ``stand``),
``dialoog representation`` (the same figures as the Teams command ``vertegenwoordiging``) and
``dialoog teams-install`` (install the bot in Teams for invitees, when Graph is configured).

``add_people_verbs`` is listed in ``bot.cli.command.VERBS``. Every action is audited as
``cli:<os user>``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from dialogen.facilitation import messages as fmsg

if TYPE_CHECKING:
    from bot.cli.context import Context

REJECTED_ROWS = 1
CANNOT_RUN = 2


def add_people_verbs(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse has no public type
    parser = sub.add_parser(
        "import", help="import invitees from a CSV or Excel (.xlsx) file; safe to re-run"
    )
    parser.add_argument(
        "file", type=Path, help="columns: naam, e-mail, rol, gemeente, provincie, netwerken, kanaal"
    )
    parser.add_argument("--dry-run", action="store_true", help="check the file only; store nothing")
    parser.set_defaults(run=_import)
    parser = sub.add_parser(
        "stats",
        help="participation per step, role group, province and network "
        "(groups under 5 people shown as '< 5')",
    )
    parser.add_argument(
        "--step", help="the step to break down per group (default: the open or last step)"
    )
    parser.add_argument(
        "--dialogue", type=Path, help="dialogue file (default: the shipped one, demo calendar)"
    )
    parser.set_defaults(run=_stats)
    parser = sub.add_parser(
        "representation",
        help="response rate per role group, province and network, the representation score and "
        "the groups furthest behind (figures under 5 people shown as '< 5')",
    )
    parser.add_argument("--step", help="the step (default: the open or last opened step)")
    parser.set_defaults(run=_representation)
    parser = sub.add_parser(
        "teams-install",
        help="install the bot in Teams for invitees not yet reachable "
        "there (needs DIALOOG_TEAMS_CATALOG_APP_ID and Graph credentials)",
    )
    parser.set_defaults(run=_teams_install)


def _import(ctx: Context) -> int:
    from bot.stakeholder_files import read_sheet
    from dialogen.stakeholders.sheet import StakeholderFileError

    args = ctx.args
    ctx.configure_logging("WARNING")
    try:
        rows = read_sheet(args.file)
        result = ctx.runtime.roster.import_rows(rows, actor=ctx.actor, dry_run=args.dry_run)
    except StakeholderFileError as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return CANNOT_RUN
    checked = result.checked
    if result.saved:
        print(
            fmsg.import_summary(
                len(checked.invitees),
                result.created,
                result.updated,
                checked.merged,
                len(checked.rejections),
            )
        )
    else:
        print(fmsg.import_dry_run(len(checked.invitees), checked.merged, len(checked.rejections)))
    if result.erased:
        print(fmsg.import_skipped_erased(result.erased))
    if checked.ignored_columns:
        print(fmsg.ignored_columns(checked.ignored_columns))
    if checked.rejections:
        print(fmsg.REJECTED_HEADER)
        for rejection in checked.rejections:
            print(fmsg.rejected_row(rejection.line, rejection.reason))
        return REJECTED_ROWS
    return 0


def _stats(ctx: Context) -> int:
    from dialogen.facilitation.commands import resolve_step
    from dialogen.participation.figures_text import render_text

    args = ctx.args
    ctx.configure_logging("WARNING")
    runtime = ctx.runtime
    dialogue = runtime.dialogue
    step = resolve_step(dialogue, args.step) if args.step else None
    if args.step and step is None:
        print(fmsg.unknown_step(args.step, [s.key for s in dialogue.steps]), file=sys.stderr)
        return CANNOT_RUN
    report = runtime.facilitation.participation(
        actor=ctx.actor, step_key=step.key if step else None
    )
    print(render_text(report))
    return 0


def _representation(ctx: Context) -> int:
    from dialogen.facilitation.commands import resolve_step

    args = ctx.args
    ctx.configure_logging("WARNING")
    runtime = ctx.runtime
    dialogue = runtime.dialogue
    step = resolve_step(dialogue, args.step) if args.step else None
    if args.step and step is None:
        print(fmsg.unknown_step(args.step, [s.key for s in dialogue.steps]), file=sys.stderr)
        return CANNOT_RUN
    watch = runtime.facilitation.representation
    if watch is None:
        print(fmsg.BROADCASTS_UNAVAILABLE, file=sys.stderr)
        return CANNOT_RUN
    print(watch.report(actor=ctx.actor, step=step).replace("**", ""))
    return 0


def _teams_install(ctx: Context) -> int:
    from bot.teams.graph_install import GraphInstallError, install_for_invitees

    ctx.configure_logging("WARNING")
    settings = ctx.settings
    if not settings.teams_install_configured:
        print(fmsg.TEAMS_INSTALL_NOT_CONFIGURED, file=sys.stderr)
        return CANNOT_RUN
    runtime = ctx.runtime
    try:
        outcome = asyncio.run(
            install_for_invitees(settings, runtime.roster, runtime.audit, actor=ctx.actor)
        )
    except GraphInstallError as exc:
        print(exc, file=sys.stderr)
        return CANNOT_RUN
    print(fmsg.teams_install_summary(outcome.installed, outcome.already, outcome.failed))
    return 0 if not outcome.failed else REJECTED_ROWS
