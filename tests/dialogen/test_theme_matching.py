"""A recomputation's themes are matched to the previous ones by their members."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogen.analysis.theme_matching import carry_keys, match_themes
from dialogen.analysis.themes import Theme, ThemeSet, find_themes
from tests.dialogen.test_themes import load_corpus


def theme(key: str, members: str) -> Theme:
    return Theme(key, (key,), key, tuple(members), tuple(members[:1]), len(members) / 20)


def test_themes_are_paired_by_member_overlap() -> None:
    old = ThemeSet((theme("raad", "abcde"), theme("jeugd", "fghij")), overig=("z",))
    new = ThemeSet((theme("jeugd-zorg", "fghik"), theme("democratie", "abcdx")), overig=())
    assert match_themes(old, new) == {"jeugd-zorg": "jeugd", "democratie": "raad"}


def test_new_contributions_do_not_weaken_a_match() -> None:
    old = ThemeSet((theme("raad", "abc"),), overig=())
    new = ThemeSet((theme("raad-nieuw", "abcdefghij"),), overig=())  # d..j are new
    assert match_themes(old, new) == {"raad-nieuw": "raad"}


def test_a_small_overlap_is_no_match() -> None:
    old = ThemeSet((theme("raad", "abcdefgh"),), overig=("x", "y"))
    new = ThemeSet((theme("geld", "axy"),), overig=tuple("bcdefgh"))
    assert match_themes(old, new) == {}
    assert match_themes(ThemeSet((), ()), new) == {}


def test_carried_keys_keep_their_meaning() -> None:
    old = ThemeSet((theme("raad", "abcde"), theme("geld", "fghij")), overig=())
    new = ThemeSet((theme("democratie", "abcde"), theme("geld", "klmno")), overig=("f",))
    carried = carry_keys(old, new)
    assert [t.key for t in carried.themes] == ["raad", "geld~2"]  # "geld" meant other members
    assert carried.themes[0].members == tuple("abcde")
    assert carried.overig == ("f",)


@pytest.fixture(scope="module")
def corpus_pairs() -> list[tuple[str, str]]:
    return [(cid, text) for cid, _, text in load_corpus()]


def test_a_recomputation_on_the_same_texts_keeps_every_key(
    corpus_pairs: list[tuple[str, str]],
) -> None:
    first = find_themes(corpus_pairs, count=9)
    again = find_themes(corpus_pairs, count=9)
    assert match_themes(first, again) == {t.key: t.key for t in first.themes}


def test_a_recomputation_with_more_contributions_finds_most_themes_again(
    corpus_pairs: list[tuple[str, str]],
) -> None:
    earlier = find_themes(corpus_pairs[::2] + corpus_pairs[1::4], count=9)  # three quarters
    later = find_themes(corpus_pairs, count=9)
    matches = match_themes(earlier, later)
    assert len(matches) >= 6
    carried = carry_keys(earlier, later)
    assert {t.key for t in carried.themes} >= set(matches.values())
    assert len({t.key for t in carried.themes}) == len(carried.themes)


def test_the_corpus_file_is_beside_the_tests() -> None:
    assert (Path(__file__).parent / "themes_corpus.tsv").is_file()
