"""When a nudge may go out: offsets before a step's close, and the send window. Pure time
arithmetic.

A step lists its nudge offsets in the dialogue file (``nudges: ["7d", "2d", "ochtend"]``):

- ``<n>d`` — n calendar days before the close, at the same local clock time (so "7d" before a
  23:59 close is 23:59 one week earlier, also across a daylight-saving change);
- ``<n>h`` — n hours of elapsed time before the close;
- ``ochtend`` — the morning of the last day: the last opening of the send window before the close.

A moment outside the send window moves back to the last opening of the window before it: never
later (so never after the close), never at night, never on a day the window stays shut. All
arithmetic happens in the dialogue's local time; every result is an aware UTC datetime.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from dialogen.dialogue.definition import SendWindow

WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
"""Day names as the dialogue file writes them, in ``date.weekday()`` order."""

MORNING = "ochtend"
_OFFSET = re.compile(r"^([1-9][0-9]{0,2})([dh])$")
_SEARCH_DAYS = 8  # a window that opens at least one day a week is found within this many days


@dataclass(frozen=True)
class NudgeOffset:
    """One parsed offset; ``text`` is how the dialogue file wrote it (and part of outbox keys)."""

    text: str
    days: int = 0
    hours: int = 0

    @property
    def is_morning(self) -> bool:
        return self.text == MORNING


def parse_offset(text: str) -> NudgeOffset:
    """``"7d"``, ``"36h"`` or ``"ochtend"``; anything else raises ``ValueError`` saying what is
    allowed."""
    cleaned = text.strip().lower()
    if cleaned == MORNING:
        return NudgeOffset(MORNING)
    found = _OFFSET.match(cleaned)
    if found is None:
        raise ValueError(
            f"unknown nudge offset {text!r}: use a number of days or hours before the close "
            f"('7d', '36h') or '{MORNING}' (the morning of the last day)"
        )
    amount, unit = int(found.group(1)), found.group(2)
    return NudgeOffset(cleaned, days=amount) if unit == "d" else NudgeOffset(cleaned, hours=amount)


def normalize_offset(text: str) -> str:
    """The offset as it is stored and keyed (validated)."""
    return parse_offset(text).text


def nudge_moment(
    closes: datetime, offset: NudgeOffset, window: SendWindow, zone: ZoneInfo
) -> datetime:
    """When a nudge at ``offset`` before ``closes`` goes out, moved back into the send window."""
    if offset.is_morning:
        return last_opening_before(closes, window, zone, strict=True)
    if offset.days:
        local = closes.astimezone(zone).replace(tzinfo=None) - timedelta(days=offset.days)
        target = local.replace(tzinfo=zone).astimezone(UTC)
    else:
        target = closes.astimezone(UTC) - timedelta(hours=offset.hours)
    if in_window(target, window, zone):
        return target
    return last_opening_before(target, window, zone)


def in_window(moment: datetime, window: SendWindow, zone: ZoneInfo) -> bool:
    local = moment.astimezone(zone)
    return _open_on(local.date(), window) and window.start <= local.time() < window.end


def last_opening_before(
    moment: datetime, window: SendWindow, zone: ZoneInfo, *, strict: bool = False
) -> datetime:
    """The last moment the window opened at or before ``moment`` (strictly before with
    ``strict``)."""
    day = moment.astimezone(zone).date()
    for back in range(_SEARCH_DAYS):
        opening = _opening(day - timedelta(days=back), window, zone)
        if opening is not None and (opening < moment if strict else opening <= moment):
            return opening
    raise ValueError("the send window never opens")


def next_send_moment(moment: datetime, window: SendWindow, zone: ZoneInfo) -> datetime:
    """``moment`` itself when the window is open then, otherwise the next opening of the window."""
    if in_window(moment, window, zone):
        return moment.astimezone(UTC)
    day = moment.astimezone(zone).date()
    for ahead in range(_SEARCH_DAYS):
        opening = _opening(day + timedelta(days=ahead), window, zone)
        if opening is not None and opening >= moment:
            return opening
    raise ValueError("the send window never opens")


def window_end(moment: datetime, window: SendWindow, zone: ZoneInfo) -> datetime:
    """When the window that is open at ``moment`` shuts (same local day)."""
    day = moment.astimezone(zone).date()
    return datetime.combine(day, window.end, tzinfo=zone).astimezone(UTC)


def _open_on(day: date, window: SendWindow) -> bool:
    return WEEKDAYS[day.weekday()] in window.days


def _opening(day: date, window: SendWindow, zone: ZoneInfo) -> datetime | None:
    if not _open_on(day, window):
        return None
    return datetime.combine(day, window.start, tzinfo=zone).astimezone(UTC)
