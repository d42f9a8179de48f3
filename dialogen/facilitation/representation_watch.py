"""Representation for facilitators: the ``vertegenwoordiging`` figures, and the daily alert when a
group of the open step falls below the dialogue file's threshold.

The alert goes to every facilitator the bot can reach in Teams (a facilitator who opened the bot
has a conversation reference), through the outbox, with the key
``representation_alert:<facilitator>:<step>:<local day>``: queueing it again the same day is a
no-op, so a facilitator gets it at most once a day, whoever (or whichever replica) checks. It is
sent inside the dialogue's send window. The clock is injected; the scheduler calls
:meth:`RepresentationWatch.queue_alerts` (see ``planning.scheduler``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from dialogen.contracts import Clock, SegmentLookup
from dialogen.conversation.replies import Say
from dialogen.conversation.reply_codec import encode_replies
from dialogen.dialogue.definition import Dialogue, Step
from dialogen.dialogue.timing import next_send_moment, window_end
from dialogen.facilitation import theme_messages as tmsg
from dialogen.participation.representation_live import (
    below_threshold,
    representation_text,
    step_representation,
)
from dialogen.privacy.payload_cipher import Sealing
from dialogen.store import audit, outbox
from dialogen.store import participants as participant_store
from dialogen.store import participation_queries as queries
from dialogen.store.database import Database

log = logging.getLogger(__name__)

ALERT_KIND = "representation_alert"


class RepresentationWatch:
    def __init__(
        self,
        *,
        database: Database,
        dialogue: Dialogue,
        municipalities: SegmentLookup,
        clock: Clock,
        sealing: Sealing,
        facilitators: Iterable[str],
    ) -> None:
        self.database = database
        self.dialogue = dialogue
        self.municipalities = municipalities
        self.clock = clock
        self.sealing = sealing
        self.facilitators = tuple(f.strip() for f in facilitators if f and f.strip())

    def report(self, *, actor: str, step: Step | None = None) -> str:
        """The figures as text for ``step`` (default: the open step, else the last one opened)."""
        now = self.clock()
        step = step or self._current(now)
        if step is None:
            return tmsg.REPRESENTATION_TITLE + ": " + "geen stap open."
        with self.database.unit_of_work() as session:
            people = queries.people(
                session, municipalities=self.municipalities, cipher=self.sealing.progress
            )
            audit.record(session, at=now, actor=actor, action="representation", target=step.key)
        found = step_representation(step, people, threshold=self.dialogue.representation.threshold)
        return representation_text(found)

    def behind(self, step: Step) -> tuple[str, ...]:
        """The groups below the threshold in ``step`` now (names as shown)."""
        with self.database.unit_of_work() as session:
            people = queries.people(
                session, municipalities=self.municipalities, cipher=self.sealing.progress
            )
        threshold = self.dialogue.representation.threshold
        return below_threshold(
            step_representation(step, people, threshold=threshold), threshold=threshold
        )

    def queue_alerts(self) -> int:
        """Queue today's alert for each reachable facilitator when a group of the open step is
        below the threshold; the number queued (0 when nothing is below, or already sent)."""
        now = self.clock()
        step = self.dialogue.open_step(now)
        if step is None:
            return 0
        groups = self.behind(step)
        if not groups:
            return 0
        percent = round(self.dialogue.representation.threshold * 100)
        payload = encode_replies((Say(tmsg.alert(step.name, groups, percent)),))
        zone, window = self.dialogue.zone, self.dialogue.send_window
        not_before = next_send_moment(now, window, zone)
        day = not_before.astimezone(zone).date().isoformat()
        queued = 0
        with self.database.unit_of_work() as session:
            for listed in self.facilitators:
                row = participant_store.find(
                    session,
                    aad_object_id=None if "@" in listed else listed,
                    email=listed if "@" in listed else None,
                )
                if row is None:
                    continue
                if outbox.enqueue(
                    session,
                    key=f"{ALERT_KIND}:{row.id}:{step.key}:{day}",
                    participant_id=row.id,
                    channel="teams",
                    kind=ALERT_KIND,
                    payload=payload,
                    cipher=self.sealing.outbox,
                    now=now,
                    not_before=not_before,
                    not_after=min(window_end(not_before, window, zone), step.closes)
                    if window_end(not_before, window, zone) > not_before
                    else not_before + timedelta(hours=1),
                    step_key=step.key,
                ):
                    queued += 1
            if queued:
                audit.record(
                    session,
                    at=now,
                    actor="scheduler",
                    action=ALERT_KIND,
                    target=step.key,
                    count=queued,
                    details={"groups": len(groups)},
                )
        log.info("representation alerts queued step=%s count=%d", step.key, queued)
        return queued

    def _current(self, now: datetime) -> Step | None:
        open_now = self.dialogue.open_step(now)
        if open_now is not None:
            return open_now
        opened = [s for s in self.dialogue.steps if s.interactive and s.opens <= now]
        return opened[-1] if opened else None
