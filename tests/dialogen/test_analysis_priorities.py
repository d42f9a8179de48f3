"""Prioritisation aggregates on hand-computed examples; the bootstrap; groups and suppression."""

from __future__ import annotations

import random
from types import MappingProxyType

import pytest

from dialogen.analysis import (
    DIMENSIONS,
    NETWORK,
    ROLE,
    Allocation,
    Cell,
    Hidden,
    Picks,
    Prioritisation,
    Ranking,
    Respondent,
    Suppressed,
    approval,
    borda,
    points,
)
from dialogen.analysis.bootstrap import mean_intervals
from dialogen.analysis.priorities import GroupScores, Method, _table
from dialogen.analysis.respondents import EVERYONE, groups_of
from dialogen.analysis.suppression import Key
from dialogen.stakeholders.segments import Segment
from tests.dialogen.disclosure_checker import in_the_dark, recoverable

THEMES = ["wonen", "zorg", "klimaat"]


def people(role: str, n: int, *, networks: tuple[str, ...] = (), start: int = 0):
    segment = Segment(role, "Utrecht", frozenset(networks))
    return [Respondent(f"{role}-{i}", segment) for i in range(start, start + n)]


def table(scores: GroupScores) -> list[tuple[str, int | None, str, float | None]]:
    return [
        (t.theme, t.rank, t.picked.text if t.picked else str(t.points), t.mean)
        for t in scores.themes
    ]


def clean_picks() -> list[Picks]:
    # 12 raadsleden: 7 pick {wonen, zorg}, 5 pick {wonen, klimaat} -> wonen 12, zorg 7, klimaat 5
    # 10 wethouders: 5 pick {zorg, klimaat}, 5 pick {wonen, zorg} -> wonen 5, zorg 10, klimaat 5
    # everyone (22): wonen 17, zorg 17, klimaat 10 — every count at least 5, nothing hidden.
    rows = [
        Picks(r, frozenset({"wonen", "zorg"} if i < 7 else {"wonen", "klimaat"}))
        for i, r in enumerate(people("raadslid", 12))
    ]
    rows += [
        Picks(r, frozenset({"zorg", "klimaat"} if i < 5 else {"wonen", "zorg"}))
        for i, r in enumerate(people("wethouder", 10))
    ]
    return rows


def test_approval_counts_and_shares_per_group() -> None:
    result = approval(clean_picks(), THEMES, dimensions=(ROLE,), resamples=200)
    # wonen and zorg tie at 17: the themes' own order puts wonen first.
    assert table(result.everyone) == [
        ("wonen", 1, "17", 17 / 22),
        ("zorg", 2, "17", 17 / 22),
        ("klimaat", 3, "10", 10 / 22),
    ]
    assert result.everyone.respondents.text == "22"
    raadsleden = result.group("role", "raadslid")
    assert raadsleden is not None
    assert table(raadsleden) == [
        ("wonen", 1, "12", 1.0),
        ("zorg", 2, "7", 7 / 12),
        ("klimaat", 3, "5", 5 / 12),
    ]
    wethouders = result.group("role", "wethouder")
    assert wethouders is not None  # wonen and klimaat tie at 5: wonen first
    assert [t.theme for t in wethouders.themes] == ["zorg", "wonen", "klimaat"]


def test_a_small_count_hides_its_complements_and_goes_last_unranked() -> None:
    # Wethouders now: 4 pick {zorg, klimaat}, 6 pick {wonen, zorg} -> wonen 6, zorg 10, klimaat 4.
    # Everyone: wonen 18, zorg 17, klimaat 9 (all shown: everyone's figures are decided first).
    # klimaat 4 is hidden. Each wethouder picked 2, so wonen + zorg + klimaat = 2 x 10: the
    # smallest other part of that row (wonen 6) is hidden too; then in each theme's column
    # (raadsleden + wethouders = everyone) the raadsleden's cell: klimaat 5 and wonen 12.
    # Left: zorg 7 and zorg 10, which rank first; the hidden ones follow unranked, in order.
    rows = clean_picks()[:12]
    rows += [
        Picks(r, frozenset({"zorg", "klimaat"} if i < 4 else {"wonen", "zorg"}))
        for i, r in enumerate(people("wethouder", 10))
    ]
    result = approval(rows, THEMES, dimensions=(ROLE,), resamples=200)
    assert [t.picked.text for t in result.everyone.themes if t.picked] == ["18", "17", "9"]
    raadsleden, wethouders = result.groups
    assert table(raadsleden) == [
        ("zorg", 1, "7", 7 / 12),
        ("wonen", None, "< 5", None),
        ("klimaat", None, "< 5", None),
    ]
    assert table(wethouders) == [
        ("zorg", 1, "10", 1.0),
        ("wonen", None, "< 5", None),
        ("klimaat", None, "< 5", None),
    ]
    assert all(t.interval is None for t in wethouders.themes[1:])


