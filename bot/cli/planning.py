"""Operator verbs for planning: ``dialoog broadcast``, ``dialoog nudge`` and ``dialoog schedule``.

``add_planning_verbs`` is listed in ``bot.cli.command.VERBS``. Every send is audited with the
actor ``cli:<os user>``. (``dialoog serve`` runs the scheduler itself: see ``bot.serving``.)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from dialogen.conversation.replies import Prompt, Receipt, Reply
from dialogen.errors import DialogenError
from planning import messages as pmsg

if TYPE_CHECKING:
    from bot.cli.context import Context
    from planning.broadcasts import Broadcasts

NOTHING_SENT = 1


def add_planning_verbs(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse has no public type
    for verb, help_text, run in (
        (
            "broadcast",
            "send a step's opening prompt to every participant who can be reached",
            _broadcast,
        ),
        (
            "nudge",
            "remind participants who have not completed a step (now, within the send window)",
            _nudge,
        ),
    ):
        parser = sub.add_parser(verb, help=help_text)
        parser.add_argument("--step", required=True, help="step key, e.g. verkennen")
        parser.add_argument(
            "--dry-run", action="store_true", help="show the message and recipients; send nothing"
        )
        parser.add_argument(
            "--dialogue", type=Path, help="dialogue file (default: the shipped one, demo calendar)"
        )
        if verb == "nudge":
            parser.add_argument(
                "--group",
                help="only this group: a role group, role, province or network (raad, griffier, "
                "Utrecht, G40)",
            )
        parser.set_defaults(run=run)
    parser = sub.add_parser("schedule", help="list what the scheduler will send next, with dates")
    parser.add_argument(
        "--dialogue", type=Path, help="dialogue file (default: the shipped one, demo calendar)"
    )
    parser.set_defaults(run=_schedule)


def _broadcast(ctx: Context) -> int:
    return _send(ctx, nudge=False)


def _nudge(ctx: Context) -> int:
    return _send(ctx, nudge=True)


def _send(ctx: Context, *, nudge: bool) -> int:
    from dialogen.conversation import messages as msg

    args = ctx.args
    broadcasts = _broadcasts(ctx)
    if broadcasts is None:
        return NOTHING_SENT
    group = getattr(args, "group", None)
    if nudge and group:
        preview = broadcasts.preview_nudge(args.step, group=group)
    elif nudge:
        preview = broadcasts.preview_nudge(args.step)
    else:
        preview = broadcasts.preview_step_prompt(args.step)
    actor = ctx.actor
    if preview.problem:
        count = (
            0
            if args.dry_run
            else _really_send(broadcasts, args.step, actor, nudge=nudge, group=group)
        )  # audits the attempt
        print(pmsg.queued(count) if count else preview.problem)
        return 0 if count else NOTHING_SENT
    step = broadcasts.dialogue.step(args.step)
    name = step.name if step else args.step
    print(pmsg.preview_heading(pmsg.NUDGE if nudge else pmsg.PROMPT, name) + "\n")
    if nudge:
        print(pmsg.nudge_varies() + "\n")
    for reply in preview.replies:
        print(_as_text(reply) + "\n")
    print(pmsg.recipients_line(preview.recipients))
    start = broadcasts.first_send_moment()
    later = start > broadcasts.clock()
    print(pmsg.send_from(msg.when(start, broadcasts.dialogue.zone) if later else None))
    if args.dry_run:
        print(pmsg.DRY_RUN)
        return 0
    count = _really_send(broadcasts, args.step, actor, nudge=nudge, group=group)
    print(pmsg.queued(count))
    return 0 if count else NOTHING_SENT


def _really_send(
    broadcasts: Broadcasts, step_key: str, actor: str, *, nudge: bool, group: str | None = None
) -> int:
    if nudge and group:
        return broadcasts.send_nudge(step_key, actor=actor, group=group)
    if nudge:
        return broadcasts.send_nudge(step_key, actor=actor)
    return broadcasts.send_step_prompt(step_key, actor=actor)


def _schedule(ctx: Context) -> int:
    from dialogen.conversation import messages as msg
    from planning.scheduler import stored_jobs

    broadcasts = _broadcasts(ctx)
    if broadcasts is None:
        return NOTHING_SENT
    zone = broadcasts.dialogue.zone
    items = broadcasts.upcoming()
    if not items:
        print(pmsg.NOTHING_PLANNED)
    else:
        print(pmsg.schedule_heading(broadcasts.dialogue.time_zone))
        now = broadcasts.clock()
        for item in items:
            late = f" — {pmsg.OVERDUE}" if item.when <= now else ""
            print(f"  {msg.when(item.when, zone):<36} {item.what}{late}")
    jobs = stored_jobs(broadcasts.database)
    print()
    print(pmsg.scheduler_jobs(len(jobs)) if jobs else pmsg.SCHEDULER_EMPTY)
    return 0


def _broadcasts(ctx: Context) -> Broadcasts | None:
    ctx.configure_logging("WARNING")
    try:
        return ctx.runtime.broadcasts
    except DialogenError as exc:  # the dialogue file cannot be used
        print(exc, file=sys.stderr)
        return None


def _as_text(reply: Reply) -> str:
    from bot.teams.cards import prompt_text

    if isinstance(reply, Receipt):  # a receipt answers someone's answers; no broadcast holds one
        raise TypeError("a broadcast preview holds no receipt")
    text = prompt_text(reply) if isinstance(reply, Prompt) else reply.text
    return text.replace("**", "").replace("_", "")
