"""What facilitators decided that the report follows: the published (curated) themes with their
membership after every rename, merge, split, move and drop, and the confirmed Verdiepen follow-up
questions with the top theme each asks about. Read inside the report desk's unit of work."""

from __future__ import annotations

from typing import Any

from dialogen.facilitation.theme_decisions import (
    Curated,
    CuratedTheme,
    curate,
    decisions_of,
    option_value,
    theme_set_from_json,
)
from dialogen.reporting.facts import FollowUpFact, ThemeFact
from dialogen.store import follow_ups as follow_up_store
from dialogen.store import themes as theme_store

Session = Any


def published_themes(session: Session, *, dialogue_key: str) -> tuple[ThemeFact, ...]:
    """The published themes in their published order and labels, each with the contributions the
    curated list gives it; empty when nothing is published (the report computes themes then).
    A theme merged away after publishing stands for the theme it went into; a curated theme's
    contributions count under one published theme only."""
    published = theme_store.published_options(session, dialogue_key=dialogue_key)
    row = theme_store.computation(session, dialogue_key=dialogue_key)
    if not published or row is None:
        return ()
    decided = decisions_of(
        (d.action, d.data) for d in theme_store.decisions(session, dialogue_key=dialogue_key)
    )
    found = curate(theme_set_from_json(row.computed), decided)
    direct = {t.value: t for t in found.themes}
    went = {option_value(source): _final(found, source) for source in found.merged}
    chosen: dict[str, CuratedTheme] = {}  # published value -> the curated theme it stands for
    for pass_ in (direct, went):  # a theme's own value first, then where a merged one went
        for value, _ in published:
            theme = pass_.get(value)
            if value not in chosen and theme is not None and theme not in chosen.values():
                chosen[value] = theme
    return tuple(
        ThemeFact(value, label, chosen[value].members, chosen[value].representative)
        if value in chosen
        else ThemeFact(value, label, (), ())  # dropped after publishing: nothing to count
        for value, label in published
    )


def _final(curated: Curated, key: str) -> CuratedTheme | None:
    """The theme a merged-away theme ended up in (merges can chain)."""
    for _ in range(len(curated.merged) + 1):
        if key not in curated.merged:
            break
        key = curated.merged[key]
    return curated.find(key)


def confirmed_follow_ups(session: Session, *, dialogue_key: str) -> tuple[FollowUpFact, ...]:
    return tuple(
        FollowUpFact(step, str(q["id"]), str(q["text"]), str(q.get("theme") or ""))
        for step, questions in follow_up_store.confirmed(session, dialogue_key=dialogue_key).items()
        for q in questions
    )
