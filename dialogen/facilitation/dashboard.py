"""What the facilitator dashboard shows, as display values after k-suppression: the overview
(per interactive step invited, reached, started and completed, and those totals over time), the
representation per role group, province and network, and the broadcasts (planned and past).

The dashboard's pages render these values only; none of them queries a table. Every count goes
through :func:`dialogen.analysis.suppression.suppress` (a count of 1 to k-1 reads "< k"), and the
chart's series through :func:`history_points` (no point whose difference with the one before
could describe fewer than k people).

"Reached" for a step is how many step messages (the prompt with its Begin button) were queued
for it, as the audit log of the broadcasts says: repeating a broadcast sends nobody anything twice,
so the sum counts each participant once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from dialogen.analysis.representation import THRESHOLD, GroupCount, Representation
from dialogen.analysis.representation import representation as represent
from dialogen.analysis.suppression import Key, suppress
from dialogen.contracts import Broadcasting, Clock, SegmentLookup
from dialogen.dialogue.definition import Dialogue, Step
from dialogen.facilitation import messages as fmsg
from dialogen.participation.figures import (
    counts_by_group,
    focus_step,
)
from dialogen.privacy.anonymity import K_ANONYMITY
from dialogen.privacy.payload_cipher import PayloadCipher
from dialogen.stakeholders.segments import Segment
from dialogen.store import audit
from dialogen.store import dashboard as store
from dialogen.store import participation_queries as queries
from dialogen.store.database import Database

BROADCAST_ACTIONS = ("step_prompt", "nudge", "step_closed")
PAST_SHOWN = 50


def k_text(count: int, k: int = K_ANONYMITY) -> str:
    """One count on its own: "< k" for 1 to k-1 (0 describes nobody)."""
    return f"< {k}" if 0 < count < k else str(count)


@dataclass(frozen=True)
class StepFigures:
    key: str
    name: str
    status: str  # Dutch: "open", "gesloten", "nog niet open"
    opens: datetime
    closes: datetime
    invited: str
    reached: str
    started: str
    started_share: str
    completed: str
    completed_share: str


@dataclass(frozen=True)
class HistoryPoint:
    day: date
    started: int | None  # None: not shown (see history_points)
    completed: int | None


@dataclass(frozen=True)
class StepHistory:
    key: str
    name: str
    points: tuple[HistoryPoint, ...]


@dataclass(frozen=True)
class Overview:
    invited: str
    consented: str
    opted_out: str
    reached_in_teams: str
    reached_by_mail: str
    steps: tuple[StepFigures, ...]
    history: tuple[StepHistory, ...]
    focus: str | None
    k: int


@dataclass(frozen=True)
class RepresentationView:
    step_key: str
    step_name: str
    steps: tuple[tuple[str, str], ...]  # (key, name) of every interactive step, to choose from
    dimensions: tuple[Representation, ...]
    threshold: float
    k: int


@dataclass(frozen=True)
class PlannedBroadcast:
    when: datetime
    what: str
    step_key: str


@dataclass(frozen=True)
class PastBroadcast:
    at: datetime
    kind: str  # "step_prompt", "nudge", "step_closed"
    step_name: str
    count: str
    by_scheduler: bool


@dataclass(frozen=True)
class BroadcastsView:
    planned: tuple[PlannedBroadcast, ...]
    past: tuple[PastBroadcast, ...]
    steps: tuple[tuple[str, str, bool], ...]  # (key, name, open now) of every interactive step


def history_points(
    values: Sequence[tuple[date, int]], k: int = K_ANONYMITY
) -> tuple[tuple[date, int | None], ...]:
    """A cumulative series as it may be shown: a day's value only when it is at least k and it
    differs from the last shown value by 0 or by at least k; otherwise None. So no two shown
    points differ by 1 to k-1 (nobody can read "one person started on Tuesday" off the chart)."""
    shown: list[tuple[date, int | None]] = []
    last: int | None = None
    for day, value in values:
        ok = value >= k and (last is None or value == last or abs(value - last) >= k)
        shown.append((day, value if ok else None))
        if ok:
            last = value
    return tuple(shown)


class DashboardFigures:
    def __init__(
        self,
        *,
        database: Database,
        dialogue: Dialogue,
        municipalities: SegmentLookup,
        progress: PayloadCipher,
        clock: Clock,
        broadcasts: Broadcasting | None,
        k: int = K_ANONYMITY,
    ) -> None:
        self.database = database
        self.dialogue = dialogue
        self.municipalities = municipalities
        self.clock = clock
        self.broadcasts = broadcasts
        self.k = k
        self._segments: dict[tuple[str | None, ...], Segment] = {}  # derived once per process
        self._completed = queries.CompletedSteps(progress)  # states opened once per process

    # ------------------------------------------------------------ the pages

    def overview(self) -> Overview:
        now = self.clock()
        steps = [s for s in self.dialogue.steps if s.interactive]
        with self.database.unit_of_work() as session:
            totals = queries.flag_totals(session)
            started = queries.started_by_step(session, dialogue_key=self.dialogue.key)
            completed = self._completed.count(session)
            reached = store.reached_by_step(session)
        counts: dict[Key, int] = {
            ("invited",): totals.invited,
            ("consented",): totals.consented,
            ("opted out",): totals.opted_out,
            ("reach", "teams"): totals.reached_in_teams,
            ("reach", "mail"): totals.reached_by_mail,
        }
        for step in steps:
            counts[("reached", step.key)] = reached.get(step.key, 0)
            counts[("started", step.key)] = started.get(step.key, 0)
            counts[("completed", step.key)] = completed.get(step.key, 0)
        shown = suppress(counts, [], k=self.k)
        today = now.astimezone(self.dialogue.zone).date()
        with self.database.unit_of_work() as session:
            store.record_day(
                session,
                dialogue_key=self.dialogue.key,
                day=today,
                totals={
                    s.key: (counts[("started", s.key)], counts[("completed", s.key)]) for s in steps
                },
            )
            rows = store.days(session, dialogue_key=self.dialogue.key)
        focus = focus_step(self.dialogue, now)
        return Overview(
            invited=shown.text(("invited",)),
            consented=shown.text(("consented",)),
            opted_out=shown.text(("opted out",)),
            reached_in_teams=shown.text(("reach", "teams")),
            reached_by_mail=shown.text(("reach", "mail")),
            steps=tuple(
                StepFigures(
                    key=s.key,
                    name=s.name,
                    status=_status(s, now),
                    opens=s.opens,
                    closes=s.closes,
                    invited=shown.text(("invited",)),
                    reached=shown.text(("reached", s.key)),
                    started=shown.text(("started", s.key)),
                    started_share=shown.percent(("started", s.key), ("invited",))
                    or fmsg.NO_PERCENTAGE,
                    completed=shown.text(("completed", s.key)),
                    completed_share=shown.percent(("completed", s.key), ("invited",))
                    or fmsg.NO_PERCENTAGE,
                )
                for s in steps
            ),
            history=tuple(
                self._history(s, [r for r in rows if r.step_key == s.key]) for s in steps
            ),
            focus=focus.key if focus else None,
            k=self.k,
        )

    def representation(self, step_key: str | None = None) -> RepresentationView:
        interactive = [s for s in self.dialogue.steps if s.interactive]
        step = self.dialogue.step(step_key) if step_key else None
        if step is None or not step.interactive:
            step = focus_step(self.dialogue, self.clock())
        dimensions: list[Representation] = []
        if step is not None:
            with self.database.unit_of_work() as session:
                invited = queries.invited_by_segment(
                    session, municipalities=self.municipalities, derived=self._segments
                )
                started = queries.start_tally(
                    session, dialogue_key=self.dialogue.key, step_key=step.key
                )
            for dimension in counts_by_group(invited, started):
                dimensions.append(
                    represent(
                        [
                            # An answer's released segment can name a group its sender is no
                            # longer invited in (changed role): never more than were invited.
                            GroupCount(label, invited, min(started, invited))
                            for label, invited, started in dimension.groups
                        ],
                        step=step.key,
                        dimension=dimension.title,
                        partition=dimension.partition,
                        k=self.k,
                    )
                )
        return RepresentationView(
            step_key=step.key if step else "",
            step_name=step.name if step else "",
            steps=tuple((s.key, s.name) for s in interactive),
            dimensions=tuple(dimensions),
            threshold=THRESHOLD,
            k=self.k,
        )

    def broadcasts_view(self) -> BroadcastsView:
        now = self.clock()
        planned = (
            tuple(
                PlannedBroadcast(item.when, item.what, getattr(item, "step_key", ""))
                for item in sorted(self.broadcasts.upcoming(), key=lambda i: i.when)
            )
            if self.broadcasts is not None
            else ()
        )
        with self.database.unit_of_work() as session:
            rows = store.broadcasts_done(session, actions=BROADCAST_ACTIONS, limit=PAST_SHOWN)
            past = tuple(
                PastBroadcast(
                    at=row.at,
                    kind=row.action,
                    step_name=self._step_name(row.target),
                    count=k_text(row.count, self.k),
                    by_scheduler=row.actor == "scheduler",
                )
                for row in rows
            )
        open_now = self.dialogue.open_step(now)
        return BroadcastsView(
            planned=planned,
            past=past,
            steps=tuple(
                (s.key, s.name, open_now is not None and open_now.key == s.key)
                for s in self.dialogue.steps
                if s.interactive
            ),
        )

    def record_view(self, *, actor: str, page: str) -> None:
        """A page opened (not its refreshes): who looked at what, in the audit log."""
        with self.database.unit_of_work() as session:
            audit.record(
                session, at=self.clock(), actor=actor, action="dashboard_view", target=page
            )

    # ------------------------------------------------------------ helpers

    def _history(self, step: Step, rows: Iterable[store.ParticipationDayRow]) -> StepHistory:
        rows = list(rows)
        started = dict(history_points([(r.day, r.started) for r in rows], self.k))
        completed = dict(history_points([(r.day, r.completed) for r in rows], self.k))
        return StepHistory(
            step.key,
            step.name,
            tuple(HistoryPoint(r.day, started[r.day], completed[r.day]) for r in rows),
        )

    def _step_name(self, key: str | None) -> str:
        step = self.dialogue.step(key) if key else None
        return step.name if step else (key or "")


def _status(step: Step, now: datetime) -> str:
    if now < step.opens:
        return fmsg.STEP_NOT_OPEN_YET
    if now >= step.closes:
        return fmsg.STEP_CLOSED
    return fmsg.STEP_OPEN
