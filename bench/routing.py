"""Routing benchmark (pure): choosing the next contribution in Verrijken among many candidates.

    .venv/bin/python -m bench.routing                  # 5,000 candidates, 100,000 reactions
    .venv/bin/python -m bench.routing --candidates 300 --reactions 10000 --draws 2000

Builds candidates whose statistics come from ``--reactions`` reactions by reactors with skewed
role groups, provinces and networks (about 25 groups), then times, in milliseconds:

* next         — ``RoutingPool.next_for`` on a built pool (the reactor's group lists computed);
* next, cold   — the first draw on a new pool, which computes the reactor's group lists;
* batch of 5   — ``batch_for(size=5)`` on a built pool (a mail batch);
* fresh pool   — building the pool from new candidate values and drawing once (what a caller
  pays when it loads the statistics for every draw);
* update       — ``RoutingPool.update`` after one reaction.

Wall-clock p50 and p95, and the p50 of the process' CPU time (which does not grow when other
processes share the machine). The statistics are frozen out of the garbage collector after they
are built (``gc.freeze``), as a long-running process holding a pool would do.

No database: the database-backed bench is separate. Target: next well under 20 ms.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dialogen.contributions.routing import (  # noqa: E402
    Candidate,
    ReactionCounts,
    Reactor,
    RoutingPool,
    RoutingRules,
    next_contribution,
)

ROLES = {"raadslid": 55, "wethouder": 12, "ambtenaar": 14, "burgemeester": 6, "secretaris": 5}
ROLES |= {"griffier": 4, "anders": 4}
PROVINCES = {"Zuid-Holland": 18, "Noord-Holland": 15, "Noord-Brabant": 15, "Gelderland": 13}
PROVINCES |= {"Utrecht": 7, "Overijssel": 6, "Limburg": 6, "Fryslân": 4, "Groningen": 3}
PROVINCES |= {"Drenthe": 3, "Flevoland": 2, "Zeeland": 2, "": 3}
NETWORKS = {"G4": 6, "G40": 24, "M50": 12, "K80": 16, "P10": 5, "P10,K80": 4, "": 33}


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def groups_of(rng: random.Random) -> frozenset[str]:
    networks = {f"netwerk:{n}" for n in pick(rng, NETWORKS).split(",") if n}
    province = pick(rng, PROVINCES)
    found = {f"rol:{pick(rng, ROLES)}", *networks}
    if province:
        found.add(f"provincie:{province}")
    return frozenset(found)


def build_candidates(rng: random.Random, count: int, reactions: int) -> list[Candidate]:
    totals = [[0, 0, 0] for _ in range(count)]
    by_group: list[dict[str, list[int]]] = [{} for _ in range(count)]
    weights = [rng.paretovariate(1.5) for _ in range(count)]  # some are shown far more
    for index in rng.choices(range(count), weights=weights, k=reactions):
        verdict = rng.choices((0, 1, 2), weights=(5, 3, 2))[0]
        totals[index][verdict] += 1
        for group in groups_of(rng):
            by_group[index].setdefault(group, [0, 0, 0])[verdict] += 1
    return [
        Candidate(
            f"c{n:05}",
            f"author{rng.randrange(count // 2)}",
            visible=rng.random() > 0.02,
            days_visible=rng.uniform(0, 21),
            counts=ReactionCounts(*totals[n]),
            by_group={g: ReactionCounts(*c) for g, c in by_group[n].items()},
        )
        for n in range(count)
    ]


def reactor(rng: random.Random, count: int) -> Reactor:
    reacted = frozenset(f"c{rng.randrange(count):05}" for _ in range(rng.randint(0, 40)))
    return Reactor(f"author{rng.randrange(count)}", groups_of(rng), reacted)


def plus_agree(counts: ReactionCounts) -> ReactionCounts:
    return replace(counts, agree=counts.agree + 1)


Sample = tuple[float, float]
"""Wall-clock and CPU milliseconds of one call."""


def timed(action: Callable[..., object], *args: object, **kwargs: object) -> Sample:
    wall, cpu = time.perf_counter(), time.process_time()
    action(*args, **kwargs)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def line(label: str, samples: list[Sample]) -> str:
    wall, cpu = [w for w, _ in samples], [c for _, c in samples]
    figures = (percentile(wall, 0.5), percentile(wall, 0.95), percentile(cpu, 0.5))
    return f"{label:<14}" + "".join(f"{f:>9.2f}" for f in figures) + f"{len(samples):>6}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=5000)
    parser.add_argument("--reactions", type=int, default=100_000)
    parser.add_argument("--draws", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    candidates = build_candidates(rng, args.candidates, args.reactions)
    rules = RoutingRules(target=10)
    pool = RoutingPool(candidates, rules)
    reactors = [reactor(rng, args.candidates) for _ in range(args.draws)]
    groups = sorted({g for r in reactors for g in r.groups})
    gc.collect()
    gc.freeze()  # the statistics are long-lived: collections need not scan them over and over

    cold = []
    for r in reactors[:50]:
        new_pool = RoutingPool(candidates, rules)  # priorities cached on the values: no group lists
        cold.append(timed(new_pool.next_for, r, seed=1))
    for group in groups:  # every group list computed: what a running pool has
        pool.group_factor(group)
    warm = [timed(pool.next_for, r, seed=1) for r in reactors]
    batch = [timed(pool.batch_for, r, seed=1, size=5) for r in reactors]
    fresh = []
    for r in reactors[:20]:
        values = [replace(c) for c in candidates]  # new values: nothing cached
        gc.collect()
        fresh.append(timed(next_contribution, values, r, rules=rules, seed=1))
    updates = []
    for r in reactors:  # one agree from r, as the caller would pass it on
        c = candidates[rng.randrange(len(candidates))]
        by_group = dict(c.by_group)
        for group in r.groups:
            by_group[group] = plus_agree(by_group.get(group, ReactionCounts()))
        more = replace(c, counts=plus_agree(c.counts), by_group=by_group)
        updates.append(timed(pool.update, more))

    print(
        f"{args.candidates} candidates, {args.reactions} reactions, {len(groups)} groups, "
        f"reactors in {statistics.fmean(len(r.groups) for r in reactors):.1f} groups on average"
    )
    print(f"{'':<14}{'p50 ms':>9}{'p95 ms':>9}{'CPU p50':>9}{'n':>6}")
    print(line("next", warm))
    print(line("next, cold", cold))
    print(line("batch of 5", batch))
    print(line("fresh pool", fresh))
    print(line("update", updates))


if __name__ == "__main__":
    main()
