"""Which contribution comes next in Verrijken: the hard rules, determinism, and a simulated
dialogue of 500 participants in which every approved contribution reaches the target and the
group-aware preference evens out the reactions per group."""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass, field, replace

import pytest

from dialogen.contributions.priority import FLOOR, divisiveness, polis_priority
from dialogen.contributions.routing import (
    Candidate,
    ReactionCounts,
    Reactor,
    RoutingPool,
    RoutingRules,
    next_contribution,
)

RULES = RoutingRules(target=10)


def candidate(
    cid: str,
    author: str = "someone",
    *,
    visible: bool = True,
    days: float = 1.0,
    counts: ReactionCounts | None = None,
    by_group: dict[str, ReactionCounts] | None = None,
) -> Candidate:
    return Candidate(cid, author, visible, days, counts or ReactionCounts(), by_group or {})


def reactor(name: str = "me", groups: frozenset[str] = frozenset(), *reacted: str) -> Reactor:
    return Reactor(name, groups, frozenset(reacted))


# --- the hard rules ---------------------------------------------------------------------------


def test_never_own_already_reacted_or_hidden() -> None:
    pool = RoutingPool(
        [
            candidate("own", author="me"),
            candidate("done"),
            candidate("pending", visible=False),
            candidate("open"),
        ],
        RULES,
    )
    me = reactor("me", frozenset(), "done")
    seen = {pool.next_for(me, seed=seed) for seed in range(200)}
    assert seen == {"open"}
    assert pool.batch_for(me, seed=1, size=5) == ("open",)


def test_nothing_left_gives_none() -> None:
    pool = RoutingPool([candidate("own", author="me"), candidate("done")], RULES)
    assert pool.next_for(reactor("me", frozenset(), "done"), seed=3) is None
    assert pool.batch_for(reactor("me", frozenset(), "done"), seed=3, size=5) == ()
    assert RoutingPool([], RULES).next_for(reactor(), seed=3) is None


def test_a_mail_batch_is_distinct_and_starts_with_the_next_one() -> None:
    pool = RoutingPool([candidate(f"c{n}") for n in range(8)], RULES)
    me = reactor("me", frozenset({"rol:griffier"}), "c0")
    for seed in range(30):
        batch = pool.batch_for(me, seed=seed, size=5)
        assert len(batch) == len(set(batch)) == 5
        assert "c0" not in batch
        assert batch[0] == pool.next_for(me, seed=seed)


def test_invalid_values_are_refused() -> None:
    with pytest.raises(ValueError):
        ReactionCounts(agree=-1)
    with pytest.raises(ValueError):
        candidate("c", counts=ReactionCounts(1), by_group={"rol:griffier": ReactionCounts(2)})
    with pytest.raises(ValueError):
        RoutingRules(target=0)
    with pytest.raises(ValueError):
        RoutingPool([candidate("c"), candidate("c")], RULES)


# --- determinism ------------------------------------------------------------------------------


def test_same_inputs_same_order_whatever_the_candidate_order() -> None:
    cands = [candidate(f"c{n}", counts=ReactionCounts(n % 4, n % 3, n % 2)) for n in range(50)]
    me = reactor("me", frozenset({"rol:raadslid", "provincie:Zeeland"}), "c1", "c2")
    first = RoutingPool(cands, RULES).batch_for(me, seed=42, size=5)
    assert RoutingPool(reversed(cands), RULES).batch_for(me, seed=42, size=5) == first
    assert next_contribution(cands, me, rules=RULES, seed=42) == first[0]


def test_participants_and_progress_change_the_order() -> None:
    pool = RoutingPool([candidate(f"c{n}") for n in range(200)], RULES)
    groups = frozenset({"rol:raadslid"})
    orders = {pool.batch_for(reactor(f"p{n}", groups), seed=7, size=5) for n in range(20)}
    assert len(orders) == 20
    after_one = pool.batch_for(reactor("p0", groups, "c199"), seed=7, size=5)
    assert after_one != pool.batch_for(reactor("p0", groups), seed=7, size=5)
    assert pool.batch_for(reactor("p0", groups), seed=8, size=5) != pool.batch_for(
        reactor("p0", groups), seed=7, size=5
    )


