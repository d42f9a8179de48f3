"""What reaches the door, and what comes back out.

Channels translate their input into one of these events — and nothing more: they do not look
anything up, decide or write. The door (:class:`dialogen.door.door.Door`) decides and stores, in
one unit of work per event, and answers with an :class:`Outcome` that each channel renders in its
own format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from dialogen.conversation.inputs import Input
from dialogen.conversation.replies import Reply
from dialogen.facilitation.actions import FacilitatorReply


@dataclass(frozen=True)
class Identity:
    """Who sent an event, as the channel knows them. Never logged."""

    channel: str  # "teams", "mail" or "cli"
    aad_object_id: str | None = None
    teams_user_id: str | None = None
    tenant_id: str | None = None
    email: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class InboundEvent:
    """Something a person sent in a chat (Teams, the terminal): a message, a card submit, an
    install. The door routes it: a facilitator command to facilitation, anything else to the
    participant's conversation."""

    identity: Identity
    message: Input
    event_id: str | None = None  # activity id: a redelivery is processed once
    reference: dict[str, Any] | None = None  # for proactive messages later
    # The participant the channel vouches for (a mail's signed reply token): when the identity is
    # someone else's, or nobody's, nothing happens (no one is registered either).
    participant_id: str | None = None


@dataclass(frozen=True)
class ReferenceSeen:
    """The bot was added to a conversation: remember how to reach this person later, say nothing."""

    identity: Identity
    reference: dict[str, Any]


@dataclass(frozen=True)
class FacilitatorDecision:
    """A click on "Bevestigen" or "Annuleren" of a broadcast preview."""

    identity: Identity
    token: str
    confirm: bool


@dataclass(frozen=True)
class Unsubscribe:
    """A one-click unsubscribe (the channel verified the signed link that names the participant)."""

    participant_id: str


class MailKind(StrEnum):
    REPLY = "reply"  # written by a person
    AUTO_REPLY = "auto_reply"  # out of office and the like: never answered
    BOUNCE = "bounce"  # a delivery status notification
    OWN_MAIL = "own_mail"  # the dialogue mailbox's own mail came back (a loop)


@dataclass(frozen=True)
class VouchedToken:
    """A reply token the mail channel verified: whom and which step the mail answers."""

    participant_id: str
    step_key: str | None = None
    unsubscribe: bool = False


@dataclass(frozen=True)
class MailReceived:
    """One received mail, as the mail channel read it."""

    kind: MailKind
    event_id: str  # Message-ID (or a hash of the bytes): a redelivery is processed once
    from_address: str | None
    token: VouchedToken | None = None
    forged: bool = False  # something token-shaped was there, but no valid token
    message: Input | None = None  # what the sender newly wrote, as domain input (None: nothing)
    message_id: str | None = None  # to thread the answer
    references: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # Dutch remarks about the mail itself (attachments, size)
    hard_bounce: bool = False
    bounce_recipient: str | None = None

    def __repr__(self) -> str:  # never show addresses or text in logs or tracebacks
        return f"MailReceived(kind={self.kind.value})"


Event = InboundEvent | ReferenceSeen | FacilitatorDecision | Unsubscribe | MailReceived


@dataclass(frozen=True)
class StrangerReply:
    """Someone who is not a participant (any more) wrote: the mail channel answers them directly —
    politely when they never were one, with ``replies`` when they were just erased."""

    address: str
    in_reply_to: str | None
    replies: tuple[Reply, ...] = ()


NOT_THEIRS = "not_theirs"
"""``Outcome.event`` when the identity is not the participant the channel vouched for."""


@dataclass(frozen=True)
class Outcome:
    """What the door did with one event. ``event`` is a short, identity-free label for the log.

    ``later``: work that continues after the channel answered (a confirmed broadcast takes longer
    than a Teams turn allows); the channel runs it outside the turn and delivers its outcome.
    ``erased``: the participant was erased in this event ('verwijder mij'): nothing can be queued
    for them any more, the channel answers directly or not at all."""

    participant_id: str
    replies: tuple[Reply | FacilitatorReply, ...] = ()
    duplicate: bool = False
    event: str = "turn"
    stranger_reply: StrangerReply | None = None
    later: Callable[[], Outcome] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    erased: bool = False
