"""Keeping answers apart from identities.

- Pseudonyms (HMAC-SHA256 of the participant id under a server secret) are computed in one place
  only: :mod:`dialogen.privacy.pseudonyms`.
- ``coarse_day``: answers carry a day, not a time, so timing cannot re-link them either.
- Free text that peers and reports see is masked by :mod:`dialogen.privacy.masking` (e-mail
  addresses, phone numbers, addresses, account and citizen numbers, personal links, listed names).
- ``suppress_small``: any breakdown with fewer than ``k`` respondents is shown as "< k".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, tzinfo

K_ANONYMITY = 5


def coarse_day(now: datetime, zone: tzinfo) -> date:
    """The calendar day in the dialogue's time zone: an answer typed at 00:30 in Amsterdam counts
    for that day, as the participant and every report see it."""
    return now.astimezone(zone).date()


def suppress_small(counts: Mapping[str, int], k: int = K_ANONYMITY) -> dict[str, str]:
    """Counts per group as text, with groups under ``k`` shown as ``"< k"``."""
    return {group: (str(n) if n >= k else f"< {k}") for group, n in counts.items()}