def test_truncated_borda_scores_n_points_for_first_place() -> None:
    # N = 2 of 3 themes: first place 2 points, second 1, unranked 0.
    # 4 x (wonen, zorg), 3 x (zorg, wonen), 2 x (klimaat, wonen), 1 x (zorg,)
    # wonen: 4x2 + 3x1 + 2x1 = 13; zorg: 4x1 + 3x2 + 1x2 = 12; klimaat: 2x2 = 4. n = 10.
    who = people("raadslid", 10)
    orders = [("wonen", "zorg")] * 4 + [("zorg", "wonen")] * 3 + [("klimaat", "wonen")] * 2
    orders += [("zorg",)]
    result = borda(
        [Ranking(r, o) for r, o in zip(who, orders, strict=True)],
        THEMES,
        positions=2,
        dimensions=(),
        resamples=200,
    )
    assert table(result.everyone) == [
        ("wonen", 1, "13", 1.3),
        ("zorg", 2, "12", 1.2),
        ("klimaat", 3, "4", 0.4),
    ]


def test_equal_borda_points_go_to_the_theme_with_more_first_places() -> None:
    # 2 x (wonen, klimaat), 4 x (zorg, wonen): wonen 2x2 + 4x1 = 8, zorg 4x2 = 8, klimaat 2.
    # Tie on 8 points: zorg has 4 first places, wonen 2 -> zorg first although listed later.
    who = people("raadslid", 6)
    orders = [("wonen", "klimaat")] * 2 + [("zorg", "wonen")] * 4
    result = borda(
        [Ranking(r, o) for r, o in zip(who, orders, strict=True)],
        THEMES,
        positions=2,
        dimensions=(),
        resamples=100,
    )
    assert [(t.theme, t.points) for t in result.everyone.themes] == [
        ("zorg", 8),
        ("wonen", 8),
        ("klimaat", 2),
    ]


def test_mean_points_when_dividing_ten_points() -> None:
    # wonen 10 + 5 + 0 + 4 + 0 = 19, zorg 0 + 5 + 10 + 3 + 0 = 18, klimaat 3 + 10 = 13; n = 5.
    who = people("raadslid", 5)
    given = [
        (("wonen", 10),),
        (("wonen", 5), ("zorg", 5)),
        (("zorg", 10),),
        (("wonen", 4), ("zorg", 3), ("klimaat", 3)),
        (("klimaat", 10),),
    ]
    result = points(
        [Allocation(r, g) for r, g in zip(who, given, strict=True)],
        THEMES,
        dimensions=(),
        resamples=200,
    )
    assert table(result.everyone) == [
        ("wonen", 1, "19", 3.8),
        ("zorg", 2, "18", 3.6),
        ("klimaat", 3, "13", 2.6),
    ]


def test_the_bootstrap_is_the_same_for_a_seed_and_holds_the_estimate() -> None:
    rows = clean_picks()
    first = approval(rows, THEMES, dimensions=(ROLE,), seed=7)
    again = approval(rows, THEMES, dimensions=(ROLE,), seed=7)
    other = approval(rows, THEMES, dimensions=(ROLE,), seed=8)
    assert first == again
    assert first.everyone.themes != other.everyone.themes  # other draws
    for scores in (first.everyone, *first.groups):
        for theme in scores.themes:
            assert theme.interval is not None and theme.mean is not None
            assert theme.mean in theme.interval
            assert 0 <= theme.interval.low <= theme.interval.high <= 1


def test_bootstrap_intervals_by_hand() -> None:
    # One respondent: every resample is that respondent, so the interval is the value itself
    # (3 in the first column, 0 in the second, which the row leaves out).
    first, second = mean_intervals([[(0, 3.0)]], 2, seed="x")
    assert (first.low, first.high, second.low, second.high) == (3.0, 3.0, 0.0, 0.0)
    # Two respondents, values 0 and 1: a resample's mean is 0 (p = 1/4), 0.5 (1/2) or 1 (1/4),
    # so the 5th and 95th percentiles of 1000 means are 0 and 1.
    (pair,) = mean_intervals([[], [(0, 1.0)]], 1, seed="x")
    assert (pair.low, pair.high) == (0.0, 1.0)
    with pytest.raises(ValueError):
        mean_intervals([], 1, seed="x")


def test_networks_count_a_respondent_in_each_of_their_networks() -> None:
    # 6 in G4 and G40, 5 in G4 only: G4 = 11, G40 = 6. G40 lies inside G4 with 5 between them,
    # enough for both to be shown (and everyone - G4 = 0, nobody).
    both = people("raadslid", 6, networks=("G4", "G40"))
    only = people("raadslid", 5, networks=("G4",), start=6)
    rows = [Picks(r, frozenset({"wonen"})) for r in both + only]
    result = approval(rows, THEMES, dimensions=(NETWORK,), resamples=50)
    shown = {(g.group, g.respondents.text) for g in result.groups}
    assert shown == {("G4", "11"), ("G40", "6")}


