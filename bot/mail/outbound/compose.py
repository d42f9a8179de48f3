"""Outgoing mails: the domain's replies (or a channel notice) as a complete message with headers.

Headers on every mail the bot sends to a participant:

- ``Reply-To: dialoog+<token>@domain`` (see :mod:`bot.mail.reply_token`), the same token as
  ``[ref:<token>]`` in the subject and inside the ``Message-ID``, so a reply finds its way back to
  (participant, step) even when a client drops one of them;
- ``List-Unsubscribe`` (mailto and the https one-click link, with their own unsubscribe token) and
  ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058);
- ``Auto-Submitted: auto-generated`` (RFC 3834), or ``auto-replied`` on a confirmation, which
  answers a participant's mail, with ``In-Reply-To``/``References`` to that mail;
- ``X-Auto-Response-Suppress: All``, so Exchange sends no out-of-office replies to the bot.

The ``Message-ID`` is derived from the outbox row, so a mail sent again after a crash carries the
same id (clients show it once). Text and HTML parts; see :mod:`bot.mail.outbound.body`.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from typing import Any

from bot.mail import messages as mmsg
from bot.mail.contracts import OutgoingMail
from bot.mail.mailbox import Mailbox
from bot.mail.outbound.body import render_body
from bot.mail.reply_token import Purpose, ReplyToken, TokenKeys
from dialogen.conversation.offers import Offer
from dialogen.conversation.replies import Receipt, Reply, Say
from dialogen.dialogue.definition import Dialogue
from dialogen.door.queued import MailContext

__all__ = ["Recipient", "compose", "compose_stranger_reply"]


@dataclass(frozen=True)
class Recipient:
    participant_id: str
    address: str
    name: str | None = None


def compose(
    *,
    kind: str,
    step_key: str | None,
    replies: Sequence[Reply],
    context: MailContext,
    recipient: Recipient,
    mailbox: Mailbox,
    keys: TokenKeys,
    dialogue: Dialogue,
    answered: Collection[str],
    batch: Sequence[Offer] = (),
    unique: str,
    now: datetime,
) -> OutgoingMail:
    """The mail for one outbox message. ``unique`` (the outbox row id) makes the Message-ID."""
    unsubscribe = keys.mint(ReplyToken(recipient.participant_id, None, Purpose.UNSUBSCRIBE))
    body = render_body(
        replies,
        dialogue=dialogue,
        answered=answered,
        batch=batch,
        notes=context.notes,
        form_step=context.form_step,
        signature=mailbox.from_name,
        unsubscribe_url=mailbox.unsubscribe_url(unsubscribe),
    )
    token = keys.mint(ReplyToken(recipient.participant_id, body.step_key))
    step = dialogue.step(body.step_key or step_key or "")
    subject = _subject(kind, replies, step.name if step else None, dialogue.title)
    message = _envelope(
        mailbox, recipient.address, recipient.name, mmsg.with_reference(subject, token), now
    )
    message["Reply-To"] = mailbox.reply_to(token)
    message["Message-ID"] = f"<dialoog.{token}.{_safe_id(unique)}@{mailbox.domain}>"
    _thread(message, context)
    message.set_raw(
        "List-Unsubscribe",
        _UriList(
            "List-Unsubscribe",
            [mailbox.unsubscribe_mailto(unsubscribe), mailbox.unsubscribe_url(unsubscribe)],
        ),
    )
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(body.text)
    message.add_alternative(body.html, subtype="html")
    return OutgoingMail(message)


def compose_stranger_reply(
    *,
    address: str,
    mailbox: Mailbox,
    dialogue: Dialogue,
    in_reply_to: str | None,
    now: datetime,
    replies: Sequence[Reply] = (),
) -> OutgoingMail:
    """The answer to someone who is not a participant: no token, nothing to unsubscribe. The
    polite notice for a stranger; ``replies`` for someone who was just erased at their request."""
    body = render_body(
        tuple(replies) or (Say(mmsg.notice_stranger(dialogue.title, dialogue.contact)),),
        dialogue=dialogue,
        signature=mailbox.from_name,
        unsubscribe_url=None,
    )
    message = _envelope(mailbox, address, None, mmsg.subject_reply(dialogue.title), now)
    message["Message-ID"] = make_msgid(idstring=secrets.token_hex(4), domain=mailbox.domain)
    _thread(message, MailContext(in_reply_to=in_reply_to))
    message.set_content(body.text)
    message.add_alternative(body.html, subtype="html")
    return OutgoingMail(message)


def _envelope(
    mailbox: Mailbox, address: str, name: str | None, subject: str, now: datetime
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((_one_line(mailbox.from_name), mailbox.address))
    message["To"] = formataddr((_one_line(name or ""), address))
    message["Subject"] = _one_line(subject)
    message["Date"] = format_datetime(now)
    message["Content-Language"] = "nl"
    message["X-Auto-Response-Suppress"] = "All"
    return message


def _thread(message: EmailMessage, context: MailContext) -> None:
    if context.in_reply_to:
        message["In-Reply-To"] = context.in_reply_to
        chain = [r for r in context.references if r != context.in_reply_to][-10:] + [
            context.in_reply_to
        ]
        message["References"] = " ".join(chain)
        message["Auto-Submitted"] = "auto-replied"
    else:
        message["Auto-Submitted"] = "auto-generated"


def _subject(kind: str, replies: Sequence[Reply], step: str | None, title: str) -> str:
    receipt = next((r for r in replies if isinstance(r, Receipt)), None)
    if receipt is not None:
        return (mmsg.subject_closed if receipt.closed else mmsg.subject_receipt)(receipt.step_name)
    if kind == "invitation" or step is None:
        return mmsg.subject_invitation(title) if kind == "invitation" else mmsg.subject_reply(title)
    by_kind = {
        "step_prompt": mmsg.subject_step_prompt,
        "nudge": mmsg.subject_nudge,
        "step_closed": mmsg.subject_thanks,
        "results": mmsg.subject_results,
    }
    return by_kind.get(kind, lambda _: mmsg.subject_reply(title))(step)


class _UriList(str):
    """A header of ``<uri>`` items, folded only between items. The email package turns a word
    longer than a line into RFC 2047 encoded words, which no client reads as a URI."""

    name: str

    def __new__(cls, name: str, uris: Sequence[str]) -> _UriList:
        value = super().__new__(cls, ", ".join(f"<{uri}>" for uri in uris))
        value.name = name
        return value

    # copy/deepcopy rebuild the header from (name, uris), which str's own signature cannot say
    def __getnewargs__(self) -> tuple[str, list[str]]:  # type: ignore[override]
        return self.name, [item.strip().strip("<>") for item in self.split(", ")]

    def fold(self, *, policy: Any) -> str:
        return f"{self.name}: " + f",{policy.linesep} ".join(self.split(", ")) + policy.linesep


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _safe_id(unique: str) -> str:
    return "".join(c for c in unique if c.isalnum() or c in "-_")[:64] or secrets.token_hex(8)
