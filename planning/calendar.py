"""The calendar rules: given the dialogue, the time now and what already ran — what is due when.

Pure: no clock of its own, no storage. For every interactive step there are three kinds of
*occasions*:

- ``step_prompt`` — when the step opens (moved forward into the send window): everyone who can be
  reached gets the step's opening card. Useful until the step closes, so a prompt missed while the
  bot was down is still sent on start-up.
- ``nudge`` — at each of the step's offsets before the close (see :mod:`dialogen.dialogue.timing`).
  Useful only until the send window it falls in shuts (and never after the close): a nudge missed
  while the bot was down is skipped once its window has passed. Offsets that land on the same local
  day are merged into the earliest, so nobody gets two nudges for one step on one day.
- ``step_closed`` — the first send moment after the close: a thank-you to those who took part.

Every moment is an aware UTC datetime.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from dialogen.dialogue.definition import Dialogue, Step
from dialogen.dialogue.timing import next_send_moment, nudge_moment, parse_offset, window_end

THANKS_USEFUL_FOR = timedelta(days=3)
"""A thank-you that could not go out within this time after its moment is no longer sent."""

MANUAL_OFFSET_PREFIX = "handmatig-"


class OccasionKind(StrEnum):
    STEP_PROMPT = "step_prompt"
    NUDGE = "nudge"
    STEP_CLOSED = "step_closed"


@dataclass(frozen=True)
class Occasion:
    """Something the calendar says should happen once, for everyone it concerns."""

    kind: OccasionKind
    step_key: str
    at: datetime
    expires: datetime
    offset: str | None = None  # nudges only
    merged: tuple[str, ...] = ()  # nudge offsets on the same day that this one covers

    @property
    def id(self) -> str:
        """Stable across restarts and date edits: ``nudge:verkennen:7d``,
        ``step_prompt:verkennen``."""
        parts = [self.kind.value, self.step_key] + ([self.offset] if self.offset else [])
        return ":".join(parts)

    def is_due(self, now: datetime) -> bool:
        return self.at <= now < self.expires


@dataclass(frozen=True)
class SendSlot:
    """When a message queued now may go out: not before ``not_before``, not after ``not_after``."""

    not_before: datetime
    not_after: datetime


def occasions(dialogue: Dialogue) -> list[Occasion]:
    """Everything the calendar plans for this dialogue, in time order."""
    found: list[Occasion] = []
    for step in dialogue.steps:
        if step.interactive:
            found += _step_occasions(dialogue, step)
    return sorted(found, key=lambda o: (o.at, o.id))


def find(dialogue: Dialogue, occasion_id: str) -> Occasion | None:
    return next((o for o in occasions(dialogue) if o.id == occasion_id), None)


def due(dialogue: Dialogue, now: datetime, done: Collection[str] = ()) -> list[Occasion]:
    """What should run now: its moment has come, it is still useful, and it did not run yet."""
    return [o for o in occasions(dialogue) if o.is_due(now) and o.id not in done]


def upcoming(dialogue: Dialogue, now: datetime, done: Collection[str] = ()) -> list[Occasion]:
    """What is still to run (including what is due now), in time order."""
    return [o for o in occasions(dialogue) if now < o.expires and o.id not in done]


def nudges_of(dialogue: Dialogue, step_key: str) -> list[Occasion]:
    return [
        o for o in occasions(dialogue) if o.kind is OccasionKind.NUDGE and o.step_key == step_key
    ]


def occasion_slot(dialogue: Dialogue, occasion: Occasion, now: datetime) -> SendSlot | None:
    """When an occasion's messages may go out if it runs ``now``; None when no longer useful."""
    start = next_send_moment(max(now, occasion.at), dialogue.send_window, dialogue.zone)
    return SendSlot(start, occasion.expires) if start < occasion.expires else None


def prompt_slot(dialogue: Dialogue, step: Step, now: datetime) -> SendSlot | None:
    """A step prompt sent by hand now: from the next send moment until the step closes."""
    start = next_send_moment(max(now, step.opens), dialogue.send_window, dialogue.zone)
    return SendSlot(start, step.closes) if start < step.closes else None


def manual_nudge_slot(dialogue: Dialogue, step: Step, now: datetime) -> SendSlot | None:
    """A nudge sent by hand now: within the next send window (never at night), before the close."""
    start = next_send_moment(now, dialogue.send_window, dialogue.zone)
    end = min(window_end(start, dialogue.send_window, dialogue.zone), step.closes)
    return SendSlot(start, end) if start < end else None


def manual_offset(dialogue: Dialogue, moment: datetime) -> str:
    """The offset label of a nudge sent by hand: one per local day (``handmatig-2024-10-02``)."""
    return f"{MANUAL_OFFSET_PREFIX}{moment.astimezone(dialogue.zone).date().isoformat()}"


def local_day_start(dialogue: Dialogue, moment: datetime) -> datetime:
    local = moment.astimezone(dialogue.zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def _step_occasions(dialogue: Dialogue, step: Step) -> list[Occasion]:
    window, zone = dialogue.send_window, dialogue.zone
    found: list[Occasion] = []
    opening = next_send_moment(step.opens, window, zone)
    if opening < step.closes:
        found.append(Occasion(OccasionKind.STEP_PROMPT, step.key, opening, step.closes))
    found += _nudges(dialogue, step)
    thanks = next_send_moment(step.closes, window, zone)
    found.append(Occasion(OccasionKind.STEP_CLOSED, step.key, thanks, thanks + THANKS_USEFUL_FOR))
    return found


def _nudges(dialogue: Dialogue, step: Step) -> list[Occasion]:
    window, zone = dialogue.send_window, dialogue.zone
    timed = sorted(
        (
            (nudge_moment(step.closes, parse_offset(text), window, zone), index, text)
            for index, text in enumerate(step.nudges)
        )
    )
    by_day: dict[date, tuple[datetime, str, list[str]]] = {}
    for moment, _index, text in timed:
        day = moment.astimezone(zone).date()
        if day in by_day:
            by_day[day][2].append(text)  # same day as an earlier nudge: covered by that one
        else:
            by_day[day] = (moment, text, [])
    return [
        Occasion(
            OccasionKind.NUDGE,
            step.key,
            moment,
            min(window_end(moment, window, zone), step.closes),
            offset=text,
            merged=tuple(merged),
        )
        for moment, text, merged in by_day.values()
    ]
