"""What the bot says: plain messages, prompts to answer, and receipts of a mail's answers.
Channels render these (Teams cards and text, mail bodies)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PromptKind(StrEnum):
    OPEN = "open"
    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"
    REACTION = "reaction"  # about a quoted item: a few buttons, an optional note, a side action
    RANKING = "ranking"  # one pick per place, 1st to ``max_picks``th, from the same choices
    POINTS = "points"  # a whole number per choice, together exactly ``total``


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Say:
    """A plain message."""

    text: str


@dataclass(frozen=True)
class Prompt:
    """Something the participant is asked to answer.

    ``input_id`` is ``consent``, ``role``, ``municipality``, ``profile``, ``stop`` or
    ``q:<step>:<question>`` for a dialogue question; a submit carries it back, so a submit for a
    prompt that is no longer current can be recognised.
    """

    input_id: str
    kind: PromptKind
    text: str
    choices: tuple[Choice, ...] = ()
    max_picks: int = 1
    hint: str | None = None
    progress: str | None = None
    optional: bool = False
    current: str | None = None  # the answer given before, shown when a participant goes back
    quote: str | None = None  # what the question is about, shown quoted above it (a contribution)
    item: str | None = None  # the id of that item, carried back by a card's submit
    note: str | None = None  # the label of an optional short text a card may send along
    actions: tuple[Choice, ...] = ()  # further buttons beside the choices (e.g. "Melden")
    total: int | None = None  # the points to divide over the choices (a points prompt)


@dataclass(frozen=True)
class Receipt:
    """What happened to :class:`Answers`: per question what was recorded or why not.

    ``recorded`` holds (number, question text, value as shown), ``problems`` (number, hint; number
    0 for text that belongs to no question), ``open_numbers`` the questions still to answer,
    ``passed_over`` optional questions left blank once every required one was answered.
    ``closed``: the step had closed, nothing was counted.
    """

    step_key: str
    step_name: str
    closes: str  # the closing moment as participants read it
    recorded: tuple[tuple[int, str, str], ...] = ()
    problems: tuple[tuple[int, str], ...] = ()
    open_numbers: tuple[int, ...] = ()
    passed_over: tuple[int, ...] = ()
    closed: bool = False
    unplaced_ignored: bool = False
    batch: bool = False  # reactions to a mail's batch of items, not answers to the questions

    @property
    def remaining(self) -> int:
        return len(self.open_numbers)

    @property
    def complete(self) -> bool:
        return not self.closed and not self.open_numbers


Reply = Say | Prompt | Receipt
