"""The scheduler inside ``dialoog serve``: APScheduler 3 (``AsyncIOScheduler``) runs the calendar.

- One job per calendar occasion (:mod:`planning.calendar`), id ``planning:<occasion id>`` (e.g.
  ``planning:nudge:verkennen:7d``), a date trigger at the occasion's moment, always added with
  ``replace_existing=True``. Jobs live in a persistent ``SQLAlchemyJobStore`` in the bot's own
  database (table ``apscheduler_jobs``).
- The job function :func:`run_occasion` is module-level and takes ids only (planner id, occasion
  id); it finds the live :class:`~planning.broadcasts.Broadcasts` registered under the planner id.
- On start the jobs are reconciled with the dialogue file, so edited dates take effect after a
  restart: occasions are (re)scheduled, jobs of occasions no longer in the file are removed, and
  occasions that already ran (audit log) or are no longer useful are left out.
- ``misfire_grace_time`` is how long an occasion stays useful, so a job missed while the bot was
  down still runs at start-up when that makes sense (a step prompt: until the step closes) and is
  skipped when it does not (a nudge whose send window has shut).
- On PostgreSQL only the process holding the advisory lock runs the scheduler; the others retry
  now and then and take over when it goes away. On SQLite the one process runs it.

APScheduler decides *when* to fire by the system clock. The job then asks the injected clock
whether the occasion is due, so tests drive time with a fake clock and call :func:`run_occasion`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from sqlalchemy import inspect, select

from dialogen.dialogue.definition import Step
from dialogen.store import broadcast_log
from dialogen.store.database import Database
from dialogen.store.scheduler_lock import SchedulerLock
from planning import calendar
from planning.broadcasts import Broadcasts
from planning.calendar import Occasion, OccasionKind

log = logging.getLogger(__name__)

JOB_PREFIX = "planning:"
JOB_TABLE = "apscheduler_jobs"
LOCK_RETRY_SECONDS = 60.0

_PLANNERS: dict[str, Broadcasts] = {}
"""Live broadcasters by planner id: how a job (stored as ids only) reaches its process's objects."""
_ALERTS: dict[str, Callable[[], int]] = {}
"""The daily representation check by planner id (``RepresentationWatch.queue_alerts``)."""
ALERT_JOB = "representation:alerts"  # not a calendar occasion: outside JOB_PREFIX


def run_alerts(planner_id: str) -> None:
    """The job function: queue today's representation alerts (once a day by their outbox key)."""
    check = _ALERTS.get(planner_id)
    if check is None:
        log.warning("no representation check %r in this process", planner_id)
        return
    check()


def run_occasion(planner_id: str, occasion_id: str) -> None:
    """The job function: run one calendar occasion with the planner registered under this id."""
    broadcasts = _PLANNERS.get(planner_id)
    if broadcasts is None:
        log.warning("no planner %r in this process: occasion %s not run", planner_id, occasion_id)
        return
    broadcasts.run_occasion(occasion_id)


def job_id(occasion: Occasion) -> str:
    return f"{JOB_PREFIX}{occasion.id}"


@dataclass(frozen=True)
class Reconciliation:
    scheduled: tuple[str, ...]  # occasion ids with a job now
    removed: tuple[str, ...]  # job ids dropped (no longer in the file, already ran, or missed)


