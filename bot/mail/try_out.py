"""Trying the mail channel by hand with the folder transport: a sent ``.eml`` as its recipient
reads it, and a reply to it as the recipient's mail client would write it (the subject with the
reference, ``In-Reply-To``, from the address it was sent to, the original quoted below)."""

from __future__ import annotations

from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid, parseaddr


def _parse(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def _text(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    if part is None:
        return ""
    content = part.get_content()
    return content.replace("\r\n", "\n") if isinstance(content, str) else ""


def readable(raw: bytes) -> str:
    """Sender, recipient, subject and the plain text of a mail."""
    message = _parse(raw)
    head = "\n".join(
        f"{label}: {message[name]}"
        for label, name in (("Van", "From"), ("Aan", "To"), ("Onderwerp", "Subject"))
        if message[name]
    )
    return f"{head}\n\n{_text(message)}"


def reply_to(raw: bytes, text: str, *, now: datetime | None = None) -> bytes:
    """A reply to ``raw`` from its recipient saying ``text``, the original quoted with ``>``."""
    original = _parse(raw)
    _, recipient = parseaddr(str(original["To"] or ""))
    reply = EmailMessage()
    reply["From"] = str(original["To"])
    reply["To"] = str(original["Reply-To"] or original["From"])
    subject = str(original["Subject"] or "")
    reply["Subject"] = subject if subject.lower().startswith("re:") else f"RE: {subject}"
    reply["Date"] = format_datetime(now or datetime.now(UTC))
    reply["Message-ID"] = make_msgid(domain=recipient.partition("@")[2] or "localhost")
    if original["Message-ID"]:
        reply["In-Reply-To"] = str(original["Message-ID"])
        reply["References"] = str(original["Message-ID"])
    quoted = "\n".join(f"> {line}".rstrip() for line in _text(original).split("\n"))
    sender = str(original["From"] or "")
    reply.set_content(f"{text.strip()}\n\n{sender} schreef:\n{quoted}\n")
    return reply.as_bytes(policy=policy.SMTP)
