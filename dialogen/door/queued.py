"""What the door queues in the outbox: the replies exactly as the participant will read them, plus
— for mail — how the message threads with the mail it answers.

The payload is versioned JSON (:mod:`dialogen.conversation.reply_codec`) so a message queued now is
sent exactly as it was decided, also after a restart. The mail channel reads :class:`MailContext`
back when it renders the mail.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dialogen.conversation.replies import Reply
from dialogen.conversation.reply_codec import encode_replies


@dataclass(frozen=True)
class MailContext:
    """Beside the replies in a mail's outbox payload (``payload["mail"]``)."""

    in_reply_to: str | None = None  # the participant's mail this one answers
    references: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # Dutch remarks about the received mail (attachments, size)
    form_step: str | None = None  # list this step's questions, whatever the replies say

    def to_dict(self) -> dict[str, Any]:
        return {
            "in_reply_to": self.in_reply_to,
            "references": list(self.references),
            "notes": list(self.notes),
            "form_step": self.form_step,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> MailContext:
        data = payload.get("mail") or {}
        return cls(
            in_reply_to=data.get("in_reply_to"),
            references=tuple(data.get("references") or ()),
            notes=tuple(data.get("notes") or ()),
            form_step=data.get("form_step"),
        )


def mail_payload(replies: Sequence[Reply], context: MailContext) -> dict[str, Any]:
    """An outbox payload: the replies as the reply codec writes them, plus the mail context."""
    payload = encode_replies(tuple(replies))
    payload["mail"] = context.to_dict()
    return payload
