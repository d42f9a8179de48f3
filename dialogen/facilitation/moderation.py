"""The moderation desk: facilitators look at contributions and approve, hide or adjust the masking.

The queue holds what waits for a facilitator: contributions waiting for approval (``moderation:
pre``), contributions hidden after reports, and visible ones that were reported. A facilitator can
approve one (visible, reports cleared), hide one with a reason (its author is told in their own
channel, nobody else learns anything), mask one more piece of text, or show a masked part again.
Every action is checked against the facilitator list by the caller and audited here — who, what,
which contribution (its code), never the text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from dialogen.contracts import Clock
from dialogen.contributions.authors import tell_author
from dialogen.contributions.moderation import HIDDEN, PENDING, REPORTED_REASON, VISIBLE
from dialogen.dialogue.definition import Dialogue
from dialogen.facilitation import messages as fmsg
from dialogen.privacy.masking import Category, MaskedSpan, apply_spans
from dialogen.privacy.payload_cipher import Sealing
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.store import audit
from dialogen.store import contributions as store
from dialogen.store.contributions import ContributionRow
from dialogen.store.database import Database

log = logging.getLogger(__name__)

CODE_LENGTH = 8
QUEUE_SIZE = 10  # shown at once; the rest follows after these are dealt with


@dataclass(frozen=True)
class MaskedPart:
    """One masked part as a facilitator sees it: its number, category and what it hid."""

    number: int
    category: str
    original: str


@dataclass(frozen=True)
class QueueItem:
    code: str
    step: str
    state: str  # pending / visible / hidden
    text: str  # as participants read it (masked)
    parts: tuple[MaskedPart, ...]
    reports: int
    reason: str | None


@dataclass(frozen=True)
class ModerationResult:
    """What a moderation action did: the Dutch answer, and whether anything changed."""

    text: str
    done: bool


@dataclass(frozen=True)
class ModerationQueue:
    """What waits for a facilitator (at most ``QUEUE_SIZE``) and how much there is in all."""

    items: tuple[QueueItem, ...]
    total: int


class ModerationDesk:
    def __init__(
        self,
        *,
        database: Database,
        dialogue: Dialogue,
        clock: Clock,
        pseudonyms: Pseudonyms,
        sealing: Sealing | None = None,
    ) -> None:
        self.database = database
        self.dialogue = dialogue
        self.clock = clock
        self.pseudonyms = pseudonyms
        self.sealing = sealing or Sealing.derived_from(pseudonyms)

    def queue(self, *, actor: str) -> ModerationQueue:
        with self.database.unit_of_work() as session:
            waiting = store.by_state(session, dialogue_key=self.dialogue.key, states=(PENDING,)) + [
                row
                for row in store.by_state(session, dialogue_key=self.dialogue.key, states=(HIDDEN,))
                if row.hidden_reason == REPORTED_REASON
            ]
            waiting += store.reported(session, dialogue_key=self.dialogue.key)
            audit.record(
                session, at=self.clock(), actor=actor, action="moderation_queue", count=len(waiting)
            )
            return ModerationQueue(tuple(self._item(r) for r in waiting[:QUEUE_SIZE]), len(waiting))

    def act(self, *, actor: str, action: str, code: str, text: str) -> ModerationResult:
        """``goedkeuren``, ``verbergen`` (``text``: the reason), ``maskeer`` (``text``: what to
        mask), ``toon`` (``text``: the number of the part to show again)."""
        now = self.clock()
        with self.database.unit_of_work() as session:
            found = store.by_code(session, dialogue_key=self.dialogue.key, code=code)
            if len(found) != 1:
                reply = (
                    fmsg.moderation_unknown(code) if not found else fmsg.moderation_ambiguous(code)
                )
                return ModerationResult(reply, False)
            row = store.lock(session, found[0].id)
            assert row is not None
            reply, done = self._apply(session, row, action, text)
            if done:
                audit.record(
                    session,
                    at=now,
                    actor=actor,
                    action=f"moderation_{_ACTIONS[action]}",
                    target=row.id[:CODE_LENGTH],
                    details=({"reason": text} if action == "verbergen" else {}),
                )
                log.info("contribution moderated action=%s", _ACTIONS[action])
        return ModerationResult(reply, done)

    def _apply(
        self, session: Any, row: ContributionRow, action: str, text: str
    ) -> tuple[str, bool]:
        code = row.id[:CODE_LENGTH]
        today = self.clock().date()
        if action == "goedkeuren":
            store.set_state(session, row, state=VISIBLE, reason=None, day=today)
            store.forget_reports(session, row.id)
            return fmsg.moderation_approved(code), True
        if action == "verbergen":
            if not text.strip():
                return fmsg.MODERATION_REASON_NEEDED, False
            store.set_state(session, row, state=HIDDEN, reason=text.strip()[:300], day=today)
            told = tell_author(
                session,
                row,
                pseudonyms=self.pseudonyms,
                sealing=self.sealing,
                reason=text.strip(),
                now=self.clock(),
            )
            return fmsg.moderation_hidden(code, told), True
        if action == "maskeer":
            return self._mask(session, row, text)
        if action == "toon":
            return self._unmask(session, row, text)
        return fmsg.moderation_unknown_action(action), False

    def _mask(self, session: Any, row: ContributionRow, fragment: str) -> tuple[str, bool]:
        fragment = fragment.strip()
        spans = _spans(row)
        added = [
            MaskedSpan(m.start(), m.end(), Category.NAME)
            for m in re.finditer(re.escape(fragment), row.original, re.IGNORECASE)
            if fragment
        ]
        if not added:
            return fmsg.moderation_text_not_found(row.id[:CODE_LENGTH]), False
        kept = [s for s in spans if not any(s.start < a.end and a.start < s.end for a in added)]
        result = apply_spans(row.original, kept + added)
        store.set_text(session, row, text=result.text, spans=_stored(result.spans))
        return fmsg.moderation_masked(row.id[:CODE_LENGTH], result.text), True

    def _unmask(self, session: Any, row: ContributionRow, number: str) -> tuple[str, bool]:
        spans = _spans(row)
        if not number.strip().isdigit() or not 1 <= int(number) <= len(spans):
            return fmsg.moderation_no_part(row.id[:CODE_LENGTH], len(spans)), False
        kept = [s for i, s in enumerate(spans, start=1) if i != int(number)]
        result = apply_spans(row.original, kept)
        store.set_text(session, row, text=result.text, spans=_stored(result.spans))
        return fmsg.moderation_masked(row.id[:CODE_LENGTH], result.text), True

    def _item(self, row: ContributionRow) -> QueueItem:
        step = self.dialogue.step(row.step_key)
        parts = tuple(
            MaskedPart(i, span.category.value, row.original[span.start : span.end])
            for i, span in enumerate(_spans(row), start=1)
        )
        return QueueItem(
            code=row.id[:CODE_LENGTH],
            step=step.name if step else row.step_key,
            state=row.state,
            text=row.text,
            parts=parts,
            reports=row.reports,
            reason=row.hidden_reason,
        )


_ACTIONS = {
    "goedkeuren": "approved",
    "verbergen": "hidden",
    "maskeer": "masked",
    "toon": "unmasked",
}


def _spans(row: ContributionRow) -> list[MaskedSpan]:
    return [MaskedSpan(int(s), int(e), Category(c)) for s, e, c in (row.spans or [])]


def _stored(spans: tuple[MaskedSpan, ...]) -> list[Any]:
    return [[s.start, s.end, s.category.value] for s in spans]


def queue_text(queue: ModerationQueue) -> str:
    """The queue as plain text (mail, the terminal, a card's fallback)."""
    lines = [f"**{fmsg.MODERATION_TITLE}**", fmsg.moderation_count(len(queue.items), queue.total)]
    for item in queue.items:
        lines.append("")
        lines.append(fmsg.moderation_item_heading(item.code, item.step, item.state, item.reports))
        lines.append(f"\u201c{item.text}\u201d")
        lines += [fmsg.moderation_part(p.number, p.category, p.original) for p in item.parts]
    lines += ["", fmsg.MODERATION_HOW]
    return "\n".join(lines)
