"""Trim absurd header fields before the email package sees them.

``email.policy.default`` parses a header value again on every access, in more than linear time:
a ``Content-Type`` with thousands of parameters took 20 s for 200 KB, and the parser asks for it
about ten times per part. Real mail has no such headers, so before parsing every header field —
in the message's header section and in each part's — that is longer than :data:`MAX_FIELD_CHARS`
is cut down in one linear pass over the raw bytes:

* ``Content-Type`` and ``Content-Disposition`` keep their value and only the parameters the bot
  reads (boundary, charset, name, filename, report-type, ...), each at most
  :data:`MAX_PARAMETER_CHARS` long; the parameters are split here, in linear time;
* ``References`` keeps its end (the newest message ids, the bot's among them);
* any other field keeps its start, cut at a fold.

Every header the email package parses is then at most :data:`MAX_FIELD_CHARS` long. A line in a
body that merely looks like a header field is only touched when it has thousands of characters
of folded continuation lines, which text never has.
"""

from __future__ import annotations

import re

__all__ = ["MAX_FIELD_CHARS", "MAX_PARAMETER_CHARS", "trim_headers"]

MAX_FIELD_CHARS = 8_000
MAX_PARAMETER_CHARS = 1_000
_MIME_FIELDS = (b"content-type", b"content-disposition")
_KEPT_PARAMETERS = frozenset(
    {
        b"boundary",
        b"charset",
        b"name",
        b"filename",
        b"report-type",
        b"type",
        b"format",
        b"delsp",
        b"reply-type",
        b"method",
        b"protocol",
        b"micalg",
        b"start",
    }
)
_FIELD = re.compile(rb"^([!-9;-~]+)[ \t]*:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*", re.M)
_ATTRIBUTE = re.compile(rb"^\s*([!#-'*+.0-9A-Z^-~-]+?)(?:\*\d*)?\*?\s*=", re.I)


def _parameters(value: bytes) -> list[bytes]:
    """``value`` split at semicolons outside quoted strings, in one pass."""
    parts: list[bytes] = []
    start, quoted, escaped = 0, False, False
    for index, byte in enumerate(value):
        if escaped:
            escaped = False
        elif byte == 0x5C and quoted:  # backslash
            escaped = True
        elif byte == 0x22:  # double quote
            quoted = not quoted
        elif byte == 0x3B and not quoted:  # semicolon
            parts.append(value[start:index])
            start = index + 1
    parts.append(value[start:])
    return parts


def _mime_field(name: bytes, value: bytes) -> bytes:
    media, *parameters = _parameters(value)
    kept = [media.strip()[:MAX_PARAMETER_CHARS]]
    for parameter in parameters:
        found = _ATTRIBUTE.match(parameter)
        if found and found.group(1).lower() in _KEPT_PARAMETERS:
            kept.append(b" ".join(parameter.split())[:MAX_PARAMETER_CHARS])
    field = name + b": " + b";\r\n ".join(kept)
    return field[:MAX_FIELD_CHARS]


def _cut(name: bytes, value: bytes) -> bytes:
    room = MAX_FIELD_CHARS - len(name) - 2
    if name.lower() == b"references":
        tail = value[-room:]
        fold = tail.find(b"\n")
        return name + b": " + (tail[fold + 1 :] if 0 <= fold < room // 2 else tail).strip()
    head = value[:room]
    fold = head.rfind(b"\r\n") if b"\r\n" in head else head.rfind(b"\n")
    return name + b": " + (head[:fold] if fold > room // 2 else head).strip()


def _trimmed(found: re.Match[bytes]) -> bytes:
    field = found.group(0)
    name = found.group(1)
    value = field[field.index(b":") + 1 :]
    if name.lower() in _MIME_FIELDS:
        return _mime_field(name, value)
    return _cut(name, value)


def trim_headers(raw: bytes) -> tuple[bytes, bool]:
    """``raw`` with every over-long header field trimmed, and whether any was."""
    if len(raw) <= MAX_FIELD_CHARS:
        return raw, False
    long_fields = [
        found for found in _FIELD.finditer(raw) if found.end() - found.start() > MAX_FIELD_CHARS
    ]
    if not long_fields:
        return raw, False
    pieces: list[bytes] = []
    position = 0
    for found in long_fields:
        pieces += [raw[position : found.start()], _trimmed(found)]
        position = found.end()
    pieces.append(raw[position:])
    return b"".join(pieces), True
