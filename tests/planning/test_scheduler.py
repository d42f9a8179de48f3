"""The scheduler with a persistent job store: every occasion is a job with a deterministic id, jobs
survive a restart, a restart with an edited dialogue reschedules, missed jobs run only while still
useful, and exactly one process schedules. Time is a fake clock; due jobs are fired by calling the
job function, as APScheduler would at that moment — no waiting."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED, JobExecutionEvent
from sqlalchemy import text
from sqlmodel import func, select

from dialogen.dialogue.definition import Dialogue, SendWindow
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.store.database import Database
from dialogen.store.outbox import OutboxRow
from planning import calendar
from planning.broadcasts import Broadcasts
from planning.scheduler import StepScheduler, run_occasion, stored_jobs
from tests.conftest import SECRET, make_door
from tests.planning.people import People
from tests.support.clock import FakeClock

AMS = ZoneInfo("Europe/Amsterdam")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


@pytest.fixture
async def schedulers(
    database: Database, clock: FakeClock
) -> AsyncIterator[Callable[..., StepScheduler]]:
    """Makes schedulers on the test database (one per simulated process start); stops them all."""
    made: list[StepScheduler] = []

    def make(dialogue: Dialogue, planner_id: str = "test") -> StepScheduler:
        broadcasts = Broadcasts(
            database=database, dialogue=dialogue, clock=clock, pseudonyms=Pseudonyms(SECRET)
        )
        made.append(StepScheduler(broadcasts, planner_id=planner_id, lock_retry_seconds=3600))
        return made[-1]

    yield make
    for scheduler in made:
        await scheduler.stop()


def fire_due(scheduler: StepScheduler, now: datetime) -> list[str]:
    """What APScheduler does when ``now`` comes: run each due job once, drop it (date trigger)."""
    fired = []
    for job in scheduler.jobs():
        if job.next_run_time <= now:
            job.func(*job.args)
            scheduler.scheduler.remove_job(job.id)
            fired.append(job.name)
    return fired


def queued(database: Database, kind: str) -> int:
    with database.unit_of_work() as session:
        return session.exec(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.kind == kind)
        ).one()


@pytest.fixture
def people(
    database: Database, real_dialogue: Dialogue, registry: MunicipalityRegistry, clock: FakeClock
) -> People:
    clock.set(local(2024, 9, 18, 10, 0))
    crowd = People(make_door(database, real_dialogue, registry, clock))
    for name in ("anna", "bert", "carla"):
        crowd.join(name)
    return crowd


async def test_start_plans_every_occasion_with_deterministic_ids(
    schedulers, real_dialogue: Dialogue, clock: FakeClock
) -> None:
    clock.set(local(2024, 9, 1, 12, 0))
    scheduler = schedulers(real_dialogue)
    assert await scheduler.start(paused=True)
    jobs = {job.id: job for job in scheduler.jobs()}
    assert set(jobs) == {f"planning:{o.id}" for o in calendar.occasions(real_dialogue)}
    assert "planning:nudge:verrijken:ochtend" not in jobs  # same Friday as "2d": one nudge
    nudge = jobs["planning:nudge:verkennen:7d"]
    assert nudge.next_run_time == local(2024, 9, 30, 8, 30)
    assert nudge.args == ("test", "nudge:verkennen:7d")  # the job function takes ids only
    assert nudge.misfire_grace_time == 9 * 3600  # useful until the send window shuts at 17:30
    prompt = jobs["planning:step_prompt:verkennen"]
    assert prompt.misfire_grace_time == int(
        (local(2024, 10, 7, 23, 59) - local(2024, 9, 18, 9, 0)).total_seconds()
    )


async def test_due_jobs_queue_their_messages_when_their_time_comes(
    schedulers, real_dialogue: Dialogue, people: People, database: Database, clock: FakeClock
) -> None:
    clock.set(local(2024, 9, 18, 8, 0))
    scheduler = schedulers(real_dialogue)
    await scheduler.start(paused=True)
    assert fire_due(scheduler, clock()) == []
    clock.set(local(2024, 9, 18, 9, 0))
    assert fire_due(scheduler, clock()) == ["step_prompt:verkennen"]
    assert queued(database, "step_prompt") == 3
    clock.set(local(2024, 9, 30, 8, 30))
    assert fire_due(scheduler, clock()) == ["nudge:verkennen:7d"]
    assert queued(database, "nudge") == 3


async def test_jobs_survive_a_restart_without_duplicates(
    schedulers, real_dialogue: Dialogue, people: People, database: Database, clock: FakeClock
) -> None:
    clock.set(local(2024, 9, 18, 9, 0))
    first = schedulers(real_dialogue, "first")
    await first.start(paused=True)
    fire_due(first, clock())
    before = sorted(job.id for job in first.jobs())
    await first.stop()
    assert (
        sorted(f"planning:{occasion_id}" for occasion_id, _ in stored_jobs(database)) == before
    )  # persisted

    second = schedulers(real_dialogue, "second")  # the bot restarts
    await second.start(paused=True)
    assert sorted(job.id for job in second.jobs()) == before
    assert "planning:step_prompt:verkennen" not in before  # it ran: not planned again
    run_occasion("second", "step_prompt:verkennen")  # even if fired again
    assert queued(database, "step_prompt") == 3


async def test_a_job_that_ran_just_before_a_crash_is_not_planned_again(
    schedulers, real_dialogue: Dialogue, people: People, database: Database, clock: FakeClock
) -> None:
    clock.set(local(2024, 9, 18, 9, 0))
    first = schedulers(real_dialogue, "first")
    await first.start(paused=True)
    run_occasion("first", "step_prompt:verkennen")  # ran, but the job was not yet removed: crash
    await first.stop()
    second = schedulers(real_dialogue, "second")
    await second.start(paused=True)
    assert "planning:step_prompt:verkennen" not in {job.id for job in second.jobs()}


async def test_edited_dates_and_offsets_are_rescheduled_on_restart(
    schedulers, real_dialogue: Dialogue, clock: FakeClock
) -> None:
    clock.set(local(2024, 9, 1, 12, 0))
    first = schedulers(real_dialogue, "first")
    await first.start(paused=True)
    await first.stop()
    steps = list(real_dialogue.shifted(timedelta(days=7)).steps)
    steps[2] = steps[2].model_copy(update={"nudges": ("2d",)})
    edited = real_dialogue.model_copy(update={"steps": tuple(steps)})
    second = schedulers(edited, "second")
    await second.start(paused=True)
    jobs = {job.id: job.next_run_time for job in second.jobs()}
    assert jobs["planning:step_prompt:verkennen"] == local(2024, 9, 25, 9, 0)  # a week later
    assert jobs["planning:nudge:verkennen:2d"] == local(2024, 10, 11, 8, 30)
    assert (
        "planning:nudge:verkennen:7d" not in jobs and "planning:nudge:verkennen:ochtend" not in jobs
    )


async def test_after_downtime_a_missed_nudge_runs_while_its_window_is_open(
    schedulers, real_dialogue: Dialogue, people: People, database: Database, clock: FakeClock
) -> None:
    clock.set(local(2024, 9, 30, 12, 0))  # down since before the 18th; back on Monday noon
    scheduler = schedulers(real_dialogue)
    await scheduler.start(paused=True)
    assert fire_due(scheduler, clock()) == ["step_prompt:verkennen", "nudge:verkennen:7d"]
    assert queued(database, "step_prompt") == 3 and queued(database, "nudge") == 3


async def test_after_downtime_a_nudge_whose_window_passed_is_skipped(
    schedulers, real_dialogue: Dialogue, people: People, database: Database, clock: FakeClock
) -> None:
    clock.set(local(2024, 9, 30, 18, 0))  # back on Monday evening: the 7d nudge's window has shut
    scheduler = schedulers(real_dialogue)
    await scheduler.start(paused=True)
    assert "planning:nudge:verkennen:7d" not in {job.id for job in scheduler.jobs()}
    assert fire_due(scheduler, clock()) == ["step_prompt:verkennen"]  # still useful: sent
    assert queued(database, "nudge") == 0


async def test_exactly_one_process_runs_the_scheduler(
    schedulers, database: Database, real_dialogue: Dialogue, clock: FakeClock
) -> None:
    clock.set(local(2024, 9, 1, 12, 0))
    first, second = schedulers(real_dialogue, "first"), schedulers(real_dialogue, "second")
    assert await first.start(paused=True)
    if database.is_sqlite:  # one process on SQLite: nothing to arbitrate
        return
    assert not await second.start(paused=True)  # PostgreSQL: the advisory lock is taken
    assert not second.running and not second.try_take_over()
    await first.stop()
    assert second.try_take_over() and second.running  # takes over when the first goes away


async def test_the_real_scheduler_sends_a_missed_step_prompt_at_start_up(
    database: Database, real_dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    """With the system clock: a step that opened an hour ago while the bot was down."""

    def now() -> datetime:
        return datetime.now(UTC)

    verkennen = real_dialogue.step("verkennen")
    assert verkennen is not None
    dialogue = real_dialogue.shifted(
        now().replace(second=0, microsecond=0) - timedelta(hours=1) - verkennen.opens
    )
    dialogue = dialogue.model_copy(
        update={
            "send_window": SendWindow(
                days=("ma", "di", "wo", "do", "vr", "za", "zo"),
                start=time(0, 0),
                end=time(23, 59, 59),
            )
        }
    )
    crowd = People(make_door(database, dialogue, registry, now))
    crowd.join("anna")  # answering the first question: has not completed the step
    scheduler = StepScheduler(
        Broadcasts(database=database, dialogue=dialogue, clock=now, pseudonyms=Pseudonyms(SECRET)),
        planner_id="real",
    )
    ran = asyncio.Event()
    loop = asyncio.get_running_loop()

    def executed(event: JobExecutionEvent) -> None:
        if event.job_id == "planning:step_prompt:verkennen":
            loop.call_soon_threadsafe(ran.set)

    scheduler.scheduler.add_listener(executed, EVENT_JOB_EXECUTED)
    try:
        assert await scheduler.start()
        await asyncio.wait_for(ran.wait(), timeout=10)
    finally:
        await scheduler.stop()
    assert queued(database, "step_prompt") == 1


async def test_a_scheduler_whose_lock_connection_dropped_stops_and_another_takes_over(
    schedulers, database: Database, real_dialogue: Dialogue, clock: FakeClock
) -> None:
    clock.set(local(2024, 9, 1, 12, 0))
    first, second = schedulers(real_dialogue, "first"), schedulers(real_dialogue, "second")
    assert await first.start(paused=True)
    assert first.check_lock()  # nothing happened: still the scheduler
    if database.is_sqlite:  # one process on SQLite: nothing to arbitrate
        return
    with database.engine.connect() as admin:  # the lock's connection drops (e.g. a DB restart)
        admin.execute(
            text(
                "SELECT pg_terminate_backend(pid, 10000) FROM pg_locks "
                "WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()"
            )
        )
    assert second.try_take_over() and second.running  # the lock is free: another replica has it
    assert not first.check_lock()  # and the first stops scheduling
    await asyncio.sleep(0)  # AsyncIOScheduler shuts down on its next loop turn
    assert not first.running
