"""What facilitators decided that the report follows: the published (curated) themes with their
membership after every rename, merge, split, move and drop, and the confirmed Verdiepen follow-up
questions with the top theme each asks about. Read inside the report desk's unit of work."""

from __future__ import annotations

from typing import Any

from dialogen.facilitation.theme_decisions import curate, decisions_of, theme_set_from_json
from dialogen.reporting.facts import FollowUpFact, ThemeFact
from dialogen.store import follow_ups as follow_up_store
from dialogen.store import themes as theme_store

Session = Any


def published_themes(session: Session, *, dialogue_key: str) -> tuple[ThemeFact, ...]:
    """The published themes in their published order and labels, each with the contributions the
    curated list gives it; empty when nothing is published (the report computes themes then)."""
    published = theme_store.published_options(session, dialogue_key=dialogue_key)
    row = theme_store.computation(session, dialogue_key=dialogue_key)
    if not published or row is None:
        return ()
    decided = decisions_of(
        (d.action, d.data) for d in theme_store.decisions(session, dialogue_key=dialogue_key)
    )
    curated = {t.value: t for t in curate(theme_set_from_json(row.computed), decided).themes}
    found = []
    for value, label in published:
        theme = curated.get(value)
        members = theme.members if theme else ()
        representative = theme.representative if theme else ()
        found.append(ThemeFact(value, label, tuple(members), tuple(representative)))
    return tuple(found)


def confirmed_follow_ups(session: Session, *, dialogue_key: str) -> tuple[FollowUpFact, ...]:
    return tuple(
        FollowUpFact(step, str(q["id"]), str(q["text"]), str(q.get("theme") or ""))
        for step, questions in follow_up_store.confirmed(session, dialogue_key=dialogue_key).items()
        for q in questions
    )
