"""The outbox's storage contract, on SQLite and PostgreSQL: claiming with leases, queue order per
participant, recovery after a crash, expiry — and two senders on one outbox sending nothing
twice."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from dialogen.store import outbox
from dialogen.store.database import Database
from dialogen.store.outbox import OutboxStatus
from tests.conftest import SEALING
from tests.planning.conftest import queue, row_of, sender_for
from tests.support.teams_people import add_teams_participant

AMS = ZoneInfo("Europe/Amsterdam")


def claim(database: Database, now, limit: int = 10, lease_seconds: float = 60) -> list[str]:  # type: ignore[no-untyped-def]
    with database.unit_of_work() as session:
        claimed = outbox.claim_due(
            session,
            channels=["teams"],
            now=now,
            limit=limit,
            lease_until=now + timedelta(seconds=lease_seconds),
            cipher=SEALING.outbox,
        )
    return [m.key for m in claimed]


def sent(database: Database, key: str, now) -> None:  # type: ignore[no-untyped-def]
    with database.unit_of_work() as session:
        outbox.mark_sent(session, message_id=row_of(database, key).id, now=now, parts_sent=1)


def test_a_participant_s_messages_are_claimed_one_at_a_time_in_queue_order(database, clock):
    anna = add_teams_participant(database, "anna", "http://127.0.0.1:9", clock())
    bert = add_teams_participant(database, "bert", "http://127.0.0.1:9", clock())
    for key in ("a1", "a2", "a3"):
        queue(database, anna, key, key, now=clock())
    queue(database, bert, "b1", "b1", now=clock())

    assert claim(database, clock()) == ["a1", "b1"]
    assert claim(database, clock()) == []  # a2 waits until a1 is done
    sent(database, "a1", clock())
    assert claim(database, clock()) == ["a2"]


def test_a_retried_message_keeps_its_place_before_later_ones(database, clock):
    anna = add_teams_participant(database, "anna", "http://127.0.0.1:9", clock())
    queue(database, anna, "a1", "a1", now=clock())
    queue(database, anna, "a2", "a2", now=clock())
    assert claim(database, clock()) == ["a1"]
    with database.unit_of_work() as session:
        outbox.mark_retry(
            session,
            message_id=row_of(database, "a1").id,
            retry_at=clock() + timedelta(seconds=30),
            parts_sent=0,
            error="HTTP 503",
        )

    assert claim(database, clock()) == []  # a2 does not overtake a1
    clock.advance(seconds=30)
    assert claim(database, clock()) == ["a1"]


def test_a_claimed_message_is_not_claimed_again_until_its_lease_has_expired(database, clock):
    anna = add_teams_participant(database, "anna", "http://127.0.0.1:9", clock())
    queue(database, anna, "a1", "a1", now=clock())
    assert claim(database, clock(), lease_seconds=60) == ["a1"]

    with database.unit_of_work() as session:
        assert outbox.recover_expired_leases(session, now=clock() + timedelta(seconds=59)) == 0
    assert claim(database, clock() + timedelta(seconds=59)) == []
    with (
        database.unit_of_work() as session
    ):  # the sender vanished: after the lease, back in the queue
        assert outbox.recover_expired_leases(session, now=clock() + timedelta(seconds=61)) == 1
    assert claim(database, clock() + timedelta(seconds=61)) == ["a1"]
    assert row_of(database, "a1").attempts == 2


def test_times_in_any_zone_are_due_at_the_right_moment(database, clock):
    anna = add_teams_participant(database, "anna", "http://127.0.0.1:9", clock())
    nine_amsterdam = clock().astimezone(AMS).replace(hour=9, minute=0) + timedelta(days=1)
    queue(database, anna, "a1", "a1", now=clock(), not_before=nine_amsterdam)

    assert claim(database, nine_amsterdam - timedelta(minutes=1)) == []
    assert claim(database, nine_amsterdam) == ["a1"]


def test_messages_past_their_send_by_time_are_cancelled(database, clock):
    anna = add_teams_participant(database, "anna", "http://127.0.0.1:9", clock())
    queue(database, anna, "a1", "a1", now=clock(), not_after=clock() + timedelta(hours=1))
    queue(database, anna, "a2", "a2", now=clock())
    clock.advance(hours=2)

    assert claim(database, clock()) == ["a2"]  # the expired one does not hold the queue up
    with database.unit_of_work() as session:
        assert outbox.expire_overdue(session, now=clock()) == 1
    assert row_of(database, "a1").status == OutboxStatus.CANCELLED


# PostgreSQL only: SQLite serialises whole transactions (BEGIN IMMEDIATE), there is no "meanwhile".
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_concurrent_claims_skip_each_other_s_rows(database_url, clock):
    """While one transaction holds its claimed rows, another claims past them without waiting."""
    first, second = Database(database_url), Database(database_url)
    first.migrate()
    try:
        for number in range(6):
            person = add_teams_participant(first, f"p{number}", "http://127.0.0.1:9", clock())
            queue(first, person, f"m{number}", "m", now=clock())
        holding, release = threading.Event(), threading.Event()
        got: list[str] = []

        def hold_a_claim() -> None:
            with first.unit_of_work() as session:
                got.extend(
                    m.key
                    for m in outbox.claim_due(
                        session,
                        channels=["teams"],
                        now=clock(),
                        limit=3,
                        lease_until=clock() + timedelta(seconds=60),
                        cipher=SEALING.outbox,
                    )
                )
                holding.set()
                release.wait(10)

        worker = threading.Thread(target=hold_a_claim)
        worker.start()
        assert holding.wait(10)
        meanwhile = claim(second, clock())
        release.set()
        worker.join()
        assert sorted(got + meanwhile) == [f"m{n}" for n in range(6)] and not set(got) & set(
            meanwhile
        )
    finally:
        first.dispose()
        second.dispose()


async def test_two_senders_on_separate_connections_send_nothing_twice(
    database_url, clock, fake_sleep, teams
):
    first, second = Database(database_url), Database(database_url)
    first.migrate()
    try:
        people = [add_teams_participant(first, f"p{n:03}", teams.url, clock()) for n in range(60)]
        for person in people:
            queue(
                first, person, f"prompt:{person}", f"Verkennen is open voor {person}", now=clock()
            )
            queue(first, person, f"nudge:{person}", f"Nog 7 dagen voor {person}", now=clock())
        teams.inject_rate = 0.1

        await asyncio.gather(
            sender_for(first, clock, fake_sleep).drain(),
            sender_for(second, clock, fake_sleep).drain(),
        )

        assert len(teams.arrivals) == 120 and teams.duplicates() == 0
        for person in people[:5]:
            texts = [a.text for a in teams.arrivals if a.text.endswith(person)]
            assert texts == [f"Verkennen is open voor {person}", f"Nog 7 dagen voor {person}"]
    finally:
        first.dispose()
        second.dispose()
