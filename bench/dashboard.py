"""Dashboard benchmark: server time to answer each dashboard page (and its refresh JSON) with a
dialogue of 12,000 invitees of whom 3,000 take part, on Verrijken's second Monday.

    .venv/bin/python -m bench.dashboard                         # SQLite file, 20 requests a page
    .venv/bin/python -m bench.dashboard --requests 50 --database-url postgresql+psycopg://...

The dialogue is built with the tests' fast fixture builder (tests/support/dashboard_world.py:
bulk inserts of invitees, sealed progress, answers, contributions, a month of daily totals).
Each request goes through the real application (routing, sign-in check, domain, templates) in
this process; the time is from sending the request to the last byte of the answer. Prints p50,
p95 and max per page in milliseconds, and p50 and p95 of the process's CPU time per request
(client and server share the process; the CPU time is what the load on the machine does not
inflate), with the load average before and after; the target is p95 under 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

if __package__ in (None, ""):  # run as a file: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.runtime import build_runtime  # noqa: E402
from bot.settings import Settings  # noqa: E402
from dialogen.dialogue.loader import default_dialogue_path, load_dialogue  # noqa: E402
from dialogen.privacy.payload_cipher import Sealing  # noqa: E402
from dialogen.privacy.pseudonyms import Pseudonyms  # noqa: E402
from dialogen.stakeholders.municipalities import MunicipalityRegistry  # noqa: E402
from dialogen.store.database import Database  # noqa: E402
from tests.support.clock import FakeClock  # noqa: E402
from tests.support.dashboard_world import populate  # noqa: E402

SECRET = "bench-pseudonym-secret-0123456789abcdef"
FACILITATOR = "fenna@gemeente.example"
PAGES = (
    "/dashboard",
    "/dashboard/api/overzicht.json",
    "/dashboard/vertegenwoordiging",
    "/dashboard/api/vertegenwoordiging.json",
    "/dashboard/moderatie",
    "/dashboard/berichten",
)


async def run(args: argparse.Namespace, folder: Path) -> None:
    url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    settings = Settings(
        database_url=url,
        pseudonym_secret=SECRET,
        pseudonym_secret_file=folder / "secret",
        demo_calendar=False,
        mail_transport="none",
        outbox_enabled=False,
        scheduler_enabled=False,
        facilitators=[FACILITATOR],
    )
    database = Database(url)
    database.migrate()
    clock = FakeClock(datetime(2024, 10, 21, 11, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))
    dialogue = load_dialogue(default_dialogue_path())
    registry = MunicipalityRegistry.load()
    pseudonyms = Pseudonyms(SECRET.encode())
    started = time.perf_counter()
    populate(
        database,
        dialogue=dialogue,
        registry=registry,
        pseudonyms=pseudonyms,
        sealing=Sealing.derived_from(pseudonyms),
        now=clock(),
        invitees=args.invitees,
        participants=args.participants,
        contributions=40,
        days=30,
    )
    print(
        f"built {args.invitees:,} invitees, {args.participants:,} participants "
        f"in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})"
    )
    runtime = build_runtime(
        settings, clock=clock, database=database, dialogue=dialogue, municipalities=registry
    )
    client = TestClient(TestServer(create_app(runtime), host="127.0.0.1"))
    await client.start_server()
    try:
        login = await (await client.get("/dashboard/aanmelden")).text()
        csrf = re.search(r'name="csrf" value="([^"]+)"', login)
        assert csrf is not None
        await client.post(
            "/dashboard/aanmelden/lokaal", data={"csrf": csrf.group(1), "wie": FACILITATOR}
        )
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(
            f"{'page':42} {'p50':>7} {'p95':>7} {'max':>7} {'cpu p50':>8} {'cpu p95':>8}"
            f"  (ms, {args.requests} requests)"
        )
        for page in PAGES:
            times, cpu = [], []
            for _ in range(args.requests):
                begin, begin_cpu = time.perf_counter(), time.process_time()
                response = await client.get(page)
                await response.read()
                times.append((time.perf_counter() - begin) * 1000)
                cpu.append((time.process_time() - begin_cpu) * 1000)
                assert response.status == 200, (page, response.status)
            print(
                f"{page:42} {statistics.median(times):7.0f} {_p95(times):7.0f} "
                f"{max(times):7.0f} {statistics.median(cpu):8.0f} {_p95(cpu):8.0f}"
            )
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        await client.close()
        database.dispose()


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invitees", type=int, default=12_000)
    parser.add_argument("--participants", type=int, default=3_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(args, Path(folder)))


if __name__ == "__main__":
    main()
