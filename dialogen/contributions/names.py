"""The masker for contributions, built from the names on the participant list and rebuilt when
that list changed (an import, someone who told their name in Teams). Checking is cheap (a count
and the newest creation time, at most once a minute); building takes about a second for 12,000
names, so it happens rarely, not per turn."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from dialogen.contracts import Clock
from dialogen.privacy.masking import Masker
from dialogen.store import participants as participant_store

Session = Any
CHECK_EVERY = timedelta(minutes=1)


class ListMasker:
    def __init__(self, *, clock: Clock) -> None:
        self._clock = clock
        self._masker: Masker | None = None
        self._version: tuple[int, datetime | None] | None = None
        self._checked: datetime | None = None

    def masker(self, session: Session) -> Masker:
        now = self._clock()
        if self._masker is not None and self._checked and now - self._checked < CHECK_EVERY:
            return self._masker
        self._checked = now
        version = participant_store.names_version(session)
        if self._masker is None or version != self._version:
            self._masker = Masker(participant_store.names(session))
            self._version = version
        return self._masker
