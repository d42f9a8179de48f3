"""``dialoog outbox``: drain the outbox from the command line, or show what it holds.

``dialoog outbox drain`` keeps sending until stopped (Ctrl-C, SIGTERM) — a sender process of its
own, e.g. a second replica on PostgreSQL. ``--once`` sends what is due now (waiting for retries
and for messages a stopped sender still held) and then exits. ``dialoog outbox status`` counts the
messages per channel and status.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.cli.context import Context
    from planning.sender import DrainSummary, OutboxSender

STATUS_WORDS = {
    "pending": "wachtend",
    "sending": "bezig",
    "sent": "verzonden",
    "failed": "mislukt",
    "cancelled": "geannuleerd",
}


def add_outbox(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse has no public type
    parser = sub.add_parser("outbox", help="send queued proactive messages, or show the queue")
    verbs = parser.add_subparsers(dest="outbox_verb", required=True)
    drain = verbs.add_parser("drain", help="send due messages within the rate limits, with retries")
    drain.add_argument(
        "--once",
        action="store_true",
        help="stop when nothing due is left (default: keep running until stopped)",
    )
    drain.add_argument(
        "--channel",
        choices=("all", "teams", "mail"),
        default="all",
        help=(
            "drain only this channel (default: Teams, and mail unless DIALOOG_MAIL_TRANSPORT=none)"
        ),
    )
    drain.set_defaults(run=_drain)
    status = verbs.add_parser("status", help="count messages per channel and status")
    status.set_defaults(run=_status)


def _drain(ctx: Context) -> int:
    ctx.configure_logging()
    summary = asyncio.run(_drain_channels(ctx, channel=ctx.args.channel, once=ctx.args.once))
    print(
        f"Outbox: {summary.sent} verzonden, {summary.retried} keer later opnieuw geprobeerd, "
        f"{summary.failed} mislukt, {summary.unreachable} onbereikbaar, "
        f"{summary.expired} verlopen, {summary.recovered} teruggezet na een onderbroken verzending."
    )
    if summary.held:
        print(
            f"  {summary.held} wacht(en): het kanaal weigerde de inloggegevens van de bot. "
            "Controleer DIALOOG_APP_ID, het wachtwoord of certificaat en de tenant; "
            "daarna gaan ze alsnog mee."
        )
    for reason, number in sorted(summary.reasons.items()):
        print(f"  {number} × {reason}")
    return 0


async def _drain_channels(ctx: Context, *, channel: str, once: bool) -> DrainSummary:
    from bot.outbox_sender import build_sender

    runtime = ctx.runtime
    channels = ("teams", "mail") if channel == "all" else (channel,)
    try:
        return await _run(build_sender(runtime, channels=channels), once=once)
    finally:
        if runtime.mail is not None:
            await runtime.mail.close()


async def _run(sender: OutboxSender, *, once: bool) -> DrainSummary:
    if once:
        return await sender.drain()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    return await sender.run(stop)


def _status(ctx: Context) -> int:
    from dialogen.store import outbox

    database = ctx.runtime.database
    with database.read() as connection:
        counts = outbox.counts(connection)
    if not counts:
        print("De outbox is leeg.")
        return 0
    for (channel, status), number in sorted(counts.items()):
        print(f"{channel:6} {STATUS_WORDS.get(status, status):12} {number:>7}")
    return 0
