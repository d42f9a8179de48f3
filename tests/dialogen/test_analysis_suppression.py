"""The one k-suppression: hand-computed tables for each kind of "by difference", and random tables
checked by exhaustion (``disclosure_checker``): no hidden count of 1..4 can be computed back."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from dialogen.analysis.suppression import Hidden, Key, Relation, Sum, Within, suppress
from tests.dialogen.disclosure_checker import in_the_dark, recoverable


def partition(total: int | None = None, pooled: bool = False, **parts: int):
    """Cells ("p", name) and their total ("t",), with the Sum that ties them."""
    counts: dict[Key, int] = {("p", name): n for name, n in parts.items()}
    counts[("t",)] = sum(parts.values()) if total is None else total
    return counts, [Sum(("t",), tuple(("p", name) for name in parts), pooled=pooled)]


def texts(shown, counts) -> dict[str, str]:
    return {"/".join(key): shown.text(key) for key in counts}


def test_a_count_under_k_reads_under_k_and_zero_is_small_too() -> None:
    shown = suppress({("a",): 5, ("b",): 4, ("c",): 0})
    assert [shown.text(key) for key in (("a",), ("b",), ("c",))] == ["5", "< 5", "< 5"]
    assert shown.count(("a",)) == 5 and shown.count(("b",)) is None
    assert shown[("b",)].hidden is Hidden.SMALL


def test_one_hidden_part_of_a_shown_total_hides_the_next_smallest() -> None:
    # 20 + 7 + 3 = 30. Only 3 hidden: 30 - 20 - 7 = 3 would give it away, so the next smallest
    # part (7) is hidden too. The reader now has c + b = 10 with c in 0..4 and b >= 5: c = 0..4.
    counts, relations = partition(a=20, b=7, c=3)
    shown = suppress(counts, relations)
    assert texts(shown, counts) == {"p/a": "20", "p/b": "< 5", "p/c": "< 5", "t": "30"}
    assert shown[("p", "b")].hidden is Hidden.COMPLEMENT
    assert recoverable(counts, relations, shown) == set()


def test_without_a_partition_nothing_is_hidden_beside_the_small_cell() -> None:
    counts, _ = partition(a=20, b=7, c=3)
    assert texts(suppress(counts), counts) == {"p/a": "20", "p/b": "7", "p/c": "< 5", "t": "30"}


def test_two_small_parts_at_their_largest_are_not_left_alone() -> None:
    # 20 + 4 + 4 = 28. Hiding both 4s leaves b + c = 8 with each at most 4: both must be 4.
    # So 20 is hidden too: a + b + c = 28 with a >= 5 has many answers (a = 21, b = 3, c = 4 ...).
    counts, relations = partition(a=20, b=4, c=4)
    shown = suppress(counts, relations)
    assert texts(shown, counts) == {"p/a": "< 5", "p/b": "< 5", "p/c": "< 5", "t": "28"}
    assert recoverable(counts, relations, shown) == set()


def test_a_hidden_zero_may_be_found() -> None:
    # 20 + 0 + 0 = 20: the two zeros add up to 0 and so are 0 — that describes nobody, and the
    # participation figures have always allowed it. The old rule (never exactly one hidden cell)
    # is kept, so 20 + 0 hides nothing more here either.
    counts, relations = partition(a=20, b=0, c=0)
    assert texts(suppress(counts, relations), counts)["p/a"] == "20"


def test_a_nested_total_whose_subgroups_are_shown_gets_a_subgroup_hidden() -> None:
    # Everyone (22) = province P (4) + province Q (18); Q = q1 (10) + q2 (8).
    # P is small, so Q is hidden as its complement — but Q = q1 + q2 = 18 would give Q and then
    # P = 22 - 18 = 4. So one part of Q (the smallest, q2) is hidden as well:
    # P + q2 = 22 - 10 = 12 with P in 0..4 and q2 >= 5 leaves P = 0..4 open.
    counts: dict[Key, int] = {
        ("all",): 22,
        ("P",): 4,
        ("Q",): 18,
        ("Q", "q1"): 10,
        ("Q", "q2"): 8,
    }
    relations: list[Relation] = [
        Sum(("all",), (("P",), ("Q",))),
        Sum(("Q",), (("Q", "q1"), ("Q", "q2"))),
    ]
    shown = suppress(counts, relations)
    assert texts(shown, counts) == {
        "all": "22",
        "P": "< 5",
        "Q": "< 5",
        "Q/q1": "10",
        "Q/q2": "< 5",
    }
    assert recoverable(counts, relations, shown) == set()


def test_the_same_group_in_two_tables_is_one_cell() -> None:
    # Table 1, per role: 20 + 7 + 3 = 30. Table 2, role b per network: 7 = 5 + 2.
    # Suppressed one by one, table 1 hides b (complement of c) while table 2 shows its total 7,
    # and c = 30 - 20 - 7 = 3 is back. As one publication b is one cell, hidden in both.
    table1, rel1 = partition(a=20, b=7, c=3)
    table2: dict[Key, int] = {("p", "b"): 7, ("b", "x"): 5, ("b", "y"): 2}
    rel2: list[Relation] = [Sum(("p", "b"), (("b", "x"), ("b", "y")))]
    apart = {**suppress(table1, rel1).cells, **suppress(table2, rel2).cells}
    assert apart[("p", "b")].text == "7"  # what table 2 printed
    together = suppress({**table1, **table2}, [*rel1, *rel2])
    assert together.text(("p", "b")) == "< 5"
    assert recoverable({**table1, **table2}, [*rel1, *rel2], together) == set()


def test_started_within_invited_is_used_as_a_bound() -> None:
    # Invited: 13 + 8 + 1 + 1 = 23. Started: 8 + 4 + 1 + 1 = 14, per group within invited.
    # Per column alone the hidden started cells (4, 1, 1) add up to 6 — but the last two groups
    # invited 1 + 1 = 2, so they started at most 2 together, and g started 6 - 2 = 4 at least,
    # which with "under 5" is exactly 4. With the Within relations the engine hides one more.
    invited = {"a": 13, "g": 8, "m": 1, "n": 1}
    started = {"a": 8, "g": 4, "m": 1, "n": 1}
    counts: dict[Key, int] = {("invited", g): n for g, n in invited.items()}
    counts |= {("started", g): n for g, n in started.items()}
    counts |= {("invited",): 23, ("started",): 14}
    relations: list[Relation] = [
        Sum(("invited",), tuple(("invited", g) for g in invited)),
        Sum(("started",), tuple(("started", g) for g in started)),
        *(Within(("started", g), ("invited", g)) for g in invited),
    ]
    per_column = suppress(counts, relations[:2])
    assert recoverable(counts, relations, per_column) == {("started", "g")}
    shown = suppress(counts, relations)
    assert shown.text(("started", "a")) == "< 5"
    assert recoverable(counts, relations, shown) == set()


def test_invited_12_started_9_is_fine() -> None:
    counts: dict[Key, int] = {("invited",): 12, ("started",): 9}
    shown = suppress(counts, [Within(("started",), ("invited",))])
    assert (shown.text(("invited",)), shown.text(("started",))) == ("12", "9")
    assert shown.percent(("started",), ("invited",)) == "75%"


def test_pooled_parts_keep_what_is_hidden_together_at_k_or_more() -> None:
    # 20 + 3 + 1 = 24: b and c hidden together hold 24 - 20 = 4 respondents; a mean per group
    # would give the mean of those 4. Pooled, a is hidden as well (then 24 are pooled).
    counts, relations = partition(a=20, b=3, c=1, pooled=True)
    assert texts(suppress(counts, relations), counts)["p/a"] == "< 5"
    counts, relations = partition(a=20, b=3, c=1)
    assert texts(suppress(counts, relations), counts)["p/a"] == "20"


def test_a_percentage_only_next_to_a_shown_count_of_a_shown_base() -> None:
    counts: dict[Key, int] = {("n",): 40, ("x",): 3, ("y",): 30, ("z",): 0, ("small",): 4}
    shown = suppress(counts)
    assert shown.percent(("y",), ("n",)) == "75%"  # 30 / 40
    assert shown.percent(("x",), ("n",)) is None  # 3 is hidden
    assert shown.percent(("y",), ("small",)) is None  # the base is hidden
    assert suppress({("a",): 0, ("b",): 0}, k=1).percent(("a",), ("b",)) is None  # base 0


def test_a_part_that_follows_its_whole_is_hidden_with_it() -> None:
    counts: dict[Key, int] = {("n", "g"): 3, ("picked", "g"): 3, ("n", "h"): 40, ("picked", "h"): 9}
    relations = [Within(("picked", g), ("n", g), follows=True) for g in "gh"]
    shown = suppress(counts, relations, withhold=[("n", "h")])
    assert shown[("picked", "h")].hidden is Hidden.WITH_GROUP
    assert shown[("n", "h")].hidden is Hidden.WITHHELD
    assert shown[("picked", "g")].hidden is Hidden.SMALL


def test_bounds_say_what_a_reader_knows_of_one_cell() -> None:
    counts, relations = partition(a=20, b=7, c=3)
    shown = suppress(counts, relations)
    assert shown.bounds(("p", "a")) == (20, 20)
    assert shown.bounds(("p", "c")) == (0, 4)
    assert shown.bounds(("p", "b")) == (5, None)


def test_a_relation_the_counts_break_is_left_out_and_unknown_cells_are_refused() -> None:
    counts: dict[Key, int] = {("t",): 99, ("a",): 20, ("b",): 3}
    shown = suppress(counts, [Sum(("t",), (("a",), ("b",)))])  # 20 + 3 is not 99
    assert shown.text(("a",)) == "20"
    with pytest.raises(ValueError):
        suppress(counts, [Sum(("t",), (("a",), ("nope",)))])
    with pytest.raises(ValueError):
        suppress({("a",): -1})


def test_empty_single_and_all_in_one_group() -> None:
    assert dict(suppress({}).cells) == {}
    assert suppress({("only",): 1}).text(("only",)) == "< 5"
    # Everyone in one group: the group equals the total, the empty groups are 0.
    counts, relations = partition(a=12, b=0, c=0)
    assert texts(suppress(counts, relations), counts) == {
        "p/a": "12",
        "p/b": "< 5",
        "p/c": "< 5",
        "t": "12",
    }


def test_the_same_input_gives_the_same_display() -> None:
    counts, relations = partition(a=20, b=6, c=6, d=2)
    first = suppress(counts, relations)
    assert all(first.text(key) == suppress(counts, relations).text(key) for key in counts)
    assert first.text(("p", "b")) == "< 5" and first.text(("p", "c")) == "6"  # tie: smaller key


# ---------------------------------------------------------------- random tables

VALUES = (0, 0, 1, 2, 3, 4, 4, 5, 6, 7, 9, 12, 20)


def one_partition(rng: random.Random):
    return partition(
        pooled=rng.random() < 0.3,
        **{f"g{i}": rng.choice(VALUES) for i in range(rng.randint(1, 5))},
    )


def nested(rng: random.Random):
    counts: dict[Key, int] = {}
    relations: list[Relation] = []
    provinces: list[Key] = []
    for i in range(rng.randint(2, 3)):
        subs = [("s", str(i), str(j)) for j in range(rng.randint(1, 3))]
        counts |= {s: rng.choice(VALUES) for s in subs}
        counts[("p", str(i))] = sum(counts[s] for s in subs)
        relations.append(Sum(("p", str(i)), tuple(subs)))
        provinces.append(("p", str(i)))
    counts[("t",)] = sum(counts[p] for p in provinces)
    return counts, [Sum(("t",), tuple(provinces)), *relations]


def two_way(rng: random.Random):
    rows, cols = range(rng.randint(2, 3)), range(rng.randint(2, 3))
    counts: dict[Key, int] = {("c", str(r), str(c)): rng.choice(VALUES) for r in rows for c in cols}
    relations: list[Relation] = []
    for r in rows:
        cells = tuple(("c", str(r), str(c)) for c in cols)
        counts[("r", str(r))] = sum(counts[x] for x in cells)
        relations.append(Sum(("r", str(r)), cells))
    for c in cols:
        cells = tuple(("c", str(r), str(c)) for r in rows)
        counts[("k", str(c))] = sum(counts[x] for x in cells)
        relations.append(Sum(("k", str(c)), cells))
    counts[("t",)] = sum(counts[("r", str(r))] for r in rows)
    relations.append(Sum(("t",), tuple(("r", str(r)) for r in rows)))
    relations.append(Sum(("t",), tuple(("k", str(c)) for c in cols)))
    return counts, relations


def invited_and_started(rng: random.Random):
    groups = [str(i) for i in range(rng.randint(2, 4))]
    counts: dict[Key, int] = {}
    relations: list[Relation] = []
    for g in groups:
        counts[("i", g)] = rng.choice(VALUES)
        counts[("s", g)] = rng.randint(0, counts[("i", g)])
        relations.append(Within(("s", g), ("i", g)))
    for m in "is":
        counts[(m,)] = sum(counts[(m, g)] for g in groups)
        relations.append(Sum((m,), tuple((m, g) for g in groups)))
    return counts, relations


def picks_per_group(rng: random.Random):
    """Groups x themes, each respondent picking exactly ``m`` themes."""
    m, themes = rng.randint(1, 2), [str(t) for t in range(3)]
    groups = [str(g) for g in range(rng.randint(1, 3))]
    counts: dict[Key, int] = {}
    relations: list[Relation] = []
    for g in groups:
        counts[("n", g)] = rng.choice((1, 2, 3, 5, 6, 8))
        picked = dict.fromkeys(themes, 0)
        for _ in range(counts[("n", g)]):
            for t in rng.sample(themes, m):
                picked[t] += 1
        counts |= {("x", g, t): picked[t] for t in themes}
        relations += [Within(("x", g, t), ("n", g), follows=True) for t in themes]
        relations.append(Sum(("n", g), tuple(("x", g, t) for t in themes), times=m))
    counts[("n",)] = sum(counts[("n", g)] for g in groups)
    relations.append(Sum(("n",), tuple(("n", g) for g in groups), pooled=True))
    for t in themes:
        counts[("x", t)] = sum(counts[("x", g, t)] for g in groups)
        relations.append(Sum(("x", t), tuple(("x", g, t) for g in groups)))
    return counts, relations


Shape = Callable[[random.Random], tuple[dict[Key, int], list[Relation]]]


@pytest.mark.parametrize("lone_zeros", [True, False])
@pytest.mark.parametrize(
    "shape", [one_partition, nested, two_way, invited_and_started, picks_per_group]
)
def test_no_random_table_lets_a_small_count_be_computed(shape: Shape, lone_zeros: bool) -> None:
    for seed in range(120):
        counts, relations = shape(random.Random(seed))
        shown = suppress(counts, relations, lone_zeros=lone_zeros)
        for key, n in counts.items():
            assert shown.shown(key) == (shown.count(key) == n)
            assert n >= 5 or not shown.shown(key)
        found = recoverable(counts, relations, shown) - in_the_dark(counts, relations, shown)
        assert found == set(), (seed, counts)
