"""Broadcasts: the step prompt and nudges, by hand (facilitator, operator) or by the calendar.

The one place that turns an :class:`~planning.audience.Audience` into outbox rows. Every message
has an idempotency key, so running a broadcast twice — or while the first is still being sent —
queues nothing twice; the preview then says so in ``problem``. Every send lands in the audit log.
Messages go out within the dialogue's send window (``not_before``) and nudges only until that
window shuts (``not_after``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from dialogen.contracts import SegmentLookup
from dialogen.conversation import messages as msg
from dialogen.conversation.replies import Reply
from dialogen.conversation.reply_codec import encode_replies
from dialogen.dialogue.definition import Dialogue, Step
from dialogen.dialogue.timing import next_send_moment
from dialogen.facilitation.follow_up import asked_steps
from dialogen.participation.representation_live import (
    GroupFilter,
    behind_order,
    find_group,
    group_names,
    known_groups,
    step_representation,
)
from dialogen.privacy.payload_cipher import Sealing
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.store import audit, broadcast_log, outbox
from dialogen.store import participation_queries as queries
from dialogen.store.database import Database
from planning import audience as audiences
from planning import calendar
from planning import messages as pmsg
from planning.audience import Audience
from planning.calendar import Occasion, OccasionKind, SendSlot

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
BATCH = 500
"""Messages queued per transaction, so a big broadcast never holds the write lock for long."""


@dataclass(frozen=True)
class BroadcastPreview:
    step_key: str
    kind: str  # "step_prompt" | "nudge"
    replies: tuple[
        Reply, ...
    ]  # exactly what participants get (for nudges: the most common variant)
    recipients: dict[str, int]  # per channel, e.g. {"teams": 120, "mail": 30}
    problem: str | None  # Dutch explanation when nothing would be sent


@dataclass(frozen=True)
class PlannedItem:
    when: datetime
    what: str  # Dutch
    step_key: str


@dataclass(frozen=True)
class _Plan:
    audience: Audience | None
    slot: SendSlot | None
    problem: str | None
    kind: OccasionKind
    step_key: str
    offset: str | None = None


class Broadcasts:
    def __init__(
        self,
        *,
        database: Database,
        dialogue: Dialogue,
        clock: Clock,
        pseudonyms: Pseudonyms,
        sealing: Sealing | None = None,
        municipalities: SegmentLookup | None = None,
    ) -> None:
        self.municipalities = municipalities  # segments: reminders to one group, behind first
        self.database = database
        self.dialogue = dialogue
        self.clock = clock
        self._pseudonyms = pseudonyms
        self._sealing = sealing or Sealing.derived_from(pseudonyms)

    # ------------------------------------------------------------ by hand

    def preview_step_prompt(self, step_key: str) -> BroadcastPreview:
        return self._preview(self._plan_prompt(step_key, self.clock()))

    def send_step_prompt(self, step_key: str, *, actor: str) -> int:
        return self._send(self._plan_prompt(step_key, self.clock()), actor=actor)

    def preview_nudge(self, step_key: str, *, group: str | None = None) -> BroadcastPreview:
        """``group``: only the participants of this group (a role group, role, province or
        network, as typed: ``griffier``, ``Utrecht``, ``G40``)."""
        return self._preview(self._plan_manual_nudge(step_key, self.clock(), group))

    def send_nudge(self, step_key: str, *, actor: str, group: str | None = None) -> int:
        return self._send(self._plan_manual_nudge(step_key, self.clock(), group), actor=actor)

    def first_send_moment(self) -> datetime:
        """When a message queued now can go out (now, or the next opening of the send window)."""
        return next_send_moment(self.clock(), self.dialogue.send_window, self.dialogue.zone)

    def upcoming(self) -> list[PlannedItem]:
        """What the calendar still has to do, in time order (what already ran is left out)."""
        with self.database.unit_of_work() as session:
            done = broadcast_log.occasions_done(session)
        return [
            PlannedItem(o.at, _describe(self.dialogue, o), o.step_key)
            for o in calendar.upcoming(self.dialogue, self.clock(), done)
        ]

    # ------------------------------------------------------------ by the calendar

    def run_occasion(self, occasion_id: str) -> int | None:
        """Run one calendar occasion now (the scheduler's job). None when it is not (or no longer)
        useful: unknown after a dialogue edit, already run, or its moment has passed."""
        now = self.clock()
        occasion = calendar.find(self.dialogue, occasion_id)
        if occasion is None:
            log.warning(
                "scheduled occasion %s is not in the dialogue (edited?): skipped", occasion_id
            )
            return None
        with self.database.unit_of_work() as session:
            if occasion.id in broadcast_log.occasions_done(session):
                log.info("occasion %s already ran: skipped", occasion.id)
                return None
        slot = calendar.occasion_slot(self.dialogue, occasion, now)
        if now < occasion.at or slot is None:
            log.info("occasion %s is not due at this time (missed or early): skipped", occasion.id)
            return None
        return self._send(
            self._plan_occasion(occasion, slot),
            actor=broadcast_log.SCHEDULER_ACTOR,
            occasion=occasion,
        )

    # ------------------------------------------------------------ planning a broadcast

    def _open_step(self, step_key: str, now: datetime) -> tuple[Step | None, str | None]:
        step = self.dialogue.step(step_key)
        zone = self.dialogue.zone
        if step is None:
            keys = [s.key for s in self.dialogue.steps if s.interactive]
            return None, pmsg.unknown_step(step_key, keys)
        if not step.interactive:
            return None, pmsg.not_interactive(step.name)
        if now >= step.closes:
            return None, pmsg.step_closed(step.name, msg.when(step.closes, zone))
        if now < step.opens:
            return None, pmsg.step_not_open(step.name, msg.when(step.opens, zone))
        return step, None

    def _plan_prompt(self, step_key: str, now: datetime) -> _Plan:
        kind = OccasionKind.STEP_PROMPT
        step, problem = self._open_step(step_key, now)
        if step is None:
            return _Plan(None, None, problem, kind, step_key)
        slot = calendar.prompt_slot(self.dialogue, step, now)
        if slot is None:
            return _Plan(None, None, pmsg.no_send_moment(step.name), kind, step_key)
        with self.database.unit_of_work() as session:
            found = audiences.for_step_prompt(
                session,
                self.dialogue,
                step,
                progress=self._sealing.progress,
                asked=self._asked(session, step),
            )
        return _Plan(found, slot, found.problem, kind, step_key)

    def _plan_manual_nudge(self, step_key: str, now: datetime, group: str | None = None) -> _Plan:
        kind = OccasionKind.NUDGE
        wanted: GroupFilter | None = None
        if group is not None:
            wanted = find_group(group)
            if wanted is None or self.municipalities is None:
                return _Plan(None, None, pmsg.no_such_group(group, known_groups()), kind, step_key)
        step, problem = self._open_step(step_key, now)
        if step is None:
            return _Plan(None, None, problem, kind, step_key)
        slot = calendar.manual_nudge_slot(self.dialogue, step, now)
        if slot is None:
            return _Plan(None, None, pmsg.no_send_moment(step.name), kind, step_key)
        offset = calendar.manual_offset(self.dialogue, slot.not_before)
        plan = self._plan_nudge(step, offset, slot)
        if wanted is None or plan.audience is None or self.municipalities is None:
            return plan
        with self.database.unit_of_work() as session:
            segments = queries.segments_by_participant(session, municipalities=self.municipalities)
        kept = tuple(
            d
            for d in plan.audience.deliveries
            if d.participant_id in segments and wanted.holds(segments[d.participant_id])
        )
        found = replace(
            plan.audience,
            deliveries=kept,
            problem=None if kept else pmsg.nobody_in_group(wanted.label, step.name),
        )
        return replace(plan, audience=found, problem=found.problem)

    def _plan_nudge(self, step: Step, offset: str, slot: SendSlot) -> _Plan:
        with self.database.unit_of_work() as session:
            found = audiences.for_nudge(
                session,
                self.dialogue,
                step,
                offset=offset,
                slot=slot,
                pseudonyms=self._pseudonyms,
                progress=self._sealing.progress,
                asked=self._asked(session, step),
            )
            if self.dialogue.representation.nudge_behind_first and self.municipalities:
                found = self._behind_first(session, step, found)
        return _Plan(found, slot, found.problem, OccasionKind.NUDGE, step.key, offset)

    def _asked(self, session: object, step: Step) -> audiences.AskedStep:
        """``step`` as each participant is asked it: with Verdiepen's confirmed follow-up
        questions in place of the file's, so a prompt, reminder or thank-you counts what they
        really get (and nobody who answered them is reminded)."""
        return asked_steps(
            session,
            self.dialogue,
            step,
            pseudonyms=self._pseudonyms,
        )

    def _behind_first(self, session: object, step: Step, found: Audience) -> Audience:
        """The reminders to the groups furthest behind first (queued, and so sent, first)."""
        assert self.municipalities is not None
        people = queries.people(
            session,  # type: ignore[arg-type]
            municipalities=self.municipalities,
            cipher=self._sealing.progress,
        )
        threshold = self.dialogue.representation.threshold
        order = behind_order(
            step_representation(step, people, threshold=threshold), threshold=threshold
        )
        segments = queries.segments_by_participant(
            session,  # type: ignore[arg-type]
            municipalities=self.municipalities,
        )
        place = {name: i for i, name in enumerate(order)}

        def rank(participant_id: str) -> int:
            segment = segments.get(participant_id)
            names = group_names(segment) if segment is not None else set()
            return min((place[n] for n in names if n in place), default=len(place))

        ordered = sorted(found.deliveries, key=lambda d: rank(d.participant_id))  # stable
        return replace(found, deliveries=tuple(ordered))

    def _plan_occasion(self, occasion: Occasion, slot: SendSlot) -> _Plan:
        step = self.dialogue.step(occasion.step_key)
        assert step is not None  # occasions come from the dialogue's own steps
        if occasion.kind is OccasionKind.NUDGE:
            return self._plan_nudge(step, occasion.offset or "", slot)
        with self.database.unit_of_work() as session:
            asked = self._asked(session, step)
            if occasion.kind is OccasionKind.STEP_PROMPT:
                found = audiences.for_step_prompt(
                    session, self.dialogue, step, progress=self._sealing.progress, asked=asked
                )
            else:
                found = audiences.for_thanks(
                    session,
                    self.dialogue,
                    step,
                    pseudonyms=self._pseudonyms,
                    progress=self._sealing.progress,
                    asked=asked,
                )
        return _Plan(found, slot, found.problem, occasion.kind, step.key)

    # ------------------------------------------------------------ preview and send

    def _preview(self, plan: _Plan) -> BroadcastPreview:
        found = plan.audience
        return BroadcastPreview(
            step_key=plan.step_key,
            kind=plan.kind.value,
            replies=found.example if found else (),
            recipients=found.per_channel() if found else {},
            problem=plan.problem,
        )

    def _send(self, plan: _Plan, *, actor: str, occasion: Occasion | None = None) -> int:
        now = self.clock()
        queued: dict[str, int] = {}
        deliveries = plan.audience.deliveries if plan.audience and plan.slot else ()
        for start in range(0, len(deliveries), BATCH):
            with self.database.unit_of_work() as session:
                for d in deliveries[start : start + BATCH]:
                    assert plan.slot is not None
                    if outbox.enqueue(
                        session,
                        key=d.key,
                        participant_id=d.participant_id,
                        channel=d.channel,
                        kind=plan.kind.value,
                        payload=encode_replies(d.replies),
                        cipher=self._sealing.outbox,
                        now=now,
                        not_before=plan.slot.not_before,
                        not_after=plan.slot.not_after,
                        step_key=plan.step_key,
                    ):
                        queued[d.channel] = queued.get(d.channel, 0) + 1
        count = sum(queued.values())
        details: dict[str, object] = {"channels": queued}
        if plan.offset:
            details["offset"] = plan.offset
        if occasion is not None:
            details["occasion"] = occasion.id
        if plan.problem and not count:
            details["refused"] = plan.problem
        with self.database.unit_of_work() as session:
            audit.record(
                session,
                at=now,
                actor=actor,
                action=plan.kind.value,
                target=plan.step_key,
                count=count,
                details=details,
            )
        log.info(
            "broadcast %s step=%s queued=%d by=%s",
            plan.kind.value,
            plan.step_key,
            count,
            _actor_kind(actor),
        )
        return count


def _actor_kind(actor: str) -> str:
    """Who acted, without naming them (logs carry no personal data; the audit log does)."""
    if actor == broadcast_log.SCHEDULER_ACTOR:
        return "scheduler"
    return "cli" if actor.startswith("cli:") else "facilitator"


def _describe(dialogue: Dialogue, occasion: Occasion) -> str:
    step = dialogue.step(occasion.step_key)
    name = step.name if step else occasion.step_key
    if occasion.kind is OccasionKind.STEP_PROMPT:
        return pmsg.planned_prompt(name)
    if occasion.kind is OccasionKind.NUDGE:
        return pmsg.planned_nudge(name, occasion.offset or "", occasion.merged)
    return pmsg.planned_thanks(name)
