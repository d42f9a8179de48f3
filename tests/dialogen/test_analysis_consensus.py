"""Consensus across groups (Polis's group-aware consensus) on hand-computed examples."""

from __future__ import annotations

import pytest

from dialogen.analysis import (
    PROVINCE,
    ROLE,
    Picks,
    Reaction,
    Respondent,
    Stance,
    approval,
    borda,
    reaction_consensus,
    theme_consensus,
)
from dialogen.stakeholders.segments import Segment

AGREE, DISAGREE, PASS = Stance.AGREE, Stance.DISAGREE, Stance.PASS


def people(role: str, n: int, province: str = "Utrecht") -> list[Respondent]:
    return [Respondent(f"{role}-{i}", Segment(role, province, frozenset())) for i in range(n)]


def react(item: str, who: list[Respondent], *stances: tuple[Stance, int]) -> list[Reaction]:
    given = [stance for stance, n in stances for _ in range(n)]
    return [Reaction(r, item, s) for r, s in zip(who, given, strict=True)]


RAADSLEDEN, WETHOUDERS = people("raadslid", 20), people("wethouder", 20)


def test_a_statement_both_groups_support_is_broadly_supported() -> None:
    # raadsleden 20: 16 eens, 4 oneens; wethouders 20: 14 eens, 6 pas (a pass is seen).
    # Support: 16/20 = 0.8 and 14/20 = 0.7, both above 0.5: breed gedragen, not verdeeld.
    # Polis: (16 + 1)/(20 + 2) x (14 + 1)/(20 + 2) = 17/22 x 15/22 = 255/484.
    reactions = react("s1", RAADSLEDEN, (AGREE, 16), (DISAGREE, 4))
    reactions += react("s1", WETHOUDERS, (AGREE, 14), (PASS, 6))
    (found,) = reaction_consensus(reactions)
    assert [(g.group, g.seen.text, g.agree.text, g.support) for g in found.groups] == [
        ("raadslid", "20", "16", 0.8),
        ("wethouder", "20", "14", 0.7),
    ]
    assert found.score == pytest.approx(255 / 484)
    assert (found.score_exact, found.broadly_supported, found.divided) == (True, True, False)
    assert found.everyone is not None and found.everyone.support == 30 / 40


def test_a_statement_that_splits_the_groups_is_divided() -> None:
    # raadsleden: 15 eens, 5 oneens, 0 pas -> 0.75; wethouders: 5 eens, 10 oneens, 5 pas -> 0.25.
    # Only the raadsleden's 0 pas is hidden (a 0 alone may be found: nobody passed).
    # 0.75 > 0.5 and 0.25 <= 0.5, 0.75 - 0.25 = 0.5 >= 0.25: verdeeld, not breed gedragen.
    # Polis: 16/22 x 6/22 = 96/484.
    reactions = react("s2", RAADSLEDEN, (AGREE, 15), (DISAGREE, 5))
    reactions += react("s2", WETHOUDERS, (AGREE, 5), (DISAGREE, 10), (PASS, 5))
    (found,) = reaction_consensus(reactions)
    texts = [
        (
            g.group,
            g.agree.text,
            g.disagree.text if g.disagree else "",
            g.passed.text if g.passed else "",
        )
        for g in found.groups
    ]
    assert texts == [("raadslid", "15", "5", "< 5"), ("wethouder", "5", "10", "5")]
    assert [g.support for g in found.groups] == [0.75, 0.25]
    assert found.score == pytest.approx(96 / 484)
    assert (found.broadly_supported, found.divided) == (False, True)


def test_a_hidden_agree_count_is_judged_by_what_the_display_allows() -> None:
    # raadsleden 10: 9 eens, 1 oneens, 0 pas; wethouders 10: 2 eens, 8 oneens, 0 pas.
    # Everyone (shown as it is): 11 eens, 9 oneens. Small: the raadsleden's 1 oneens, the
    # wethouders' 2 eens (and the zeros). In the eens column 11 = 9 + 2 the 9 is hidden as the
    # complement of the 2; in the oneens column 9 = 1 + 8 the 8 as the complement of the 1.
    # Raadsleden: eens >= 5 (a complement), and >= 10 - 4 - 4: support 0.5 .. 1.0.
    # Wethouders: eens <= 4, and <= 10 - 5 (oneens >= 5) - 0: support 0 .. 0.4.
    # Not certainly above 0.5 for the raadsleden, so neither flag; the score takes each hidden
    # agree count at its lowest: (5 + 1)/12 x (0 + 1)/12 = 6/144.
    reactions = react("s3", people("raadslid", 10), (AGREE, 9), (DISAGREE, 1))
    reactions += react("s3", people("wethouder", 10), (AGREE, 2), (DISAGREE, 8))
    (found,) = reaction_consensus(reactions)
    assert [(g.group, g.support, g.low, g.high) for g in found.groups] == [
        ("raadslid", None, 0.5, 1.0),
        ("wethouder", None, 0.0, 0.4),
    ]
    assert found.score == pytest.approx(6 / 144)
    assert (found.score_exact, found.broadly_supported, found.divided) == (False, False, False)


