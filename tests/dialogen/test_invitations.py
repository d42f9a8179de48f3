"""Importing invitees into the participant table, re-importing, and linking a Teams identity to an
invitation — against SQLite and PostgreSQL."""

from __future__ import annotations

from sqlmodel import select

from dialogen.conversation.inputs import Install, Text
from dialogen.door.door import Door
from dialogen.door.events import Identity, InboundEvent
from dialogen.stakeholders.roster import Roster
from dialogen.stakeholders.sheet import SheetRow
from dialogen.store import participants
from dialogen.store.audit import AuditRow
from dialogen.store.outbox import OutboxRow, enqueue
from dialogen.store.tables import AnswerRow, ParticipantRow, ProgressRow
from tests.conftest import SEALING, make_door

HEADER = ("Naam", "E-mail", "Rol", "Gemeente", "Netwerken", "Kanaal")
ANSWER = "Wij werken veel samen in de regio, maar de raad is vaak laat in beeld."


def rows(*people: tuple[str, ...]) -> list[SheetRow]:
    return [SheetRow(n, cells) for n, cells in enumerate((HEADER, *people), start=1)]


def roster(database, registry, clock) -> Roster:
    return Roster(database=database, municipalities=registry, clock=clock)


def all_participants(database) -> list[ParticipantRow]:
    with database.unit_of_work() as session:
        return list(session.exec(select(ParticipantRow).order_by(ParticipantRow.email)).all())


def teams(user: str, email: str | None = None) -> Identity:
    return Identity(
        channel="teams",
        aad_object_id=f"aad-{user}",
        teams_user_id=f"29:{user}",
        tenant_id="tenant",
        email=email,
        name=f"Test {user}",
    )


def say(door: Door, identity: Identity, *messages: str) -> list[str]:
    texts: list[str] = []
    for message in messages:
        outcome = door.handle(
            InboundEvent(identity, Install() if message == "<install>" else Text(message))
        )
        texts += [getattr(r, "text", "") for r in outcome.replies]
    return texts


def test_import_creates_invited_participants(database, registry, clock) -> None:
    result = roster(database, registry, clock).import_rows(
        rows(
            ("Ans", "Ans@Amsterdam.nl", "Burgemeester", "Amsterdam", "", ""),
            ("Dir", "dir@regio.nl", "Directeur samenwerkingsverband", "", "M50", "mail"),
        ),
        actor="cli:test",
    )
    assert (result.created, result.updated, result.saved) == (2, 0, True)
    ans, director = all_participants(database)
    assert (ans.email, ans.role, ans.municipality_code, ans.invited) == (
        "ans@amsterdam.nl",
        "burgemeester",
        "GM0363",
        True,
    )
    assert ans.networks is None and ans.preferred_channel == "teams"
    assert (director.municipality_code, director.networks, director.preferred_channel) == (
        None,
        "M50",
        "mail",
    )
    with database.unit_of_work() as session:
        (entry,) = session.exec(select(AuditRow).where(AuditRow.action == "import")).all()
    assert (entry.actor, entry.count, entry.details["created"]) == ("cli:test", 2, 2)


def test_dry_run_stores_nothing(database, registry, clock) -> None:
    result = roster(database, registry, clock).import_rows(
        rows(("Ans", "ans@amsterdam.nl", "Burgemeester", "Amsterdam", "", "")),
        actor="cli:test",
        dry_run=True,
    )
    assert len(result.checked.invitees) == 1 and not result.saved
    assert all_participants(database) == []


