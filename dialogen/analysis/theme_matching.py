"""Match a recomputation's themes to the previous ones, so curated themes keep their identity.

Keys come from the top terms (`themes._key`), which already survive most recomputations; when the
terms shift, members decide. Overlap is the Jaccard index of two themes' members, counted only
over contributions that both computations saw (new contributions cannot lower it, removed ones
cannot either). Pairs are chosen by the Hungarian method (Kuhn 1955, via
``scipy.optimize.linear_sum_assignment``) to maximise the total overlap; a pair below
``MIN_OVERLAP`` is no match.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]

from dialogen.analysis.themes import Theme, ThemeSet

MIN_OVERLAP = 0.3


def _seen(themes: ThemeSet) -> set[str]:
    return {member for theme in themes.themes for member in theme.members} | set(themes.overig)


def match_themes(old: ThemeSet, new: ThemeSet) -> dict[str, str]:
    """Which new theme continues which old one: ``{new key: old key}``."""
    if not old.themes or not new.themes:
        return {}
    common = _seen(old) & _seen(new)
    overlap = np.zeros((len(new.themes), len(old.themes)))
    for row, fresh in enumerate(new.themes):
        fresh_members = set(fresh.members) & common
        for column, previous in enumerate(old.themes):
            previous_members = set(previous.members) & common
            union = fresh_members | previous_members
            if union:
                overlap[row, column] = len(fresh_members & previous_members) / len(union)
    rows, columns = linear_sum_assignment(-overlap)
    return {
        new.themes[row].key: old.themes[column].key
        for row, column in zip(rows, columns, strict=True)
        if overlap[row, column] >= MIN_OVERLAP
    }


def carry_keys(old: ThemeSet, new: ThemeSet) -> ThemeSet:
    """``new`` with every matched theme under its old key; an unmatched theme whose key an old
    theme holds gets a suffix, so a key never changes meaning."""
    matches = match_themes(old, new)
    taken = {theme.key for theme in old.themes} | set(matches.values())
    themes: list[Theme] = []
    for theme in new.themes:
        key = matches.get(theme.key)
        if key is None:
            key, suffix = theme.key, 2
            while key in taken:
                key, suffix = f"{theme.key}~{suffix}", suffix + 1
            taken.add(key)
        themes.append(replace(theme, key=key))
    return ThemeSet(themes=tuple(themes), overig=new.overig)
