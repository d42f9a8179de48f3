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


def _with_typed_answers(lines: list[str], answers: dict[int, str], quote: str = "") -> list[str]:
    """The original's lines with each answer typed right below its question (after the choices),
    without a blank line, as a participant clicking at the end of the question does."""
    out: list[str] = []
    current: int | None = None
    for index, line in enumerate(lines):
        out.append(f"{quote}{line}".rstrip() if quote else line)
        found = _QUESTION.match(line)
        if found:
            current = int(found.group(1))
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if current in answers and not following.startswith("   "):
            out.append(answers[current])
            current = None
    return out


def _html_with_typed_answers(html: str, answers: dict[int, str], paragraph: str) -> str:
    """The bot's HTML with a paragraph of typed text after each answered question."""
    for number, answer in answers.items():
        html = re.sub(
            rf"(<p><strong>{number}\.</strong>.*?</p>)",
            lambda found, answer=answer: found.group(1) + paragraph.format(answer),
            html,
            count=1,
            flags=re.S,
        )
    body = re.search(r"<body[^>]*>(.*)</body>", html, re.S)
    return body.group(1) if body else html


def outlook_inline_reply(
    original: EmailMessage,
    *,
    sender: str,
    name: str,
    top: str,
    answers: dict[int, str],
    when: datetime,
    html_only: bool = False,
) -> bytes:
    """Outlook desktop (Dutch): a line on top, then the original below "Van: / Verzonden:" without
    ``>`` marks, with answers typed (in red) right below the questions they answer."""
    reply = _base(original, sender, name, when)
    from_name, from_address = parseaddr(str(original["From"]))
    header = (
        f"Van: {from_name} <{from_address}>",
        "Verzonden: dinsdag 1 oktober 2024 10:12",
        f"Aan: {name} <{sender}>",
        f"Onderwerp: {original['Subject']}",
    )
    plain = "\n".join(
        [top, "", *header, "", *_with_typed_answers(plain_text(original).split("\n"), answers)]
    )
    typed = '<p class="MsoNormal"><span style="color:#C00000">{}<o:p></o:p></span></p>'
    html = (
        '<html><head><style>p.MsoNormal{margin:0cm;font-family:"Aptos"}</style></head>'
        f'<body lang="NL"><div class="WordSection1"><p class="MsoNormal">{top}<o:p></o:p></p>'
        '<p class="MsoNormal"><o:p>&nbsp;</o:p></p><div style="border:none;border-top:solid '
        '#E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>Van:</b> '
        f"{from_name} &lt;{from_address}&gt;<br><b>Verzonden:</b> dinsdag 1 oktober 2024 10:12"
        f"<br><b>Aan:</b> {name} &lt;{sender}&gt;<br><b>Onderwerp:</b> {original['Subject']}"
        '<o:p></o:p></p></div><p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
        + _html_with_typed_answers(html_text(original), answers, typed)
        + "</div></body></html>"
    )
    if html_only:
        reply.set_content(html, subtype="html")
    else:
        reply.set_content(plain)
        reply.add_alternative(html, subtype="html")
    return reply.as_bytes(policy=policy.SMTP)


def apple_inline_reply(
    original: EmailMessage, *, sender: str, name: str, answers: dict[int, str], when: datetime
) -> bytes:
    """Apple Mail (Dutch), HTML only: the original in a ``<blockquote type="cite">`` that is split
    where the participant typed an answer."""
    reply = _base(original, sender, name, when)
    quote_open = '<blockquote type="cite"><div dir="ltr">'
    typed = "</div></blockquote><div>{}</div>" + quote_open
    html = (
        '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>'
        '<body dir="auto"><div dir="ltr">Mijn antwoorden staan tussen de vragen.</div>'
        '<div dir="ltr"><br><blockquote type="cite">Op 1 okt 2024 om 10:12 heeft '
        "Verenigingsdialoog &lt;dialoog@vng.example&gt; het volgende geschreven:<br><br>"
        "</blockquote></div>"
        + quote_open
        + _html_with_typed_answers(html_text(original), answers, typed)
        + "</div></blockquote></body></html>"
    )
    reply.set_content(html, subtype="html")
    return reply.as_bytes(policy=policy.SMTP)
