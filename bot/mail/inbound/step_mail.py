"""The bot's own step mail as it comes back inside a reply, and the lines a participant typed in it.

Outlook (desktop, web, mobile) and the Android mail apps put the original below a header block
without ``>`` marks, and participants type their answers right there: under question 3, between
two questions, after the choices. The quoted original is the bot's own mail (found by its "how to
answer" sentence, :data:`bot.mail.messages.HOW_TO_ANSWER`), whose shape the bot controls
(:mod:`bot.mail.outbound.body`): numbered question lines "3. …" in increasing order, each
followed by its lettered choices "   A. …" in alphabetical order, then the closing and the footer.
Every other line between the first question and the closing is what the participant wrote, and
belongs to the question above it — as if they had written "3. A en E". Text below the footer
(bottom-posting under an unquoted original) is kept too.

A question line may have been wrapped by a plain-text client (Outlook wraps at 76 characters
when it sends). Such wrapping shows in the bot's own "how to answer" sentence, which then no
longer fits on one line; the wrap width is the longest line. Below a question line (or a piece of
it) that fills that width, the next line is the question's continuation; below the last, shorter
piece, a line is what the participant typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.mail import messages as mmsg

__all__ = ["is_step_mail", "lines_typed_in_step_mail", "QUESTION_LINE", "CHOICE_LINE"]

QUESTION_LINE = re.compile(r"^\s{0,3}[*_]{0,2}(\d{1,2})[*_]{0,2}\.[*_]{0,2}\s+\S")
CHOICE_LINE = re.compile(r"^\s*[*_]{0,2}([A-Z])[*_]{0,2}\.\s+\S")
_QUOTE_MARK = re.compile(r"^\s*>")
_SPACES = re.compile(r"\s+")
_FILLED = 20  # a wrapped piece this close to the wrap width was filled: the text goes on
_MAX_WRAP_WIDTH = 100


def _words(text: str) -> str:
    return _SPACES.sub(" ", text.replace("*", "")).strip().lower()


_HOW_TO_ANSWER = _words(mmsg.HOW_TO_ANSWER.split(". ")[0])
_HOW_TO_ANSWER_WHOLE = _words(mmsg.HOW_TO_ANSWER)
_CLOSING = _words(mmsg.CLOSING)
_FOOTER_START = _words(mmsg.footer("", None))[:40]


def is_step_mail(lines: list[str]) -> bool:
    """Whether ``lines`` hold the bot's list of questions (its "how to answer" sentence)."""
    return _HOW_TO_ANSWER in _words(" ".join(line for line in lines if line.strip()))


@dataclass
class _Reader:
    """Walks the original line by line, telling the bot's lines from typed ones."""

    question: int = 0  # the question whose lines are being read; 0 before the first
    next_choice: str = "A"
    wrap_width: int = 0  # the width the original was wrapped at; 0: not wrapped
    after_bot_line: str = ""  # the bot line just above (no blank line between), or ""
    wrappable: bool = False  # that line is (a piece of) a question line that fills the width
    typed: dict[int, list[str]] = field(default_factory=dict)
    below: list[str] = field(default_factory=list)  # typed below the footer

    def bot_line(self, line: str) -> bool:
        """Whether ``line`` (not blank) is the bot's, updating what comes next."""
        question = QUESTION_LINE.match(line)
        if question and int(question.group(1)) > self.question:
            self.question, self.next_choice = int(question.group(1)), "A"
            self.wrappable = self._fills(line)
            return True
        choice = CHOICE_LINE.match(line)
        if self.question and choice and choice.group(1) == self.next_choice:
            self.next_choice = chr(ord(self.next_choice) + 1)
            self.wrappable = False
            return True
        if self.after_bot_line and (line.startswith("  ") or self.wrappable):
            self.wrappable = self.wrappable and self._fills(line)
            return True  # an indented or wrapped continuation of the line above
        return not self.question or bool(_QUOTE_MARK.match(line))

    def _fills(self, line: str) -> bool:
        return bool(self.wrap_width) and len(line.rstrip()) >= self.wrap_width - _FILLED


def lines_typed_in_step_mail(lines: list[str]) -> list[str]:
    """What the participant typed inside the unquoted original ``lines`` (from its header block
    on), as numbered answers ("3. A en E") followed by any text below the footer; [] when the
    original is not the bot's step mail or nothing was typed in it."""
    if not is_step_mail(lines):
        return []
    reader = _Reader(wrap_width=_wrap_width(lines))
    ended = footer = False
    for line in lines:
        text = _words(line)
        if not text:
            reader.after_bot_line = ""
            continue
        if footer:
            if reader.after_bot_line and not reader.below:
                continue  # the rest of the footer, however wrapped
            reader.below.append(line)
            continue
        if text.startswith(_FOOTER_START):
            footer = True
            reader.after_bot_line = line
            continue
        if ended:
            continue
        if reader.question and (text == _CLOSING or text in ("--", "-- ")):
            ended = True
            continue
        if reader.bot_line(line):
            reader.after_bot_line = line
            continue
        reader.after_bot_line = ""
        reader.typed.setdefault(reader.question, []).append(line)
    return _numbered(reader.typed) + ([""] + reader.below if reader.below else [])


def _wrap_width(lines: list[str]) -> int:
    """The width a client wrapped the original at, or 0 when its lines were not wrapped."""
    if any(_HOW_TO_ANSWER_WHOLE in _words(line) for line in lines):
        return 0
    return min(max((len(line.rstrip()) for line in lines), default=0), _MAX_WRAP_WIDTH)


def _numbered(typed: dict[int, list[str]]) -> list[str]:
    output: list[str] = []
    for number, lines in sorted(typed.items()):
        first, *rest = [line.strip() for line in lines]
        marker = re.match(rf"^\s*(?:vraag\s*)?{number}\s*[.):]", first, re.I)
        output += ["", first if marker else f"{number}. {first}", *rest]
    return output
