"""Telling the author of a contribution, in their own channel, that it was hidden and why —
revealing nothing to anyone else.

A contribution knows its author only as a pseudonym. The author is found by computing the
pseudonym of each participant (:meth:`dialogen.privacy.pseudonyms.Pseudonyms.of`) until one
matches — the one way from a contribution to a person, and it needs the server secret. The message
goes through the outbox (encrypted there, like every queued message).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from dialogen.conversation import messages as msg
from dialogen.conversation.replies import Say
from dialogen.conversation.reply_codec import encode_replies
from dialogen.participation.outreach import channel_for
from dialogen.privacy.payload_cipher import Sealing
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.store import outbox, recipients
from dialogen.store.contributions import ContributionRow

log = logging.getLogger(__name__)

Session = Any
KIND = "contribution_hidden"
EXCERPT = 120


def tell_author(
    session: Session,
    row: ContributionRow,
    *,
    pseudonyms: Pseudonyms,
    sealing: Sealing,
    reason: str,
    now: datetime,
) -> bool:
    """Queue the message to the author of ``row``; False when they cannot be found or reached."""
    contact = recipients.contact_by_pseudonym(
        session, pseudonyms=pseudonyms, pseudonym=row.pseudonym, cipher=sealing.progress
    )
    channel = channel_for(contact) if contact is not None else None
    if contact is None or channel is None:
        log.info("author of a hidden contribution not reachable: not told")
        return False
    excerpt = row.text if len(row.text) <= EXCERPT else row.text[: EXCERPT - 1].rstrip() + "…"
    outbox.enqueue(
        session,
        key=f"{KIND}:{row.id}:{row.state}:{reason}"[:200],
        participant_id=contact.participant_id,
        channel=channel,
        kind=KIND,
        step_key=row.step_key,
        payload=encode_replies((Say(msg.contribution_hidden(excerpt, reason)),)),
        cipher=sealing.outbox,
        now=now,
    )
    return True
