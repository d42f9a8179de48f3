"""Broadcast benchmark: one step prompt to every participant, through the real outbox sender and
Teams transport, against a Bot Connector stub that enforces Teams' limits and rejects 5 % of the
requests with 429/5xx (rejected requests count against the limits, as in Teams).

    .venv/bin/python -m bench.broadcast                      # 12,000 participants, 50 requests/s
    .venv/bin/python -m bench.broadcast --participants 1000 --app-rate 50

Prints successful deliveries per second as a fraction of the allowed request rate (0.95 is the
ceiling with 5 % rejected), lost and duplicated deliveries, peak memory and wall time. With
12,000 distinct personal chats the per-app limit binds: the full run takes 4+ minutes.

The stub runs in a child process so it does not share the sender's interpreter (as Teams would
not); its figures come back over a pipe when the run is over.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import secrets
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.outbox_sender import build_sender  # noqa: E402
from bot.runtime import build_runtime  # noqa: E402
from bot.settings import Settings  # noqa: E402
from dialogen.conversation.replies import Say  # noqa: E402
from dialogen.conversation.reply_codec import encode_replies  # noqa: E402
from dialogen.store.database import Database  # noqa: E402
from dialogen.store.outbox import OutboxRow  # noqa: E402
from dialogen.store.tables import ConversationReferenceRow, ParticipantRow  # noqa: E402
from tests.support.limited_connector import PER_CONVERSATION, LimitedConnector  # noqa: E402
from tests.support.teams_people import reference_for  # noqa: E402

INJECTED = (429, 500, 503)


def populate(database: Database, participants: int, service_url: str) -> None:
    """Participants, their conversation references and one queued prompt each, in bulk."""
    now = datetime.now(UTC)
    people, references, messages = [], [], []
    for number in range(participants):
        name = f"b{number:05}"
        person = secrets.token_hex(16)
        people.append(
            {
                "id": person,
                "name": f"Bench {name}",
                "teams_user_id": f"29:1{name}",
                "consent": True,
                "opted_out": False,
                "invited": True,
                "preferred_channel": "teams",
                "teams_reachable": True,
                "created_at": now,
            }
        )
        references.append(
            {
                "participant_id": person,
                "channel": "teams",
                "updated_at": now,
                "reference": reference_for(service_url, name),
            }
        )
        messages.append(
            {
                "id": secrets.token_hex(16),
                "key": f"prompt:{person}:verkennen",
                "participant_id": person,
                "channel": "teams",
                "kind": "step_prompt",
                "step_key": "verkennen",
                "payload": encode_replies((Say(f"Verkennen is open ({name})"),)),
                "status": "pending",
                "not_before": now,
                "attempts": 0,
                "created_at": now,
                "parts_sent": 0,
                "seq": number + 1,
            }
        )
    with database.engine.begin() as connection:
        for table, rows in (
            (ParticipantRow, people),
            (ConversationReferenceRow, references),
            (OutboxRow, messages),
        ):
            for start in range(0, len(rows), 2000):
                connection.execute(table.__table__.insert(), rows[start : start + 2000])


# ---------------------------------------------------------------- the stub, in its own process


def _stub_process(app_rate: float, inject: float, ready: Any, finished: Any, results: Any) -> None:
    async def serve() -> None:
        stub = await LimitedConnector(
            per_app=((int(app_rate), 1.0),),
            per_conversation=PER_CONVERSATION,
            inject_rate=inject,
            inject_statuses=INJECTED,
        ).start()
        ready.send(stub.url)
        await asyncio.get_running_loop().run_in_executor(None, finished.recv)
        arrivals = stub.arrivals
        results.send(
            {
                "arrivals": len(arrivals),
                "conversations": len(stub.delivered_conversations()),
                "duplicates": stub.duplicates(),
                "statuses": dict(stub.statuses),
                "over_limit": stub.over_limit,
                "requests_span": _span(stub),
                "steady_rate": _steady_rate(stub),
                "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
        )
        await stub.close()

    asyncio.run(serve())


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _span(stub: LimitedConnector) -> float:
    times = [t for requests in stub.requests.values() for t in requests]
    return max(times) - min(times) if times else 0.0


def _steady_rate(stub: LimitedConnector) -> float:
    """Requests per second between the 10th and the 90th percentile of request times."""
    times = sorted(t for requests in stub.requests.values() for t in requests)
    if len(times) < 10:
        return 0.0
    low, high = times[len(times) // 10], times[len(times) * 9 // 10]
    return (len(times) * 8 // 10) / (high - low) if high > low else 0.0


async def run(
    participants: int, app_rate: float, inject: float, concurrency: int, database_url: str | None
) -> None:
    ready_here, ready_there = multiprocessing.Pipe()
    finished_here, finished_there = multiprocessing.Pipe()
    results_here, results_there = multiprocessing.Pipe()
    stub = multiprocessing.get_context("spawn").Process(
        target=_stub_process,
        args=(app_rate, inject, ready_there, finished_there, results_there),
        daemon=True,
    )
    stub.start()
    service_url = await asyncio.to_thread(ready_here.recv)

    workdir = Path(tempfile.mkdtemp(prefix="dialoog-bench-"))
    url = database_url or f"sqlite:///{workdir / 'bench.db'}"
    database = Database(url)
    database.migrate()
    started = time.perf_counter()
    populate(database, participants, service_url)
    print(
        f"queued {participants} prompts in {time.perf_counter() - started:.1f} s "
        f"({database.url.get_backend_name()})"
    )

    settings = Settings(
        database_url=url,
        outbox_teams_app_limits=f"{app_rate:g}/1",
        outbox_concurrency=concurrency,
        pseudonym_secret_file=workdir / "secret",
        mail_transport="none",
    )
    sender = build_sender(build_runtime(settings, database=database), channels=("teams",))
    started, cpu_before = time.perf_counter(), _cpu_seconds()
    summary = await sender.drain()
    wall, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_before
    finished_here.send(True)
    figures = await asyncio.to_thread(results_here.recv)
    stub.join(timeout=10)
    database.dispose()

    delivered = figures["statuses"].get(201, 0)
    rate = delivered / wall
    lost = participants - figures["conversations"]
    print(f"participants           {participants}")
    print(
        f"allowed request rate   {app_rate:g}/s per app "
        f"(per conversation {', '.join(f'{n}/{s:g}s' for n, s in PER_CONVERSATION)})"
    )
    print(
        f"requests answered      {sum(figures['statuses'].values())}  "
        f"{dict(sorted(figures['statuses'].items()))}"
    )
    print(f"  rejected by a limit  {figures['over_limit']}")
    answered = sum(figures["statuses"].values())
    if figures["requests_span"]:
        print(
            f"  request rate         {answered / figures['requests_span']:.2f}/s "
            "from the first request to the last, "
            f"{figures['steady_rate']:.2f}/s between the 10th and 90th percentile"
        )
    print(
        f"successful deliveries  {delivered} in {wall:.1f} s = {rate:.2f}/s = "
        f"{rate / app_rate:.3f} of the allowed rate "
        f"(ceiling {1 - inject:.2f})"
    )
    print(f"lost                   {lost}")
    print(f"duplicated             {figures['duplicates']}")
    print(
        f"sender summary         sent={summary.sent} retried={summary.retried} "
        f"failed={summary.failed} "
        f"unreachable={summary.unreachable}"
    )
    print(
        "peak memory            "
        f"sender {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB, "
        f"stub {figures['peak_kib'] / 1024:.0f} MiB"
    )
    print(
        f"sender CPU             {cpu:.1f} s = {cpu / max(delivered, 1) * 1000:.1f} ms per delivery"
    )
    print(
        f"wall time              {wall:.1f} s (sending), "
        f"participants per minute {participants / wall * 60:.0f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.broadcast", description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=12_000)
    parser.add_argument(
        "--app-rate", type=float, default=50.0, help="allowed requests per second per app"
    )
    parser.add_argument(
        "--inject", type=float, default=0.05, help="fraction of requests answered 429/500/503"
    )
    parser.add_argument(
        "--concurrency", type=int, default=8, help="messages in flight (DIALOOG_OUTBOX_CONCURRENCY)"
    )
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary folder")
    args = parser.parse_args(argv)
    asyncio.run(
        run(args.participants, args.app_rate, args.inject, args.concurrency, args.database_url)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
