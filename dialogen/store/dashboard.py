"""What the facilitator dashboard keeps: signed-in facilitators (and logins under way), and the
participation totals per step per day that its chart draws.

``dashboard_session`` holds a hash of the cookie's token, never the token; a pending login holds
msal's auth-code flow (PKCE verifier, state, nonce) sealed, keyed by a hash of its state.
``participation_day`` holds per dialogue, day and step only whole-step totals (no segment), so it
describes no group of people; the dashboard shows it through k-suppression.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field, Session, SQLModel, col, delete, select

from dialogen.store.audit import AuditRow


class DashboardSessionRow(SQLModel, table=True):
    __tablename__ = "dashboard_session"

    id: str = Field(primary_key=True, max_length=64)  # sha256 of the cookie token (or state)
    kind: str = Field(max_length=10)  # "session" or "login" (a sign-in under way)
    actor: str = Field(default="", max_length=320)  # as the audit log names the facilitator
    name: str = Field(default="", max_length=200)  # shown in the page header
    csrf: str = Field(default="", max_length=64)
    flow: str | None = Field(default=None, max_length=8000)  # sealed msal flow (kind "login")
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    seen_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class ParticipationDayRow(SQLModel, table=True):
    __tablename__ = "participation_day"

    dialogue_key: str = Field(primary_key=True, max_length=60)
    day: date = Field(primary_key=True)
    step_key: str = Field(primary_key=True, max_length=20)
    started: int = 0
    completed: int = 0


def add_session(session: Session, row: DashboardSessionRow) -> None:
    session.add(row)


def find_session(session: Session, key: str, *, kind: str) -> DashboardSessionRow | None:
    row = session.get(DashboardSessionRow, key)
    return row if row is not None and row.kind == kind else None


def drop_session(session: Session, key: str) -> None:
    session.exec(delete(DashboardSessionRow).where(col(DashboardSessionRow.id) == key))


def drop_expired(session: Session, *, now: datetime) -> None:
    session.exec(delete(DashboardSessionRow).where(col(DashboardSessionRow.expires_at) < now))


def record_day(
    session: Session,
    *,
    dialogue_key: str,
    day: date,
    totals: dict[str, tuple[int, int]],
) -> None:
    """Today's (started, completed) per step; a later figure of the same day replaces it."""
    for step_key, (started, completed) in totals.items():
        row = session.get(ParticipationDayRow, (dialogue_key, day, step_key))
        if row is None:
            session.add(
                ParticipationDayRow(
                    dialogue_key=dialogue_key,
                    day=day,
                    step_key=step_key,
                    started=started,
                    completed=completed,
                )
            )
        elif (row.started, row.completed) != (started, completed):
            row.started, row.completed = started, completed
            session.add(row)


def days(session: Session, *, dialogue_key: str) -> list[ParticipationDayRow]:
    statement = (
        select(ParticipationDayRow)
        .where(ParticipationDayRow.dialogue_key == dialogue_key)
        .order_by(col(ParticipationDayRow.day))
    )
    return list(session.exec(statement).all())


def reached_by_step(session: Session) -> dict[str, int]:
    """Step prompts queued per step, as the broadcasts' audit rows count them."""
    reached: dict[str, int] = {}
    statement = select(AuditRow.target, AuditRow.count).where(AuditRow.action == "step_prompt")
    for target, count in session.exec(statement).all():
        if target:
            reached[target] = reached.get(target, 0) + count
    return reached


def broadcasts_done(session: Session, *, actions: tuple[str, ...], limit: int) -> list[AuditRow]:
    """The newest broadcasts (step prompts, nudges, thank-yous) from the audit log."""
    statement = (
        select(AuditRow)
        .where(col(AuditRow.action).in_(actions))
        .order_by(col(AuditRow.at).desc())
        .limit(limit)
    )
    return list(session.exec(statement).all())
