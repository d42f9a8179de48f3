"""Representation per group: response rates, Go Vocal's score, who is behind, alerts."""

from __future__ import annotations

import pytest

from dialogen.analysis import AlertReason, GroupCount, representation


def alerts(result) -> list[tuple[str, str]]:
    return [(a.group, a.reason.value) for a in result.alerts]


def test_rates_score_and_the_groups_behind() -> None:
    # a 40/100 = 0.40, b 10/50 = 0.20, c 3 of 20 (hidden: under 5), d 3 invited (under 5), e 0.
    # Responded 40 + 10 + 3 + 1 + 0 = 54 of 173. The hidden responses (3, 1, 0) and invitees
    # (3, 0) are several per column, so nothing more is hidden.
    # Score over the shown rates: 0.20 / 0.40 = 0.5. c has 20 invitees but no shown rate: the
    # score is not complete and c gets an alert; b is below 0.25.
    result = representation(
        [
            GroupCount("a", 100, 40),
            GroupCount("b", 50, 10),
            GroupCount("c", 20, 3),
            GroupCount("d", 3, 1),
            GroupCount("e", 0, 0),
        ],
        step="verkennen",
        dimension="role",
        partition=True,
    )
    assert [(g.group, g.invited.text, g.responded.text, g.rate) for g in result.groups] == [
        ("a", "100", "40", 0.4),
        ("b", "50", "10", 0.2),
        ("c", "20", "< 5", None),
        ("d", "< 5", "< 5", None),
        ("e", "< 5", "< 5", None),
    ]
    assert result.invited is not None and result.invited.text == "173"
    assert result.rate == pytest.approx(54 / 173)
    assert result.score == pytest.approx(0.5)
    assert result.complete is False
    assert result.furthest_behind == ("b", "a")
    assert alerts(result) == [("c", "not shown"), ("b", "below threshold")]


def test_equal_rates_put_the_larger_group_first() -> None:
    # 50/100 and 10/20 are both 0.5: the group of 100 (more people missing) is further behind.
    result = representation(
        [GroupCount("klein", 20, 10), GroupCount("groot", 100, 50), GroupCount("goed", 10, 9)],
        step="verkennen",
        dimension="role",
        partition=True,
        behind=2,
    )
    assert result.furthest_behind == ("groot", "klein")
    assert result.score == pytest.approx(0.5 / 0.9)
    assert (result.complete, result.alerts) == (True, ())


def test_a_group_hidden_as_a_complement_is_not_in_the_score() -> None:
    # Invited 100 + 3 + 50 = 153: the 3 alone is hidden, so the smallest other (50) is too.
    # Group c (50 invited) then has no rate: it is not in the score, which is not complete.
    result = representation(
        [GroupCount("a", 100, 60), GroupCount("b", 3, 2), GroupCount("c", 50, 30)],
        step="voorkeuren",
        dimension="province",
        partition=True,
    )
    assert [g.invited.text for g in result.groups] == ["100", "< 5", "< 5"]
    assert result.score is None  # one shown rate says nothing
    assert result.complete is False
    assert [(a.group, a.reason) for a in result.alerts] == [("c", AlertReason.NOT_SHOWN)]


def test_networks_have_no_totals_and_zero_responses_are_not_shown() -> None:
    # G4 12/20 = 0.6, G40 6/30 = 0.2; P10 has 10 invitees and 0 responses: its rate (0) is not
    # shown — a 0 among the hidden — so the score (0.2 / 0.6 = 1/3) leaves it out and alerts.
    result = representation(
        [GroupCount("G4", 20, 12), GroupCount("G40", 30, 6), GroupCount("P10", 10, 0)],
        step="verkennen",
        dimension="network",
        partition=False,
    )
    assert (result.invited, result.responded, result.rate) == (None, None, None)
    assert result.score == pytest.approx(1 / 3)
    assert alerts(result) == [("P10", "not shown"), ("G40", "below threshold")]


def test_empty_single_and_all_in_one_group() -> None:
    empty = representation([], step="s", dimension="role", partition=True)
    assert (empty.groups, empty.score, empty.complete) == ((), None, True)
    assert empty.invited is not None and empty.invited.text == "< 5"
    single = representation([GroupCount("a", 1, 1)], step="s", dimension="role", partition=True)
    assert (single.groups[0].rate, single.score) == (None, None)
    # Everyone in one group: its rate is everyone's; no second rate, so no score.
    one = representation(
        [GroupCount("a", 40, 20), GroupCount("b", 0, 0)],
        step="s",
        dimension="role",
        partition=True,
    )
    assert (one.groups[0].rate, one.rate, one.score) == (0.5, 0.5, None)


def test_inconsistent_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        representation([GroupCount("a", 5, 6)], step="s", dimension="role", partition=True)
    with pytest.raises(ValueError):
        representation(
            [GroupCount("a", 5, 1), GroupCount("a", 5, 1)],
            step="s",
            dimension="role",
            partition=True,
        )
