"""Moderation rules for contributions, as the dialogue file sets them (``contributions:``).

- ``post``: a contribution is visible as soon as it is masked; a facilitator can hide it later.
- ``pre``: a contribution waits (``pending``) until a facilitator approves it.
- Reports: when ``report_threshold`` different participants reported a visible contribution it is
  hidden until a facilitator looked at it (approve shows it again; hide keeps it hidden).

Pure: the states are strings as the store keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogen.dialogue.definition import ContributionRules

PENDING, VISIBLE, HIDDEN = "pending", "visible", "hidden"
REPORTED_REASON = "meldingen"
"""The hidden_reason of a contribution that reports hid (a facilitator's reason replaces it)."""


@dataclass(frozen=True)
class Moderation:
    rules: ContributionRules

    def initial_state(self) -> str:
        return PENDING if self.rules.moderation == "pre" else VISIBLE

    @property
    def reported_reason(self) -> str:
        return REPORTED_REASON


def hidden_by_reports(state: str, reports: int, moderation: Moderation) -> bool:
    """Whether this report makes a visible contribution hidden (exactly at the threshold, once)."""
    return state == VISIBLE and reports == moderation.rules.report_threshold