# --- priorities -------------------------------------------------------------------------------


def share_of(pool: RoutingPool, me: Reactor, cid: str, draws: int = 2000) -> float:
    """How often ``cid`` comes first for ``draws`` reactors like ``me``."""
    hits = sum(
        pool.next_for(replace(me, pseudonym=f"{me.pseudonym}{n}"), seed=1) == cid
        for n in range(draws)
    )
    return hits / draws


def test_polis_priority_matches_the_formula() -> None:
    # importance (1 - 2/22) * (0.5 + 1) * 19/22, novelty 1 + 8 * 2^-4, squared
    expected = ((20 / 22) * 1.5 * (19 / 22) * 1.5) ** 2
    assert polis_priority(agree=18, passed=1, seen=20, extremity=0.5) == pytest.approx(expected)
    assert pytest.approx((0.5 * 0.5 * 9) ** 2) == FLOOR
    groups = [ReactionCounts(4, 1), ReactionCounts(0, 5), ReactionCounts(9), ReactionCounts(0, 4)]
    assert divisiveness(groups) == pytest.approx(10 / 11 - 1 / 7)  # the group of 4 is left out
    assert divisiveness(groups[2:]) == 0.0


def test_under_target_outweighs_even_a_popular_contribution_over_it() -> None:
    rejected = candidate("rejected", counts=ReactionCounts(0, 9, 0))
    popular = candidate("popular", counts=ReactionCounts(10, 0, 0))
    pool = RoutingPool([rejected, popular], RULES)
    assert share_of(pool, reactor("p"), "rejected") > 0.55
    # without the target rule, Polis alone lets a rejected contribution sink
    assert rejected.priority < popular.priority / 50


def test_a_contribution_waiting_longer_under_target_comes_first() -> None:
    counts = ReactionCounts(2, 2, 0)
    pool = RoutingPool(
        [candidate("old", days=10, counts=counts), candidate("new", days=0, counts=counts)], RULES
    )
    assert share_of(pool, reactor("p"), "old") > 0.6


def test_a_contribution_short_of_the_reactors_group_is_favoured() -> None:
    counts = ReactionCounts(20, 10, 0)
    candidates = [
        candidate("heard", counts=counts, by_group={"rol:griffier": ReactionCounts(5, 5, 0)}),
        candidate("unheard", counts=counts, by_group={"rol:raadslid": ReactionCounts(5, 5, 0)}),
    ]
    griffier = reactor("p", frozenset({"rol:griffier"}))
    assert share_of(RoutingPool(candidates, RULES), griffier, "unheard") > 0.85
    neutral = RoutingPool(candidates, RoutingRules(target=10, group_strength=0))
    assert 0.45 < share_of(neutral, griffier, "unheard") < 0.55


def test_an_updated_pool_draws_as_a_new_one() -> None:
    before = [candidate(f"c{n}", counts=ReactionCounts(n % 5, 1, 0)) for n in range(40)]
    me = reactor("me", frozenset({"rol:wethouder", "netwerk:K80"}), "c3")
    pool = RoutingPool(before, RULES)
    pool.batch_for(me, seed=5, size=5)  # the group factors are computed and kept
    after = [
        replace(c, counts=ReactionCounts(9, 0, 0), by_group={"rol:wethouder": ReactionCounts(9)})
        if c.id in {"c7", "c8"}
        else replace(c, visible=False)
        if c.id == "c9"
        else c
        for c in before
    ]
    for changed in after[7:10]:
        pool.update(changed)
    fresh = RoutingPool(after, RULES)
    assert pool.weights_for(me) == fresh.weights_for(me)
    assert pool.batch_for(me, seed=5, size=5) == fresh.batch_for(me, seed=5, size=5)
    with pytest.raises(KeyError):
        pool.update(candidate("c99"))


