"""An attacker who holds a copy of the database and the working directory, but not the pseudonym
secret, and tries to link answers to people.

Generic on purpose: the tables come from the database itself (reflected), so a table added later
(contributions, reactions) is covered without touching this file. Every table with a
``pseudonym`` column is the answer side; everything else is what the attacker matches against.

The joins it tries:

- **values**: every distinctive answer value (words, at least ``MIN_VALUE`` characters) is looked
  for in every row of every other table (all columns, JSON included) and in every file of the
  working directory (mails decoded: headers and every text part); a row or file that names
  exactly one participant (their id, e-mail address, Teams ids, name) and holds a value of
  exactly one pseudonym links the two;
- **timestamps**: the days on the answer side (``recorded_on`` and any other date) against the
  days of everything tied to a participant (their row, their queued messages, references, ...);
- **insertion order**: the answer rows in physical order (SQLite rowid order, PostgreSQL ``ctid``
  order) — when they come in runs per pseudonym, the order of first appearance is matched against
  every order the identity side offers (physical order of each table, each timestamp column);
- **segments**: the role, province and networks an answer carries against each consenting
  participant's segment (as the released-segment table maps it, when there is one);
- **progress**: which questions a participant's stored conversation state says they answered or
  skipped, against which questions each pseudonym answered.

A link is claimed only when it is unambiguous both ways (one candidate participant for the
pseudonym, and that participant a candidate for no other pseudonym). The test knows the truth
(it has the secret) and counts the claims that are right.
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import MetaData, Table, literal_column, select, text

from dialogen.store.database import Database

MIN_VALUE = 12  # characters: shorter values ("2", "A, C") are too common to link anything
AMS = ZoneInfo("Europe/Amsterdam")
ANSWER_SIDE_MARK = "pseudonym"
_NOT_CONTENT = frozenset(
    {"id", "pseudonym", "dialogue_key", "step_key", "question_id", "role", "province", "networks"}
)

Row = dict[str, Any]
SegmentOf = Callable[[Row], tuple[Any, Any, Any] | None]


# ---------------------------------------------------------------- what the attacker holds


@dataclass
class Snapshot:
    tables: dict[str, list[Row]]  # rows in physical order where the backend has one
    physical: dict[str, bool]  # whether that order is the storage order
    files: dict[str, str]  # relative path -> readable text (mails decoded)


def take_snapshot(database: Database, workdir: Path, *, skip: Iterable[Path] = ()) -> Snapshot:
    """Everything in the database (every table, reflected) and every file under ``workdir``
    except those under ``skip`` and the SQLite database files themselves."""
    metadata = MetaData()
    metadata.reflect(bind=database.engine)
    tables: dict[str, list[Row]] = {}
    physical: dict[str, bool] = {}
    with database.engine.connect() as connection:
        for name, table in sorted(metadata.tables.items()):
            tables[name] = _physical_rows(connection, table, database.is_sqlite)
            physical[name] = True
    skipped = [p.resolve() for p in skip]
    files: dict[str, str] = {}
    for path in sorted(workdir.rglob("*")):
        if not path.is_file() or any(path.resolve().is_relative_to(s) for s in skipped):
            continue
        if re.search(r"\.db(-wal|-shm|-journal)?$", path.name):
            continue  # the database: read above, through SQL
        files[str(path.relative_to(workdir))] = readable(path.read_bytes())
    return Snapshot(tables, physical, files)


def _physical_rows(connection: Any, table: Table, sqlite: bool) -> list[Row]:
    """The rows in storage order: SQLite rowid order (a WITHOUT ROWID table is stored in
    primary-key order, which a plain SELECT returns), PostgreSQL ctid order."""
    statement = select(table)
    if sqlite:
        created = connection.execute(
            text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :name"),
            {"name": table.name},
        ).scalar()
        if "WITHOUT ROWID" not in (created or "").upper():
            statement = statement.order_by(literal_column("rowid"))
    else:
        statement = statement.order_by(literal_column("ctid"))
    return [dict(row._mapping) for row in connection.execute(statement)]


def readable(raw: bytes) -> str:
    """A file as text; a mail with its headers and every text part decoded."""
    head = raw[:2000]
    if re.search(rb"^(From|To|Subject|Message-ID|Received|Date):", head, re.MULTILINE | re.I):
        try:
            message = BytesParser(policy=policy.default).parsebytes(raw)
            parts = [f"{k}: {v}" for k, v in message.items()]
            for part in message.walk():
                if part.get_content_maintype() == "text":
                    try:
                        parts.append(str(part.get_content()))
                    except (LookupError, ValueError):
                        continue
            return "\n".join(parts)
        except Exception:  # noqa: BLE001 - fall back to the bytes
            pass
    return raw.decode("utf-8", errors="replace")


# ---------------------------------------------------------------- the joins


@dataclass
class Claim:
    join: str
    pseudonym: str
    participant_id: str


@dataclass
class Findings:
    claims: list[Claim] = field(default_factory=list)
    answers_per_pseudonym: dict[str, int] = field(default_factory=dict)

    def right(self, truth: Mapping[str, str]) -> list[Claim]:
        return [c for c in self.claims if truth.get(c.pseudonym) == c.participant_id]

    def relinked(self, truth: Mapping[str, str]) -> tuple[int, int]:
        """(participants, answers) linked correctly by any join."""
        pseudonyms = {c.pseudonym for c in self.right(truth)}
        return (
            len({truth[p] for p in pseudonyms}),
            sum(self.answers_per_pseudonym.get(p, 0) for p in pseudonyms),
        )

    def by_join(self, truth: Mapping[str, str]) -> dict[str, tuple[int, int]]:
        found: dict[str, set[str]] = defaultdict(set)
        for claim in self.right(truth):
            found[claim.join].add(claim.pseudonym)
        return {
            join: (len(ps), sum(self.answers_per_pseudonym.get(p, 0) for p in ps))
            for join, ps in sorted(found.items())
        }


def attack(
    snapshot: Snapshot,
    *,
    questions_in_order: Mapping[str, Sequence[str]],
    segment_of: SegmentOf | None = None,
) -> Findings:
    answer_tables = [
        name for name, rows in snapshot.tables.items() if _has_column(rows, ANSWER_SIDE_MARK)
    ]
    answers = [row for name in answer_tables for row in snapshot.tables[name]]
    people = snapshot.tables.get("participant", [])
    findings = Findings(
        answers_per_pseudonym=_count_by(answers, lambda r: r[ANSWER_SIDE_MARK]),
    )
    identity = _Identity(people)
    other = {n: rows for n, rows in snapshot.tables.items() if n not in answer_tables}
    tied_rows = [
        (name, row, identity.named_in(_blob(row))) for name, rows in other.items() for row in rows
    ]
    tied_files = [
        (path, body, identity.named_in(body.lower())) for path, body in snapshot.files.items()
    ]
    findings.claims += _values(answers, tied_rows, tied_files)
    findings.claims += _timestamps(answers, tied_rows, people)
    for name in answer_tables:
        findings.claims += _order(snapshot.tables[name], snapshot.physical[name], other, identity)
    if segment_of is not None:
        findings.claims += _segments(answers, people, segment_of)
    findings.claims += _progress(answers, other.get("progress", []), questions_in_order)
    return findings


class _Identity:
    """What names a participant: their id, e-mail address, Teams ids and name."""

    def __init__(self, people: list[Row]) -> None:
        self.markers: dict[str, str] = {}
        counts: dict[str, int] = defaultdict(int)
        for person in people:
            for value in person.values():
                if isinstance(value, str) and len(value) >= 8:
                    counts[value.lower()] += 1
        for person in people:
            for column, value in person.items():
                if column == "id" or (
                    isinstance(value, str) and len(value) >= 8 and counts[value.lower()] == 1
                ):
                    self.markers[str(value).lower()] = person["id"]

    def named_in(self, blob: str) -> set[str]:
        return {pid for marker, pid in self.markers.items() if marker in blob}


def _values(
    answers: list[Row],
    tied_rows: list[tuple[str, Row, set[str]]],
    tied_files: list[tuple[str, str, set[str]]],
) -> list[Claim]:
    distinctive: dict[str, set[str]] = defaultdict(set)  # value (lower) -> pseudonyms
    for row in answers:
        for column, value in row.items():
            if column in _NOT_CONTENT:
                continue
            for form in _forms(value):
                if len(form) >= MIN_VALUE and " " in form:  # words, not an option's key
                    distinctive[form.lower()].add(row[ANSWER_SIDE_MARK])
    candidates: dict[str, set[str]] = defaultdict(set)  # pseudonym -> participants
    places = [(blob_of_row, named) for _, blob_of_row, named in _row_blobs(tied_rows)]
    places += [(body.lower(), named) for _, body, named in tied_files]
    for blob, named in places:
        if len(named) != 1:
            continue
        for value, pseudonyms in distinctive.items():
            if len(pseudonyms) == 1 and value in blob:
                candidates[next(iter(pseudonyms))] |= named
    return _unambiguous("values", candidates)


def _row_blobs(tied: list[tuple[str, Row, set[str]]]) -> Iterable[tuple[str, str, set[str]]]:
    for name, row, named in tied:
        yield name, _blob(row), named


def _timestamps(
    answers: list[Row], tied_rows: list[tuple[str, Row, set[str]]], people: list[Row]
) -> list[Claim]:
    answer_days: dict[str, set[date]] = defaultdict(set)
    for row in answers:
        for value in row.values():
            answer_days[row[ANSWER_SIDE_MARK]] |= _days(value)
    person_days: dict[str, set[date]] = defaultdict(set)
    for person in people:
        for value in person.values():
            person_days[person["id"]] |= _days(value)
    for _, row, named in tied_rows:
        if len(named) == 1:
            for value in row.values():
                person_days[next(iter(named))] |= _days(value)
    candidates = {
        pseudonym: {pid for pid, have in person_days.items() if days and days <= have}
        for pseudonym, days in answer_days.items()
    }
    return _unambiguous("timestamps", candidates)


def _order(
    answer_rows: list[Row],
    physical: bool,
    other: Mapping[str, list[Row]],
    identity: _Identity,
) -> list[Claim]:
    if not physical or not answer_rows:
        return []
    sequence = [row[ANSWER_SIDE_MARK] for row in answer_rows]
    runs = 1 + sum(1 for a, b in zip(sequence, sequence[1:], strict=False) if a != b)
    pseudonyms = list(dict.fromkeys(sequence))
    if runs > 2 * len(pseudonyms) or not _looks_grouped(sequence, runs):
        return []  # interleaved: the storage order says nothing about who came first
    if pseudonyms == sorted(pseudonyms):
        return []  # stored in the order of the pseudonyms themselves (a key): no order of writing
    claims: list[Claim] = []
    for order in _identity_orders(other, identity):
        if len(order) >= len(pseudonyms):
            claims += [
                Claim("insertion order", p, pid)
                for p, pid in zip(pseudonyms, order[: len(pseudonyms)], strict=True)
            ]
    return claims


def _looks_grouped(sequence: Sequence[str], runs: int) -> bool:
    """Whether ``runs`` is far too few for a random order: fewer than 1 in 1,000 shuffles of the
    same rows (a fixed seed) have as few. (With a few rows a pseudonym, a random order often has
    fewer runs than twice the pseudonyms, so that bound alone reads order into random ids.)"""
    shuffles, as_few = 5_000, 0
    rows = list(sequence)
    chance = random.Random(0)
    for _ in range(shuffles):
        chance.shuffle(rows)
        if 1 + sum(1 for a, b in zip(rows, rows[1:], strict=False) if a != b) <= runs:
            as_few += 1
    return as_few / shuffles < 0.001


def _identity_orders(other: Mapping[str, list[Row]], identity: _Identity) -> list[list[str]]:
    consenting = {
        row["id"] for row in other.get("participant", []) if row.get("consent") in (True, 1)
    }
    orders: list[list[str]] = []
    for rows in other.values():
        named = [(row, identity.named_in(_blob(row))) for row in rows]
        single = [(row, next(iter(n))) for row, n in named if len(n) == 1]
        if not single:
            continue
        orders.append(list(dict.fromkeys(pid for _, pid in single)))
        columns = {c for row, _ in single for c, v in row.items() if isinstance(v, datetime)}
        for column in sorted(columns):
            dated = sorted(
                (
                    (row[column], pid)
                    for row, pid in single
                    if isinstance(row.get(column), datetime)
                ),
                key=lambda item: item[0],
            )
            orders.append(list(dict.fromkeys(pid for _, pid in dated)))
    return [[pid for pid in order if pid in consenting] for order in orders]


def _segments(answers: list[Row], people: list[Row], segment_of: SegmentOf) -> list[Claim]:
    by_segment: dict[tuple[Any, Any, Any], set[str]] = defaultdict(set)
    for row in answers:
        by_segment[(row.get("role"), row.get("province"), row.get("networks"))].add(
            row[ANSWER_SIDE_MARK]
        )
    people_by_segment: dict[tuple[Any, Any, Any], set[str]] = defaultdict(set)
    for person in people:
        if person.get("consent") in (True, 1):
            segment = segment_of(person)
            if segment is not None:
                people_by_segment[segment].add(person["id"])
    candidates = {
        next(iter(pseudonyms)): people_by_segment.get(segment, set())
        for segment, pseudonyms in by_segment.items()
        if len(pseudonyms) == 1
    }
    return _unambiguous("segments", candidates)


def _progress(
    answers: list[Row], progress: list[Row], questions: Mapping[str, Sequence[str]]
) -> list[Claim]:
    answered: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in answers:
        if row.get("step_key") and row.get("question_id"):
            answered[row[ANSWER_SIDE_MARK]].add((row["step_key"], row["question_id"]))
    predicted: dict[str, set[tuple[str, str]]] = {}
    for row in progress:
        state = row.get("state")
        if isinstance(state, str):
            try:
                state = json.loads(state)
            except ValueError:
                continue
        if not isinstance(state, dict) or "phase" not in state:
            continue  # unreadable: sealed
        guess = _answered_by_state(state, questions)
        if guess:
            predicted[row["participant_id"]] = guess
    candidates = {
        pseudonym: {pid for pid, guess in predicted.items() if guess == have}
        for pseudonym, have in answered.items()
    }
    return _unambiguous("progress", candidates)


def _answered_by_state(
    state: Mapping[str, Any], questions: Mapping[str, Sequence[str]]
) -> set[tuple[str, str]]:
    skipped = {tuple(s.split(":", 1)) for s in state.get("skipped") or ()}
    guess: set[tuple[str, str]] = set()
    for step in state.get("completed") or ():
        guess |= {(step, q) for q in questions.get(step, ())}
    step, current = state.get("step"), state.get("question")
    if step and current and step not in (state.get("completed") or ()):
        ids = list(questions.get(step, ()))
        if current in ids:
            guess |= {(step, q) for q in ids[: ids.index(current)]}
    return {g for g in guess if g not in skipped}


# ---------------------------------------------------------------- helpers


def _unambiguous(join: str, candidates: Mapping[str, set[str]]) -> list[Claim]:
    """Claims where the pseudonym has one candidate, who is the one candidate of no other
    pseudonym."""
    chosen = {p: next(iter(c)) for p, c in candidates.items() if len(c) == 1}
    taken: dict[str, int] = defaultdict(int)
    for pid in chosen.values():
        taken[pid] += 1
    return [Claim(join, p, pid) for p, pid in chosen.items() if taken[pid] == 1]


def _has_column(rows: list[Row], column: str) -> bool:
    return bool(rows) and column in rows[0]


def _count_by(rows: Iterable[Row], key: Callable[[Row], str]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[key(row)] += 1
    return dict(counts)


def _blob(row: Row) -> str:
    return json.dumps(row, default=str, ensure_ascii=False).lower()


def _forms(value: Any) -> list[str]:
    """The ways a stored value can show up elsewhere: as it is, and as JSON."""
    if value is None:
        return []
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            return [value]
        return [value, *_forms(decoded)] if not isinstance(decoded, str) else [value, decoded]
    if isinstance(value, list):
        return [str(v) for v in value] + [json.dumps(value, ensure_ascii=False)]
    return [str(value)]


def _days(value: Any) -> set[date]:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=ZoneInfo("UTC"))
        return {moment.date(), moment.astimezone(AMS).date()}
    if isinstance(value, date):
        return {value}
    return set()
