"""The one small interface every mail transport (local folder, IMAP/SMTP, Microsoft Graph, EWS)
offers to the rest of the bot: fetch new raw messages, mark one processed, send one, close.

Transports know nothing about dialogues, participants or answers: they move bytes. Their
contract, the same for all of them:

- ``fetch_new()`` returns at most a batch of messages not yet marked processed, oldest first.
  A message that is *not* marked processed comes back from a later ``fetch_new()`` (also after a
  restart), so the caller marks every message it has dealt with, rejects included. Inbound
  processing is idempotent by Message-ID, so seeing a message twice is harmless.
- ``mark_processed(uid)`` is idempotent: marking a message that is already processed or gone is
  not an error.
- ``send()`` never raises for a delivery problem: it answers with a :class:`SendResult` so the
  outbox can retry (``RETRY``, with the server's ``Retry-After`` when it gave one) or give up
  (``FAILED``). Reasons never contain addresses or mail content.
- Fetch and mark problems (server down, login refused) raise :class:`MailTransportError`.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import getaddresses
from enum import StrEnum
from typing import Protocol, runtime_checkable

__all__ = [
    "MailTransport",
    "MailTransportError",
    "OutgoingMail",
    "RawMail",
    "SendOutcome",
    "SendResult",
]


class MailTransportError(Exception):
    """A transport could not fetch or mark mail. ``retry_after`` (seconds) when the server said."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class RawMail:
    """One inbound message exactly as the server holds it (RFC 5322 bytes).

    ``uid`` is the transport's own id, only meaningful to :meth:`MailTransport.mark_processed`.
    ``new_text`` is the server's own extraction of the newly written part of a reply, when the
    server offers one (Graph ``uniqueBody`` as text); inbound parsing may prefer it or ignore it.
    """

    uid: str
    raw: bytes
    new_text: str | None = None

    def __post_init__(self) -> None:
        if not self.uid:
            raise ValueError("a raw mail needs a uid")

    def __repr__(self) -> str:  # never show content in logs or tracebacks
        return f"RawMail(uid={self.uid!r}, {len(self.raw)} bytes)"


@dataclass(frozen=True)
class OutgoingMail:
    """A fully built message (From, To, Subject, Message-ID and body already set)."""

    message: EmailMessage

    def __post_init__(self) -> None:
        for header in ("From", "To"):
            if not self.message.get(header):
                raise ValueError(f"an outgoing mail needs a {header} header")

    @property
    def recipients(self) -> list[str]:
        """Envelope recipients: every address in To, Cc and Bcc."""
        fields = [str(v) for h in ("To", "Cc", "Bcc") for v in self.message.get_all(h, [])]
        return [address for _, address in getaddresses(fields) if address]

    @property
    def message_id(self) -> str | None:
        value = self.message.get("Message-ID")
        return str(value).strip() if value else None

    def as_bytes(self, *, include_bcc: bool = False) -> bytes:
        """The wire form (CRLF line ends). Bcc is left out unless asked for."""
        message = self.message
        if not include_bcc and "Bcc" in message:
            message = _copy_without(message, "Bcc")
        return message.as_bytes(policy=SMTP)

    def __repr__(self) -> str:
        return f"OutgoingMail(message_id={self.message_id!r})"


def _copy_without(message: EmailMessage, header: str) -> EmailMessage:
    copy = deepcopy(message)
    del copy[header]
    return copy


class SendOutcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # transient: try again later (after ``retry_after`` seconds when given)
    FAILED = "failed"  # permanent for this message: do not try again


@dataclass(frozen=True)
class SendResult:
    outcome: SendOutcome
    retry_after: float | None = None
    reason: str | None = None  # short, technical, free of addresses and content

    @classmethod
    def sent(cls) -> SendResult:
        return cls(SendOutcome.SENT)

    @classmethod
    def retry(cls, reason: str, *, after: float | None = None) -> SendResult:
        return cls(SendOutcome.RETRY, retry_after=after, reason=reason)

    @classmethod
    def failed(cls, reason: str) -> SendResult:
        return cls(SendOutcome.FAILED, reason=reason)

    @property
    def ok(self) -> bool:
        return self.outcome is SendOutcome.SENT


@runtime_checkable
class MailTransport(Protocol):
    """What the inbound poller and the outbox sender use; see the module docstring."""

    name: str

    async def fetch_new(self) -> list[RawMail]: ...

    async def mark_processed(self, uid: str) -> None: ...

    async def send(self, mail: OutgoingMail) -> SendResult: ...

    async def close(self) -> None: ...


class PollLease(Protocol):
    """Who polls a mailbox when several replicas run: one at a time, with takeover when the
    holder stops renewing (it died). Without one, this process polls (one replica, SQLite)."""

    def hold(self) -> bool:
        """Take or renew the lease: True when this process may poll now."""
        ...

    def release(self) -> None: ...


class PollStateStore(Protocol):
    """Where a transport keeps its place in the mailbox (e.g. Graph's delta link) so that any
    replica that takes over continues from it. No mail content, no addresses."""

    def load(self) -> dict[str, object] | None: ...

    def save(self, state: dict[str, object]) -> None: ...
