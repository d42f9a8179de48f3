"""The mail channel's store functions, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dialogen.conversation.state import ConversationState, Phase
from dialogen.store import mail_contacts, outbox, participants
from dialogen.store.database import Database
from dialogen.store.tables import ParticipantRow, ProgressRow
from tests.conftest import SEALING

NOW = datetime(2024, 10, 1, 8, 0, tzinfo=UTC)


def _person(database: Database, pid: str, email: str, **fields: object) -> None:
    with database.unit_of_work() as session:
        session.add(ParticipantRow(id=pid, email=email, created_at=NOW, **fields))


def test_contacts_bounces_and_channel(database: Database) -> None:
    _person(database, "a" * 32, "ans@x.example", name="Ans", consent=True, invited=True)
    with database.unit_of_work() as session:
        assert mail_contacts.by_id(session, "a" * 32) == mail_contacts.MailContact(
            "a" * 32, "ans@x.example", "Ans", False, False, True
        )
        assert mail_contacts.by_email(session, "ANS@x.example").participant_id == "a" * 32
        assert (
            mail_contacts.by_id(session, "f" * 32) is None
            and mail_contacts.by_email(session, "") is None
        )
        assert mail_contacts.mark_undeliverable(session, "a" * 32)
        assert not mail_contacts.mark_undeliverable(session, "a" * 32)  # once
    with database.unit_of_work() as session:
        assert mail_contacts.by_id(session, "a" * 32).undeliverable
        participants.lock(session, "a" * 32)
        mail_contacts.note_mail_received(session, "a" * 32)
    with database.unit_of_work() as session:
        row = session.get(ParticipantRow, "a" * 32)
        assert not row.mail_undeliverable and row.preferred_channel == "mail"  # no Teams reference


def test_replies_are_counted_per_participant_and_hour(database: Database) -> None:
    _person(database, "b" * 32, "bas@x.example")
    with database.unit_of_work() as session:
        for number, kind in enumerate(("confirmation", "mail_notice", "nudge")):
            outbox.enqueue(
                session,
                key=f"k{number}",
                participant_id="b" * 32,
                channel="mail",
                kind=kind,
                payload={},
                cipher=SEALING.outbox,
                now=NOW - timedelta(minutes=10 * number),
            )
        outbox.enqueue(
            session,
            key="old",
            participant_id="b" * 32,
            channel="mail",
            kind="confirmation",
            payload={},
            cipher=SEALING.outbox,
            now=NOW - timedelta(hours=2),
        )
    with database.unit_of_work() as session:
        assert (
            mail_contacts.replies_since(
                session,
                participant_id="b" * 32,
                kinds=("confirmation", "mail_notice"),
                since=NOW - timedelta(hours=1),
            )
            == 2
        )


def test_invitees_by_mail(database: Database) -> None:
    greeted = ConversationState(phase=Phase.CONSENT).to_dict()
    _person(database, "c" * 32, "c@x.example", invited=True, preferred_channel="mail")
    _person(database, "d" * 32, "d@x.example", invited=True, preferred_channel="teams")
    _person(database, "e" * 32, "e@x.example", invited=True, preferred_channel="mail")
    _person(
        database,
        "f" * 32,
        "f@x.example",
        invited=True,
        preferred_channel="mail",
        mail_undeliverable=True,
    )
    with database.unit_of_work() as session:
        session.add(ProgressRow(participant_id="e" * 32, state=greeted))
    with database.unit_of_work() as session:
        assert [
            c.participant_id
            for c in mail_contacts.invitees(
                session, include_without_teams=False, cipher=SEALING.progress
            )
        ] == ["c" * 32]
        assert {
            c.participant_id
            for c in mail_contacts.invitees(
                session, include_without_teams=True, cipher=SEALING.progress
            )
        } == {"c" * 32, "d" * 32}
        reach = {r.email: r for r in mail_contacts.reach(session)}
        assert reach["f@x.example"].undeliverable and not reach["c@x.example"].has_teams_reference
