"""Anonymity: after real conversations, nothing on the answer side points to a person; answers carry
a keyed pseudonym, random ids and a day; free text shown to others is masked; small groups are
suppressed (masking itself is tested in ``test_masking.py``)."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Date, DateTime, inspect, text

from dialogen.conversation.inputs import Install, Text
from dialogen.dialogue.definition import Dialogue
from dialogen.door.door import Door
from dialogen.door.events import Identity, InboundEvent
from dialogen.privacy.anonymity import K_ANONYMITY, coarse_day, suppress_small
from dialogen.privacy.pseudonyms import Pseudonyms, pseudonym
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.database import Database
from tests.support.clock import FakeClock

SECRET = b"anonymity-test-secret-0123456789abcdef"
OTHER_SECRET = b"another-secret-fedcba9876543210"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
ANSWER_SIDE = ("answer", "processed_event")


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    teams_user_id: str
    aad_object_id: str
    role: str
    municipality: str
    answers: tuple[str, ...]

    def identity(self, channel: str) -> Identity:
        if channel == "mail":
            return Identity(channel="mail", email=self.email, name=self.name)
        return Identity(
            channel="teams",
            aad_object_id=self.aad_object_id,
            teams_user_id=self.teams_user_id,
            tenant_id=TENANT,
            name=self.name,
            email=self.email,
        )


PEOPLE = (
    Person(
        "Wilhelmina Oosterhuis",
        "w.oosterhuis@utrecht.nl",
        "29:1Xq7Rk2PzLmNoWvYtUs3Jh4Gf5Ed6Cb7",
        "5c3e9a71-2b4d-4f6e-8a1c-9d0e7f6a5b4c",
        "raadslid",
        "Utrecht",
        (
            "Samenwerken in de regio is noodzakelijk maar stroperig.",
            "2",
            "1, 2",
            "A",
            "Bij de omgevingsdienst horen wij alles te laat.",
            "Vaker gezamenlijke raadsavonden.",
            "Meer kennisdeling tussen regio's.",
        ),
    ),
    Person(
        "Pieter-Jozef Kuipers",
        "pj.kuipers@denhaag.nl",
        "29:1Hm3Nn8QqRrSsTtUuVvWwXxYyZz0Kk9",
        "7f1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b",
        "wethouder",
        "Den Haag",
        (
            "Regionale samenwerking levert schaalvoordelen op.",
            "4",
            "6",
            "E",
            "overslaan",
            "Heldere afspraken over rollen.",
            "overslaan",
        ),
    ),
    Person(
        "Marloes van Rijswijk",
        "marloes.vanrijswijk@bergen-nh.nl",
        "29:1Pp4Oo5Ii6Uu7Yy8Tt9Rr0Ee1Ww2Qq3",
        "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
        "griffier",
        "Bergen (NH.)",
        (
            "De raad staat op afstand van regionale besluiten.",
            "1",
            "1 en 5",
            "A",
            "Zienswijzen komen als het besluit al vaststaat.",
            "Een regionale raadscommissie.",
            "Een handreiking voor griffiers.",
        ),
    ),
)


def run_conversation(door: Door, who: Person, channel: str, prefix: str) -> str:
    identity = who.identity(channel)
    messages = [
        Install(),
        Text("ja"),
        Text(who.role),
        Text(who.municipality),
        *(Text(a) for a in who.answers),
    ]
    participant_id = ""
    for n, message in enumerate(messages):
        outcome = door.handle(InboundEvent(identity, message, event_id=f"{prefix}-{n}-{channel}"))
        participant_id = outcome.participant_id
    return participant_id


def all_rows(database: Database, table: str) -> list[dict[str, Any]]:
    with database.unit_of_work() as session:
        return [dict(row._mapping) for row in session.execute(text(f"SELECT * FROM {table}"))]  # noqa: S608


@pytest.fixture
def conversations(
    database: Database, real_dialogue: Dialogue, registry: MunicipalityRegistry, clock: FakeClock
) -> dict[str, str]:
    """Three participants complete Verkennen (two in Teams, one by mail); name -> participant id."""
    door = Door(
        database=database,
        dialogue=real_dialogue,
        municipalities=registry,
        pseudonyms=Pseudonyms(SECRET),
        clock=clock,
    )
    ids = {}
    for n, (who, channel) in enumerate(zip(PEOPLE, ("teams", "teams", "mail"), strict=True)):
        ids[who.name] = run_conversation(door, who, channel, prefix=f"activity-{n}")
        clock.advance(hours=5)
    return ids


def personal_strings(database: Database, participant_ids: dict[str, str]) -> set[str]:
    found: set[str] = set(participant_ids.values())
    for who in PEOPLE:
        found |= {
            who.name,
            who.email,
            who.email.split("@")[0],
            who.teams_user_id,
            who.teams_user_id.removeprefix("29:"),
            who.aad_object_id,
            who.aad_object_id.replace("-", ""),
        }
        found |= {part for part in re.split(r"[\s-]+", who.name) if len(part) >= 4}
    for row in all_rows(database, "participant"):  # whatever the identity side holds, too
        found |= {
            str(row[c])
            for c in ("id", "name", "email", "aad_object_id", "teams_user_id")
            if row.get(c)
        }
    return {s.lower() for s in found}


# ================================================================ the answer side holds no identity


def test_no_answer_side_table_holds_a_name_address_or_id(
    database: Database, conversations: dict[str, str]
) -> None:
    tables = set(inspect(database.engine).get_table_names())
    assert set(ANSWER_SIDE) <= tables
    sensitive = personal_strings(database, conversations)
    assert len(all_rows(database, "answer")) == 7 + 5 + 7  # the answers really are there
    for table in ANSWER_SIDE:
        columns = [c["name"] for c in inspect(database.engine).get_columns(table)]
        for column in columns:
            assert not re.search(r"participant|name|mail|aad|teams|user|tenant", column), (
                table,
                column,
            )
        rows = all_rows(database, table)
        assert rows, table
        for row in rows:
            for column, value in row.items():
                cell = str(value).lower()
                leaked = [s for s in sensitive if s in cell]
                assert not leaked, f"{table}.{column} holds {leaked}"


def test_the_answer_table_has_only_a_pseudonym_and_coarse_segments(
    database: Database, conversations: dict[str, str]
) -> None:
    rows = all_rows(database, "answer")
    pseudonyms = {row["pseudonym"] for row in rows}
    expected = {pseudonym(SECRET, pid) for pid in conversations.values()}
    assert pseudonyms == expected and len(pseudonyms) == 3  # one per participant, all different
    # Three people in all, none of whom invited: no segment is shared by 5, so none is shown
    # (k-safe segments: tests/dialogen/test_segment_release.py).
    segments = {(row["role"], row["province"], row["networks"]) for row in rows}
    assert segments == {(None, None, "")}
    # no municipality on the answer side: only the province and network
    municipality_codes = {"GM0344", "GM0518", "GM0373"}
    assert not any(code in str(row).upper() for row in rows for code in municipality_codes)


def test_answer_ids_are_random_not_sequential_nor_derived_from_the_participant(
    database: Database, conversations: dict[str, str]
) -> None:
    rows = all_rows(database, "answer")
    ids = [row["id"] for row in rows]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    # The order in which the answers were given: participant by participant, question by question.
    question_order = [
        "beeld",
        "waardering",
        "themas",
        "obstakel",
        "obstakel-toelichting",
        "oplossing",
        "rol-vng",
    ]
    by_key = {(row["pseudonym"], row["question_id"]): row["id"] for row in rows}
    given_order = [
        by_key[(pseudonym(SECRET, conversations[who.name]), q)]
        for who in PEOPLE
        for q in question_order
        if (pseudonym(SECRET, conversations[who.name]), q) in by_key
    ]
    assert len(given_order) == len(ids)
    assert sorted(given_order) != given_order  # the id order does not replay the answering order
    derived = set()
    for pid in conversations.values():
        derived |= {
            pid,
            pseudonym(SECRET, pid)[:32],
            hashlib.sha256(pid.encode()).hexdigest()[:32],
            hashlib.md5(pid.encode()).hexdigest(),
        }  # noqa: S324 - compared against, not used
    assert not derived & set(ids)
    for column in inspect(database.engine).get_columns("answer"):
        assert "nextval" not in str(column.get("default") or "")  # no sequence behind any column


def test_sqlite_keeps_no_hidden_insertion_order_for_answers(
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
    clock: FakeClock,
) -> None:
    door = Door(
        database=sqlite_database,
        dialogue=real_dialogue,
        municipalities=registry,
        pseudonyms=Pseudonyms(SECRET),
        clock=clock,
    )
    run_conversation(door, PEOPLE[0], "teams", prefix="a")
    with sqlite_database.unit_of_work() as session, pytest.raises(Exception, match="rowid"):
        session.execute(text("SELECT rowid FROM answer"))


def test_answers_carry_their_step_s_opening_day_and_no_time(
    database: Database, conversations: dict[str, str], clock: FakeClock
) -> None:
    for table in ANSWER_SIDE:
        for column in inspect(database.engine).get_columns(table):
            assert not isinstance(column["type"], DateTime), (table, column["name"])
    date_columns = [
        c["name"]
        for c in inspect(database.engine).get_columns("answer")
        if isinstance(c["type"], Date)
    ]
    assert date_columns == ["recorded_on"]
    for row in all_rows(database, "answer"):
        value = row["recorded_on"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)), value
        # the day Verkennen opened, for everyone: not the day of the conversations (1 October)
        assert date.fromisoformat(str(value)) == date(2024, 9, 18)


def test_the_day_is_the_dialogues_calendar_day_not_utcs() -> None:
    amsterdam = ZoneInfo("Europe/Amsterdam")
    half_past_midnight = datetime(2024, 10, 1, 0, 30, tzinfo=amsterdam)  # 30 September 22:30 UTC
    assert coarse_day(half_past_midnight, amsterdam) == date(2024, 10, 1)
    assert coarse_day(half_past_midnight.astimezone(UTC), amsterdam) == date(2024, 10, 1)


def test_pseudonyms_depend_on_the_secret() -> None:
    participant = "3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c"
    assert pseudonym(SECRET, participant) == pseudonym(SECRET, participant)
    assert pseudonym(SECRET, participant) != pseudonym(OTHER_SECRET, participant)
    assert pseudonym(SECRET, participant) != pseudonym(SECRET, "another-participant")
    assert pseudonym(SECRET, participant) != hashlib.sha256(participant.encode()).hexdigest()
    assert participant not in pseudonym(SECRET, participant)


def test_another_secret_gives_other_pseudonyms_in_the_database(
    sqlite_database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
    clock: FakeClock,
) -> None:
    door = Door(
        database=sqlite_database,
        dialogue=real_dialogue,
        municipalities=registry,
        pseudonyms=Pseudonyms(OTHER_SECRET),
        clock=clock,
    )
    participant_id = run_conversation(door, PEOPLE[0], "teams", prefix="b")
    stored = {row["pseudonym"] for row in all_rows(sqlite_database, "answer")}
    assert stored == {pseudonym(OTHER_SECRET, participant_id)}
    assert pseudonym(SECRET, participant_id) not in stored


def test_logs_never_hold_identities_or_answer_text(
    caplog: pytest.LogCaptureFixture,
    database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
    clock: FakeClock,
) -> None:
    caplog.set_level(logging.DEBUG)
    door = Door(
        database=database,
        dialogue=real_dialogue,
        municipalities=registry,
        pseudonyms=Pseudonyms(SECRET),
        clock=clock,
    )
    participant_id = run_conversation(door, PEOPLE[2], "teams", prefix="c")
    logged = "\n".join(record.getMessage() for record in caplog.records).lower()
    assert "event handled" in logged  # something is logged per event
    secrets = [
        PEOPLE[2].name,
        PEOPLE[2].email,
        PEOPLE[2].teams_user_id,
        PEOPLE[2].aad_object_id,
        participant_id,
        *(a for a in PEOPLE[2].answers if len(a) > 10),
    ]
    for secret in secrets:
        assert secret.lower() not in logged, secret


# ================================================================ small groups


def test_small_groups_are_shown_as_less_than_k() -> None:
    shown = suppress_small(
        {"raadslid": 12, "griffier": 4, "wethouder": 5, "burgemeester": 1, "anders": 0}
    )
    assert shown == {
        "raadslid": "12",
        "griffier": "< 5",
        "wethouder": "5",
        "burgemeester": "< 5",
        "anders": "< 5",
    }
    assert K_ANONYMITY == 5


def test_the_threshold_can_be_set() -> None:
    assert suppress_small({"G4": 9, "G40": 10}, k=10) == {"G4": "< 10", "G40": "10"}
