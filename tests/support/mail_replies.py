"""Replies as real mail clients write them, built from a mail the bot sent.

- :func:`outlook_nl_reply`: Outlook (desktop, Dutch) — new text on top, a signature, then the
  "Van: / Verzonden: / Aan: / Onderwerp:" block and the original, unquoted.
- :func:`gmail_inline_reply`: Gmail (Dutch) with answers typed between the quoted questions
  under "Op ... schreef ...:".
"""

from __future__ import annotations

import re
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid, parseaddr

_QUESTION = re.compile(r"^(\d{1,2})\. ")


def read(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def plain_text(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return part.get_content()


def html_text(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return part.get_content()


def _base(original: EmailMessage, sender: str, name: str, when: datetime) -> EmailMessage:
    reply = EmailMessage()
    reply["From"] = f'"{name}" <{sender}>'
    reply["To"] = str(original["Reply-To"] or original["From"])
    reply["Subject"] = f"RE: {original['Subject']}"
    reply["Date"] = format_datetime(when)
    reply["Message-ID"] = make_msgid(domain=sender.split("@")[1])
    reply["In-Reply-To"] = str(original["Message-ID"]).strip()
    reply["References"] = str(original["Message-ID"]).strip()
    return reply


def outlook_nl_reply(
    original: EmailMessage, *, sender: str, name: str, text: str, when: datetime, html: bool = False
) -> bytes:
    reply = _base(original, sender, name, when)
    reply["Thread-Topic"] = str(original["Subject"])
    from_name, from_address = parseaddr(str(original["From"]))
    quoted = (
        f"Van: {from_name} <{from_address}>\nVerzonden: dinsdag 1 oktober 2024 10:12\n"
        f"Aan: {name} <{sender}>\nOnderwerp: {original['Subject']}\n\n{plain_text(original)}"
    )
    body = f"{text}\n\nMet vriendelijke groet,\n\n{name}\nGemeente Zwartewaterland\n\n{quoted}"
    reply.set_content(body)
    if html:
        paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n"))
        reply.add_alternative(
            f"<html><body>{paragraphs}<div><hr><p>Van: {from_name}</p></div></body></html>",
            subtype="html",
        )
    return reply.as_bytes(policy=policy.SMTP)


def gmail_inline_reply(
    original: EmailMessage, *, sender: str, name: str, answers: dict[int, str], when: datetime
) -> bytes:
    """Answers typed right under the quoted question (and its choices) they answer."""
    reply = _base(original, sender, name, when)
    lines = plain_text(original).split("\n")
    out = [
        "Hallo,",
        "",
        "Mijn antwoorden staan hieronder.",
        "",
        "Op di 1 okt 2024 om 10:12 schreef Dialoog <dialoog@vng.example>:",
        "",
    ]
    current: int | None = None
    for index, line in enumerate(lines):
        out.append(f"> {line}".rstrip())
        found = _QUESTION.match(line)
        if found:
            current = int(found.group(1))
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if current is not None and not following.startswith("   ") and current in answers:
            out += ["", answers.pop(current), ""]
            current = None
    reply.set_content("\n".join(out) + f"\n\n{name}\n")
    return reply.as_bytes(policy=policy.SMTP)