def test_re_import_updates_the_invitation_and_keeps_progress_and_answers(
    database, registry, real_dialogue, clock
) -> None:
    people = roster(database, registry, clock)
    people.import_rows(
        rows(("Ans", "ans@amsterdam.nl", "Burgemeester", "Amsterdam", "", "")), actor="cli:test"
    )
    door = make_door(database, real_dialogue, registry, clock)
    say(door, teams("ans", "ans@amsterdam.nl"), "<install>", "ja", "ja", ANSWER)
    with database.unit_of_work() as session:
        before_state = session.exec(select(ProgressRow.state)).one()
        before_answers = session.exec(select(AnswerRow.value)).all()
    assert before_answers == [ANSWER]

    result = people.import_rows(
        rows(
            ("Ans de Wit", "ANS@amsterdam.nl", "Wethouder", "Rotterdam", "", "mail"),
            ("Nieuw", "nieuw@utrecht.nl", "Raadslid", "Utrecht", "", ""),
        ),
        actor="cli:test",
    )
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    ans = next(p for p in all_participants(database) if p.email == "ans@amsterdam.nl")
    assert (ans.name, ans.role, ans.municipality_code, ans.preferred_channel) == (
        "Ans de Wit",
        "wethouder",
        "GM0599",
        "mail",
    )
    assert ans.consent and ans.aad_object_id == "aad-ans"  # what the participant did stays
    with database.unit_of_work() as session:
        assert session.exec(select(ProgressRow.state)).one() == before_state
        assert session.exec(select(AnswerRow.value)).all() == before_answers
    again = people.import_rows(
        rows(("Ans de Wit", "ans@amsterdam.nl", "Wethouder", "Rotterdam", "", "mail")),
        actor="cli:test",
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_an_invitee_who_writes_from_teams_is_one_participant_with_the_imported_profile(
    database, registry, real_dialogue, clock
) -> None:
    roster(database, registry, clock).import_rows(
        rows(("Ans", "ans@amsterdam.nl", "Burgemeester", "Amsterdam", "", "")), actor="cli:test"
    )
    door = make_door(database, real_dialogue, registry, clock)
    texts = say(door, teams("ans", "Ans@Amsterdam.nl"), "<install>", "ja")
    assert any("uitgenodigd als burgemeester bij de gemeente Amsterdam" in t for t in texts)
    (ans,) = all_participants(database)
    assert (ans.aad_object_id, ans.teams_user_id, ans.role, ans.municipality_code, ans.invited) == (
        "aad-ans",
        "29:ans",
        "burgemeester",
        "GM0363",
        True,
    )
    say(door, teams("ans"), "ja", ANSWER)  # later turns: known by object id, no address needed
    assert len(all_participants(database)) == 1
    with database.unit_of_work() as session:
        (answer,) = session.exec(select(AnswerRow)).all()
    # One invitee in all: no segment is shared by 5, so the answer shows none of it (k-safe).
    assert (answer.role, answer.province, answer.networks) == (None, None, "")


def test_a_teams_user_met_before_the_import_absorbs_their_invitation(
    database, registry, real_dialogue, clock
) -> None:
    door = make_door(database, real_dialogue, registry, clock)
    say(door, teams("bob"), "<install>", "ja")  # no e-mail address known yet (e.g. local mode)
    roster(database, registry, clock).import_rows(
        rows(("Bob", "bob@utrecht.nl", "Griffier", "Utrecht", "G40", "")), actor="cli:test"
    )
    with database.unit_of_work() as session:
        invitation = participants.find(session, email="bob@utrecht.nl")
        assert invitation is not None
        enqueue(
            session,
            key="invitation:bob",
            participant_id=invitation.id,
            channel="mail",
            kind="invitation",
            payload={},
            cipher=SEALING.outbox,
            now=clock(),
        )
    assert len(all_participants(database)) == 2

    say(door, teams("bob", "bob@utrecht.nl"), "hallo")
    (bob,) = all_participants(database)
    assert (
        bob.aad_object_id,
        bob.email,
        bob.role,
        bob.municipality_code,
        bob.networks,
        bob.invited,
    ) == ("aad-bob", "bob@utrecht.nl", "griffier", "GM0344", "G40", True)
    with database.unit_of_work() as session:
        assert session.get(ProgressRow, bob.id) is not None  # the conversation so far is kept
        assert session.exec(select(OutboxRow.participant_id)).all() == [bob.id]


def test_an_invitation_that_took_part_elsewhere_is_not_merged(
    database, registry, real_dialogue, clock
) -> None:
    door = make_door(database, real_dialogue, registry, clock)
    roster(database, registry, clock).import_rows(
        rows(("Cor", "cor@utrecht.nl", "Raadslid", "Utrecht", "", "")), actor="cli:test"
    )
    say(door, Identity(channel="mail", email="cor@utrecht.nl"), "<install>")  # took part by mail
    say(door, teams("cor"), "<install>")
    say(door, teams("cor", "cor@utrecht.nl"), "hallo")
    assert len(all_participants(database)) == 2  # left for an operator; nothing lost


def test_the_roster_knows_an_address_only_for_a_known_object_id(
    database, registry, real_dialogue, clock
) -> None:
    people = roster(database, registry, clock)
    people.import_rows(
        rows(("Ans", "ans@amsterdam.nl", "Burgemeester", "Amsterdam", "", "")), actor="cli:test"
    )
    assert people.known_email("aad-ans") is None
    say(
        make_door(database, real_dialogue, registry, clock),
        teams("ans", "ans@amsterdam.nl"),
        "<install>",
    )
    assert people.known_email("aad-ans") == "ans@amsterdam.nl"
