"""Understanding an answer: typed text or a submitted value, checked against what was asked.

Every function returns either the value to store or a :class:`Rejection` whose text is a
friendly Dutch explanation; a rejection is a reply, never an exception.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dialogen.conversation import messages as msg
from dialogen.conversation.replies import Choice
from dialogen.dialogue.definition import Question, QuestionKind

MAX_MESSAGE_LENGTH = 4000

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_STRONG_SEPARATORS = re.compile(r"\s*[,;/&+\n]\s*")
_SEPARATORS = re.compile(r"\s*(?:,|;|/|&|\+|\ben\b|\band\b)\s*|\s+")


@dataclass(frozen=True)
class Rejection:
    text: str


def normalize(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used for matching typed words."""
    text = text.casefold()
    if not text.isascii():  # accents and curly quotes: most typed answers have neither
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
        text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"[^\w' -]+", " ", text)
    return re.sub(r"\s+", " ", text).strip(" .!'-")


YES_WORDS = frozenset(
    {
        "ja",
        "j",
        "yes",
        "y",
        "ok",
        "oke",
        "okay",
        "akkoord",
        "prima",
        "goed",
        "klopt",
        "zeker",
        "graag",
        "ja graag",
        "jazeker",
        "doe ik",
        "ik doe mee",
        "ja ik doe mee",
        "ja klopt",
    }
)
NO_WORDS = frozenset(
    {
        "nee",
        "n",
        "no",
        "nope",
        "niet",
        "liever niet",
        "nee dank u",
        "nee bedankt",
        "klopt niet",
        "nee klopt niet",
        "nu niet",
    }
)


def pick_one(
    text: str, choices: tuple[Choice, ...], aliases: dict[str, tuple[str, ...]] | None = None
) -> str | None:
    """The value of the one choice that ``text`` names (number, letter, value, label or alias)."""
    picked = _pick(normalize(text), choices, aliases or {})
    return picked


def _pick(
    word: str, choices: tuple[Choice, ...], aliases: dict[str, tuple[str, ...]]
) -> str | None:
    if not word:
        return None
    if word.isdigit():
        index = int(word) - 1
        return choices[index].value if 0 <= index < len(choices) else None
    if len(word) == 1 and word in _LETTERS:
        index = _LETTERS.index(word)
        return choices[index].value if index < len(choices) else None
    for choice in choices:
        if word in (_known(choice.value), _known(choice.label)):
            return choice.value
        if word in (_known(a) for a in aliases.get(choice.value, ())):
            return choice.value
    starts = [c.value for c in choices if _known(c.label).startswith(word) and len(word) >= 3]
    if len(starts) == 1:
        return starts[0]
    return None


@lru_cache(maxsize=2048)
def _known(text: str) -> str:
    """``normalize`` for the dialogue's own words (option values, labels, aliases): a bounded set."""
    return normalize(text)


def interpret_yes_no(text: str) -> bool | None:
    word = normalize(text)
    if word in YES_WORDS or word.startswith("ja "):
        return True
    if word in NO_WORDS or word.startswith("nee "):
        return False
    return None


def interpret(question: Question, raw: str | list[str]) -> Any | Rejection:
    """Turn a typed or submitted answer into the stored value for ``question``."""
    if question.kind is QuestionKind.OPEN:
        return _open(question, raw if isinstance(raw, str) else " ".join(raw))
    if question.kind is QuestionKind.SCALE:
        return _scale(question, raw if isinstance(raw, str) else ",".join(raw))
    choices = tuple(Choice(o.value, o.label) for o in question.options)
    if question.kind is QuestionKind.SINGLE:
        value = pick_one(raw if isinstance(raw, str) else ",".join(raw), choices)
        return value if value is not None else Rejection(msg.choice_not_understood(len(choices)))
    return _multiple(question, choices, raw)


def _open(question: Question, text: str) -> str | Rejection:
    text = text.strip()
    if len(text) < question.min_length:
        return Rejection(msg.answer_too_short(question.min_length))
    if len(text) > question.max_length:
        return Rejection(msg.answer_too_long(len(text), question.max_length))
    return text


def _scale(question: Question, text: str) -> int | Rejection:
    number = text.strip().rstrip(".")  # checked before normalize(), which would drop a minus sign
    if re.fullmatch(r"[+-]?\d+", number):
        if question.scale_min <= int(number) <= question.scale_max:
            return int(number)
        return Rejection(msg.scale_not_understood(question.scale_min, question.scale_max))
    word = normalize(text)
    if question.min_label and word == normalize(question.min_label):
        return question.scale_min
    if question.max_label and word == normalize(question.max_label):
        return question.scale_max
    return Rejection(msg.scale_not_understood(question.scale_min, question.scale_max))


def _multiple(
    question: Question, choices: tuple[Choice, ...], raw: str | list[str]
) -> list[str] | Rejection:
    if isinstance(raw, list):
        parts = [p for p in raw if p]
    else:
        parts = _split_picks(raw, choices)
    values: list[str] = []
    for part in parts:
        value = pick_one(part, choices)
        if value is None:
            return Rejection(msg.choice_not_understood(len(choices), multiple=True))
        if value not in values:
            values.append(value)
    if not values:
        return Rejection(msg.choice_not_understood(len(choices), multiple=True))
    if len(values) > question.picks:
        return Rejection(msg.too_many_picks(question.picks))
    return values


def _split_picks(text: str, choices: tuple[Choice, ...]) -> list[str]:
    """The picks in typed text: commas and the like separate whole labels ("Sturing en zeggenschap
    ..., Afstand tot de inwoner"); only a piece that is no label is split further ("3 en 5", "A C")."""
    if pick_one(text, choices) is not None:
        return [text]
    parts: list[str] = []
    for piece in _STRONG_SEPARATORS.split(text):
        if pick_one(piece, choices) is not None:
            parts.append(piece)
        else:
            parts += [p for p in _SEPARATORS.split(piece) if p]
    return [p for p in parts if p.strip()]


def describe_value(question: Question, value: Any) -> str:
    """The stored value as a participant would read it back."""
    if question.kind is QuestionKind.OPEN:
        return str(value)
    if question.kind is QuestionKind.SCALE:
        return f"{value} (van {question.scale_min} tot {question.scale_max})"
    values = value if isinstance(value, list) else [value]
    labels = [(question.option(v).label if question.option(v) else v) for v in values]
    return "; ".join(labels)
