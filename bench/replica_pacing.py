"""Two replicas drain one outbox on PostgreSQL against a Bot Connector stub enforcing Teams'
limits: how many requests a limit rejected (beyond the ones the stub injects at random).

    .venv/bin/python -m bench.replica_pacing [--participants 600] [--inject 0.05]

Both ``dialoog outbox drain --once`` processes run with the default limits (50 requests per second
per app) — not divided by hand between them. Printed: deliveries, duplicates, the 429s the stub
injected, and the requests rejected because a limit was exceeded (``over limit``): with pacing per
process two replicas send up to twice the app limit; with the shared pacing ledger, none.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from tests.planning.test_outbox_crash import queue_broadcast, start_drain, statuses
from tests.support.databases import fresh_postgres_database
from tests.support.limited_connector import LimitedConnector


async def run(participants: int, inject: float, folder: Path, margin: str | None) -> None:
    with fresh_postgres_database() as url:
        teams = await LimitedConnector(inject_rate=inject).start()
        try:
            await asyncio.to_thread(queue_broadcast, url, teams.url, participants)
            started = time.monotonic()
            extra = {"DIALOOG_OUTBOX_PACING_MARGIN": margin} if margin else {}
            senders = [await start_drain(url, folder, **extra) for _ in range(2)]
            results = await asyncio.gather(*(s.communicate() for s in senders))
            elapsed = time.monotonic() - started
            for sender, (_, err) in zip(senders, results, strict=True):
                if sender.returncode != 0:
                    print(err.decode()[-2000:])
            shares = [out.decode().split()[1] for out, _ in results]
            print(f"participants {participants}, 2 replicas, {elapsed:.1f} s, shares {shares}")
            print(
                f"delivered {len(teams.delivered_conversations())}, "
                f"duplicates {teams.duplicates()}, outbox {await asyncio.to_thread(statuses, url)}"
            )
            moments = sorted(t for times in teams.requests.values() for t in times)
            print(f"requests {len(moments)}, answers {dict(sorted(teams.statuses.items()))}")
            print(f"most requests in any second at the stub: {most_in_any(moments, 1.0)}")
            print(f"rejected by a limit (beyond the injected ones): {teams.over_limit}")
            print(f"reservations in the pacing ledger: {await asyncio.to_thread(_reserved, url)}")
        finally:
            await teams.close()


def _reserved(url: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        found = sorted(
            connection.execute(
                text("SELECT at FROM pacing_ledger WHERE scope <> '*app*'")
            ).scalars()
        )
    engine.dispose()
    return f"{len(found)}, most in any second {most_in_any(found, 1.0) if found else 0}"


def most_in_any(moments: list[float], seconds: float) -> int:
    most, first = 0, 0
    for last, moment in enumerate(moments):
        while moments[first] <= moment - seconds:
            first += 1
        most = max(most, last - first + 1)
    return most


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=600)
    parser.add_argument("--inject", type=float, default=0.05)
    parser.add_argument("--margin", help="DIALOOG_OUTBOX_PACING_MARGIN for both replicas")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pacing-") as folder:
        asyncio.run(run(args.participants, args.inject, Path(folder), args.margin))


if __name__ == "__main__":
    main()
