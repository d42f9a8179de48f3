"""From a received mail to what the domain gets: the newly written text, split into answers.

The one code path shared by inbound processing and ``dialoog mail extract``: parse, extract the
new text (falling back to the server's own extraction, e.g. Graph ``uniqueBody``, only when ours
finds nothing), then — for a reply to a step's questions — split it into numbered answers.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.mail import messages as mmsg
from bot.mail.inbound.answer_split import PREAMBLE, split_answers
from bot.mail.inbound.extract import extract_new_text_from_mail
from bot.mail.inbound.parse import InboundMail, parse_message
from dialogen.conversation.inputs import Answers, Input, Text
from dialogen.dialogue.definition import Step

__all__ = [
    "ReadMail",
    "ReadTimeout",
    "Deadline",
    "READ_TIMEOUT",
    "read_mail",
    "domain_input",
    "notes_for",
]

#: A text before the first numbered answer longer than this may hold an answer: say it was not kept.
PREAMBLE_WORTH_MENTIONING = 100
_INLINE_IMAGE = re.compile(r"^image\d{3}\.(?:png|jpe?g|gif)$", re.I)  # Outlook's signature logos


#: Seconds one mail may take to read (parse and extract); a normal reply takes milliseconds.
READ_TIMEOUT = 30.0


@dataclass(frozen=True)
class ReadMail:
    mail: InboundMail
    new_text: str


class ReadTimeout(Exception):
    """Reading a mail took longer than its time limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"reading took longer than {seconds:g} s")
        self.seconds = seconds


@dataclass
class Deadline:
    """The time limit of a read in the bot's own process, checked between the steps of reading.

    A thread cannot be stopped from outside, so this is cooperative: each step is linear in the
    (capped) size of the mail — absurd headers are trimmed before parsing
    (:mod:`bot.mail.inbound.header_limits`), inline data is dropped from HTML — and a read that
    still ran over its limit ends at the next check, so the mail is quarantined instead of read
    again on every poll. Reader processes are stopped from outside instead (the poller waits for
    them with a time-out and replaces them)."""

    seconds: float
    clock: Callable[[], float] = time.monotonic
    _end: float = field(init=False)

    def __post_init__(self) -> None:
        self._end = self.clock() + self.seconds

    def check(self) -> None:
        if self.clock() > self._end:
            raise ReadTimeout(self.seconds)


def read_mail(
    raw: bytes, *, max_bytes: int, server_text: str | None = None, deadline: Deadline | None = None
) -> ReadMail:
    mail = parse_message(raw, max_bytes)
    if deadline is not None:
        deadline.check()
    text = extract_new_text_from_mail(mail)
    if not text.strip() and server_text:
        text = server_text.strip()
    if deadline is not None:
        deadline.check()
    return ReadMail(mail, text)


def domain_input(step: Step | None, text: str) -> Input | None:
    """Answers for a reply to a step's questions; plain text (a conversation turn) otherwise.
    None when the text holds no answer at all (only question numbers): the door then sends the
    notice that no new answer was found, never an empty answer."""
    if step is None or not step.interactive:
        return Text(text)
    parts = split_answers(text, len(step.questions))
    numbered = tuple(
        (p.question_number, p.text)
        for p in parts
        if p.question_number != PREAMBLE and not p.unnumbered_mismatch
    )
    unplaced = next((p.text for p in parts if p.unnumbered_mismatch), "")
    preamble = next((p.text for p in parts if p.question_number == PREAMBLE), "")
    if numbered and len(preamble) > PREAMBLE_WORTH_MENTIONING:
        unplaced = preamble
    if not numbered and not unplaced:
        return None
    return Answers(step.key, numbered, unplaced, text=text)


def attachments(mail: InboundMail) -> list[str]:
    """Attachment names that are real attachments (not Outlook's inline signature images)."""
    return [name for name in mail.attachment_names if not _INLINE_IMAGE.match(name)]


def notes_for(mail: InboundMail) -> tuple[str, ...]:
    """What the confirmation says about the received mail itself."""
    notes: list[str] = []
    if mail.too_large:
        notes.append(mmsg.NOTE_TOO_LARGE)
    if attached := attachments(mail):
        notes.append(mmsg.note_attachments(len(attached)))
    return tuple(notes)
