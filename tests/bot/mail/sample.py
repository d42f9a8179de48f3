"""Building outgoing test mails the way the outbound renderer will: a complete EmailMessage."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from bot.mail.contracts import OutgoingMail

BOT = "dialoog@gemeente.test"


def sample_mail(
    to: str,
    *,
    subject: str = "Stap Verkennen: uw antwoorden",
    sender: str = BOT,
    body: str = "Beste deelnemer,\n\nWilt u de vragen hieronder beantwoorden?\n",
) -> OutgoingMail:
    message = EmailMessage()
    message["From"] = f"Dialoogbot <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2024, 10, 1, 10, 0, tzinfo=UTC))
    message["Message-ID"] = make_msgid(domain="gemeente.test")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    message.add_alternative(f"<p>{body}</p>", subtype="html")
    return OutgoingMail(message)
