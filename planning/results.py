"""The results message (Voortzetten) to every participant who can be reached, after the report is
approved: previewed, then queued in the outbox on confirmation — one message per participant
(idempotency key ``results:<participant>:voortzetten``), sent within the send window at the
outbox's pace. Audited as ``results_preview`` and ``results``."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from dialogen.conversation import messages as msg
from dialogen.conversation.replies import Reply
from dialogen.conversation.reply_codec import encode_replies
from dialogen.dialogue.timing import next_send_moment
from dialogen.participation import outreach
from dialogen.privacy.payload_cipher import Sealing
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.reporting import messages as rmsg
from dialogen.reporting.facts import ContributionFact
from dialogen.reporting.model import Report
from dialogen.reporting.results import ResultsPreview, contributor_example, results_replies
from dialogen.reporting.review import ReportDesk
from dialogen.store import audit, outbox, recipients
from dialogen.store.database import Database

log = logging.getLogger(__name__)

KIND = "results"
STEP = "voortzetten"
BATCH = 500


@dataclass(frozen=True)
class _Delivery:
    participant_id: str
    channel: str
    key: str
    replies: tuple[Reply, ...]
    author: bool


class ResultsMessages:
    def __init__(
        self,
        *,
        database: Database,
        reports: ReportDesk,
        clock: Callable[[], datetime],
        pseudonyms: Pseudonyms,
        sealing: Sealing,
    ) -> None:
        self.database, self.reports, self.clock = database, reports, clock
        self.dialogue = reports.dialogue
        self._pseudonyms, self._sealing = pseudonyms, sealing

    def preview(self, *, actor: str) -> ResultsPreview:
        deliveries, problem, report = self._plan(actor)
        example = next((d.replies for d in deliveries if not d.author), None)
        if example is None:
            example = deliveries[0].replies if deliveries else ()
        found = ResultsPreview(
            example,
            dict(Counter(d.channel for d in deliveries)),
            sum(d.author for d in deliveries),
            problem,
            contributor_example(self.dialogue, report) if report and deliveries else (),
        )
        self._audit(actor, "results_preview", len(deliveries), {"problem": bool(problem)})
        return found

    def send(self, *, actor: str) -> int:
        deliveries, problem, _ = self._plan(actor)
        now = self.clock()
        not_before = next_send_moment(now, self.dialogue.send_window, self.dialogue.zone)
        queued: dict[str, int] = defaultdict(int)
        for start in range(0, len(deliveries), BATCH):
            with self.database.unit_of_work() as session:
                for d in deliveries[start : start + BATCH]:
                    if outbox.enqueue(
                        session,
                        key=d.key,
                        participant_id=d.participant_id,
                        channel=d.channel,
                        kind=KIND,
                        payload=encode_replies(d.replies),
                        cipher=self._sealing.outbox,
                        now=now,
                        not_before=not_before,
                        step_key=STEP,
                    ):
                        queued[d.channel] += 1
        count = sum(queued.values())
        details: dict[str, object] = {"channels": dict(queued)}
        if problem:
            details["refused"] = problem
        self._audit(actor, KIND, count, details)
        log.info("results queued=%d", count)
        return count

    def _plan(self, actor: str) -> tuple[list[_Delivery], str | None, Report | None]:
        """Who still gets the message and what, or why nobody does; the approved report."""
        step = self.dialogue.step(STEP)
        now = self.clock()
        if step is not None and now < step.opens:
            return [], rmsg.results_not_open(msg.when(step.opens, self.dialogue.zone)), None
        made = self.reports.approved_report(actor=actor)
        if made is None:
            return [], rmsg.RESULTS_NOT_APPROVED, None
        own: dict[str, list[ContributionFact]] = defaultdict(list)
        for contribution in made.facts.contributions:
            own[contribution.pseudonym].append(contribution)
        with self.database.unit_of_work() as session:
            contacts = recipients.contacts(session, cipher=self._sealing.progress)
            queued = recipients.queued_keys(session, kind=KIND, step_key=STEP)
        deliveries = []
        for contact in contacts:
            channel = outreach.channel_for(contact)
            key = f"{KIND}:{contact.participant_id}:{STEP}"
            if channel is None or key in queued:
                continue
            mine = own.get(self._pseudonyms.of(contact.participant_id), [])
            replies = results_replies(self.dialogue, made.report, mine)
            author = any(c.visible for c in mine)
            deliveries.append(_Delivery(contact.participant_id, channel, key, replies, author))
        return deliveries, (None if deliveries else rmsg.RESULTS_NOBODY), made.report

    def _audit(self, actor: str, action: str, count: int, details: dict[str, object]) -> None:
        with self.database.unit_of_work() as session:
            audit.record(
                session,
                at=self.clock(),
                actor=actor,
                action=action,
                target=STEP,
                count=count,
                details=details,
            )
