"""Where the Graph transport keeps its place in the inbox between polls and restarts: a small JSON
file (``<mail_state_dir>/graph-<mailbox hash>.json``), replaced atomically on every change — or,
with several replicas on PostgreSQL, the database (:class:`DeltaStateStored`), so the replica that
takes the poll lease over continues where the last one stopped.

It holds the ``@odata.deltaLink`` of the last finished delta round and the ids of messages handed
out but not yet marked processed (``pending``): those are fetched again after a restart, so a
crash between fetching and processing loses nothing. It holds no mail content and no addresses
other than what the delta link itself carries (the dialogue mailbox's own name).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from bot.mail.contracts import PollStateStore

VERSION = 1


@dataclass
class DeltaState:
    delta_link: str | None = None
    pending: list[str] = field(default_factory=list)


def _state_of(data: object) -> DeltaState:
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return DeltaState()
    pending = [str(p) for p in data.get("pending", []) if isinstance(p, str)]
    link = data.get("delta_link")
    return DeltaState(delta_link=link if isinstance(link, str) else None, pending=pending)


def _document(state: DeltaState) -> dict[str, object]:
    return {"version": VERSION, "delta_link": state.delta_link, "pending": list(state.pending)}


class DeltaStateStored:
    """The same state in a :class:`~bot.mail.contracts.PollStateStore` (the database, when
    several replicas run): whichever replica holds the poll lease continues from it."""

    def __init__(self, store: PollStateStore) -> None:
        self._store = store

    def load(self) -> DeltaState:
        return _state_of(self._store.load())

    def save(self, state: DeltaState) -> None:
        self._store.save(_document(state))


class DeltaStateFile:
    def __init__(self, folder: Path, mailbox: str) -> None:
        digest = hashlib.sha256(mailbox.lower().encode()).hexdigest()[:16]
        self.path = folder / f"graph-{digest}.json"

    def load(self) -> DeltaState:
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            return DeltaState()
        except (OSError, ValueError):
            return DeltaState()  # unreadable: start a new delta round (processing is idempotent)
        return _state_of(data)

    def save(self, state: DeltaState) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        payload = _document(state)
        with open(temporary, "w") as handle:
            json.dump(payload, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)
