"""What is kept must not be readable from a copy of the database: queued payloads and progress are
sealed (and payloads wiped once finished, old finished rows purged), and on PostgreSQL the answer
table is rewritten in the order of its random ids. On SQLite and PostgreSQL."""

from __future__ import annotations

import pickle
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from dialogen.privacy.housekeeping import PrivacyHousekeeping
from dialogen.privacy.payload_cipher import OUTBOX_PAYLOAD, PayloadCipher, SealError, Sealing
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.store import answers, outbox, participants
from dialogen.store.database import Database
from dialogen.store.outbox import OutboxRow, OutboxStatus
from dialogen.store.tables import ProgressRow
from tests.conftest import SEALING
from tests.support.clock import FakeClock
from tests.support.teams_people import add_teams_participant

QUOTED = {"v": 1, "replies": [{"type": "say", "text": "U antwoordde: samenwerken is stroperig."}]}


def test_a_sealed_payload_opens_only_with_its_own_key() -> None:
    sealed = SEALING.outbox.seal_json(QUOTED)
    assert set(sealed) == {"sealed"} and "stroperig" not in str(sealed)
    assert SEALING.outbox.open_json(sealed) == QUOTED
    assert SEALING.outbox.seal_json(QUOTED) != sealed  # a fresh nonce every time
    with pytest.raises(SealError):
        SEALING.progress.open_json(sealed)  # another purpose, another key
    other = Sealing.derived_from(Pseudonyms(b"another-secret-0123456789abcdef012"))
    with pytest.raises(SealError):
        other.outbox.open_json(sealed)
    assert SEALING.outbox.open_json({"v": 1, "replies": []}) == {"v": 1, "replies": []}  # legacy
    assert SEALING.outbox.open_json({}) == {}  # wiped
    with pytest.raises(TypeError):
        pickle.dumps(SEALING.outbox)
    assert "<key>" in repr(PayloadCipher(b"k" * 32, OUTBOX_PAYLOAD))


def test_queued_payloads_are_sealed_opened_when_claimed_and_wiped_when_sent(
    database: Database, clock: FakeClock
) -> None:
    anna = add_teams_participant(database, "anna", "http://127.0.0.1:9", clock())
    with database.unit_of_work() as session:
        outbox.enqueue(
            session,
            key="confirmation:1",
            participant_id=anna,
            channel="teams",
            kind="confirmation",
            payload=QUOTED,
            cipher=SEALING.outbox,
            now=clock(),
        )
    with database.engine.connect() as connection:
        raw = str(connection.execute(text("SELECT payload FROM outbox")).scalar())
    assert "stroperig" not in raw and "sealed" in raw
    with database.unit_of_work() as session:
        (message,) = outbox.claim_due(
            session,
            channels=["teams"],
            now=clock(),
            limit=5,
            lease_until=clock() + timedelta(seconds=60),
            cipher=SEALING.outbox,
        )
        assert message.payload == QUOTED
        outbox.mark_sent(session, message_id=message.id, now=clock(), parts_sent=1)
    with database.unit_of_work() as session:
        (row,) = session.exec(select(OutboxRow)).all()
        assert row.status == OutboxStatus.SENT and row.payload == {}


def test_finished_messages_are_deleted_after_the_retention(
    database: Database, clock: FakeClock
) -> None:
    anna = add_teams_participant(database, "anna", "http://127.0.0.1:9", clock())
    with database.unit_of_work() as session:
        for key in ("sent", "waiting"):
            outbox.enqueue(
                session,
                key=key,
                participant_id=anna,
                channel="teams",
                kind="nudge",
                payload=QUOTED,
                cipher=SEALING.outbox,
                now=clock(),
            )
        sent = session.exec(select(OutboxRow).where(OutboxRow.key == "sent")).one()
        outbox.mark_sent(session, message_id=sent.id, now=clock(), parts_sent=1)
    housekeeping = PrivacyHousekeeping(
        database=database, clock=clock, outbox_retention=timedelta(days=30)
    )
    clock.advance(days=29)
    assert housekeeping.run().purged == 0
    clock.advance(days=2)
    assert housekeeping.run().purged == 1  # the pending one stays, whatever its age
    with database.unit_of_work() as session:
        assert [r.status for r in session.exec(select(OutboxRow)).all()] == [OutboxStatus.PENDING]
    assert housekeeping.run_if_due() is not None  # the first time in this process
    assert housekeeping.run_if_due() is None  # not again within the hour


def test_the_progress_state_is_sealed(database: Database, clock: FakeClock) -> None:
    anna = add_teams_participant(database, "anna", "http://127.0.0.1:9", clock())
    state = {"v": 1, "phase": "answering", "skipped": ["verkennen:rol-vng"]}
    with database.unit_of_work() as session:
        participants.save_state(session, anna, state, cipher=SEALING.progress)
    with database.unit_of_work() as session:
        (row,) = session.exec(select(ProgressRow)).all()
        assert set(row.state) == {"sealed"} and "rol-vng" not in str(row.state)
        assert participants.load_state(session, anna, cipher=SEALING.progress) == state
        assert participants.open_state(row.state, SEALING.outbox) is None  # not its key


def test_the_answer_table_is_stored_in_random_order_after_housekeeping(
    database: Database, clock: FakeClock
) -> None:
    with database.unit_of_work() as session:
        for person in range(6):  # one after the other, as people answer
            answers.save(
                session,
                dialogue_key="d",
                pseudonym=f"p{person}",
                answers=[("verkennen", f"q{n}", n) for n in range(4)],
                role=None,
                province=None,
                networks="",
                day=clock().date(),
            )
    PrivacyHousekeeping(database=database, clock=clock, outbox_retention=timedelta(days=30)).run()
    order = "id" if database.is_sqlite else "ctid"  # SQLite: no rowid, stored by id
    with database.engine.connect() as connection:
        stored = connection.execute(
            text(f"SELECT id, pseudonym FROM answer ORDER BY {order}")  # noqa: S608
        ).all()
    ids = [row[0] for row in stored]
    assert ids == sorted(ids)  # in the order of the random ids, not of writing
    runs = 1 + sum(1 for a, b in zip(stored, stored[1:], strict=False) if a[1] != b[1])
    assert runs > 6  # the people's answers are mixed, not one block each
