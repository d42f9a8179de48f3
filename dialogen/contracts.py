"""The domain's extension points and the values that cross its edge, in one place.

- :data:`Clock` — time is injected everywhere (tests drive it).
- :class:`MunicipalityLookup` — the municipalities and networks the conversation, the stakeholder
  import and the figures look people's places up in (``MunicipalityRegistry``; replaceable via
  ``DIALOOG_NETWORKS_FILE``); :class:`SegmentLookup` and :class:`MunicipalityMatcher` are the
  parts of it that the figures and the import need.
- :class:`Broadcasting` — what facilitators can ask of the planner (``planning.broadcasts``).
- :class:`OutboxMessage` — a queued message as a channel's delivery sees it (``planning`` claims
  it from the store and hands it to a channel's transport).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from dialogen.conversation.replies import Reply
from dialogen.stakeholders.municipalities import Municipality, MunicipalityMatch

Clock = Callable[[], datetime]


class SegmentLookup(Protocol):
    def by_code(self, code: str) -> Municipality: ...  # raises LookupError for an unknown code
    def networks_of(self, code: str) -> frozenset[str]: ...


class MunicipalityMatcher(Protocol):
    def match(self, text: str) -> MunicipalityMatch: ...
    def networks_of(self, code: str) -> frozenset[str]: ...


class MunicipalityLookup(SegmentLookup, MunicipalityMatcher, Protocol):
    """Everything the domain asks of the municipality registry."""


class BroadcastPreview(Protocol):
    @property
    def step_key(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def replies(self) -> Sequence[Reply]: ...
    @property
    def recipients(self) -> Mapping[str, int]: ...
    @property
    def problem(self) -> str | None: ...


class PlannedItem(Protocol):
    @property
    def when(self) -> datetime: ...
    @property
    def what(self) -> str: ...


class Broadcasting(Protocol):
    """What ``planning.broadcasts.Broadcasts`` offers facilitators."""

    def preview_step_prompt(self, step_key: str) -> BroadcastPreview: ...
    def send_step_prompt(self, step_key: str, *, actor: str) -> int: ...
    def preview_nudge(self, step_key: str, *, group: str | None = None) -> BroadcastPreview: ...
    def send_nudge(self, step_key: str, *, actor: str, group: str | None = None) -> int: ...
    def upcoming(self) -> Sequence[PlannedItem]: ...


@dataclass(frozen=True)
class OutboxMessage:
    """A claimed outbox row, detached from the database: what a transport needs to send it."""

    id: str
    key: str
    participant_id: str
    channel: str
    kind: str
    step_key: str | None
    payload: dict[str, Any]
    attempts: int  # including the attempt this claim is for
    parts_sent: int  # parts (activities) that already reached the recipient in earlier attempts