class StepScheduler:
    """The calendar's occasions as APScheduler jobs, run by exactly one process."""

    def __init__(
        self,
        broadcasts: Broadcasts,
        *,
        planner_id: str = "default",
        lock_retry_seconds: float = LOCK_RETRY_SECONDS,
        alerts: Callable[[], int] | None = None,
    ) -> None:
        self.alerts = alerts  # the daily representation check, at the send window's opening
        self.broadcasts = broadcasts
        self.planner_id = planner_id
        self.lock = SchedulerLock(broadcasts.database)
        self.scheduler = AsyncIOScheduler(
            timezone=broadcasts.dialogue.zone,
            jobstores={"default": job_store(broadcasts.database)},
            job_defaults={"coalesce": True, "max_instances": 1},
        )
        self._retry_seconds = lock_retry_seconds
        self._waiting: asyncio.Task[None] | None = None
        self._watching: asyncio.Task[None] | None = None
        self._paused = False

    @property
    def running(self) -> bool:
        return self.scheduler.running

    # ------------------------------------------------------------ life cycle

    async def start(self, *, paused: bool = False) -> bool:
        """Run the scheduler here if this process may (True), else keep trying in the background.

        ``paused`` plans every job but fires none (tests drive time themselves)."""
        self._paused = paused
        self._watching = asyncio.create_task(self._watch_lock())
        if self.try_take_over():
            return True
        log.info("another process runs the scheduler; retrying every %.0f s", self._retry_seconds)
        self._waiting = asyncio.create_task(self._wait_for_lock())
        return False

    def try_take_over(self) -> bool:
        """Take the scheduler lock and start scheduling (call from the event loop)."""
        if self.running:
            return True
        if not self.lock.try_acquire():
            return False
        _PLANNERS[self.planner_id] = self.broadcasts
        if self.alerts is not None:
            _ALERTS[self.planner_id] = self.alerts
        self.scheduler.start(paused=True)
        report = self.reconcile()
        log.info(
            "scheduler started: %d jobs, %d removed", len(report.scheduled), len(report.removed)
        )
        if not self._paused:
            self.scheduler.resume()
        return True

    async def stop(self) -> None:
        if self._watching is not None:
            self._watching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watching
            self._watching = None
        if self._waiting is not None:
            self._waiting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._waiting
            self._waiting = None
        if self.running:
            self.scheduler.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler shuts down on its next loop turn
        if _PLANNERS.get(self.planner_id) is self.broadcasts:
            del _PLANNERS[self.planner_id]
            _ALERTS.pop(self.planner_id, None)
        self.lock.release()

    async def _wait_for_lock(self) -> None:
        while not self.try_take_over():
            await asyncio.sleep(self._retry_seconds)

    def check_lock(self) -> bool:
        """Re-check the lock (its connection may have dropped, and another replica taken it):
        when it is gone, stop scheduling here and try to take it over again in the background.
        True while this process schedules."""
        if not self.running or self.lock.still_held():
            return self.running
        log.warning("scheduler lock lost (its database connection dropped); scheduling stops here")
        self.scheduler.shutdown(wait=False)
        if self._waiting is None or self._waiting.done():
            self._waiting = asyncio.get_running_loop().create_task(self._wait_for_lock())
        return False

    async def _watch_lock(self) -> None:
        while True:
            await asyncio.sleep(self._retry_seconds)
            self.check_lock()

    # ------------------------------------------------------------ domain verbs

    def schedule_step_opening(self, step: Step) -> list[str]:
        return self._schedule_kind(step, OccasionKind.STEP_PROMPT)

    def schedule_nudges(self, step: Step) -> list[str]:
        return self._schedule_kind(step, OccasionKind.NUDGE)

    def schedule_step_closing(self, step: Step) -> list[str]:
        return self._schedule_kind(step, OccasionKind.STEP_CLOSED)

    def reconcile(self) -> Reconciliation:
        """Make the stored jobs match the dialogue file and what already ran."""
        scheduled: list[str] = []
        for step in self.broadcasts.dialogue.steps:
            if step.interactive:
                scheduled += self.schedule_step_opening(step)
                scheduled += self.schedule_nudges(step)
                scheduled += self.schedule_step_closing(step)
        wanted = {f"{JOB_PREFIX}{occasion_id}" for occasion_id in scheduled}
        if self.alerts is not None:
            self._add_alerts()
        removed = [
            job.id
            for job in self.scheduler.get_jobs()
            if job.id.startswith(JOB_PREFIX) and job.id not in wanted
        ]
        for stale in removed:
            self.scheduler.remove_job(stale)
        return Reconciliation(tuple(scheduled), tuple(removed))

    def jobs(self) -> list[Job]:
        return [job for job in self.scheduler.get_jobs() if job.id.startswith(JOB_PREFIX)]

    def _schedule_kind(self, step: Step, kind: OccasionKind) -> list[str]:
        dialogue = self.broadcasts.dialogue
        now = self.broadcasts.clock()
        with self.broadcasts.database.unit_of_work() as session:
            done = broadcast_log.occasions_done(session)
        ids: list[str] = []
        for occasion in calendar.occasions(dialogue):
            if occasion.step_key != step.key or occasion.kind is not kind:
                continue
            if occasion.id in done or now >= occasion.expires:
                continue  # ran already, or no longer useful: reconcile removes its job
            self._add(occasion)
            ids.append(occasion.id)
        return ids

    def _add_alerts(self) -> None:
        """Every day at the opening of the send window (its days only)."""
        dialogue = self.broadcasts.dialogue
        window = dialogue.send_window
        days = ",".join(_CRON_DAYS[d] for d in window.days)
        self.scheduler.add_job(
            run_alerts,
            trigger=CronTrigger(
                day_of_week=days,
                hour=window.start.hour,
                minute=window.start.minute,
                timezone=dialogue.zone,
            ),
            args=[self.planner_id],
            id=ALERT_JOB,
            name="representation-alerts",
            misfire_grace_time=6 * 3600,
            coalesce=True,
            max_instances=1,
            replace_existing=True,
        )

    def _add(self, occasion: Occasion) -> None:
        grace = max(1, int((occasion.expires - occasion.at).total_seconds()))
        self.scheduler.add_job(
            run_occasion,
            trigger=DateTrigger(run_date=occasion.at),
            args=[self.planner_id, occasion.id],
            id=job_id(occasion),
            name=occasion.id,
            misfire_grace_time=grace,
            coalesce=True,
            max_instances=1,
            replace_existing=True,
        )


_CRON_DAYS = {
    "ma": "mon",
    "di": "tue",
    "wo": "wed",
    "do": "thu",
    "vr": "fri",
    "za": "sat",
    "zo": "sun",
}


def job_store(database: Database) -> SQLAlchemyJobStore:
    return SQLAlchemyJobStore(engine=database.engine, tablename=JOB_TABLE)


def stored_jobs(database: Database) -> list[tuple[str, datetime | None]]:
    """(occasion id, next run time) of the jobs in the store — readable from another process."""
    if not inspect(database.engine).has_table(JOB_TABLE):
        return []
    table = job_store(
        database
    ).jobs_t  # read the columns only: never unpickle (or delete) from here
    with database.engine.connect() as connection:
        rows = connection.execute(
            select(table.c.id, table.c.next_run_time).order_by(table.c.next_run_time)
        ).all()
    return [
        (
            job_id.removeprefix(JOB_PREFIX),
            datetime.fromtimestamp(when, UTC) if when is not None else None,
        )
        for job_id, when in rows
        if job_id.startswith(JOB_PREFIX)
    ]