def test_groups_under_k_do_not_count_and_are_not_listed() -> None:
    # 20 raadsleden all agree; 3 wethouders all disagree; the 3 in Zeeland form the province
    # group under k. By role, the wethouders (3) are hidden, so are the raadsleden (what is
    # hidden together must hold 5): no group counts, there is no score, and no flag is raised.
    reactions = react("s4", RAADSLEDEN, (AGREE, 20))
    reactions += react("s4", people("wethouder", 3, "Zeeland"), (DISAGREE, 3))
    (by_role,) = reaction_consensus(reactions)
    assert (by_role.groups, by_role.score, by_role.broadly_supported) == ((), None, False)
    assert by_role.everyone is not None and by_role.everyone.seen.text == "23"
    # With 8 wethouders (all oneens) both groups count: support 1.0 against 0.0 (their hidden
    # eens count is at most 8 - 8 shown oneens = 0).
    reactions = react("s5", RAADSLEDEN, (AGREE, 20))
    reactions += react("s5", people("wethouder", 8, "Zeeland"), (DISAGREE, 8))
    (by_province,) = reaction_consensus(reactions, dimension=PROVINCE)
    assert [(g.group, g.low, g.high) for g in by_province.groups] == [
        ("Utrecht", 1.0, 1.0),
        ("Zeeland", 0.0, 0.0),
    ]
    assert by_province.divided and not by_province.broadly_supported


def test_all_in_one_group_and_empty_input() -> None:
    (one,) = reaction_consensus(react("s6", RAADSLEDEN, (AGREE, 12), (DISAGREE, 8)))
    # One group: 12/20 = 0.6 > 0.5, so breed gedragen — within the one group there is. Polis:
    # 13/22. Never verdeeld with a single group.
    assert [g.group for g in one.groups] == ["raadslid"]
    assert one.score == pytest.approx(13 / 22)
    assert (one.broadly_supported, one.divided) == (True, False)
    assert reaction_consensus([]) == ()


def test_one_reaction_per_respondent_and_statement() -> None:
    who = people("raadslid", 1)[0]
    with pytest.raises(ValueError):
        reaction_consensus([Reaction(who, "s", AGREE), Reaction(who, "s", PASS)])


def test_theme_consensus_reads_the_approval_result() -> None:
    # Approval as in test_analysis_priorities: raadsleden (12) wonen 12, zorg 7, klimaat 5;
    # wethouders (10) wonen 5, zorg 10, klimaat 5.
    # zorg: 7/12 = 0.583 and 10/10 = 1.0, both above 0.5 -> breed gedragen;
    #       Polis (7+1)/(12+2) x (10+1)/(10+2) = 8/14 x 11/12 = 88/168.
    # wonen: 12/12 = 1.0 and 5/10 = 0.5 (not above 0.5) -> verdeeld (gap 0.5).
    # klimaat: 5/12 and 5/10, neither above 0.5 -> neither flag.
    rows = [
        Picks(r, frozenset({"wonen", "zorg"} if i < 7 else {"wonen", "klimaat"}))
        for i, r in enumerate(people("raadslid", 12))
    ]
    rows += [
        Picks(r, frozenset({"zorg", "klimaat"} if i < 5 else {"wonen", "zorg"}))
        for i, r in enumerate(people("wethouder", 10))
    ]
    result = approval(rows, ["wonen", "zorg", "klimaat"], dimensions=(ROLE,), resamples=50)
    wonen, zorg, klimaat = theme_consensus(result)
    assert (zorg.item, zorg.broadly_supported, zorg.divided) == ("zorg", True, False)
    assert zorg.score == pytest.approx(88 / 168)
    assert (wonen.broadly_supported, wonen.divided) == (False, True)
    assert (klimaat.broadly_supported, klimaat.divided) == (False, False)
    with pytest.raises(ValueError):
        theme_consensus(borda([], ["wonen"], positions=1))
