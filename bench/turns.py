"""Turn throughput and latency of the dialogue bot against a bare botbuilder echo bot.

    .venv/bin/python -m bench.turns [--participants 200] [--answers 4] [--think 5] [--ramp 20]
        [--rounds 1]

Each bot runs as its own process (``bench/serve.py``) on 127.0.0.1 — the dialogue bot is the real
app from ``bot.app.create_app`` in local mode on a fresh SQLite file; its replies go to a light
Bot Connector stub in this process. N simulated participants walk a realistic path at the same
time: install, consent (card), role (typed), municipality (typed), then ``--answers`` Verkennen
answers — typed text, a scale button, a multi-select choice set ("a,b"), a typed number. The echo
bot gets exactly the same activities. Two phases per bot, each with fresh participants:

* saturated — everyone sends the next activity as soon as the previous one is answered (a closed
  loop without think time): the throughput of both bots and their ratio. Latency here is
  queueing (about participants / throughput), whatever the bot.
* paced — the same number of participants, starting within ``--ramp`` seconds, with a think time
  between turns (exponential, mean ``--think`` seconds, seeded): the latency a participant sees
  while all of them are active.

One turn = one POST to /api/messages until its response (botbuilder sends the replies before it
responds). Also printed: the bot process' CPU time per turn (all threads, from /proc), which
unlike the wall-clock figures does not depend on what else the machine is doing.
Targets: ratio >= 0.5 and p95 <= 150 ms on SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from tests.support import activities as act

ROOT = Path(__file__).resolve().parent.parent
MUNICIPALITIES = (
    "Utrecht",
    "Den Haag",
    "Zwolle",
    "Groningen",
    "Maastricht",
    "Almere",
    "Tilburg",
    "Leeuwarden",
    "Súdwest-Fryslân",
    "Bergen op Zoom",
    "'s-Hertogenbosch",
    "Ede",
)
ROLES = ("raadslid", "griffier", "wethouder", "burgemeester", "gemeentesecretaris", "5")

Step = Callable[[str, str], dict[str, Any]]
"""(service url, participant) -> the activity this participant sends next."""


def participant_path(number: int, answers: int) -> list[Step]:
    role, place = ROLES[number % len(ROLES)], MUNICIPALITIES[number % len(MUNICIPALITIES)]
    profile: list[Step] = [
        lambda url, user: act.installation_update(url, user),
        lambda url, user: act.card_submit(url, user, {"dialoog": "consent", "value": "ja"}),
        lambda url, user: act.message(url, user, role),
        lambda url, user: act.message(url, user, place),
    ]
    verkennen: list[Step] = [
        lambda url, user: act.message(
            url,
            user,
            "In onze regio wordt veel overlegd, maar de raad "
            "ziet de besluiten pas als alles al vastligt.",
        ),
        lambda url, user: act.card_submit(
            url, user, {"dialoog": "q:verkennen:waardering", "value": "3"}
        ),
        lambda url, user: act.card_submit(
            url,
            user,
            {
                "dialoog": "q:verkennen:themas",
                "multi": True,
                "keuze": "democratische-legitimiteit,afstand-inwoner",
            },
        ),
        lambda url, user: act.message(url, user, "2"),
        lambda url, user: act.message(url, user, "overslaan"),
        lambda url, user: act.message(
            url, user, "Een vaste regionale agenda die de raden samen vaststellen."
        ),
        lambda url, user: act.message(
            url, user, "Kennis delen tussen regio's en raadsleden ondersteunen."
        ),
    ]
    return profile + verkennen[:answers]


# ---------------------------------------------------------------- the Bot Connector stub


@dataclass
class Connector:
    """Accepts the bots' replies as fast as it can and counts them."""

    replies: int = 0
    _runner: web.AppRunner | None = None
    url: str = ""

    async def start(self) -> Connector:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._reply)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._reply)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def close(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def _member(self, request: web.Request) -> web.Response:
        """The member look-up the bot does once for a new participant (their e-mail address)."""
        member = request.match_info["member"]
        name = member.removeprefix("29:1").removesuffix("-teams-user-id")
        return web.json_response(
            {
                "id": member,
                "name": f"Test {name}",
                "aadObjectId": member,
                "email": f"{name}@gemeente.example",
                "userPrincipalName": f"{name}@gemeente.example",
                "tenantId": act.TENANT,
                "userRole": "user",
            }
        )

    async def _reply(self, request: web.Request) -> web.Response:
        await request.read()
        self.replies += 1
        return web.Response(body=b'{"id":"1"}', content_type="application/json")


# ---------------------------------------------------------------- a bot under test


@dataclass
class BotProcess:
    kind: str
    args: list[str]
    process: asyncio.subprocess.Process | None = None
    port: int = 0

    async def start(self, log: Path) -> BotProcess:
        self._log = log.open("wb")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.serve",
            self.kind,
            *self.args,
            cwd=str(ROOT),
            stdout=asyncio.subprocess.PIPE,
            stderr=self._log,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), timeout=60)
        if not line.startswith(b"READY "):
            raise RuntimeError(f"{self.kind} bot did not start; see {log}")
        self.port = int(line.split()[1])
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/messages"

    def cpu_seconds(self) -> float:
        """CPU time the bot process used so far, all threads (Linux /proc): unlike wall-clock
        figures, this does not depend on what else the machine is doing."""
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def stop(self) -> None:
        if self.process and self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()
        self._log.close()


