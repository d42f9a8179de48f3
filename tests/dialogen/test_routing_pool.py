"""The process' routing pool against the store, on SQLite and PostgreSQL: a stale pool is rebuilt
from a read of its own before the turn's unit of work (a concurrent writer is not blocked by it),
changes made while a rebuild reads reach the new pool, and a contribution hidden elsewhere (another
replica) is never offered — it leaves the pool as soon as a turn finds out, without a rebuild."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from dialogen.contributions.pool import PoolCache
from dialogen.contributions.routing import Reactor, RoutingRules
from dialogen.conversation.inputs import Text
from dialogen.conversation.replies import PromptKind
from dialogen.dialogue.definition import Dialogue
from dialogen.store import contributions as store
from dialogen.store import participants as participant_store
from dialogen.store.contributions import ContributionRow
from dialogen.store.database import Database
from tests.conftest import AMS
from tests.dialogen.test_contributions import VERRIJKEN, door_for, prompt, rows, verkennen
from tests.planning.people import People
from tests.support.clock import FakeClock

RULES = RoutingRules(target=10)
DAY = date(2024, 10, 9)
NOW = datetime(2024, 10, 9, 10, 0, tzinfo=AMS)


def writer_can_lock(database: Database, participant_id: str) -> bool:
    """Whether another writer gets the participant's row (PostgreSQL) or SQLite's one write lock
    right now, without waiting."""
    if database.is_sqlite:
        raw = sqlite3.connect(str(database.url.database), timeout=0, isolation_level=None)
        try:
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            raw.close()
    engine = create_engine(database.url)
    try:
        with engine.connect() as connection, connection.begin():
            connection.execute(
                text("SELECT id FROM participant WHERE id = :id FOR UPDATE NOWAIT"),
                {"id": participant_id},
            )
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


def watched(read: Any, seen: list[bool], check: Any) -> Any:
    """``read`` that records ``check()`` each time a pool is read from the store."""

    @contextmanager
    def reading() -> Iterator[Any]:
        seen.append(check())
        with read() as connection:
            yield connection

    return reading


def test_a_stale_pool_is_rebuilt_before_the_turn_locks_anything(
    database: Database, real_dialogue: Dialogue, registry, clock: FakeClock
) -> None:
    door = door_for(database, real_dialogue, registry, clock)
    people = People(door)
    for name in ("anna", "bert", "carla"):
        verkennen(people, name, f"Het beeld van {name}, kort.", f"De oplossing van {name}, kort.")
    clock.set(VERRIJKEN)
    people.send("anna", Text("verder"))
    anna = people.ids["anna"]
    with database.unit_of_work() as session:  # the check can fail: a turn's lock is seen
        participant_store.lock(session, anna)
        assert not writer_can_lock(database, anna)
    contributions = door.contributions
    builds, seen = contributions.pools.builds, []
    contributions.read = watched(contributions.read, seen, lambda: writer_can_lock(database, anna))
    people.send("anna", Text("eens"))
    assert seen == [] and contributions.pools.builds == builds  # a fresh pool is not read again
    clock.advance(seconds=31)
    people.send("anna", Text("oneens"))
    assert seen == [True]  # read once, while anyone else could still write
    assert contributions.pools.builds == builds + 1
    assert prompt(people, "anna").kind is PromptKind.REACTION


def test_a_contribution_hidden_on_another_replica_is_never_offered(
    database: Database, real_dialogue: Dialogue, registry, clock: FakeClock
) -> None:
    door = door_for(database, real_dialogue, registry, clock)
    people = People(door)
    for name in ("anna", "bert", "carla", "daan"):
        verkennen(people, name, f"Het beeld van {name}, kort.", f"De oplossing van {name}, kort.")
    clock.set(VERRIJKEN)
    people.send("anna", Text("verder"))
    builds = door.contributions.pools.builds
    others = [r for r in rows(database, ContributionRow) if not r.original.endswith("anna, kort.")]
    kept = {r.id for r in others if "bert" in r.original}
    with database.unit_of_work() as session:  # as another process would: this pool is not told
        for row in others:
            if row.id not in kept:
                found = store.get(session, row.id)
                assert found is not None
                store.set_state(session, found, state=store.HIDDEN, reason="test", day=DAY)
    people.send("anna", Text("status"))  # the card again: not the one shown before, if hidden
    offered = []
    for _ in range(6):
        shown = prompt(people, "anna")
        if shown.kind is not PromptKind.REACTION:
            break
        offered.append(shown.item)
        people.send("anna", Text("pas"))
    assert sorted(offered) == sorted(kept)  # each still visible one, none hidden, then done
    assert door.contributions.pools.builds == builds  # no rebuild was needed for that


@pytest.fixture
def filled(database: Database) -> dict[str, ContributionRow]:
    made = {}
    with database.unit_of_work() as session:
        for n, author in enumerate(("p1", "p1", "p2", "p3", "p4")):
            row = store.add(
                session,
                dialogue_key="d",
                step_key="verkennen",
                question_id=f"q{n}",
                source_key="",
                pseudonym=author,
                segment={"role": None, "province": None, "networks": ""},
                text=f"tekst {n}",
                original=f"tekst {n}",
                spans=[],
                state=store.VISIBLE,
                day=DAY,
            )
            session.expunge(row)
            made[row.id] = row
    return made


def drawable(pools: PoolCache, read: Any, everyone: int = 200, now: datetime = NOW) -> set[str]:
    return {
        i
        for n in range(everyone)
        for i in pools.draw(
            read, "d", RULES, Reactor(f"r{n}", frozenset(), frozenset()), seed=n, size=5, now=now
        )
    }


def test_what_changes_while_a_rebuild_reads_reaches_the_new_pool(
    database: Database, filled: dict[str, ContributionRow]
) -> None:
    pools = PoolCache(clock=lambda: NOW)
    pools.refresh(database.read, "d", RULES, now=NOW)  # the pool a while ago
    later = NOW + timedelta(seconds=31)
    hidden, *_ = filled.values()
    added = ContributionRow.model_validate(
        {**hidden.model_dump(), "id": "f" * 32, "question_id": "extra"}
    )
    hidden.state = store.HIDDEN
    reads = []

    @contextmanager
    def read() -> Iterator[Any]:
        with database.read() as connection:
            yield connection  # the rows are read by now (a snapshot with `hidden` visible)
        reads.append(True)
        pools.refresh(read, "d", RULES, now=later)  # another turn meanwhile: does not build too
        assert hidden.id in drawable(pools, read, now=later)  # it draws from the old pool
        pools.put(hidden, DAY)  # hidden here while the rebuild was reading
        pools.put(added, DAY)  # an addition made here meanwhile

    pools.refresh(read, "d", RULES, now=later)
    assert reads == [True] and pools.builds == 2
    found = drawable(pools, read, now=later)
    assert hidden.id not in found and added.id in found
    assert found == (set(filled) - {hidden.id}) | {added.id}
    assert reads == [True]  # drawing reads nothing


def test_a_pool_is_read_in_its_own_connection(database: Database, filled) -> None:
    pools, reads = PoolCache(clock=lambda: NOW), []

    def read() -> AbstractContextManager[Any]:
        reads.append(True)
        return database.read()

    assert drawable(pools, read, everyone=5) == set(filled)
    assert reads == [True]  # the first draw builds it, once
