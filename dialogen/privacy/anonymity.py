"""Keeping answers apart from identities.

- Pseudonyms (HMAC-SHA256 of the participant id under a server secret) are computed in one place
  only: :mod:`dialogen.privacy.pseudonyms`.
- ``answer_day``: an answer carries the day its step opened — the same for every answer to that
  step — so no moment of its own can be matched to anything dated on the identity side.
- ``coarse_day``: events already handled are kept by day, not by time.
- ``mask_personal_data``: what peers and reports see of free text never shows e-mail addresses,
  phone numbers or names of people on the participant list.
- ``suppress_small``: any breakdown with fewer than ``k`` respondents is shown as "< k".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, tzinfo

from dialogen.dialogue.definition import Dialogue

K_ANONYMITY = 5

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_PHONE = re.compile(r"(?<!\w)(?:\+31|0031|0)[\s-]?(?:\d[\s-]?){8,9}(?!\w)")
MASK = "[verwijderd]"


def answer_day(dialogue: Dialogue, step_key: str) -> date:
    """The day an answer to ``step_key`` carries: the day the step opened (in the dialogue's
    time zone)."""
    step = dialogue.step(step_key)
    if step is None:
        raise ValueError(f"no step {step_key!r} in dialogue {dialogue.key!r}")
    return step.opens.astimezone(dialogue.zone).date()


def coarse_day(now: datetime, zone: tzinfo) -> date:
    """The calendar day in the dialogue's time zone: an answer typed at 00:30 in Amsterdam counts
    for that day, as the participant and every report see it."""
    return now.astimezone(zone).date()


def mask_personal_data(text: str, names: Iterable[str] = ()) -> str:
    """Replace e-mail addresses, Dutch phone numbers and the given person names with a marker."""
    text = _EMAIL.sub(MASK, text)
    text = _PHONE.sub(MASK, text)
    for name in sorted(
        {n.strip() for n in names if n and len(n.strip()) >= 3}, key=len, reverse=True
    ):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", MASK, text, flags=re.IGNORECASE)
    return text


def suppress_small(counts: Mapping[str, int], k: int = K_ANONYMITY) -> dict[str, str]:
    """Counts per group as text, with groups under ``k`` shown as ``"< k"``."""
    return {group: (str(n) if n >= k else f"< {k}") for group, n in counts.items()}
