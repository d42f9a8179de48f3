"""Keeping answers apart from identities.

- Pseudonyms (HMAC-SHA256 of the participant id under a server secret) are computed in one place
  only: :mod:`dialogen.privacy.pseudonyms`.
- ``answer_day``: an answer carries the day its step opened — the same for every answer to that
  step — so no moment of its own can be matched to anything dated on the identity side.
- ``coarse_day``: events already handled are kept by day, not by time.
- Free text that peers and reports see is masked by :mod:`dialogen.privacy.masking` (e-mail
  addresses, phone numbers, addresses, account and citizen numbers, personal links, listed names).
- ``suppress_small``: any breakdown with fewer than ``k`` respondents is shown as "< k".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, tzinfo

from dialogen.dialogue.definition import Dialogue

K_ANONYMITY = 5


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


def suppress_small(counts: Mapping[str, int], k: int = K_ANONYMITY) -> dict[str, str]:
    """Counts per group as text, with groups under ``k`` shown as ``"< k"``."""
    return {group: (str(n) if n >= k else f"< {k}") for group, n in counts.items()}
