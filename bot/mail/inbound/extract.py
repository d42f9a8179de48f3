"""Extract the newly written text from the body of a reply mail.

Approach, line by line on the plain-text body:

1. Normalise line ends, non-breaking, zero-width and directional characters.
2. Split at the first *unquoted* start of an original message
   (:mod:`bot.mail.inbound.quote_headers`: header blocks, separators in the
   supported languages, Outlook's underscore line). Below it, only lines the
   participant typed inside the bot's own step mail count
   (:mod:`bot.mail.inbound.step_mail`): they become "N. answer" for the
   question above them; text below the footer is kept too.
3. Above it, drop attribution lines ("Op … schreef …:", "On … wrote:", "Am …
   schrieb …:", …; also wrapped over two or three lines).
4. If no own (unquoted) text follows a ``>``-quoted line, the mail is
   top-posted: keep the own text before the first quote or attribution.
   Without any quote, an attribution line ends the new text.
5. Otherwise the participant wrote below or between the quotes (bottom-posting,
   inline answers). Keep every own block in order. When a quote block ends
   with a numbered question ("> 2. Wat gaat goed …?", maybe followed by its
   lettered choices), the own block that follows starts with "2. ", unless it
   already starts with a number. No number is added after a quote block that
   ends with the closing of the original ("Met vriendelijke groet", ``--``):
   that is plain bottom-posting. A ``>`` citation the participant put between
   their own lines (no attribution above it, nothing of the bot's in it) is
   kept as written.
6. Remove signatures per own block ("-- ", "sent from my phone" lines in any
   language, "Met vriendelijke groet," plus a short block, disclaimers).
7. When the sender's name is known, drop a closing line that holds only
   (part of) that name ("Gert-Jan"), so it is not taken for an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.mail.inbound.parse import InboundMail
from bot.mail.inbound.quote_headers import attribution_length, is_header_field, starts_original
from bot.mail.inbound.reply_markers import (
    ends_quoted_questions,
    is_quoted,
    quoted_question_number,
    signature_start,
    unquote_once,
)
from bot.mail.inbound.step_mail import (
    CHOICE_LINE,
    QUESTION_LINE,
    is_step_mail,
    lines_typed_in_step_mail,
)

__all__ = ["MAX_TEXT_CHARS", "extract_new_text", "extract_new_text_from_mail"]

#: Zero-width characters, soft hyphens and directional marks that webmail leaves in text.
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u061c\u202a\u202b\u202c\u202d"
        "\u202e\u2066\u2067\u2068\u2069",
    ),
    None,
)
#: Only this many characters of a body are examined; new text is never that long.
MAX_TEXT_CHARS = 300_000
_ORGANISATION_WORDS = frozenset(
    {
        "gemeente",
        "griffie",
        "provincie",
        "secretariaat",
        "bestuurssecretariaat",
        "info",
        "team",
        "afdeling",
        "raad",
        "college",
        "postbus",
        "regio",
        "vng",
    }
)
_MAX_CHOICE_LINES = 8  # quoted lines allowed between a question and the answer below it
_NUMBER_START = re.compile(r"^\s*(?:vraag\s*|v\s*|ad\s+|antwoord\s*)?\d{1,2}\s*[.):]", re.I)


@dataclass
class _Block:
    quoted: bool
    lines: list[str]
    after_attribution: bool = False


def _normalise(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    text = text.replace("\xa0", " ").replace("\u202f", " ").expandtabs(4)
    return [line.rstrip() for line in text.split("\n")]


def _original_start(lines: list[str]) -> int:
    """Index of the first line of an unquoted original (or forward); ``len(lines)`` if none."""
    return next((i for i in range(len(lines)) if starts_original(lines, i)), len(lines))


def _blocks(lines: list[str]) -> list[_Block]:
    """Group lines into quoted and own blocks; attribution lines are dropped.

    Blank lines belong to the own block they are in; blank lines between two
    quoted lines stay inside the quote block.
    """
    next_is_quoted = [False] * (len(lines) + 1)  # is the next non-blank line quoted?
    for position in range(len(lines) - 1, -1, -1):
        line = lines[position]
        next_is_quoted[position] = is_quoted(line) if line.strip() else next_is_quoted[position + 1]
    blocks: list[_Block] = []
    index = 0
    attribution = False
    while index < len(lines):
        skip = attribution_length(lines, index)
        if skip:
            index += skip
            attribution = True
            continue
        line = lines[index]
        quoted = is_quoted(line)
        if not line.strip() and blocks and blocks[-1].quoted:
            quoted = next_is_quoted[index]
        if blocks and blocks[-1].quoted == quoted and not (attribution and line.strip()):
            blocks[-1].lines.append(line)
        else:
            blocks.append(_Block(quoted=quoted, lines=[line], after_attribution=attribution))
        if line.strip():
            attribution = False
        index += 1
    return blocks


def _has_text(block: _Block) -> bool:
    return any(line.strip() for line in block.lines)


def _without_signature(lines: list[str]) -> list[str]:
    start = signature_start(lines)
    return lines if start is None else lines[:start]


def _question_before_answer(quote: _Block) -> int | None:
    """Number of the question that a quote block ends with, if any."""
    tail = 0
    for line in reversed(quote.lines):
        if not line.lstrip(" >").strip():
            continue
        number = quoted_question_number(line)
        if number is not None:
            return number
        if ends_quoted_questions(line):
            return None
        if CHOICE_LINE.match(unquote_once(line)):
            continue  # a question's choices, however many
        tail += 1
        if tail > _MAX_CHOICE_LINES:
            return None
    return None


def _starts_with_number(lines: list[str]) -> bool:
    first = next((line for line in lines if line.strip()), "")
    return bool(_NUMBER_START.match(first))


def _is_own_quote(blocks: list[_Block], index: int) -> bool:
    """A ``>``-quoted block the participant wrote between their own text (a citation), not a
    piece of the original: own text on both sides, no attribution above it, one quote level,
    and none of its lines is the bot's (a question, a choice, a header field, the closing)."""
    block = blocks[index]
    if (
        block.after_attribution
        or index == 0
        or index + 1 >= len(blocks)
        or not _has_text(blocks[index - 1])
        or not _has_text(blocks[index + 1])
    ):
        return False
    inner = [unquote_once(line) for line in block.lines if line.strip(" >")]
    return all(
        not is_quoted(line)
        and not QUESTION_LINE.match(line)
        and not CHOICE_LINE.match(line)
        and is_header_field(line) is None
        and not ends_quoted_questions(line)
        for line in inner
    ) and not is_step_mail(inner)


