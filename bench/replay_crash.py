"""A crash after the commit and before the reply: is every participant answered on redelivery?

    .venv/bin/python -m bench.replay_crash [--participants 60 120 150 200]
        [--database-url sqlite|postgresql|URL] [--answers 3] [--seed 11]

The real app (``bot.app.create_app``, local mode, demo calendar so Verkennen is open) in this
process, its replies going to a local Bot Connector stub. N participants at the same time walk
install, consent, role, municipality and ``--answers`` Verkennen answers (``bench/turns.py``'s
path). Once per participant, at a seeded random turn after the install, the process "dies" after
the door committed the turn and before any reply left: the turn's error handler re-raises, the
endpoint answers no 2xx, and — as Teams does — the same activity is delivered again.

Printed per N: answers acknowledged (a 2xx for the answer activity) against answers stored (rows
in ``answer``), and participants left without a reply to the crashed activity (no reply with its
``replyToId`` after the redelivery), who therefore never saw their next question.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import tempfile
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy import func, select

from bench.turns import participant_path
from tests.support.databases import fresh_postgres_database

PROFILE_TURNS = 4  # install, consent, role, municipality; the rest are Verkennen answers


class Crash(Exception):
    """The process died here (after the commit, before the reply)."""


class Replies:
    """A Bot Connector stand-in that counts replies per activity they answer."""

    def __init__(self) -> None:
        self.by_reply_to: Counter[str] = Counter()
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> Replies:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._reply)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._reply)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def _reply(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.by_reply_to[str(body.get("replyToId") or request.match_info.get("reply_to"))] += 1
        return web.json_response({"id": "r"})

    async def close(self) -> None:
        if self._runner:
            await self._runner.cleanup()


async def run_once(participants: int, args: argparse.Namespace, url: str, folder: Path) -> str:
    from bot.app import create_app
    from bot.runtime import build_runtime
    from bot.settings import Settings
    from dialogen.store.tables import AnswerRow

    settings = Settings(
        database_url=url,
        demo_calendar=True,
        pseudonym_secret="6f3c9a1e0b7d4c2a8e5f1b3d7a9c0e2f4b6d8a1c3e5f7b9d",
        pseudonym_secret_file=folder / "secret",
        mail_transport="none",
        outbox_enabled=False,
        scheduler_enabled=False,
    )
    runtime = build_runtime(settings)
    rng = random.Random(args.seed + participants)
    crash_at: dict[str, int] = {
        f"p{number}": rng.randrange(1, PROFILE_TURNS + args.answers)
        for number in range(participants)
    }
    crashing: set[str] = set()  # activity ids whose next processing "dies" after the commit
    crashes = 0
    channel = runtime.teams.channel
    door_handle = channel.handle

    def handle(event: Any) -> Any:
        nonlocal crashes
        outcome = door_handle(event)  # committed
        if getattr(event, "event_id", None) in crashing:
            crashing.discard(event.event_id)
            crashes += 1
            raise Crash
        return outcome

    async def die(context: Any, error: Exception) -> None:
        if isinstance(error, Crash):
            raise error  # nothing is sent: the process is gone
        await type(channel).on_error(context, error)

    channel.handle = handle
    runtime.teams.adapter.on_turn_error = die
    app = create_app(runtime)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    endpoint = f"http://127.0.0.1:{runner.addresses[0][1]}/api/messages"
    replies = await Replies().start()
    acknowledged = 0
    crashed_ids: list[str] = []

    async def participant(session: aiohttp.ClientSession, number: int) -> None:
        nonlocal acknowledged
        user = f"p{number}"
        for turn, step in enumerate(participant_path(number, args.answers)):
            activity = step(replies.url, user)
            if turn == crash_at[user]:
                conversation = activity["conversation"]["id"]
                crashing.add(f"{conversation}\x00{activity['id']}")  # the key the channel uses
                crashing.add(activity["id"])  # and the one it used before the fix
                crashed_ids.append(activity["id"])
            for _ in range(3):  # Teams redelivers what was not acknowledged
                async with session.post(endpoint, json=activity) as response:
                    await response.read()
                    if response.status < 300:
                        if turn >= PROFILE_TURNS:
                            acknowledged += 1
                        break

    try:
        async with aiohttp.ClientSession() as session:
            await asyncio.gather(*(participant(session, n) for n in range(participants)))
        with runtime.database.unit_of_work() as db:
            stored = db.execute(select(func.count()).select_from(AnswerRow)).scalar() or 0
    finally:
        await replies.close()
        await runner.cleanup()
    unanswered = sum(1 for activity_id in crashed_ids if replies.by_reply_to[activity_id] == 0)
    expected = participants * args.answers
    return (
        f"N={participants:4d}  answers sent {expected}, acknowledged {acknowledged}, "
        f"stored {stored}; crashes {crashes}; "
        f"left without a reply after the crash: {unanswered}/{participants}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, nargs="+", default=[60, 120, 150, 200])
    parser.add_argument("--database-url", default="sqlite")
    parser.add_argument("--answers", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)
    print(f"database: {args.database_url.split('@')[-1]}")
    for participants in args.participants:
        with ExitStack() as stack:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="replay-")))
            url = args.database_url
            if url == "sqlite":
                url = f"sqlite:///{folder / 'replay.db'}"
            elif url == "postgresql":
                url = stack.enter_context(fresh_postgres_database())
            print(asyncio.run(run_once(participants, args, url, folder)), flush=True)


if __name__ == "__main__":
    main()
