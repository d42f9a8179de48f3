"""What a participant sends, as the domain sees it: channels translate their own input into
:class:`Text`, :class:`Submit`, :class:`Install`, :class:`Answers` or :class:`OptOut`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Command(StrEnum):
    HELP = "help"
    STATUS = "status"
    BACK = "terug"
    SKIP = "overslaan"
    MY_ANSWERS = "mijn antwoorden"
    PAUSE = "pauze"
    RESUME = "verder"
    STOP = "afmelden"
    START = "start"
    MY_DATA = "mijn gegevens"
    CHANGE_DATA = "gegevens wijzigen"
    ERASE = "verwijder mij"
    ERASE_ALL = "verwijder mij en mijn antwoorden"


@dataclass(frozen=True)
class Text:
    """Something the participant typed."""

    text: str


@dataclass(frozen=True)
class Submit:
    """A button or card submit: ``input_id`` names the prompt it answers (see :class:`Prompt`)."""

    input_id: str
    value: str | list[str]
    item: str | None = None  # the item a repeating question's card was about (a contribution)


@dataclass(frozen=True)
class Install:
    """The participant opened or installed the bot, or (``invitation``) is invited by mail: the
    invitation can then be answered with the open step's answers (see ``joining``)."""

    invitation: bool = False


@dataclass(frozen=True)
class Answers:
    """Answers to several questions of one step at once (a mail reply).

    ``parts`` maps the question number as shown (1-based) to the raw text; ``unplaced`` is text
    the channel could not tie to a question (no number, or a long text before the first number).
    """

    step_key: str
    parts: tuple[tuple[int, str], ...]
    unplaced: str = ""
    text: str = ""  # the whole new text, for a step asked item by item (a batch of contributions)


@dataclass(frozen=True)
class OptOut:
    """A one-click unsubscribe: no more messages, without the "are you sure?" question."""


Input = Text | Submit | Install | Answers | OptOut
