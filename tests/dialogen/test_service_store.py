"""Contract tests of the door and its storage, run against SQLite and PostgreSQL alike
(the ``database`` fixture is parametrised over both): a participant's conversation survives a
restart, redelivered events change nothing, participants stay apart, and concurrent events are
handled one at a time per participant."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy import create_engine, select, text

from dialogen.conversation.inputs import Input, Install, Text
from dialogen.conversation.replies import Prompt, Say
from dialogen.dialogue.definition import Dialogue
from dialogen.dialogue.loader import default_dialogue_path, parse_dialogue
from dialogen.door.door import Door
from dialogen.door.events import Identity, InboundEvent, Outcome
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store import participants as participant_store
from dialogen.store.database import Database
from dialogen.store.tables import AnswerRow, ParticipantRow
from tests.support.clock import FakeClock
from tests.support.databases import fresh_postgres_database

AMS = ZoneInfo("Europe/Amsterdam")
SECRET = b"contract-test-secret-0123456789abcdef"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"

ANSWERS = [
    "De samenwerking is ingewikkeld maar nodig.",
    "4",
    "1, 5 en 7",
    "B",
    "In de veiligheidsregio hebben raden weinig te zeggen.",
    "Samen agenderen in de regio werkt.",
    "Het Rijk aanspreken op regio-indelingen.",
]
STORED = {
    "beeld": ANSWERS[0],
    "waardering": 4,
    "themas": ["democratische-legitimiteit", "afstand-inwoner", "expertise"],
    "obstakel": "verschillende-belangen",
    "obstakel-toelichting": ANSWERS[4],
    "oplossing": ANSWERS[5],
    "rol-vng": ANSWERS[6],
}


def person(n: int) -> Identity:
    return Identity(
        channel="teams",
        aad_object_id=f"0000aaaa-0000-4000-8000-{n:012d}",
        teams_user_id=f"29:1teams-user-{n}",
        tenant_id=TENANT,
        name=f"Deelnemer {n}",
    )


def seen(outcome: Outcome) -> str:
    parts: list[str] = []
    for reply in outcome.replies:
        if isinstance(reply, Say):
            parts.append(reply.text)
        elif isinstance(reply, Prompt):
            parts += [reply.text, *(c.label for c in reply.choices)]
    return "\n".join(parts)


class Chat:
    """One participant talking to a door, with a fresh activity id per message."""

    _ids = iter(range(1, 1_000_000))

    def __init__(self, door: Door, identity: Identity) -> None:
        self.service = door
        self.identity = identity

    def send(self, message: Input | str, event_id: str | None = None) -> Outcome:
        if isinstance(message, str):
            message = Text(message)
        event_id = event_id or f"activity-{next(self._ids)}"
        return self.service.handle(InboundEvent(self.identity, message, event_id=event_id))

    def says(self, message: Input | str) -> str:
        return seen(self.send(message))

    def onboard(self) -> str:
        self.send(Install())
        self.send("ja")
        self.send("raadslid")
        return self.send("Utrecht").participant_id


def build(
    database: Database,
    dialogue: Dialogue,
    registry: MunicipalityRegistry,
    clock: FakeClock,
    secret: bytes = SECRET,
) -> Door:
    return Door(
        database=database,
        dialogue=dialogue,
        municipalities=registry,
        pseudonyms=Pseudonyms(secret),
        clock=clock,
    )


@pytest.fixture
def door(
    database: Database, real_dialogue: Dialogue, registry: MunicipalityRegistry, clock: FakeClock
) -> Door:
    return build(database, real_dialogue, registry, clock)


@pytest.fixture
def restart(
    database_url: str, real_dialogue: Dialogue, registry: MunicipalityRegistry, clock: FakeClock
) -> Iterator[Callable[[], Door]]:
    """A new door on a new connection pool to the same database, as after a process restart."""
    opened: list[Database] = []

    def new_service() -> Door:
        database = Database(database_url)
        database.migrate()  # as `dialoog serve` does on every start
        opened.append(database)
        return build(database, real_dialogue, registry, clock)

    yield new_service
    for database in opened:
        database.dispose()


def stored_answers(database: Database) -> list[AnswerRow]:
    with database.unit_of_work() as session:
        return list(session.scalars(select(AnswerRow)).all())


def count_participants(database: Database) -> int:
    with database.unit_of_work() as session:
        return session.execute(text("SELECT count(*) FROM participant")).scalar_one()


def run_together(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released at the same moment; re-raise any failure."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if errors:
        raise errors[0]
    return results


# ================================================================ restart


def test_a_whole_conversation_continues_after_a_restart(
    door: Door, database: Database, restart: Callable[[], Door]
) -> None:
    before = Chat(door, person(1))
    participant_id = before.onboard()
    for typed in ANSWERS[:3]:
        before.send(typed)

    after = Chat(restart(), person(1))  # days later, a new process
    said = after.says(Install())
    assert "Welkom terug" in said
    assert "grootste obstakel" in said  # question 4, where the participant was
    outcome = after.send(ANSWERS[3])
    assert outcome.participant_id == participant_id
    for typed in ANSWERS[4:]:
        outcome = after.send(typed)
    assert "alle vragen van stap Verkennen" in seen(outcome)

    again = Chat(restart(), person(1))
    mine = again.says("mijn antwoorden")
    assert ANSWERS[0] in mine and "Afstand tot de inwoner" in mine and ANSWERS[6] in mine
    rows = stored_answers(database)
    assert {r.question_id: r.value for r in rows} == STORED
    assert count_participants(database) == 1


def test_profile_and_consent_are_kept_on_the_identity_side(door: Door, database: Database) -> None:
    participant_id = Chat(door, person(1)).onboard()
    with database.unit_of_work() as session:
        row = session.get(ParticipantRow, participant_id)
        assert (row.role, row.municipality_code, row.consent, row.opted_out) == (
            "raadslid",
            "GM0344",
            True,
            False,
        )
    Chat(door, person(1)).send("afmelden")
    Chat(door, person(1)).send("ja")
    with database.unit_of_work() as session:
        assert session.get(ParticipantRow, participant_id).opted_out is True


# ================================================================ redelivery


def test_a_redelivered_event_is_processed_once(
    door: Door, database: Database, restart: Callable[[], Door]
) -> None:
    chat = Chat(door, person(1))
    chat.onboard()
    chat.send(ANSWERS[0])
    first = chat.send("4", event_id="activity-redelivered")  # answers the scale question
    assert not first.duplicate and "thema" in seen(first)
    again = chat.send("4", event_id="activity-redelivered")  # Teams delivers it once more
    assert again.duplicate and again.replies == first.replies  # answered again, the same
    later = Chat(restart(), person(1)).send("4", event_id="activity-redelivered")
    assert later.duplicate
    # Processed twice, the "4" would have answered the themes question as well.
    assert {r.question_id for r in stored_answers(database)} == {"beeld", "waardering"}
    status = Chat(door, person(1)).says("status")
    assert "2 van de 7" in status


def test_the_same_event_id_on_another_channel_is_another_event(door: Door) -> None:
    Chat(door, person(1)).send(Install(), event_id="same-id")
    mail = Identity(channel="mail", email="iemand@gemeente.nl")
    assert not Chat(door, mail).send(Install(), event_id="same-id").duplicate


# ================================================================ participants stay apart


def test_an_event_vouched_for_one_participant_changes_nothing_when_it_comes_from_another(
    door: Door, database: Database
) -> None:
    anna = Identity(channel="mail", email="anna@gemeente.nl")
    bram = Identity(channel="mail", email="bram@gemeente.nl")
    anna_id = Chat(door, anna).onboard()
    bram_id = Chat(door, bram).onboard()
    stranger = Identity(channel="mail", email="onbekend@elders.nl")
    for identity in (bram, stranger):  # e.g. Anna's reply token in a mail from another address
        refused = door.handle(
            InboundEvent(
                identity, Text(ANSWERS[0]), event_id=f"m-{identity.email}", participant_id=anna_id
            )
        )
        assert refused.event == "not_theirs" and refused.replies == ()
    assert stored_answers(database) == []
    with database.unit_of_work() as session:
        assert (
            participant_store.find(session, email=stranger.email) is None
        )  # nobody was registered
    accepted = door.handle(
        InboundEvent(anna, Text(ANSWERS[0]), event_id="m-anna", participant_id=anna_id)
    )
    assert accepted.participant_id == anna_id and [
        r.question_id for r in stored_answers(database)
    ] == ["beeld"]
    assert bram_id != anna_id


def test_two_participants_never_see_each_others_answers(door: Door, database: Database) -> None:
    anna, bram = Chat(door, person(1)), Chat(door, person(2))
    anna_id, bram_id = anna.onboard(), bram.onboard()
    assert anna_id != bram_id
    anna.send("Anna's beeld: we werken goed samen in de regio.")
    bram.send("Bram's beeld: de regio is een ondoorzichtig woud.")
    anna.send("5")

    bram_sees = bram.says("mijn antwoorden")
    assert "Bram's beeld" in bram_sees and "Anna's beeld" not in bram_sees
    anna_sees = anna.says("mijn antwoorden")
    assert "Anna's beeld" in anna_sees and "Bram's beeld" not in anna_sees
    assert "1 van de 7" in bram.says("status") and "2 van de 7" in anna.says("status")
    assert len({r.pseudonym for r in stored_answers(database)}) == 2


# ================================================================ concurrency


def test_concurrent_first_messages_of_a_new_user_register_one_participant(
    door: Door, database: Database
) -> None:
    newcomer = person(7)
    outcomes = run_together(8, lambda i: Chat(door, newcomer).send("hallo", event_id=f"hallo-{i}"))
    assert len({o.participant_id for o in outcomes}) == 1
    assert count_participants(database) == 1
    assert sum("Verenigingsdialoog" in seen(o) for o in outcomes) == 1  # greeted once
    Chat(door, newcomer).send("ja")
    assert Chat(door, newcomer).send("raadslid").participant_id == outcomes[0].participant_id


@pytest.fixture
def twelve_scales(real_dialogue: Dialogue) -> Dialogue:
    """The shipped dialogue with twelve scale questions in Verkennen: "3" answers any of them."""
    data = yaml.safe_load(default_dialogue_path().read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["steps"][2]["questions"] = [
        {
            "id": f"s{n:02d}",
            "kind": "scale",
            "text": f"Stelling {n}",
            "scale_min": 1,
            "scale_max": 5,
        }
        for n in range(1, 13)
    ]
    return parse_dialogue(yaml.safe_dump(data, allow_unicode=True))


def test_concurrent_events_of_one_participant_are_handled_one_at_a_time(
    database: Database, twelve_scales: Dialogue, registry: MunicipalityRegistry, clock: FakeClock
) -> None:
    door = build(database, twelve_scales, registry, clock)
    Chat(door, person(3)).onboard()
    outcomes = run_together(12, lambda i: Chat(door, person(3)).send("3", event_id=f"answer-{i}"))

    rows = stored_answers(database)
    # Each message answered the question that was current when it got its turn: none is lost.
    assert sorted(r.question_id for r in rows) == [f"s{n:02d}" for n in range(1, 13)]
    assert all(r.value == 3 for r in rows)
    assert sum("alle vragen van stap Verkennen" in seen(o) for o in outcomes) == 1
    asked = [line for o in outcomes for line in seen(o).splitlines() if line.startswith("Stelling")]
    assert sorted(asked) == sorted(f"Stelling {n}" for n in range(2, 13))  # each asked once
    assert "12 van de 12" in Chat(door, person(3)).says("status")


def test_a_redelivery_racing_the_original_is_processed_once(door: Door, database: Database) -> None:
    Chat(door, person(4)).onboard()
    Chat(door, person(4)).send(ANSWERS[0])
    outcomes = run_together(6, lambda i: Chat(door, person(4)).send("2", event_id="one-activity"))
    assert sum(not o.duplicate for o in outcomes) == 1
    assert {r.question_id: r.value for r in stored_answers(database)} == {
        "beeld": ANSWERS[0],
        "waardering": 2,
    }


# ============================================ PostgreSQL: row locks across connections


def _wait_until_someone_waits_for_a_lock(url: str, deadline: float = 20.0) -> None:
    """Poll pg_stat_activity (own autocommit connection, fresh snapshot each time) until a backend
    of this database waits for a lock."""
    observer = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with observer.connect() as connection:
            give_up = time.monotonic() + deadline
            while time.monotonic() < give_up:
                waiting = connection.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    )
                ).scalar_one()
                if waiting:
                    return
            pytest.fail("the second connection never waited for the participant's lock")
    finally:
        observer.dispose()


@pytest.mark.postgres
def test_postgres_row_lock_serialises_one_participant_across_connections(
    real_dialogue: Dialogue, registry: MunicipalityRegistry, clock: FakeClock
) -> None:
    with fresh_postgres_database() as url:
        replica_a, replica_b = Database(url), Database(url)
        replica_a.migrate()
        try:
            chat_a = Chat(build(replica_a, real_dialogue, registry, clock), person(5))
            chat_b = Chat(build(replica_b, real_dialogue, registry, clock), person(5))
            chat_a.send(Install())
            chat_a.send("ja")
            participant_id = chat_a.send(
                "raadslid"
            ).participant_id  # now asked for the municipality
            result: dict[str, Outcome] = {}
            worker = threading.Thread(target=lambda: result.setdefault("b", chat_b.send("Utrecht")))
            with replica_a.unit_of_work() as session:  # replica A is busy with this participant
                row = participant_store.lock(session, participant_id)
                worker.start()
                _wait_until_someone_waits_for_a_lock(url)
                assert worker.is_alive() and "b" not in result  # B waits for A
                row.role = "griffier"  # what A's event changed
                session.add(row)
            worker.join(timeout=60)
            assert "b" in result
            said = seen(result["b"])
            assert "griffier" in said and "Utrecht" in said  # B saw A's change, after A committed
            with replica_a.unit_of_work() as session:
                row = session.get(ParticipantRow, participant_id)
                assert (row.role, row.municipality_code) == ("griffier", "GM0344")  # nothing lost
        finally:
            replica_a.dispose()
            replica_b.dispose()


@pytest.mark.postgres
def test_postgres_first_messages_from_two_replicas_register_one_participant(
    real_dialogue: Dialogue, registry: MunicipalityRegistry, clock: FakeClock
) -> None:
    with fresh_postgres_database() as url:
        replicas = [Database(url) for _ in range(4)]
        replicas[0].migrate()
        try:
            services = [build(db, real_dialogue, registry, clock) for db in replicas]
            outcomes = run_together(
                8, lambda i: Chat(services[i % 4], person(6)).send(Install(), event_id=f"first-{i}")
            )
            assert len({o.participant_id for o in outcomes}) == 1
            assert count_participants(replicas[0]) == 1
        finally:
            for db in replicas:
                db.dispose()
