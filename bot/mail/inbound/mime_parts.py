"""Walk the MIME tree of a parsed mail: pick the text body, list attachments.

The walk never descends into attached messages (``message/rfc822``), so the
body of a mail forwarded as an attachment is never taken for the answer. The
``message/delivery-status`` part of a bounce is kept as text for
:mod:`bot.mail.inbound.classify`.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from typing import TypeVar

from bot.mail.inbound.body_decoding import decode_text
from bot.mail.inbound.html_text import cut_html, html_to_text, without_inline_data

__all__ = ["MailParts", "collect_parts"]

T = TypeVar("T")
D = TypeVar("D")

_TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})
_MAX_DEPTH = 30
_MAX_PARTS = 500
_MAX_STATUS_CHARS = 20_000
_MAX_HTML_CHARS = 2_000_000  # after inline data (data: URIs) is dropped
_MESSAGE_ID_LINE = re.compile(r"^message-id:\s*(<[^<>\s]+>)", re.I | re.M)


@dataclass
class MailParts:
    """What the MIME walk found."""

    body: str = ""
    body_format: str = ""
    attachment_names: tuple[str, ...] = ()
    has_winmail_dat: bool = False
    content_type: str = ""
    report_type: str = ""
    delivery_status: str = ""
    returned_message_id: str = ""
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


def _safe(call: Callable[[], T], default: D) -> T | D:
    """Run ``call``; return ``default`` when the policy's header objects raise."""
    try:
        return call()
    except Exception:  # noqa: BLE001
        return default


def _leaves(part: Message, depth: int = 0) -> Iterator[Message]:
    """Yield leaf parts; attached and status messages count as leaves."""
    if depth > _MAX_DEPTH:
        return
    maintype = _safe(part.get_content_maintype, "text")
    if maintype == "multipart" and part.is_multipart():
        children = _safe(part.get_payload, [])
        for child in children if isinstance(children, list) else []:
            if isinstance(child, Message):
                yield from _leaves(child, depth + 1)
        return
    yield part


def _payload_bytes(part: Message) -> bytes:
    payload = _safe(lambda: part.get_payload(decode=True), None)
    if isinstance(payload, bytes):
        return payload
    text = _safe(part.get_payload, "")
    return text.encode("utf-8", "surrogateescape") if isinstance(text, str) else b""


def _decoded_text(part: Message, problems: list[str]) -> str:
    charset = _safe(part.get_content_charset, None)
    text, unusable = decode_text(_payload_bytes(part), charset)
    if unusable:
        problems.append("unknown_charset")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def _attachment_name(part: Message, ctype: str) -> str:
    name = _safe(part.get_filename, None)
    if name:
        return " ".join(str(name).split())
    if ctype in ("message/rfc822", "message/global"):
        inner = _attached_message(part)
        if inner is not None:
            subject = _safe(lambda: str(inner.get("subject", "") or ""), "")
            return f"{subject or 'bericht'}.eml"
    extension = mimetypes.guess_extension(ctype) or ".bin"
    return f"naamloos{extension}"


def _attached_message(part: Message) -> Message | None:
    """The message a ``message/*`` part carries (the parser gives it as a one-item list)."""
    inner = _safe(part.get_payload, None)
    if isinstance(inner, list) and inner and isinstance(inner[0], Message):
        return inner[0]
    return None


def _status_text(part: Message) -> str:
    """Render the field blocks of a message/delivery-status part as text."""
    blocks = _safe(part.get_payload, [])
    if isinstance(blocks, str):
        return blocks[:_MAX_STATUS_CHARS]
    rendered: list[str] = []
    for block in blocks if isinstance(blocks, list) else []:
        rendered.append(_status_block(block))
    return "\n\n".join(rendered)[:_MAX_STATUS_CHARS]


def _status_block(block: Message | str) -> str:
    """One field block as ``name: value`` lines (none when it is not a header block)."""
    if not isinstance(block, Message):
        return ""
    items = _safe(lambda: [(k, str(v)) for k, v in block.items()], [])
    return "\n".join(f"{key}: {' '.join(value.split())}" for key, value in items)


def _returned_message_id(part: Message, ctype: str) -> str:
    if ctype == "text/rfc822-headers":
        found = _MESSAGE_ID_LINE.search(_payload_bytes(part).decode("latin-1"))
        return found.group(1) if found else ""
    inner = _attached_message(part)
    if inner is not None:
        value = _safe(lambda: str(inner.get("message-id", "") or ""), "")
        found = re.search(r"<[^<>\s]+>", value)
        return found.group(0) if found else ""
    return ""


def _visit(part: Message, parts: MailParts, problems: list[str]) -> None:
    ctype = _safe(part.get_content_type, "application/octet-stream")
    disposition = _safe(part.get_content_disposition, None)
    filename = _safe(part.get_filename, None)
    if ctype == "message/delivery-status":
        parts.delivery_status = _status_text(part)
        return
    if ctype in ("message/rfc822", "text/rfc822-headers") and parts.report_type:
        parts.returned_message_id = parts.returned_message_id or _returned_message_id(part, ctype)
        return
    is_attachment = disposition == "attachment" or bool(filename)
    if not is_attachment and ctype in ("text/plain", "text/html"):
        (parts.plain if ctype == "text/plain" else parts.html).append(_decoded_text(part, problems))
        return
    if ctype == "multipart/mixed" or ctype.startswith("multipart/"):
        # a multipart without usable boundary: the parser left its text as payload
        text = _decoded_text(part, problems)
        if text.strip():
            problems.append("broken_multipart")
            parts.plain.append(text)
        return
    if not is_attachment and ctype.startswith("text/"):
        return  # other inline text (calendar, vcard) is neither body nor attachment
    name = _attachment_name(part, ctype)
    parts.names.append(name)
    if ctype in _TNEF_TYPES or name.lower() == "winmail.dat":
        parts.has_winmail_dat = True


def collect_parts(message: Message, problems: list[str]) -> MailParts:
    """Return body text (text/plain preferred, else HTML as text) and attachment names."""
    parts = MailParts()
    parts.content_type = _safe(message.get_content_type, "text/plain")
    if parts.content_type == "multipart/report":
        parts.report_type = str(_safe(lambda: message.get_param("report-type"), "") or "").lower()
    for count, leaf in enumerate(_leaves(message)):
        if count >= _MAX_PARTS:
            problems.append("too_many_parts")
            break
        _visit(leaf, parts, problems)
    plain = "\n".join(text for text in parts.plain if text.strip())
    if plain.strip():
        parts.body, parts.body_format = plain, "plain"
    else:
        html = without_inline_data("\n".join(text for text in parts.html if text.strip()))
        if len(html) > _MAX_HTML_CHARS:
            problems.append("html_truncated")
            html = cut_html(html, _MAX_HTML_CHARS)
        if html.strip():
            parts.body, parts.body_format = html_to_text(html), "html"
    parts.attachment_names = tuple(parts.names)
    return parts