@dataclass
class Result:
    name: str
    phase: str
    latencies: list[float] = field(default_factory=list)
    by_turn: dict[int, list[float]] = field(
        default_factory=dict
    )  # turn number on the path -> latencies
    errors: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    replies: int = 0

    @property
    def turns(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.turns / self.seconds if self.seconds else 0.0

    def percentile(self, p: float, latencies: list[float] | None = None) -> float:
        ordered = sorted(self.latencies if latencies is None else latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


async def walk(
    session: aiohttp.ClientSession,
    bot_url: str,
    service_url: str,
    user: str,
    path: list[Step],
    result: Result | None,
    think: float = 0.0,
    ramp: float = 0.0,
    seed: int = 0,
) -> None:
    """One participant: starts at a random moment within ``ramp`` seconds; each activity is sent
    when the previous one was answered, after an exponentially distributed think time with mean
    ``think`` seconds (none when 0)."""
    rng = random.Random(seed)
    if ramp:
        await asyncio.sleep(rng.uniform(0, ramp))
    for number, step in enumerate(path):
        if think and number:
            await asyncio.sleep(rng.expovariate(1 / think))
        activity = step(service_url, user)
        started = time.perf_counter()
        async with session.post(bot_url, json=activity) as response:
            await response.read()
            ok = response.status in (200, 201)
        if result is not None:
            result.latencies.append(time.perf_counter() - started)
            result.by_turn.setdefault(number, []).append(result.latencies[-1])
            result.errors += 0 if ok else 1


async def measure(
    name: str,
    phase: str,
    bot: BotProcess,
    connector: Connector,
    session: aiohttp.ClientSession,
    args: argparse.Namespace,
    tag: str,
    think: float,
    ramp: float,
) -> Result:
    result = Result(name, phase)
    replies_before = connector.replies
    cpu_before = bot.cpu_seconds()
    started = time.perf_counter()
    await asyncio.gather(
        *(
            walk(
                session,
                bot.url,
                connector.url,
                f"{tag}-{n}",
                participant_path(n, args.answers),
                result,
                think,
                ramp,
                seed=n,
            )
            for n in range(args.participants)
        )
    )
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = bot.cpu_seconds() - cpu_before
    result.replies = connector.replies - replies_before
    return result


async def exercise(
    name: str, bot: BotProcess, connector: Connector, args: argparse.Namespace, round_number: int
) -> list[Result]:
    limits = aiohttp.TCPConnector(limit=args.participants + 10)
    async with aiohttp.ClientSession(connector=limits) as session:
        # Warm up imports, caches and the database with participants that are not measured.
        await asyncio.gather(
            *(
                walk(
                    session,
                    bot.url,
                    connector.url,
                    f"warm{round_number}-{n}",
                    participant_path(n, args.answers),
                    None,
                )
                for n in range(10)
            )
        )
        results = [
            await measure(
                name, "saturated", bot, connector, session, args, f"s{round_number}", 0.0, 0.0
            )
        ]
        if args.think > 0:
            results.append(
                await measure(
                    name,
                    "paced",
                    bot,
                    connector,
                    session,
                    args,
                    f"p{round_number}",
                    args.think,
                    args.ramp,
                )
            )
    return results


async def run(args: argparse.Namespace) -> list[Result]:
    connector = await Connector().start()
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="bench-turns-") as tmp:
        workdir = Path(tmp)
        database_url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
        dialogue_args = ["--database-url", database_url]
        if args.profile:
            dialogue_args += ["--profile", str(args.profile.resolve())]
        try:
            for round_number in range(args.rounds):
                for kind in ("echo", "dialogue"):
                    bot = await BotProcess(kind, dialogue_args if kind == "dialogue" else []).start(
                        workdir / f"{kind}.log"
                    )
                    try:
                        name = "dialoog" if kind == "dialogue" else "echo"
                        results += await exercise(name, bot, connector, args, round_number)
                    finally:
                        await bot.stop()
            if args.show_log:
                sys.stderr.write((workdir / "dialogue.log").read_text()[-5000:])
        finally:
            await connector.close()
    return results


def report(args: argparse.Namespace, results: list[Result]) -> int:
    turns = 4 + args.answers
    print(
        f"bench/turns.py: {args.participants} participants x {turns} turns, SQLite, "
        f"{os.cpu_count()} CPUs "
        f"(load average {os.getloadavg()[0]:.1f} at the end), {args.rounds} round(s), "
        f"Python {sys.version.split()[0]}"
    )
    print(
        "  saturated: every participant sends its next activity "
        "as soon as the previous one is answered"
    )
    if args.think > 0:
        print(
            f"  paced:     participants start within {args.ramp:g} s; "
            "think time between turns exponential, "
            f"mean {args.think:g} s"
        )
    print(
        f"{'bot':<9}{'phase':<11}{'turns':>6}{'errors':>7}{'seconds':>9}{'turns/s':>9}{'p50 ms':>8}"
        f"{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}{'replies':>8}{'CPU ms/turn':>12}"
    )
    for r in results:
        print(
            f"{r.name:<9}{r.phase:<11}{r.turns:>6}{r.errors:>7}{r.seconds:>9.2f}{r.throughput:>9.1f}"
            f"{r.percentile(50):>8.1f}{r.percentile(95):>8.1f}{r.percentile(99):>8.1f}"
            f"{max(r.latencies) * 1000:>8.1f}{r.replies:>8}"
            f"{r.cpu_seconds * 1000 / max(r.turns, 1):>12.1f}"
        )

    def median(name: str, phase: str, value: Callable[[Result], float]) -> float:
        return statistics.median(value(r) for r in results if r.name == name and r.phase == phase)

    ratio = median("dialoog", "saturated", lambda r: r.throughput) / median(
        "echo", "saturated", lambda r: r.throughput
    )
    cpu_ratio = median("echo", "saturated", lambda r: r.cpu_seconds / r.turns) / median(
        "dialoog", "saturated", lambda r: r.cpu_seconds / r.turns
    )
    print(
        f"throughput ratio dialoog/echo (saturated): {ratio:.2f}; "
        f"by CPU time per turn: {cpu_ratio:.2f}"
        f"  (target >= 0.5: {'met' if ratio >= 0.5 else 'MISSED'})"
    )
    saturated = median("dialoog", "saturated", lambda r: r.percentile(95))
    print(
        "dialoog p50/p95 saturated: "
        f"{median('dialoog', 'saturated', lambda r: r.percentile(50)):.1f} / "
        f"{saturated:.1f} ms  (all {args.participants} waiting at once: p95 is queueing, about "
        "participants / throughput; "
        f"echo: {median('echo', 'saturated', lambda r: r.percentile(95)):.1f} ms)"
    )
    if args.think > 0:
        p50 = median("dialoog", "paced", lambda r: r.percentile(50))
        p95 = median("dialoog", "paced", lambda r: r.percentile(95))
        offered = median("dialoog", "paced", lambda r: r.throughput)
        answers = median(
            "dialoog",
            "paced",
            lambda r: r.percentile(95, [x for n, v in r.by_turn.items() if n >= 4 for x in v]),
        )
        print(
            f"dialoog p50/p95 paced ({offered:.1f} turns/s on average): {p50:.1f} / {p95:.1f} ms"
            f"  (target p95 <= 150 ms: {'met' if p95 <= 150 else 'MISSED'}); "
            f"p95 of the answers alone (turns 5-{4 + args.answers}): {answers:.1f} ms"
        )
    if args.detail:
        names = [
            "install",
            "consent",
            "role",
            "municipality",
            "open text",
            "scale",
            "choice set",
            "number",
            "overslaan",
            "open text",
            "open text",
        ]
        print("p50 / p95 ms per turn of the path:")
        for r in results:
            cells = [
                f"{names[n]} {r.percentile(50, v):.0f}/{r.percentile(95, v):.0f}"
                for n, v in sorted(r.by_turn.items())
            ]
            print(f"  {r.name:<8} {r.phase:<10} " + ", ".join(cells))
    return 0 if sum(r.errors for r in results) == 0 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--participants", type=int, default=200, help="simulated participants (default 200)"
    )
    parser.add_argument(
        "--answers",
        type=int,
        default=4,
        choices=range(0, 8),
        help="Verkennen answers per participant after the 4 profile turns (default 4)",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=5.0,
        help="mean think time in seconds of the paced phase (default 5; 0 skips it)",
    )
    parser.add_argument(
        "--ramp",
        type=float,
        default=20.0,
        help="paced phase: participants start (install the app) within this many seconds (default "
        "20: 10 installs/s for 200, faster than people open the app or the Graph installer "
        "installs it one by one)",
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="repeat all measurements (medians reported)"
    )
    parser.add_argument(
        "--database-url", help="database of the dialogue bot (default: a fresh SQLite file)"
    )
    parser.add_argument(
        "--profile", type=Path, help="write cProfile statistics of the dialogue bot here"
    )
    parser.add_argument(
        "--show-log", action="store_true", help="print the tail of the dialogue bot's log"
    )
    parser.add_argument(
        "--detail", action="store_true", help="also print latency per turn of the path"
    )
    args = parser.parse_args(argv)
    return report(args, asyncio.run(run(args)))


if __name__ == "__main__":
    raise SystemExit(main())
