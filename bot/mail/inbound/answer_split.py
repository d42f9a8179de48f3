"""Split the newly written text of a reply into one text per question.

Numbered answers start a line with ``1.``, ``1)``, ``1:``, ``Vraag 1:``,
``V1``, ``Antwoord 1:`` or ``Ad 1``; an answer runs until the next number.
A number only starts an answer when it lies within ``1..question_count`` and
has not been used yet, so "2024." or a repeated "1." inside an answer stays
text. Text before the first number (a greeting, a general remark) is returned
as part ``0``. Without any number, blank-line separated paragraphs are taken in
order when their count equals the number of questions; otherwise all text goes
to question 1 with ``unnumbered_mismatch`` set.

Choice letters and scale values are not interpreted here: the domain
validates them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["AnswerPart", "PREAMBLE", "split_answers"]

#: Question number of the text before the first numbered answer.
PREAMBLE = 0

_MARKER = re.compile(
    r"^\s*[*_]{0,2}\s*"
    r"(?:"
    r"(?:vraag|antwoord|ad|v)\s*\.?\s*(?P<prefixed>\d{1,2})[*_]{0,2}\s*[.):\-–]?"
    r"|(?P<plain>\d{1,2})[*_]{0,2}\s*[.):]"
    r")"
    r"[*_]{0,2}(?!\d)\s*(?P<rest>.*)$",
    re.I,
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


@dataclass(frozen=True)
class AnswerPart:
    """Text given for one question (``question_number`` 0: text before the first number)."""

    question_number: int
    text: str
    unnumbered_mismatch: bool = False


def _marker(line: str, question_count: int, used: set[int]) -> tuple[int, str] | None:
    found = _MARKER.match(line)
    if not found:
        return None
    number = int(found.group("prefixed") or found.group("plain"))
    if not 1 <= number <= question_count or number in used:
        return None
    return number, found.group("rest")


def _tidy(lines: list[str]) -> str:
    """Join lines, keep single blank lines between paragraphs, trim."""
    text = "\n".join(line.rstrip() for line in lines)
    return _PARAGRAPH_BREAK.sub("\n\n", text).strip()


def _numbered(lines: list[str], question_count: int) -> list[AnswerPart] | None:
    used: set[int] = set()
    current = PREAMBLE
    collected: dict[int, list[str]] = {PREAMBLE: []}
    for line in lines:
        found = _marker(line, question_count, used)
        if found is None:
            collected[current].append(line)
            continue
        current, rest = found
        used.add(current)
        collected[current] = [rest] if rest.strip() else []
    if not used:
        return None
    parts = [AnswerPart(number, _tidy(body)) for number, body in sorted(collected.items())]
    return [part for part in parts if part.text]


def split_answers(text: str, question_count: int) -> list[AnswerPart]:
    """Split ``text`` into answers for questions ``1..question_count``.

    Parts come sorted by question number; questions without text are left out.
    """
    if question_count < 1:
        raise ValueError("question_count must be at least 1")
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return []
    numbered = _numbered(text.split("\n"), question_count)
    if numbered is not None:
        return numbered
    if question_count == 1:
        return [AnswerPart(1, _tidy(text.split("\n")))]
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]
    if len(paragraphs) == question_count:
        return [AnswerPart(number, p) for number, p in enumerate(paragraphs, start=1)]
    return [AnswerPart(1, _tidy(text.split("\n")), unnumbered_mismatch=True)]
