"""Review before release: every report made is recorded by its checksum (its content, not its
date) as a draft; a facilitator approves one by its code; only a report whose content is that of
an approved version counts as approved (and says so on its cover). Making and approving are
audited."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from dataclasses import dataclass

from dialogen.contracts import Clock, SegmentLookup
from dialogen.dialogue.definition import Dialogue
from dialogen.privacy.payload_cipher import PayloadCipher
from dialogen.reporting import curated
from dialogen.reporting import messages as rmsg
from dialogen.reporting.build import Progress, build_report
from dialogen.reporting.facts import ReportFacts
from dialogen.reporting.model import Report
from dialogen.store import audit, report_queries, report_versions
from dialogen.store.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MadeReport:
    report: Report
    code: str
    approved: bool
    facts: ReportFacts


def checksum(report: Report) -> str:
    """Of the content: the date it was made and its status are left out."""
    content = dataclasses.replace(report, made_on="")
    return hashlib.sha256(repr(content).encode("utf-8")).hexdigest()


class ReportDesk:
    def __init__(
        self,
        *,
        database: Database,
        dialogue: Dialogue,
        municipalities: SegmentLookup,
        progress_cipher: PayloadCipher,
        clock: Clock,
    ) -> None:
        self.database, self.dialogue, self.clock = database, dialogue, clock
        self.municipalities = municipalities
        self._progress = progress_cipher

    def facts(self) -> ReportFacts:
        with self.database.unit_of_work() as session:
            found = report_queries.facts(
                session,
                dialogue_key=self.dialogue.key,
                municipalities=self.municipalities,
                cipher=self._progress,
            )
            return dataclasses.replace(
                found,
                themes=curated.published_themes(session, dialogue_key=self.dialogue.key),
                follow_ups=curated.confirmed_follow_ups(session, dialogue_key=self.dialogue.key),
            )

    def make(self, *, actor: str, progress: Progress | None = None) -> MadeReport:
        """Build the report from what is stored now, and record it (a draft unless this content
        was approved before)."""
        facts = self.facts()
        now = self.clock()
        report = build_report(self.dialogue, facts, now, progress=progress)
        summed = checksum(report)
        with self.database.unit_of_work() as session:
            row = report_versions.made(
                session, dialogue_key=self.dialogue.key, checksum=summed, actor=actor, now=now
            )
            code, approved = row.id, row.approved_at is not None
            audit.record(
                session,
                at=now,
                actor=actor,
                action="report_made",
                target=code,
                details={"approved": approved},
            )
        if approved:
            day = now.astimezone(self.dialogue.zone).date()
            report = dataclasses.replace(report, made_on=rmsg.made_on(day, True))
        log.info("report made code=%s approved=%s", code, approved)
        return MadeReport(report, code, approved, facts)

    def approve(self, *, actor: str, code: str) -> str:
        """Approve the draft with this code; the Dutch answer says what happened."""
        now = self.clock()
        code = code.strip().lower()
        with self.database.unit_of_work() as session:
            row = report_versions.get(session, dialogue_key=self.dialogue.key, code=code)
            if row is None:
                audit.record(
                    session, at=now, actor=actor, action="report_approve_refused", target=code
                )
                return rmsg.unknown_report(code)
            if row.approved_at is not None:
                return rmsg.ALREADY_APPROVED
            report_versions.approve(session, row, actor=actor, now=now)
            audit.record(session, at=now, actor=actor, action="report_approved", target=code)
        log.info("report approved code=%s", code)
        return rmsg.approved(code)

    def approved_report(self, *, actor: str) -> MadeReport | None:
        """The report as it is now, when that content was approved; else None."""
        made = self.make(actor=actor)
        return made if made.approved else None
