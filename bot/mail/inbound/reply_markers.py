"""Line recognisers for reply extraction: quotes, signatures, quoted questions.

Where a quoted message starts (attributions, header blocks, separators) is in
:mod:`bot.mail.inbound.quote_headers`. Signatures: ``--``, a disclaimer, a sign-off followed by a
short block, and "sent from my phone" lines — the phrases of :mod:`bot.mail.inbound.reply_phrases`
or, in any language, a short closing line that names a phone or mail app ("Envoyé de mon
iPhone", "Отправлено с iPhone", "Get Outlook for Android"). Each function looks at plain-text
lines (after HTML conversion) only.
"""

from __future__ import annotations

import re

from bot.mail.inbound.reply_phrases import DEVICES, LANGUAGES

__all__ = [
    "is_quoted",
    "unquote_once",
    "signature_start",
    "quoted_question_number",
    "ends_quoted_questions",
]

_QUOTED = re.compile(r"^\s*>")
_SENT_FROM = re.compile(
    r"^(?:(?:verzonden|verstuurd|gestuurd)\s+(?:vanaf|vanuit|van|met|via)\s+(?:mijn\s+)?|"
    r"(?:sent|envoyé|gesendet)\s+(?:from|with|via|de|von)\s+(?:my\s+|mon\s+|meinem\s+)?)"
    r".{0,40}\b(?:iphone|ipad|ipod|android|samsung|galaxy|blackberry|outlook|mobiel|mobile|"
    r"smartphone|telefoon|phone|huawei|xiaomi|oneplus|fairphone|nokia|motorola|pixel|"
    r"mail (?:voor|for) windows|yahoo mail|ios)\b.{0,80}$"
    r"|^(?:get |download )?outlook (?:for|voor) (?:ios|android)(?: downloaden)?\b.{0,80}$",
    re.I,
)
_SENT_FROM_PHRASES = re.compile(
    "^(?:"
    + "|".join(
        sorted(
            {
                r"\s+".join(map(re.escape, phrase.split()))
                for language in LANGUAGES.values()
                for phrase in language.sent_from
            }
        )
    )
    + r")\b.{0,80}$",
    re.I,
)
_DEVICE = re.compile(
    r"(?<![\w.@/-])(?:"
    + "|".join(r"\s+".join(map(re.escape, d.split())) for d in DEVICES)
    + r")(?:'?[^\W\d_]{1,4})?(?![\w.@/-])",  # inflected: "iPhonesta", "iPhone'a"
    re.I,
)
_MAX_PHONE_LINE_CHARS = 70
_MAX_PHONE_LINE_WORDS = 8
_MAX_LINES_AFTER_PHONE_LINE = 3
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


def _always_signature(text: str) -> bool:
    return text in ("--", "—") or bool(
        _SENT_FROM.match(text) or _SENT_FROM_PHRASES.match(text) or _DISCLAIMER.match(text)
    )


def _phone_line(lines: list[str], index: int) -> bool:
    """A short line naming a phone or mail app near the end of the block ("Inviato da iPhone",
    "Отправлено с iPhone"): a "sent from" line in a language we have no phrase for."""
    text = lines[index].strip()
    if (
        len(text) > _MAX_PHONE_LINE_CHARS
        or len(text.split()) > _MAX_PHONE_LINE_WORDS
        or text.endswith("?")
        or _NUMBERED.match(text)
        or not _DEVICE.search(text)
    ):
        return False
    rest = [line for line in lines[index + 1 :] if line.strip()]
    return len(rest) <= _MAX_LINES_AFTER_PHONE_LINE and not any(_NUMBERED.match(r) for r in rest)


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
        if _always_signature(text) or _phone_line(lines, index):
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
