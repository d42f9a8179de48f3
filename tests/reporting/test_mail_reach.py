"""Reached per channel in the report: Teams (they opened the bot, or a message was delivered)
and mail (a mail to them was handed to the mail server, or one came from them, and no hard bounce
since) — counted over the whole dialogue, shown in Verzamelen and in every step's "what happened",
with a count under 5 shown as "< 5"."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from dialogen.participation.reach import Reach
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.reporting import messages as rmsg
from dialogen.reporting.model import Report
from dialogen.store import mail_contacts, outbox
from dialogen.store.tables import ParticipantRow
from tests.conftest import SEALING, SECRET
from tests.reporting.conftest import DECEMBER, make_desk
from tests.support.report_world import build_world


def reached(report: Report) -> tuple[dict[str, str], dict[str, str]]:
    """The Verzamelen reach table, and Verkennen's "what happened" row, by column title."""
    (table,) = report.section("verzamelen").blocks[0].tables
    happened = report.section("verkennen").blocks[0].tables[0]
    return dict(table.rows), dict(zip(happened.header, happened.rows[0], strict=True))


def test_mail_reach_counts_mails_sent_and_received_but_not_bounced(
    database, real_dialogue, registry, december
) -> None:
    world = build_world(database, real_dialogue, registry, people=40)  # half Teams, half mail
    with database.unit_of_work() as session:
        rows = {r.id: r for r in session.exec(select(ParticipantRow)).all()}
    by_mail = sorted(pid for pid, row in rows.items() if row.preferred_channel == "mail")
    in_teams = sorted(pid for pid, row in rows.items() if row.preferred_channel == "teams")
    desk = make_desk(database, real_dialogue, registry, december)
    verzamelen, happened = reached(desk.make(actor="test").report)
    assert verzamelen[rmsg.REACHED_MAIL] == "20" and verzamelen[rmsg.REACHED_TEAMS] == "20"
    assert happened[rmsg.REACHED_MAIL] == "20" and happened[rmsg.REACHED_TEAMS] == "20"

    reach = Reach(database=database, dialogue=real_dialogue, pseudonyms=Pseudonyms(SECRET))
    for pid in by_mail[:4]:  # a hard bounce of a mail the bot sent
        reach.mark_undeliverable(pid)
    now = DECEMBER - timedelta(days=30)
    with database.unit_of_work() as session:
        for pid in in_teams[:4]:  # a mail queued to four Teams people, ...
            outbox.enqueue(
                session,
                key=f"invitation:{pid}",
                participant_id=pid,
                channel="mail",
                kind="invitation",
                payload={"text": "uitnodiging"},
                cipher=SEALING.outbox,
                now=now,
            )
        queued = session.exec(select(outbox.OutboxRow)).all()
        for row in queued[:2]:  # ... two handed to the mail server; two are still waiting
            outbox.mark_sent(session, message_id=row.id, now=now, parts_sent=1)
        session.flush()
        participant = session.get(ParticipantRow, by_mail[0])
        assert participant is not None
        mail_contacts.note_mail_received(session, participant.id)  # a bounced one wrote again
    verzamelen, happened = reached(desk.make(actor="test").report)
    assert verzamelen[rmsg.REACHED_MAIL] == happened[rmsg.REACHED_MAIL] == "19"  # 20 - 4 + 2 + 1
    assert world.emails  # identities stay on the identity side: the report shows counts only


def test_a_mail_reach_under_5_reads_under_5(database, real_dialogue, registry, december) -> None:
    build_world(database, real_dialogue, registry, people=14)
    with database.unit_of_work() as session:
        mail = [r.id for r in session.exec(select(ParticipantRow)).all() if r.mail_reached]
    reach = Reach(database=database, dialogue=real_dialogue, pseudonyms=Pseudonyms(SECRET))
    for pid in mail[3:]:
        reach.mark_undeliverable(pid)
    report = make_desk(database, real_dialogue, registry, december).make(actor="test").report
    verzamelen, happened = reached(report)
    assert verzamelen[rmsg.REACHED_MAIL] == happened[rmsg.REACHED_MAIL] == "< 5"
