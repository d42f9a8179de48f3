"""Answering a redelivered chat activity again.

Teams redelivers an activity when the bot did not acknowledge it — also when the bot had processed
it and died before its reply left. The first processing keeps its replies, sealed, with the
processed event in the same unit of work; a redelivery processes nothing and gets those replies
again, so nobody is left without their next question.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from dialogen.conversation.replies import Prompt, Receipt, Reply, Say
from dialogen.conversation.reply_codec import decode_replies, encode_replies
from dialogen.privacy.payload_cipher import PayloadCipher, SealError
from dialogen.store import events

log = logging.getLogger(__name__)

Session = Any  # a unit of work's session (dialogen.store.database.Database.unit_of_work)


class Replay:
    def __init__(self, cipher: PayloadCipher) -> None:
        self._cipher = cipher  # Sealing.replies

    def keep(self, session: Session, key: str, replies: Sequence[object]) -> None:
        """Keep what the event replied, with its processed-event row (claimed in this session).
        A participant's turn replies with :data:`Reply` values only."""
        kept = [reply for reply in replies if isinstance(reply, Say | Prompt | Receipt)]
        events.keep_replies(session, key=key, sealed=self._cipher.seal_json(encode_replies(kept)))

    def again(self, session: Session, key: str) -> tuple[Reply, ...]:
        """What the event's first processing replied (nothing when none was kept)."""
        sealed = events.replies_of(session, key)
        if sealed is None:
            return ()
        try:
            return decode_replies(self._cipher.open_json(sealed))
        except (SealError, ValueError, KeyError):
            log.warning("kept replies of a redelivered event cannot be read; not answered again")
            return ()
