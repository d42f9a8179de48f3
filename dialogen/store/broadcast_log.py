"""Which calendar occasions already ran: the scheduler writes each run to the audit log (actor
``scheduler``, ``details["occasion"]``), so a restart neither repeats nor loses one."""

from __future__ import annotations

from sqlmodel import Session, select

from dialogen.store.audit import AuditRow

SCHEDULER_ACTOR = "scheduler"


def occasions_done(session: Session) -> set[str]:
    rows = session.exec(select(AuditRow.details).where(AuditRow.actor == SCHEDULER_ACTOR)).all()
    return {str(d["occasion"]) for d in rows if isinstance(d, dict) and d.get("occasion")}