def test_a_network_inside_another_by_fewer_than_k_is_not_shown() -> None:
    # 6 in G4 and G40, 3 more in G4 only: G4 = 9, G40 = 6, G40 inside G4 with 3 between them.
    # Both means shown would give the mean of those 3, so the smaller group (G40) is withheld.
    # And G4 = everyone (9): nobody between them, fine.
    both = people("raadslid", 6, networks=("G4", "G40"))
    only = people("raadslid", 3, networks=("G4",), start=6)
    rows = [Picks(r, frozenset({"wonen", "zorg"})) for r in both + only]
    result = approval(rows, THEMES, dimensions=(NETWORK,), resamples=50)
    assert [g.group for g in result.groups] == ["G4"]


def test_groups_hidden_together_hold_k_or_more() -> None:
    # 20 raadsleden, 3 wethouders, 1 burgemeester: the two small groups together hold 4, and
    # everyone's mean with the raadsleden's would give theirs — so no role group is shown.
    rows = [Picks(r, frozenset({"wonen"})) for r in people("raadslid", 20)]
    rows += [Picks(r, frozenset({"zorg"})) for r in people("wethouder", 3)]
    rows += [Picks(r, frozenset({"zorg"})) for r in people("burgemeester", 1)]
    result = approval(rows, THEMES, dimensions=(ROLE,), resamples=50)
    assert result.groups == ()
    assert result.everyone.respondents.text == "24"


def test_empty_single_and_all_in_one_group() -> None:
    empty = approval([], THEMES, resamples=10)
    assert (empty.everyone.respondents.text, empty.everyone.themes, empty.groups) == ("< 5", (), ())
    single = approval([Picks(people("raadslid", 1)[0], frozenset({"wonen"}))], THEMES)
    assert (single.everyone.respondents.text, single.groups) == ("< 5", ())
    # Everyone is a raadslid in Utrecht: the role and province groups equal everyone.
    rows = clean_picks()[:12]
    result = approval(rows, THEMES, resamples=50)
    assert [(g.dimension, g.group) for g in result.groups] == [
        ("role", "raadslid"),
        ("province", "Utrecht"),
    ]
    assert all(table(g) == table(result.everyone) for g in result.groups)


def test_bad_rows_are_refused() -> None:
    who = people("raadslid", 2)
    with pytest.raises(ValueError):
        approval([Picks(who[0], frozenset({"sport"}))], THEMES)
    with pytest.raises(ValueError):
        approval([Picks(who[0], frozenset()), Picks(who[0], frozenset())], THEMES)
    with pytest.raises(ValueError):
        borda([Ranking(who[0], ("wonen", "zorg", "klimaat"))], THEMES, positions=2)
    with pytest.raises(ValueError):
        points([Allocation(who[0], (("wonen", -1),))], THEMES)
    with pytest.raises(ValueError):
        approval([], ["wonen", "wonen"])


def test_no_random_voorkeuren_result_lets_a_small_count_be_computed() -> None:
    """Random small answer sets through ``approval``; then, from what the result shows (everyone,
    the listed groups, their shown counts) and every relation a reader knows (the partitions,
    each theme's column, "each picked two"), no hidden count of 1..4 can be computed."""
    for seed in range(150):
        rng = random.Random(seed)
        themes = ["wonen", "zorg", "klimaat"][: rng.randint(2, 3)]
        uniform = rng.random() < 0.5
        rows = []
        for i in range(rng.randint(3, 25)):
            segment = Segment(
                rng.choice(["raadslid", "wethouder", "griffier"]),
                rng.choice(["Utrecht", "Zeeland"]),
                frozenset(rng.sample(["G4", "G40"], rng.randint(0, 2))),
            )
            picked = rng.sample(themes, 2 if uniform else rng.randint(0, len(themes)))
            rows.append(Picks(Respondent(f"p{i}", segment), frozenset(picked)))
        result = approval(rows, themes, resamples=1)
        counts, relations, display = _what_a_reader_sees(result, rows, themes)
        found = recoverable(counts, relations, display) - in_the_dark(counts, relations, display)
        assert found == set(), seed


def _what_a_reader_sees(result: Prioritisation, rows: list[Picks], themes: list[str]):
    """The result's table as the engine built it, with only what the result shows shown (a
    dimension with no group listed is taken as not published)."""
    listed = {(g.dimension, g.group): g for g in result.groups}
    dimensions = tuple(d for d in DIMENSIONS if any(name == d.name for name, _ in listed))
    groups = groups_of([r.respondent for r in rows], dimensions)
    by_key = {r.respondent.key: {themes.index(t): 1 for t in r.themes} for r in rows}
    counts, relations = _table(Method.APPROVAL, groups, by_key, themes)
    shown: dict[Key, int] = {}
    for key, scores in [(EVERYONE, result.everyone)] + [
        (("group", *name), scores) for name, scores in listed.items()
    ]:
        if scores.respondents.count is not None:
            shown[key] = scores.respondents.count
        for theme in scores.themes:
            if theme.picked is not None and theme.picked.count is not None:
                shown[(*key, "picked", theme.theme)] = theme.picked.count
    assert all(counts[key] == n for key, n in shown.items())
    cells = {
        key: Cell(str(n), n)
        if key in shown
        else Cell("< 5", None, Hidden.SMALL if n < 5 else Hidden.COMPLEMENT)
        for key, n in counts.items()
    }
    return counts, relations, Suppressed(5, MappingProxyType(cells))
