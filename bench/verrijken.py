"""Verrijken benchmark: choosing the next contribution from the database, and reacting through
``/api/messages``.

    .venv/bin/python -m bench.verrijken                      # SQLite and PostgreSQL, then HTTP
    .venv/bin/python -m bench.verrijken --backends sqlite --participants 100

A database is filled with ``--contributions`` contributions (5,000) and ``--reactions`` reactions
(100,000) by 5,000 earlier reactors whose role, province and networks are skewed as in the
invited population; each contribution's counters (in total and per group) match its reactions.

**Choosing** (in this process, per backend; the runtime's own door and routing):

* next          — what a chat turn does before the engine decides: the reactor's own reactions
  and cursor read, the next contributions drawn from the process' routing pool, their texts read
  (``Contributions.offers`` in a unit of work), for earlier reactors with ~20 reactions each;
* next, cold    — the same right after the pool was dropped: the pool is built from the store
  first (from a read of its own, before the unit of work, as a turn does); a pool older than 30 s
  is rebuilt the same way but takes the unchanged rows' candidates from the last build;
* reaction turn — a whole turn through ``Door.handle``: 'eens' (or 'oneens: …') stored, counters
  updated, the next contribution chosen and asked.

**Reacting through /api/messages** (SQLite, or ``--http-database``): the real app
(``bench/serve.py``) on the filled database with the calendar moved so that Verrijken is open
today; ``--participants`` (200) Teams participants start within ``--ramp`` seconds and, with an
exponential think time (mean ``--think`` s), install, consent, give role and municipality and
react to 10 contributions (typed: eens, oneens with an addition now and then, pas).

Targets: next p95 < 20 ms on both backends; reaction turns p95 < 150 ms through /api/messages.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

if __package__ in (None, ""):  # run as a file: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from bench.routing import NETWORKS, PROVINCES, pick  # noqa: E402
from bench.turns import BotProcess, Connector, Result, walk  # noqa: E402
from dialogen.contributions.service import Author  # noqa: E402
from dialogen.conversation.inputs import Install, Text  # noqa: E402
from dialogen.conversation.state import ConversationState  # noqa: E402
from dialogen.dialogue.loader import default_dialogue_path, load_dialogue  # noqa: E402
from dialogen.door.events import Identity, InboundEvent  # noqa: E402
from dialogen.stakeholders.segments import Segment  # noqa: E402
from dialogen.store.contributions import ContributionRow, ReactionRow  # noqa: E402
from dialogen.store.database import Database  # noqa: E402
from tests.support import activities as act  # noqa: E402

AMS = ZoneInfo("Europe/Amsterdam")
ROLES = {"raadslid": 55, "wethouder": 12, "gemeenteambtenaar": 14, "burgemeester": 6}
ROLES |= {"gemeentesecretaris": 5, "griffier": 4, "anders": 4}
VOTES = ("eens", "oneens", "pas")
TEXTS = (
    "De raad krijgt de stukken van de regio pas als alles al vastligt.",
    "Samen inkopen in de jeugdzorg levert ons echt iets op.",
    "Een regionale raadscommissie zou de afstand tot de regio kleiner maken.",
    "De kosten van de veiligheidsregio stijgen sneller dan onze bijdrage.",
    "Kleine gemeenten hebben de regio nodig voor specialistische taken.",
)


# ---------------------------------------------------------------- the filled database


def segment(rng: random.Random) -> Segment:
    networks = frozenset(n for n in pick(rng, NETWORKS).split(",") if n)
    return Segment(pick(rng, ROLES), pick(rng, PROVINCES) or None, networks)


def fill(database: Database, *, contributions: int, reactions: int, seed: int) -> list[Author]:
    """Contributions and reactions as Verrijken leaves them; the earlier reactors (as authors)."""
    rng = random.Random(seed)
    dialogue_key = load_dialogue(default_dialogue_path()).key
    reactors = [Author(f"{rng.getrandbits(256):064x}", segment(rng)) for _ in range(5000)]
    authors = [Author(f"{rng.getrandbits(256):064x}", segment(rng)) for _ in range(2500)]
    day = date(2024, 10, 8)
    counters = [[0, 0, 0] for _ in range(contributions)]
    groups: list[dict[str, list[int]]] = [{} for _ in range(contributions)]
    rows: list[dict[str, Any]] = []
    weights = [rng.paretovariate(1.5) for _ in range(contributions)]
    per_reactor = reactions // len(reactors)
    for reactor in reactors:
        for index in set(rng.choices(range(contributions), weights=weights, k=per_reactor)):
            vote = rng.choices((0, 1, 2), weights=(5, 3, 2))[0]
            counters[index][vote] += 1
            for group in reactor.groups:
                groups[index].setdefault(group, [0, 0, 0])[vote] += 1
            rows.append(
                {
                    "id": f"{rng.getrandbits(128):032x}",
                    "dialogue_key": dialogue_key,
                    "contribution_id": f"c{index:031d}",
                    "pseudonym": reactor.pseudonym,
                    "vote": VOTES[vote],
                    **reactor.columns,
                    "recorded_on": day,
                }
            )
    with database.unit_of_work() as session:
        session.execute(
            insert(ContributionRow),
            [
                {
                    "id": f"c{n:031d}",
                    "dialogue_key": dialogue_key,
                    "step_key": "verkennen",
                    "question_id": "beeld" if n < len(authors) else "oplossing",
                    "source_key": "" if n < 2 * len(authors) else f"s{n}",
                    "pseudonym": authors[n % len(authors)].pseudonym,
                    **authors[n % len(authors)].columns,
                    "text": f"{rng.choice(TEXTS)} ({n})",
                    "original": "",
                    "spans": [],
                    "state": "visible",
                    "agree": counters[n][0],
                    "disagree": counters[n][1],
                    "passes": counters[n][2],
                    "groups": groups[n],
                    "created_on": day - timedelta(days=rng.randrange(20)),
                    "visible_on": day,
                    "reports": 0,
                }
                for n in range(contributions)
            ],
        )
        for start in range(0, len(rows), 10_000):
            session.execute(insert(ReactionRow), rows[start : start + 10_000])
    return reactors


# ---------------------------------------------------------------- choosing, in this process


Sample = tuple[float, float]
"""Wall-clock and CPU milliseconds of one call (CPU time does not grow when other processes
share the machine; on PostgreSQL it leaves out the server's share)."""


def timed(action: Callable[[], object]) -> Sample:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def line(label: str, samples: list[Sample]) -> str:
    wall, cpu = [w for w, _ in samples], [c for _, c in samples]
    return (
        f"  {label:<15}{percentile(wall, 0.5):>9.2f}{percentile(wall, 0.95):>9.2f}"
        f"{percentile(cpu, 0.5):>9.2f}{percentile(cpu, 0.95):>9.2f}{len(samples):>7}"
    )


def choose(database_url: str, args: argparse.Namespace) -> list[str]:
    from bot.runtime import build_runtime
    from bot.settings import Settings

    database = Database(database_url)
    database.migrate()
    started = time.perf_counter()
    reactors = fill(
        database, contributions=args.contributions, reactions=args.reactions, seed=args.seed
    )
    filled = time.perf_counter() - started
    now = datetime(2024, 10, 15, 11, 0, tzinfo=AMS)
    clock = lambda: now  # noqa: E731 - a fixed moment in Verrijken
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=database_url,
            pseudonym_secret="3b8e1f5a9c2d7e4b0a6f8c1d3e5b7a9f2c4d6e8a",
            pseudonym_secret_file=Path(tmp) / "secret",
            demo_calendar=False,
            mail_transport="none",
        )
        runtime = build_runtime(settings, clock=clock, database=database)
    contributions = runtime.door.contributions
    assert contributions is not None
    rng = random.Random(args.seed + 1)

    def offers(author: Author) -> None:
        contributions.prepare(now)  # a stale pool rebuilt before the unit of work, as in a turn
        with database.unit_of_work() as session:
            found = contributions.offers(
                session,
                author=author,
                message=Text("eens"),
                state=ConversationState(),
                answers={},
                now=now,
            )
            assert any(o.items for o in found.values())

    offers(reactors[0])  # the pool built once
    warm = [timed(lambda: offers(rng.choice(reactors))) for _ in range(args.draws)]
    cold = []
    for _ in range(max(10, args.draws // 20)):
        contributions.pools.changed()
        cold.append(timed(lambda: offers(rng.choice(reactors))))
    turns = []
    for n in range(args.turn_people):
        identity = Identity(channel="teams", aad_object_id=f"bench-{n}", teams_user_id=f"29:{n}")
        runtime.door.handle(InboundEvent(identity, Install()))
        for text in ("ja", "raadslid", "Utrecht"):
            runtime.door.handle(InboundEvent(identity, Text(text)))
        for k in range(10):
            said = rng.choice(("eens", "oneens", "pas", "eens", "oneens: dat hangt ervan af"))
            event = InboundEvent(identity, Text(said), event_id=f"bench-{n}-{k}")
            turns.append(timed(lambda event=event: runtime.door.handle(event)))
    runtime.close()
    next_p95 = percentile([w for w, _ in warm], 0.95)
    backend = database_url.split(":", 1)[0]
    return [
        f"{backend}: {args.contributions} contributions, {args.reactions} reactions "
        f"(filled in {filled:.1f} s)",
        f"  {'':<15}{'p50 ms':>9}{'p95 ms':>9}{'CPU p50':>9}{'CPU p95':>9}{'n':>7}",
        line("next", warm),
        line("next, cold", cold),
        line("reaction turn", turns),
        f"  next p95 target < 20 ms: {'met' if next_p95 < 20 else 'MISSED'}"
        f" (load average {os.getloadavg()[0]:.1f})",
    ]


@contextmanager
def backend_url(name: str, tmp: Path) -> Iterator[str]:
    if name == "sqlite":
        yield f"sqlite:///{tmp / 'verrijken.db'}"
        return
    from tests.support.databases import fresh_postgres_database

    with fresh_postgres_database() as url:
        yield url


# ---------------------------------------------------------------- reacting through /api/messages


def reacting_path(number: int) -> list[Callable[[str, str], dict[str, Any]]]:
    rng = random.Random(number)
    said = [
        rng.choice(("eens", "oneens", "pas", "eens", "oneens: de raad moet eerder meepraten"))
        for _ in range(10)
    ]
    path: list[Callable[[str, str], dict[str, Any]]] = [
        lambda url, user: act.installation_update(url, user),
        lambda url, user: act.card_submit(url, user, {"dialoog": "consent", "value": "ja"}),
        lambda url, user: act.message(url, user, "raadslid"),
        lambda url, user: act.message(url, user, "Utrecht"),
    ]
    path += [lambda url, user, text=text: act.message(url, user, text) for text in said]
    return path


async def paced(args: argparse.Namespace, database_url: str, workdir: Path) -> Result:
    connector = await Connector().start()
    bot = await BotProcess(
        "dialogue", ["--database-url", database_url, "--open-step", "verrijken"]
    ).start(workdir / "dialogue.log")
    result = Result("dialoog", "paced")
    try:
        limits = aiohttp.TCPConnector(limit=args.participants + 10)
        async with aiohttp.ClientSession(connector=limits) as session:
            await asyncio.gather(  # warm up: not measured
                *(
                    walk(session, bot.url, connector.url, f"warm-{n}", reacting_path(n), None)
                    for n in range(5)
                )
            )
            cpu = bot.cpu_seconds()
            started = time.perf_counter()
            await asyncio.gather(
                *(
                    walk(
                        session,
                        bot.url,
                        connector.url,
                        f"r-{n}",
                        reacting_path(n),
                        result,
                        args.think,
                        args.ramp,
                        seed=n,
                    )
                    for n in range(args.participants)
                )
            )
            result.seconds = time.perf_counter() - started
            result.cpu_seconds = bot.cpu_seconds() - cpu
    finally:
        await bot.stop()
        await connector.close()
    return result


def http_lines(result: Result, args: argparse.Namespace) -> list[str]:
    reacting = [x for n, v in result.by_turn.items() if n >= 4 for x in v]
    p95 = result.percentile(95, reacting)
    return [
        f"/api/messages, paced: {args.participants} participants starting within {args.ramp:g} s, "
        f"think time mean {args.think:g} s, {result.turns} turns, {result.errors} errors, "
        f"{result.throughput:.1f} turns/s, CPU {result.cpu_seconds * 1000 / result.turns:.1f} "
        "ms/turn",
        f"  all turns     p50 {result.percentile(50):.1f} ms  p95 {result.percentile(95):.1f} ms",
        f"  reactions     p50 {result.percentile(50, reacting):.1f} ms  p95 {p95:.1f} ms  "
        f"(target p95 < 150 ms: {'met' if p95 < 150 else 'MISSED'})",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contributions", type=int, default=5000)
    parser.add_argument("--reactions", type=int, default=100_000)
    parser.add_argument("--draws", type=int, default=300, help="'next' samples per backend")
    parser.add_argument("--turn-people", type=int, default=30, help="people for 'reaction turn'")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--participants", type=int, default=200, help="0 skips /api/messages")
    parser.add_argument("--think", type=float, default=5.0)
    parser.add_argument("--ramp", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    print(f"bench/verrijken.py, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="bench-verrijken-") as tmp:
        workdir = Path(tmp)
        for name in filter(None, args.backends.split(",")):
            with backend_url(name, workdir) as url:
                print("\n".join(choose(url, args)), flush=True)
        if args.participants:
            url = f"sqlite:///{workdir / 'http.db'}"
            database = Database(url)
            database.migrate()
            fill(database, contributions=args.contributions, reactions=args.reactions, seed=3)
            database.dispose()
            result = asyncio.run(paced(args, url, workdir))
            print("\n".join(http_lines(result, args)))
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
