"""Matching typed words: what a participant typed, compared case-, accent- and
punctuation-insensitively with the words we know (choice labels, yes and no).

Pure and independent of question kinds, so the kinds and the profile questions can share it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

from dialogen.conversation.replies import Choice

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


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


NUMBER_WORDS: dict[str, int] = {
    word: number
    for number, words in enumerate(
        (
            ("nul",),
            ("een", "eerste"),
            ("twee", "tweede"),
            ("drie", "derde"),
            ("vier", "vierde"),
            ("vijf", "vijfde"),
            ("zes", "zesde"),
            ("zeven", "zevende"),
            ("acht", "achtste"),
            ("negen", "negende"),
            ("tien", "tiende"),
        )
    )
    for word in words
}
"""Numbers written as words ("vier", "de derde"), as people type them."""


def number_word(text: str) -> int | None:
    """The number ``text`` writes as a word (``vier``, ``de derde``), if it is one."""
    word = normalize(text).removeprefix("de ").removeprefix("nummer ")
    return NUMBER_WORDS.get(word)


def pick_one(
    text: str, choices: tuple[Choice, ...], aliases: dict[str, tuple[str, ...]] | None = None
) -> str | None:
    """The value of the one choice that ``text`` names (number, letter, value, label or alias)."""
    return _pick(normalize(text), choices, aliases or {})


def _pick(
    word: str, choices: tuple[Choice, ...], aliases: dict[str, tuple[str, ...]]
) -> str | None:
    if not word:
        return None
    spelled = number_word(word)
    if spelled is not None:
        word = str(spelled)
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
    """``normalize`` for the dialogue's own words (values, labels, aliases): a bounded set."""
    return normalize(text)


def closest(
    text: str, choices: tuple[Choice, ...], aliases: dict[str, tuple[str, ...]] | None = None
) -> Choice | None:
    """The choice ``text`` most likely misspells ("raadsld" -> Raadslid), if one is close."""
    word = normalize(text)
    names: dict[str, Choice] = {}
    for choice in choices:
        for name in (choice.value, choice.label, *(aliases or {}).get(choice.value, ())):
            names.setdefault(_known(name), choice)
    found = difflib.get_close_matches(word, list(names), n=1, cutoff=0.75) if word else []
    return names[found[0]] if found else None


GREETING_WORDS = frozenset(
    {
        "hallo",
        "hoi",
        "hi",
        "hey",
        "hello",
        "dag",
        "goedemorgen",
        "goedemiddag",
        "goedenavond",
        "goeiedag",
        "goedendag",
        "moi",
        "hallo daar",
    }
)


def is_greeting(text: str) -> bool:
    """A hello ("Hallo!", "goedemorgen") rather than an answer."""
    return normalize(text) in GREETING_WORDS


def interpret_yes_no(text: str) -> bool | None:
    word = normalize(text)
    if word in YES_WORDS or word.startswith("ja "):
        return True
    if word in NO_WORDS or word.startswith("nee "):
        return False
    return None
