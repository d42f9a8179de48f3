"""The dashboard's faster counting gives the figures the straightforward computation gives, on
SQLite and PostgreSQL, with a varied dataset: who started a step per group counted in the
database (roles and provinces missing or empty, several networks in one answer, a network not in
the known list, a pseudonym whose segment changed within the step, other steps and dialogues), and
completed steps counted with the opened progress states kept between requests (states re-sealed,
removed, added, written before sealing, or sealed under another secret)."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

import pytest
from sqlalchemy import delete
from sqlmodel import select

from dialogen.conversation.state import STATE_VERSION
from dialogen.dialogue.definition import Dialogue
from dialogen.facilitation.dashboard import DashboardFigures
from dialogen.participation.figures import StartRecord, StartTally
from dialogen.privacy.payload_cipher import Sealing
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store import participants
from dialogen.store import participation_queries as queries
from dialogen.store.database import Database
from dialogen.store.tables import AnswerRow, ParticipantRow, ProgressRow
from tests.conftest import AMS, SEALING, SECRET
from tests.support.clock import FakeClock
from tests.support.dashboard_world import populate

MONDAY = datetime(2024, 10, 21, 10, 0, tzinfo=AMS)

# (pseudonym, step, role, province, networks): one answer each
VARIED = [
    ("p01", "verrijken", "wethouder", "Utrecht", "G40,M50"),
    ("p01", "verrijken", "wethouder", "Utrecht", "G40,M50"),  # a second question, same segment
    ("p02", "verrijken", None, "Utrecht", ""),
    ("p03", "verrijken", "", None, "G4"),
    ("p04", "verrijken", "bestuur", "", "K80,Stedennetwerk"),  # role group, unknown network
    ("p05", "verrijken", "raadslid", "Noord", "G40"),  # region
    ("p06", "verrijken", "raadslid", "Zeeland", "G40"),
    ("p06", "verrijken", "griffier", "Zeeland", "G40,P10"),  # segment changed within the step
    ("p07", "verrijken", None, None, "M50"),
    ("p07", "verrijken", "", "", "M50"),  # no role either way: one unknown person
    ("p08", "verkennen", "wethouder", "Utrecht", "G40"),  # another step only
    ("p09", "verrijken", "burgemeester", "Groningen", ""),
]


def _answers(session, dialogue_key: str, rows) -> None:  # noqa: ANN001
    for number, (pseudonym, step, role, province, networks) in enumerate(rows):
        session.add(
            AnswerRow(
                id=secrets.token_hex(16),
                dialogue_key=dialogue_key,
                pseudonym=pseudonym,
                step_key=step,
                question_id=f"q{number}",
                value="antwoord",
                role=role,
                province=province,
                networks=networks,
                recorded_on=date(2024, 10, 21),
            )
        )


def tally_starts(starts: Iterable[StartRecord], step_key: str) -> StartTally:
    """Who started ``step_key`` per group, from every start record (the way before the database
    counted it)."""
    roles: dict[str | None, set[str]] = defaultdict(set)
    provinces: dict[str | None, set[str]] = defaultdict(set)
    networks: dict[str, set[str]] = defaultdict(set)
    for start in starts:
        if start.step_key == step_key:
            roles[start.segment.role or None].add(start.pseudonym)
            provinces[start.segment.province or None].add(start.pseudonym)
            for network in start.segment.networks:
                networks[network].add(start.pseudonym)
    return StartTally(
        {g: len(p) for g, p in roles.items()},
        {g: len(p) for g, p in provinces.items()},
        {g: len(p) for g, p in networks.items()},
    )


def _by_hand(rows, step: str) -> StartTally:  # noqa: ANN001
    """Distinct pseudonyms per group, counted the plain way (the test's own oracle)."""
    roles, provinces, networks = defaultdict(set), defaultdict(set), defaultdict(set)
    for pseudonym, step_key, role, province, network_text in rows:
        if step_key != step:
            continue
        roles[role or None].add(pseudonym)
        provinces[province or None].add(pseudonym)
        for network in filter(None, network_text.split(",")):
            networks[network].add(pseudonym)
    return StartTally(
        {g: len(p) for g, p in roles.items()},
        {g: len(p) for g, p in provinces.items()},
        {g: len(p) for g, p in networks.items()},
    )


def test_who_started_per_group_counted_in_the_database_equals_the_plain_count(
    database: Database, real_dialogue: Dialogue
):
    key = real_dialogue.key
    with database.unit_of_work() as session:
        _answers(session, key, VARIED)
        _answers(session, "een-andere-dialoog", [("p10", "verrijken", "wethouder", "Utrecht", "")])
        _answers(session, f"test:{key}", [("p11", "verrijken", "wethouder", "Utrecht", "G4")])
    with database.unit_of_work() as session:
        for step in ("verrijken", "verkennen", "voorkeuren"):
            counted = queries.start_tally(session, dialogue_key=key, step_key=step)
            from_records = tally_starts(queries.starts(session, dialogue_key=key), step)
            assert counted == from_records == _by_hand(VARIED, step), step
    verrijken = _by_hand(VARIED, "verrijken")
    # the cases that make the plain count differ from a sum over segments
    assert verrijken.by_role[None] == 3  # p02 (None), p03 (""), p07 (both)
    assert verrijken.by_network["G40"] == 3  # p01, p05, p06 (under two segments, once)
    assert verrijken.by_network["Stedennetwerk"] == 1
    assert verrijken.by_role["raadslid"] == 2 and verrijken.by_role["griffier"] == 1


def test_representation_page_equals_the_one_from_the_answer_records(
    database: Database,
    real_dialogue: Dialogue,
    registry: MunicipalityRegistry,
    monkeypatch: pytest.MonkeyPatch,
):
    """The whole page's figures, once counted in the database and once the previous way (every
    start record read and tallied in Python): equal, and no shown count is about 1 to 4 people."""
    clock = FakeClock(MONDAY)
    populate(
        database,
        dialogue=real_dialogue,
        registry=registry,
        pseudonyms=Pseudonyms(SECRET),
        sealing=SEALING,
        now=clock(),
        invitees=300,
        participants=120,
        seed=7,
    )
    with database.unit_of_work() as session:
        _answers(session, real_dialogue.key, VARIED)
    figures = DashboardFigures(
        database=database,
        dialogue=real_dialogue,
        municipalities=registry,
        progress=SEALING.progress,
        clock=clock,
        broadcasts=None,
    )
    counted = [figures.representation(step) for step in ("verkennen", "verrijken")]

    def from_records(session, *, dialogue_key: str, step_key: str) -> StartTally:  # noqa: ANN001
        return tally_starts(queries.starts(session, dialogue_key=dialogue_key), step_key)

    monkeypatch.setattr(queries, "start_tally", from_records)
    assert counted == [figures.representation(step) for step in ("verkennen", "verrijken")]
    cells = [
        cell
        for view in counted
        for dimension in view.dimensions
        for group in dimension.groups
        for cell in (group.invited, group.responded)
    ]
    assert any(cell.text == "< 5" for cell in cells)
    assert all(cell.count is None or cell.count == 0 or cell.count >= 5 for cell in cells)


def _state(done: list[str]) -> dict[str, object]:
    return {
        "v": STATE_VERSION,
        "phase": "idle",
        "step": None,
        "question": None,
        "resume": None,
        "suggestions": [],
        "completed": done,
        "skipped": [],
    }


def test_completed_steps_kept_between_counts_follow_every_change(
    database: Database, real_dialogue: Dialogue, registry: MunicipalityRegistry
):
    world = populate(
        database,
        dialogue=real_dialogue,
        registry=registry,
        pseudonyms=Pseudonyms(SECRET),
        sealing=SEALING,
        now=MONDAY,
        invitees=60,
        participants=30,
    )
    counter = queries.CompletedSteps(SEALING.progress)
    with database.unit_of_work() as session:
        assert counter.count(session) == {s: n for s, n in world.completed.items() if n}
        ids = list(session.exec(select(ProgressRow.participant_id)).all())
        gone, changed, plain, foreign = ids[:4]
        session.execute(delete(ProgressRow).where(ProgressRow.participant_id == gone))
        participants.save_state(
            session, changed, _state(["vinden", "verzamelen", "verkennen"]), cipher=SEALING.progress
        )
        # a state written before sealing reads as it is; one sealed under another secret as none
        session.exec(
            select(ProgressRow).where(ProgressRow.participant_id == plain)
        ).one().state = _state(["vinden", "verrijken"])
        other = Sealing.derived_from(Pseudonyms(b"another-pseudonym-secret-0123456789")).progress
        participants.save_state(session, foreign, _state(["vinden"]), cipher=other)
    with database.unit_of_work() as session:
        again = counter.count(session)
        assert again == queries.CompletedSteps(SEALING.progress).count(session)
        by_hand: dict[str, int] = defaultdict(int)
        for (stored,) in session.execute(select(ProgressRow.state)):
            opened = participants.open_state(stored, SEALING.progress)
            for step in (opened or {}).get("completed", []):
                by_hand[step] += 1
    assert again == dict(by_hand)
    assert again != {s: n for s, n in world.completed.items() if n}


def test_a_test_participant_s_completed_steps_count_nowhere(
    database: Database, real_dialogue: Dialogue, registry: MunicipalityRegistry
):
    world = populate(
        database,
        dialogue=real_dialogue,
        registry=registry,
        pseudonyms=Pseudonyms(SECRET),
        sealing=SEALING,
        now=MONDAY,
        invitees=20,
        participants=10,
    )
    expected = {s: n for s, n in world.completed.items() if n}
    with database.unit_of_work() as session:
        tester = session.exec(select(ProgressRow.participant_id)).first()
        participants.save_state(
            session, tester, _state(["vinden", "verzamelen", "verkennen"]), cipher=SEALING.progress
        )
        changed = queries.CompletedSteps(SEALING.progress).count(session)
        session.get(ParticipantRow, tester).is_test = True  # as `dialoog chat` marks them
    with database.unit_of_work() as session:
        counted = queries.CompletedSteps(SEALING.progress).count(session)
    assert changed != expected  # the state counts while they are a participant ...
    theirs = {"vinden", "verzamelen", "verkennen"}
    without = {s: n - (s in theirs) for s, n in changed.items() if n - (s in theirs)}
    assert counted == without  # ... and not once they are a tester