def test_a_candidate_added_in_place_draws_as_in_a_new_pool() -> None:
    before = [candidate(f"c{n}", counts=ReactionCounts(n % 5, 1, 0)) for n in range(40)]
    me = reactor("me", frozenset({"rol:raad", "netwerk:G40"}), "c3")
    pool = RoutingPool(before, RULES)
    pool.batch_for(me, seed=5, size=5)  # group factors computed: the insert must keep them right
    early = candidate("c05b", by_group={"rol:raad": ReactionCounts(1)}, counts=ReactionCounts(1))
    late = candidate("c99", author="me")  # at the end, and the reactor's own
    assert "c05b" not in pool
    pool.add(early)
    assert "c05b" in pool
    pool.add(late)
    fresh = RoutingPool([*before, early, late], RULES)
    assert pool.weights_for(me) == fresh.weights_for(me)
    assert pool.batch_for(me, seed=5, size=5) == fresh.batch_for(me, seed=5, size=5)
    assert "c99" not in pool.batch_for(me, seed=5, size=len(pool))
    with pytest.raises(ValueError):
        pool.add(early)


def test_a_hidden_candidate_is_never_drawn_again() -> None:
    pool = RoutingPool([candidate(f"c{n}") for n in range(6)], RULES)
    pool.hide("c2")
    pool.hide("unknown")  # not in the pool: nothing to do
    drawn = {pool.next_for(reactor(f"r{n}"), seed=n) for n in range(300)}
    assert "c2" not in drawn and drawn == {"c0", "c1", "c3", "c4", "c5"}


# --- a simulated Verrijken --------------------------------------------------------------------

ROLES = {
    "rol:raadslid": 55,
    "rol:wethouder": 12,
    "rol:gemeenteambtenaar": 14,
    "rol:burgemeester": 6,
    "rol:gemeentesecretaris": 5,
    "rol:griffier": 4,
    "rol:anders": 4,
}
PROVINCES = {
    "provincie:Zuid-Holland": 18,
    "provincie:Noord-Holland": 15,
    "provincie:Noord-Brabant": 15,
    "provincie:Gelderland": 13,
    "provincie:Utrecht": 7,
    "provincie:Overijssel": 6,
    "provincie:Limburg": 6,
    "provincie:Fryslân": 4,
    "provincie:Groningen": 3,
    "provincie:Drenthe": 3,
    "provincie:Flevoland": 2,
    "provincie:Zeeland": 2,
    "": 3,  # no province (a network's representative)
}
NETWORKS = {
    "netwerk:G4": 6,
    "netwerk:G40": 24,
    "netwerk:M50": 12,
    "netwerk:K80": 16,
    "netwerk:P10": 5,
    "netwerk:P10,netwerk:K80": 4,
    "": 33,
}
PASS_RATE = 0.15


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass
class Verrijken:
    """A simulated step: participants with skewed groups, 300 contributions (10 pending) whose
    true agree rate differs per role group for a third of them, reactions in random order."""

    rules: RoutingRules
    seed: int = 2024
    participants: dict[str, frozenset[str]] = field(default_factory=dict)
    candidates: dict[str, Candidate] = field(default_factory=dict)
    agree_rates: dict[str, dict[str, float]] = field(default_factory=dict)
    reacted: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        rng = random.Random(self.seed)
        for n in range(500):
            province, networks = pick(rng, PROVINCES), pick(rng, NETWORKS)
            groups = {pick(rng, ROLES), province, *networks.split(",")} - {""}
            self.participants[f"p{n:03}"] = frozenset(groups)
            self.reacted[f"p{n:03}"] = []
        authors = rng.choices(sorted(self.participants), k=300)
        for n, author in enumerate(authors):
            cid = f"c{n:03}"
            visible = n % 30 != 7
            days = rng.uniform(0, 14)
            self.candidates[cid] = Candidate(cid, author, visible, days, ReactionCounts(), {})
            base = rng.betavariate(2, 2)
            divisive = n % 3 == 0
            self.agree_rates[cid] = {
                role: min(0.95, max(0.05, base + (rng.uniform(-0.4, 0.4) if divisive else 0)))
                for role in ROLES
            }

    def run(self) -> None:
        rng = random.Random(self.seed + 1)
        turns = [p for p in sorted(self.participants) for _ in range(rng.randint(10, 30))]
        rng.shuffle(turns)
        pool = RoutingPool(self.candidates.values(), self.rules)
        for pseudonym in turns:
            groups = self.participants[pseudonym]
            me = Reactor(pseudonym, groups, frozenset(self.reacted[pseudonym]))
            chosen = pool.next_for(me, seed=self.seed)
            if chosen is not None:
                self.react(pseudonym, chosen, rng)
                pool.update(self.candidates[chosen])

    def react(self, pseudonym: str, cid: str, rng: random.Random) -> None:
        groups = self.participants[pseudonym]
        role = next(g for g in groups if g.startswith("rol:"))
        agree = self.agree_rates[cid][role]
        roll = rng.random()
        verdict = (
            ReactionCounts(passed=1)
            if roll < PASS_RATE
            else ReactionCounts(agree=1)
            if roll < PASS_RATE + (1 - PASS_RATE) * agree
            else ReactionCounts(disagree=1)
        )
        old = self.candidates[cid]
        by_group = dict(old.by_group)
        for group in groups:
            by_group[group] = plus(by_group.get(group, ReactionCounts()), verdict)
        self.candidates[cid] = replace(old, counts=plus(old.counts, verdict), by_group=by_group)
        self.reacted[pseudonym].append(cid)

    def spread(self) -> tuple[float, float]:
        """Over the groups with at least 5 participants, averaged: the coefficient of variation
        of reactions per approved contribution from that group, and its min/max ratio."""
        approved = [c for c in self.candidates.values() if c.visible]
        sizes: dict[str, int] = {}
        for groups in self.participants.values():
            for group in groups:
                sizes[group] = sizes.get(group, 0) + 1
        cvs, ratios = [], []
        for group in sorted(g for g, size in sizes.items() if size >= 5):
            counts = [c.by_group.get(group, ReactionCounts()).seen for c in approved]
            cvs.append(statistics.pstdev(counts) / statistics.fmean(counts))
            ratios.append(min(counts) / max(counts))
        return statistics.fmean(cvs), statistics.fmean(ratios)


