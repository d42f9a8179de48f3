"""``dialoog simulate --participants N [--seed S] [--database URL]``: fill a database with a
realistic dialogue through the real door (see :mod:`bot.simulation`). The shipped dialogue's own
calendar (or ``--dialogue``) is walked through with a simulated clock; the database should be a
new one."""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.cli.context import Context


def add_simulate(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse has no public type
    parser = sub.add_parser(
        "simulate", help="fill a (new) database with a simulated dialogue, through the real door"
    )
    parser.add_argument("--participants", type=int, required=True, help="invitees to simulate")
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same run")
    parser.add_argument("--database", help="database URL (default: DIALOOG_DATABASE_URL)")
    parser.add_argument("--dialogue", type=Path, help="dialogue file (default: the shipped one)")
    parser.set_defaults(run=_simulate)


def _simulate(ctx: Context) -> int:
    from bot.runtime import build_runtime
    from bot.simulation import SimulationClock, simulate
    from dialogen.dialogue.loader import default_dialogue_path, load_dialogue

    if ctx.args.participants < 1:
        print("--participants moet minstens 1 zijn.")
        return 2
    ctx.configure_logging("WARNING")
    overrides: dict[str, object] = {"demo_calendar": False, "mail_transport": "none"}
    if ctx.args.database:
        overrides["database_url"] = ctx.args.database
    settings = ctx.settings.model_copy(update=overrides)
    dialogue = load_dialogue(settings.dialogue_file or default_dialogue_path())
    clock = SimulationClock(dialogue.steps[0].opens - timedelta(days=1))
    runtime = build_runtime(settings, clock=clock, dialogue=dialogue)
    try:
        summary = simulate(runtime, participants=ctx.args.participants, seed=ctx.args.seed)
    finally:
        runtime.close()
    print("\n".join(summary.lines()))
    return 0
