"""Line recognisers for reply extraction: quote headers, separators, signatures.

Covers the Dutch and English variants of Outlook (desktop, web, mobile),
Gmail, Apple Mail, Thunderbird, Samsung/Android and BlackBerry clients.
Each function looks at plain-text lines (after HTML conversion) only.
"""

from __future__ import annotations

import re

__all__ = [
    "is_quoted",
    "unquote_once",
    "starts_original",
    "attribution_length",
    "signature_start",
    "quoted_question_number",
    "ends_quoted_questions",
]

_QUOTED = re.compile(r"^\s*>")
_SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(?:oorspronkelijk bericht|origineel bericht|original message|"
    r"doorgestuurd bericht|forwarded message|ursprüngliche nachricht|message d'origine)"
    r"\s*-{2,}\s*$"
    r"|^\s*_{10,}\s*$"
    r"|^\s*(?:begin doorgestuurd bericht|begin forwarded message)\s*:\s*$",
    re.I,
)
_FIELD = re.compile(
    r"^[\s*_]*(van|from|verzonden|sent|datum|date|aan|to|cc|onderwerp|subject)[\s*_]*:", re.I
)
_FROM_FIELDS = frozenset({"van", "from"})
_DATE_FIELDS = frozenset({"verzonden", "sent", "datum", "date"})
_TO_SUBJECT_FIELDS = frozenset({"aan", "to", "cc", "onderwerp", "subject"})
_ONE_LINE_HEADER = re.compile(
    r"^[\s*_]*(?:van|from)[\s*_]*:.+\b(?:onderwerp|subject)[\s*_]*:", re.I
)
_ATTRIBUTIONS = (
    re.compile(r"^(?:op|on)\s.{3,240}?\b(?:schreef|wrote)\b.{0,200}:$", re.I),
    re.compile(r"^op\s.{3,240}?\bheeft\b.{1,240}\bhet volgende geschreven\s*:$", re.I),
    re.compile(r"^.{1,200}\b(?:schreef op|wrote on)\b.{3,120}:$", re.I),
    re.compile(
        r"^(?:am|le|el|il)\s.{3,240}?\b(?:schrieb|a écrit|escribió|ha scritto)\b.{0,200}:$", re.I
    ),
)
_ATTRIBUTION_VERB = re.compile(r"schreef|wrote|geschreven|schrieb|écrit|escribió|scritto", re.I)
_ATTRIBUTION_START = re.compile(r"^(?:op|on|am|le|el|il)\s", re.I)
_DATE_HINT = re.compile(r"@|\b\d{1,2}[:.]\d{2}\b|\b\d{4}\b")
_SENT_FROM = re.compile(
    r"^(?:(?:verzonden|verstuurd|gestuurd)\s+(?:vanaf|vanuit|van|met|via)\s+(?:mijn\s+)?|"
    r"(?:sent|envoyé|gesendet)\s+(?:from|with|via|de|von)\s+(?:my\s+|mon\s+|meinem\s+)?)"
    r".{0,40}\b(?:iphone|ipad|ipod|android|samsung|galaxy|blackberry|outlook|mobiel|mobile|"
    r"smartphone|telefoon|phone|huawei|xiaomi|oneplus|fairphone|nokia|motorola|pixel|"
    r"mail (?:voor|for) windows|yahoo mail|ios)\b.{0,80}$"
    r"|^(?:get |download )?outlook (?:for|voor) (?:ios|android)(?: downloaden)?\b.{0,80}$",
    re.I,
)
_SIGN_OFF = re.compile(
    r"^(?:met\s+)?(?:vriendelijke|hartelijke|beste|warme|collegiale|kind|best|warm)\s+"
    r"(?:groet(?:en)?|regards|wishes)\b"
    r"|^(?:groet(?:en|jes)?|mvg|m\.v\.g\.|gr\.|regards)\s*[,.!]?(?:\s+\S.{0,40})?$",
    re.I,
)
_DISCLAIMER = re.compile(
    r"^(?:disclaimer\b|"
    r"(?:de informatie (?:verzonden )?(?:met|in) )?dit (?:e-?mail)?bericht (?:is |kan )?"
    r"(?:uitsluitend|alleen|vertrouwelijk|bestemd)|"
    r"aan dit (?:e-?mail)?bericht kunnen geen rechten\b|"
    r"this (?:e-?mail|message)\b.{0,40}\b(?:intended|confidential)\b)",
    re.I,
)
_QUESTION = re.compile(r"^\s*(?:vraag\s*(\d{1,2})\b|(\d{1,2})\s*[.):]\s+\S)", re.I)
_NUMBERED = re.compile(r"^\s*(?:vraag\s*|v\s*|ad\s+)?\d{1,2}\s*[.):]", re.I)
_MAX_SIGNATURE_LINE_CHARS = 160
_MAX_SIGN_OFF_CHARS = 60
_MAX_SIGNATURE_LINES = 20


