"""Housekeeping that keeps the database from telling more than it must, run now and then by the
outbox sender (``planning.sender``), in every process that sends:

- finished outbox messages (sent, failed, cancelled) are deleted after ``outbox_retention``:
  their payloads were wiped when they finished, but the rows still say to whom what kind of
  message went when;
- on PostgreSQL the answer table is rewritten in the order of its random ids (``CLUSTER``), so the
  physical order of its rows no longer shows in which order they were written. (SQLite keeps the
  answer table without a rowid, ordered by those ids, all the time.) Until the next run, the
  answers written since the last one are still in the order they came in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from dialogen.contracts import Clock
from dialogen.store import answers, outbox
from dialogen.store.database import Database

log = logging.getLogger(__name__)

EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class HousekeepingDone:
    purged: int  # finished outbox messages deleted
    reordered: bool  # the answer table was rewritten in random order


class PrivacyHousekeeping:
    def __init__(
        self,
        *,
        database: Database,
        clock: Clock,
        outbox_retention: timedelta,
        every: timedelta = EVERY,
    ) -> None:
        self._database = database
        self._clock = clock
        self._retention = outbox_retention
        self._every = every
        self._last: datetime | None = None

    def run_if_due(self) -> HousekeepingDone | None:
        """Run when the last run is ``every`` ago (or there was none in this process)."""
        now = self._clock()
        if self._last is not None and now - self._last < self._every:
            return None
        self._last = now
        return self.run()

    def run(self) -> HousekeepingDone:
        now = self._clock()
        with self._database.unit_of_work() as session:
            purged = outbox.purge_finished(session, before=now - self._retention)
        reordered = False
        if not self._database.is_sqlite:
            with self._database.unit_of_work() as session:
                answers.reorder(session)
            reordered = True
        if purged:
            log.info("privacy housekeeping: %d finished outbox message(s) deleted", purged)
        return HousekeepingDone(purged, reordered)
