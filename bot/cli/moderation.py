"""``dialoog moderate``: the moderation queue from the command line — the same desk facilitators
use in Teams (``moderatie``). Every action is audited as ``cli:<os user>``.

- ``dialoog moderate list`` shows what waits: contributions waiting for approval, hidden after
  reports, or reported; with their code, text and what the masking hid;
- ``approve CODE``, ``hide CODE --reason …``, ``mask CODE --text …``, ``unmask CODE --part N``.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.cli.context import Context
    from dialogen.facilitation.moderation import ModerationDesk

NOTHING_DONE = 1


def add_moderation_verbs(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse has no public type
    parser = sub.add_parser(
        "moderate", help="the moderation queue: list, approve, hide, mask, unmask"
    )
    verbs = parser.add_subparsers(dest="moderate_verb", required=True)
    verbs.add_parser("list", help="what waits for a facilitator").set_defaults(run=_list)
    approve = verbs.add_parser("approve", help="show a contribution to participants")
    approve.add_argument("code", help="the start of the contribution's id, as the list shows it")
    approve.set_defaults(run=_act, action="goedkeuren", text="")
    hide = verbs.add_parser("hide", help="hide a contribution; its author is told why")
    hide.add_argument("code")
    hide.add_argument("--reason", required=True, help="the author reads this (Dutch)")
    hide.set_defaults(run=_act, action="verbergen")
    mask = verbs.add_parser("mask", help="hide a piece of text in a contribution as well")
    mask.add_argument("code")
    mask.add_argument("--text", required=True, help="the text to hide, as it is written")
    mask.set_defaults(run=_act, action="maskeer")
    unmask = verbs.add_parser("unmask", help="show a masked part of a contribution again")
    unmask.add_argument("code")
    unmask.add_argument("--part", type=int, required=True, help="its number in the list")
    unmask.set_defaults(run=_act, action="toon")


def _desk(ctx: Context) -> ModerationDesk:
    ctx.configure_logging("WARNING")
    desk = ctx.runtime.facilitation.moderation
    assert desk is not None
    return desk


def _list(ctx: Context) -> int:
    from dialogen.facilitation import messages as fmsg
    from dialogen.facilitation.moderation import queue_text

    queue = _desk(ctx).queue(actor=ctx.actor)
    print(queue_text(queue).replace("**", "") if queue.items else fmsg.MODERATION_EMPTY)
    return 0


def _act(ctx: Context) -> int:
    args = ctx.args
    text = (
        args.reason if args.action == "verbergen" else args.text if args.action == "maskeer" else ""
    )
    if args.action == "toon":
        text = str(args.part)
    result = _desk(ctx).act(actor=ctx.actor, action=args.action, code=args.code.lower(), text=text)
    print(result.text, file=sys.stdout if result.done else sys.stderr)
    return 0 if result.done else NOTHING_DONE