def is_quoted(line: str) -> bool:
    """True for a ``>``-quoted line."""
    return bool(_QUOTED.match(line))


def unquote_once(line: str) -> str:
    """Remove one quote level (``> `` or ``>``)."""
    stripped = line.lstrip()
    if not stripped.startswith(">"):
        return line
    rest = stripped[1:]
    return rest[1:] if rest.startswith(" ") else rest


def _field_name(line: str) -> str | None:
    found = _FIELD.match(line)
    return found.group(1).lower() if found else None


def _is_header_block(lines: list[str], index: int) -> bool:
    """An Outlook-style header block: From/Van followed by date and to/subject fields."""
    if _ONE_LINE_HEADER.match(lines[index]):
        return True
    if _field_name(lines[index]) not in _FROM_FIELDS:
        return False
    seen: set[str] = set()
    for line in lines[index + 1 : index + 8]:
        name = _field_name(line)
        if name:
            seen.add(name)
    return bool(seen & _DATE_FIELDS) and bool(seen & _TO_SUBJECT_FIELDS)


def starts_original(lines: list[str], index: int) -> bool:
    """True when an unquoted original message (or forward) starts at ``lines[index]``."""
    line = lines[index]
    if is_quoted(line):
        return False
    return bool(_SEPARATOR.match(line)) or _is_header_block(lines, index)


def _is_attribution(text: str) -> bool:
    text = " ".join(text.split())
    if len(text) > 500 or not _ATTRIBUTION_VERB.search(text) or not _DATE_HINT.search(text):
        return False
    return any(pattern.match(text) for pattern in _ATTRIBUTIONS)


def attribution_length(lines: list[str], index: int) -> int:
    """Number of lines (1-3) of a "Op … schreef …:" style line at ``index``, else 0."""
    if is_quoted(lines[index]) or not lines[index].strip():
        return 0
    joined = lines[index].strip()
    if _is_attribution(joined):
        return 1
    if not _ATTRIBUTION_START.match(joined):
        return 0
    for extra in (1, 2):
        following = lines[index + extra] if index + extra < len(lines) else ""
        if not following.strip() or is_quoted(following):
            return 0
        joined = f"{joined} {following.strip()}"
        if _is_attribution(joined):
            return extra + 1
    return 0


def _always_signature(text: str) -> bool:
    return text in ("--", "—") or bool(_SENT_FROM.match(text) or _DISCLAIMER.match(text))


def _short_block(lines: list[str]) -> bool:
    """True when ``lines`` look like a signature: few, short, unnumbered lines."""
    count = 0
    for line in lines:
        text = line.strip()
        if _always_signature(text):
            break
        if not text:
            continue
        count += 1
        if (
            count > _MAX_SIGNATURE_LINES
            or len(text) > _MAX_SIGNATURE_LINE_CHARS
            or _NUMBERED.match(text)
        ):
            return False
    return True


def signature_start(lines: list[str]) -> int | None:
    """Index where a signature starts in a block of own lines, or None.

    A ``--`` line, a "sent from my phone" line or a disclaimer always starts a
    signature. A sign-off ("Met vriendelijke groet,") does when it is a short
    line followed by at most a short block (name, function, phone).
    """
    for index, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if _always_signature(text):
            return index
        if (
            len(text) <= _MAX_SIGN_OFF_CHARS
            and _SIGN_OFF.match(text)
            and _short_block(lines[index + 1 :])
        ):
            return index
    return None


def quoted_question_number(line: str) -> int | None:
    """Number of a question in a first-level quoted line ("> 2. Wat …"), else None."""
    if not is_quoted(line):
        return None
    inner = unquote_once(line)
    if inner.lstrip().startswith(">"):
        return None
    found = _QUESTION.match(inner)
    if not found:
        return None
    return int(found.group(1) or found.group(2))


def ends_quoted_questions(line: str) -> bool:
    """True for a quoted line that closes the question list (a sign-off or ``--``)."""
    inner = unquote_once(line).strip()
    return inner in ("--", "—") or bool(_SIGN_OFF.match(inner))