def plus(a: ReactionCounts, b: ReactionCounts) -> ReactionCounts:
    return ReactionCounts(a.agree + b.agree, a.disagree + b.disagree, a.passed + b.passed)


@pytest.fixture(scope="module")
def verrijken() -> dict[str, Verrijken]:
    """The same simulated step, routed with and without the group-aware preference."""
    runs = {}
    for name, strength in (("groups", 1.0), ("no groups", 0.0)):
        run = Verrijken(RoutingRules(target=10, group_strength=strength))
        run.run()
        runs[name] = run
    return runs


@pytest.mark.parametrize("name", ["groups", "no groups"])
def test_simulated_every_approved_contribution_reaches_the_target(
    verrijken: dict[str, Verrijken], name: str
) -> None:
    run = verrijken[name]
    approved = [c for c in run.candidates.values() if c.visible]
    assert len(approved) == 290
    assert min(c.counts.seen for c in approved) >= 10
    assert all(c.counts.seen == 0 for c in run.candidates.values() if not c.visible)


@pytest.mark.parametrize("name", ["groups", "no groups"])
def test_simulated_nobody_sees_their_own_or_one_twice(
    verrijken: dict[str, Verrijken], name: str
) -> None:
    run = verrijken[name]
    assert sum(len(shown) for shown in run.reacted.values()) > 9000
    for pseudonym, shown in run.reacted.items():
        assert len(shown) == len(set(shown))
        assert all(run.candidates[cid].author != pseudonym for cid in shown)


def test_simulated_group_preference_evens_out_reactions_per_group(
    verrijken: dict[str, Verrijken],
) -> None:
    cv_with, min_max_with = verrijken["groups"].spread()
    cv_without, min_max_without = verrijken["no groups"].spread()
    assert cv_with < 0.8 * cv_without
    assert min_max_with > min_max_without


def test_simulated_rerun_is_identical(verrijken: dict[str, Verrijken]) -> None:
    again = Verrijken(RoutingRules(target=10, group_strength=1.0))
    again.run()
    assert again.reacted == verrijken["groups"].reacted