def _interleaved(blocks: list[_Block]) -> list[str]:
    output: list[str] = []
    used: set[int] = set()
    previous_quote: _Block | None = None
    glued = False  # an own citation and the text around it stay one paragraph
    for index, block in enumerate(blocks):
        citation = block.quoted and _is_own_quote(blocks, index)
        if block.quoted and not citation:
            previous_quote = block
            continue
        own = _trim(block.lines if block.quoted else _without_signature(block.lines))
        if not own:
            continue
        if not (citation or glued):
            output.append("")
        glued = citation
        number = _question_before_answer(previous_quote) if previous_quote else None
        previous_quote = None
        if number is not None and number not in used and not _starts_with_number(own):
            used.add(number)
            first = next(i for i, line in enumerate(own) if line.strip())
            own = [*own[:first], f"{number}. {own[first].strip()}", *own[first + 1 :]]
        output.extend(own)
    return output


def _trim(lines: list[str]) -> list[str]:
    """Drop leading and trailing blank lines."""
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    end = next((i for i in range(len(lines), 0, -1) if lines[i - 1].strip()), 0)
    return lines[start:end]


def _tidy(lines: list[str]) -> str:
    result: list[str] = []
    for line in lines:
        if not line.strip():
            if result and result[-1]:
                result.append("")
            continue
        result.append(line)
    return "\n".join(result).strip("\n")


def _name_tokens(text: str) -> list[str]:
    return [token for token in re.split(r"[\s,.;]+", text.lower()) if len(token) > 1]


def _without_sender_name(lines: list[str], sender_name: str) -> list[str]:
    """Drop a last line that consists only of words from the sender's (person) name.

    Initials and one-letter words never count, so a choice answer "A" from
    "A. de Vries" stays.
    """
    name = set(_name_tokens(sender_name))
    if name & _ORGANISATION_WORDS:
        name = set()  # a shared mailbox such as "Griffie gemeente Zwolle": keep the text
    lines = _trim(lines)
    if name and lines:
        words = lines[-1].split()
        closing = _name_tokens(lines[-1])
        if (
            closing
            and len(closing) == len(words) <= 4
            and all(token in name for token in closing)
            and any(len(token) > 2 for token in closing)
        ):
            return lines[:-1]
    return lines


def extract_new_text(text: str, sender_name: str = "") -> str:
    """Return the newly written part of a reply body (plain text).

    ``sender_name`` (the From display name) lets a bare closing name be removed.
    """
    if not text:
        return ""
    lines = _normalise(text[:MAX_TEXT_CHARS])
    cut = _original_start(lines)
    own = _own_text(lines[:cut], sender_name)
    typed = lines_typed_in_step_mail(lines[cut:]) if cut < len(lines) else []
    return _tidy(own + typed)


def _own_text(lines: list[str], sender_name: str) -> list[str]:
    """The new text above an unquoted original (or of the whole mail when there is none)."""
    blocks = _blocks(lines)
    first_quote = next((i for i, block in enumerate(blocks) if block.quoted), None)
    own_after_quote = first_quote is not None and any(
        not block.quoted and _has_text(block) for block in blocks[first_quote + 1 :]
    )
    if own_after_quote:
        return _without_sender_name(_interleaved(blocks), sender_name)
    if first_quote is None:
        # No quotes: an attribution line (dropped by _blocks) still ends the new text.
        top = _lines_before_attribution(lines)
    else:
        top = [line for block in blocks[:first_quote] for line in block.lines]
    return _without_sender_name(_without_signature(top), sender_name)


def _lines_before_attribution(lines: list[str]) -> list[str]:
    for index in range(len(lines)):
        if attribution_length(lines, index):
            return lines[:index]
    return lines


def extract_new_text_from_mail(mail: InboundMail) -> str:
    """Return the newly written text of a parsed mail's body."""
    return extract_new_text(mail.body, sender_name=mail.from_name)
