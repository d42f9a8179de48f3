"""The released segments, as decided (:mod:`dialogen.privacy.segment_release`), kept per version:
each version maps every full segment of the invited population to the segment answers carry.

``segment_release`` holds one row per (version, full segment); a new version is written only when
the decision changes. The full segment's attributes are stored with ``""`` for "none" (they are
part of the key); the released ones as answers store them (``None`` = not shown).

Also here: how many invitees each full segment has (from the identity side, counted per
municipality and profile in SQL), which labels answers carry now, and re-labelling answers —
always by segment value, never by participant.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from sqlalchemy import Column, DateTime, bindparam, func, text, update
from sqlalchemy import select as sa_select
from sqlmodel import Field, Session, SQLModel, col, select

from dialogen.privacy.segment_release import Cell
from dialogen.store.contributions import ContributionRow, ReactionRow
from dialogen.store.tables import AnswerRow, ParticipantRow, table_of


class SegmentReleaseRow(SQLModel, table=True):
    __tablename__ = "segment_release"

    version: int = Field(primary_key=True)
    role: str = Field(primary_key=True, max_length=60)  # the full segment; "" = none
    province: str = Field(primary_key=True, max_length=40)
    networks: str = Field(primary_key=True, max_length=60)
    released_role: str | None = Field(default=None, max_length=60)  # None = not shown
    released_province: str | None = Field(default=None, max_length=40)
    released_networks: str = Field(default="", max_length=60)
    decided_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


_ADVISORY_KEY = 0x5E6_2E1E  # pg_advisory_xact_lock: one decider at a time (PostgreSQL)


def lock_for_decision(session: Session) -> None:
    """Serialise deciding (PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already does) until the
    transaction ends."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_KEY})


_LATEST = sa_select(func.max(col(SegmentReleaseRow.version))).scalar_subquery()


def latest_version(session: Session) -> int | None:
    found = session.execute(sa_select(func.max(col(SegmentReleaseRow.version)))).scalar()
    return int(found) if found is not None else None


def current(session: Session) -> dict[Cell, Cell]:
    """The newest decision: full segment -> released segment ({} before the first one)."""
    rows = session.exec(
        select(SegmentReleaseRow).where(col(SegmentReleaseRow.version) == _LATEST)
    ).all()
    return {_full(row): _released(row) for row in rows}


_r = table_of(SegmentReleaseRow).c
_RELEASED_FOR = sa_select(_r.released_role, _r.released_province, _r.released_networks).where(
    _r.version == _LATEST,
    _r.role == bindparam("role"),
    _r.province == bindparam("province"),
    _r.networks == bindparam("networks"),
)


def released_for(session: Session, full: Cell) -> Cell | None:
    """The newest decision for one full segment (None: not decided for it). One statement, built
    once (plain SQL on the session's connection, no ORM objects): it runs for every turn that
    stores answers."""
    role, province, networks = full.key
    found = (
        session.connection()
        .execute(_RELEASED_FOR, {"role": role, "province": province, "networks": networks})
        .first()
    )
    return Cell(*found) if found is not None else None


def store(session: Session, mapping: Mapping[Cell, Cell], *, now: datetime) -> int:
    """Write ``mapping`` as the next version; its number."""
    version = (latest_version(session) or 0) + 1
    for full, released in mapping.items():
        role, province, networks = full.key
        session.add(
            SegmentReleaseRow(
                version=version,
                role=role,
                province=province,
                networks=networks,
                released_role=released.role,
                released_province=released.province,
                released_networks=released.networks,
                decided_at=now,
            )
        )
    session.flush()
    return version


def population(session: Session, *, segment_of: Callable[..., Cell]) -> dict[Cell, int]:
    """Invitees per full segment: everyone on the identity side with a role (invited, or joined
    without an invitation). ``segment_of(role=, municipality_code=, province=, networks=)``
    derives the full segment; counted per distinct profile in SQL first."""
    p = ParticipantRow
    grouped = session.execute(
        sa_select(
            col(p.role), col(p.municipality_code), col(p.province), col(p.networks), func.count()
        )
        .where(col(p.role).is_not(None), col(p.is_test).is_(False))
        .group_by(col(p.role), col(p.municipality_code), col(p.province), col(p.networks))
    ).all()
    counts: dict[Cell, int] = {}
    for role, code, province, networks, number in grouped:
        cell = segment_of(role=role, municipality_code=code, province=province, networks=networks)
        counts[cell] = counts.get(cell, 0) + int(number)
    return counts


def labels_in_use(session: Session) -> set[Cell]:
    """Every segment answers, contributions and reactions carry now."""
    labels: set[Cell] = set()
    for table in (AnswerRow, ContributionRow, ReactionRow):
        rows = session.execute(
            sa_select(col(table.role), col(table.province), col(table.networks)).distinct()
        ).all()
        labels |= {Cell(role, province, networks or "") for role, province, networks in rows}
    return labels


def relabel_answers(session: Session, moved: Mapping[Cell, Cell]) -> int:
    """Answers, contributions and reactions carrying a label in ``moved`` carry its new label: by
    segment value only. Returns how many answers changed."""
    changed = 0
    for table in (AnswerRow, ContributionRow, ReactionRow):
        for old, new in moved.items():
            result = session.execute(
                update(table)
                .where(
                    col(table.role).is_not_distinct_from(old.role),
                    col(table.province).is_not_distinct_from(old.province),
                    col(table.networks) == old.networks,
                )
                .values(role=new.role, province=new.province, networks=new.networks)
            )
            if table is AnswerRow:
                changed += int(getattr(result, "rowcount", 0) or 0)
    return changed


def _full(row: SegmentReleaseRow) -> Cell:
    return Cell(row.role or None, row.province or None, row.networks)


def _released(row: SegmentReleaseRow) -> Cell:
    return Cell(row.released_role, row.released_province, row.released_networks)
