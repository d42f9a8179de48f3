"""A participant's own data through the channels, with the real door: 'mijn gegevens', 'gegevens
wijzigen' and 'verwijder mij' in Teams (real-shaped activities) and by mail (the folder transport,
the real poller and outbox sender); a re-import keeps what a participant corrected, and does not
bring back someone who was erased."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from botbuilder.core.adapters import TestAdapter
from sqlmodel import select

from bot.teams.channel import TeamsChannel
from dialogen.conversation import messages as msg
from dialogen.door.door import Door
from dialogen.stakeholders.roster import Roster
from dialogen.stakeholders.sheet import SheetRow
from dialogen.store.database import Database
from dialogen.store.outbox import OutboxRow
from dialogen.store.tables import AnswerRow, ConversationReferenceRow, ParticipantRow, ProgressRow
from tests.bot.test_teams_channel import Chat
from tests.support.clock import FakeClock
from tests.support.mail_replies import outlook_nl_reply, plain_text
from tests.support.mail_world import MailWorld

AMS = ZoneInfo("Europe/Amsterdam")
WHEN = datetime(2024, 10, 1, 12, 0, tzinfo=AMS)
ANSWER = "In onze regio werken we veel samen, vooral in het sociaal domein."


def count(database: Database, model: type) -> int:
    with database.unit_of_work() as session:
        return len(session.exec(select(model)).all())


def only_participant(database: Database) -> ParticipantRow:
    with database.unit_of_work() as session:
        (row,) = session.exec(select(ParticipantRow)).all()
        session.expunge(row)
        return row


@pytest.fixture
def chat(door: Door) -> Chat:
    adapter = TestAdapter(TeamsChannel(door.handle).on_turn)
    adapter.on_turn_error = TeamsChannel.on_error
    return Chat(adapter, "anna")


async def answered_one_question(chat: Chat) -> None:
    await chat.install()
    for text in ("ja", "raadslid", "Utrecht", ANSWER):
        await chat.type(text)


# ---------------------------------------------------------------- Teams


async def test_in_teams_my_data_shows_what_is_stored_and_says_answers_are_apart(
    chat: Chat,
) -> None:
    await answered_one_question(chat)
    replies = await chat.type("mijn gegevens")
    shown = replies[0].text
    for line in (
        "**Dit bewaren wij over u**",
        "- Naam: Test anna",
        "- Bekend in Teams: ja",
        "- Rol: Raadslid",
        "- Gemeente: Utrecht",
        "- Provincie: Utrecht",
        "- Netwerken: G4",
        "- Berichten krijgt u: in Teams",
        "- Meedoen: ja",
        "Uw antwoorden staan niet bij deze gegevens.",
    ):
        assert line in shown, line
    # one person in all: their answers carry no segment at all (fewer than 5 invitees)
    assert "rol niet getoond; provincie niet getoond" in shown
    assert ANSWER not in shown
    assert len(replies) == 2  # and the question they were at, again


async def test_in_teams_a_corrected_name_is_stored_and_marked(
    chat: Chat, sqlite_database: Database
) -> None:
    await answered_one_question(chat)
    await chat.type("gegevens wijzigen")
    await chat.type("naam")
    replies = await chat.type("Anna Jansen")
    assert msg.name_saved("Anna Jansen") in [r.text for r in replies]
    row = only_participant(sqlite_database)
    assert (row.name, row.corrected_fields) == ("Anna Jansen", "municipality,name,role")
    await chat.type("gegevens wijzigen")
    await chat.type("naam")
    await chat.type("geen")
    await chat.type("status")  # Teams sends the display name with every message ...
    assert only_participant(sqlite_database).name is None  # ... but they asked for none


async def test_in_teams_verwijder_mij_erases_the_identity_and_keeps_the_answer(
    chat: Chat, sqlite_database: Database
) -> None:
    await answered_one_question(chat)
    replies = await chat.type("verwijder mij")
    assert "Uw antwoorden blijven bewaard, zonder uw naam" in str(
        replies[-1].attachments[0].content
    )
    replies = await chat.type("ja")
    assert [r.text for r in replies] == [msg.ERASED]
    for model in (ParticipantRow, ProgressRow, ConversationReferenceRow, OutboxRow):
        assert count(sqlite_database, model) == 0, model
    assert count(sqlite_database, AnswerRow) == 1  # anonymous, and nobody's any more


async def test_in_teams_the_answers_can_go_too(chat: Chat, sqlite_database: Database) -> None:
    await answered_one_question(chat)
    await chat.type("verwijder mij en mijn antwoorden")
    assert [r.text for r in await chat.type("ja")] == [msg.ERASED_ALL]
    assert count(sqlite_database, AnswerRow) == 0 and count(sqlite_database, ParticipantRow) == 0
    replies = await chat.type("hallo")  # writing again: a new start, nothing of before
    assert "Wilt u meedoen aan de dialoog?" in str(replies[-1].attachments[0].content)


# ---------------------------------------------------------------- mail


@pytest.fixture
def world(sqlite_database: Database, clock: FakeClock, tmp_path: Path) -> MailWorld:
    return MailWorld(sqlite_database, clock, tmp_path)


async def reply(world: MailWorld, to: object, text: str) -> None:
    world.drop(
        outlook_nl_reply(to, sender=world.address("petra"), name="Petra", text=text, when=WHEN)
    )  # type: ignore[arg-type]
    await world.poll()
    await world.send_outbox()


async def test_by_mail_my_data_comes_back_by_mail(world: MailWorld) -> None:
    _, prompt = await world.prompted()
    await reply(world, prompt, "mijn gegevens")
    (answer,) = world.sent()
    text = plain_text(answer)
    assert "Dit bewaren wij over u" in text and "E-mailadres: petra@gemeente.example" in text
    assert "Berichten krijgt u: per e-mail" in text
    assert answer["To"].addresses[0].addr_spec == world.address("petra")


async def test_by_mail_gegevens_wijzigen_changes_the_name(
    world: MailWorld, sqlite_database: Database
) -> None:
    _, prompt = await world.prompted()
    await reply(world, prompt, "gegevens wijzigen")
    (question,) = world.sent()
    assert "Wat wilt u aanpassen?" in plain_text(question)
    await reply(world, question, "naam")
    (name_question,) = world.sent()
    await reply(world, name_question, "Petra de Boer")
    (saved,) = world.sent()
    assert msg.name_saved("Petra de Boer") in plain_text(saved)
    row = only_participant(sqlite_database)
    assert row.name == "Petra de Boer" and "name" in row.corrected_fields.split(",")


async def test_by_mail_verwijder_mij_asks_then_erases_and_says_so_at_once(
    world: MailWorld,
) -> None:
    participant, prompt = await world.prompted()
    await reply(world, prompt, "1. " + ANSWER)
    (confirmation,) = world.sent()
    await reply(world, confirmation, "verwijder mij")
    (question,) = world.sent()
    assert "Weet u zeker dat wij uw gegevens moeten wissen?" in plain_text(question)
    await reply(world, question, "Ja")
    (farewell,) = world.sent()  # sent directly: nothing can be queued for them any more
    assert msg.ERASED.split(".")[0] in plain_text(farewell)
    assert farewell["To"].addresses[0].addr_spec == world.address("petra")
    assert count(world.database, ParticipantRow) == 0 and not world.rows()
    assert count(world.database, AnswerRow) == 1
    assert participant  # (their id is gone: nothing links the answer to them)


# ---------------------------------------------------------------- re-import


def sheet(role: str = "Griffier") -> list[SheetRow]:
    return [
        SheetRow(1, ("Naam", "E-mail", "Rol", "Gemeente", "Kanaal")),
        SheetRow(2, ("Petra Smit", "petra@gemeente.example", role, "Utrecht", "mail")),
    ]


async def test_a_re_import_keeps_what_the_participant_corrected(
    world: MailWorld, sqlite_database: Database
) -> None:
    roster: Roster = world.runtime.roster
    roster.import_rows(sheet(), actor="cli:test")
    world.runtime.invitations.invite(actor="cli:test")
    await world.send_outbox()
    (invitation,) = world.sent()
    await reply(world, invitation, "ja")
    (check,) = world.sent()
    assert "uitgenodigd als griffier bij de gemeente Utrecht" in plain_text(check)
    await reply(world, check, "nee")  # not griffier: they say what they are
    (role_question,) = world.sent()
    await reply(world, role_question, "raadslid")
    (municipality_question,) = world.sent()
    await reply(world, municipality_question, "Zwolle")
    row = only_participant(sqlite_database)
    assert (row.role, row.municipality_code) == ("raadslid", "GM0193")

    result = roster.import_rows(sheet("Gemeentesecretaris"), actor="cli:test")
    row = only_participant(sqlite_database)
    assert (row.role, row.municipality_code, row.name) == ("raadslid", "GM0193", "Petra Smit")
    assert result.unchanged == 1


async def test_someone_erased_is_not_invited_again_by_a_re_import(
    world: MailWorld, sqlite_database: Database
) -> None:
    roster: Roster = world.runtime.roster
    roster.import_rows(sheet(), actor="cli:test")
    assert world.runtime.privacy.erase(
        "Petra@gemeente.example", actor="cli:test", with_answers=False
    )
    result = roster.import_rows(sheet(), actor="cli:test")
    assert result.erased == 1 and result.created == 0
    assert count(sqlite_database, ParticipantRow) == 0


async def test_on_sqlite_an_erased_identity_is_overwritten_in_the_file(
    chat: Chat, sqlite_database: Database, tmp_path: Path
) -> None:
    await answered_one_question(chat)
    await chat.type("verwijder mij")
    await chat.type("ja")
    sqlite_database.dispose()
    with sqlite3.connect(tmp_path / "dialoog.db") as connection:  # as a backup would copy it
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = (tmp_path / "dialoog.db").read_bytes()
    assert b"Test anna" not in raw and b"1anna-teams-user-id" not in raw
    assert ANSWER.encode() in raw  # the anonymous answer stays
