"""A text as folded words with their offsets, and phrases looked up by hashing, not by regex.

Names and places are compared as *phrases*: folded words (see :mod:`dialogen.privacy.folding`)
joined by one space, without the punctuation around them ("Jansen," and "(Jansen)" are the word
"jansen"; "J." and "drs." keep their dot). A listed name and a stretch of text match when their
phrases are equal, so finding any of 12,000 names costs a few set look-ups per word of the text.
Words join into a phrase only across white space: "Jan, Jansen" and "Jan. Jansen" are not
"jan jansen".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from dialogen.privacy.folding import fold

_WORD = re.compile(r"[\w'.-]+")
#: Words whose final dot belongs to them: initials ("j.", "j.p.", "v.d.") and abbreviations.
_DOTTED = re.compile(r"(?:[a-z]\.)+|(?:mevr|mr|mw|dhr|hr|drs|dr|ir|ing|prof|ds|mej|fam|wnd)\.")
_POSSESSIVE = "'s"


class Word(NamedTuple):
    """One word: ``text[start:end]`` folded is ``form``; ``joined`` when only white space
    separates it from the word before, with no punctuation stripped in between."""

    start: int
    end: int
    form: str
    joined: bool


def words_of(folded: str) -> list[Word]:
    """The words of an already folded text, in order."""
    found: list[Word] = []
    previous_end, previous_clean = -1, False
    for match in _WORD.finditer(folded):
        raw = match.group()
        lead, trail = _trimmed(raw)
        form = raw[lead:trail]
        if not any(char.isalnum() for char in form):
            previous_clean = False
            continue
        start, end = match.start() + lead, match.start() + trail
        joined = previous_clean and lead == 0 and folded[previous_end : match.start()].isspace()
        found.append(Word(start, end, form, joined))
        previous_end, previous_clean = match.end(), trail == len(raw)
    return found


def phrase(text: str) -> str:
    """The phrase form of any text: its folded words joined by one space."""
    return " ".join(word.form for word in words_of(fold(text)))


class Phrases:
    """A set of phrases to find in a text's words, longest first. Also holds every phrase's
    leading words, so a look-up stops at the first word that starts no phrase."""

    __slots__ = ("_longest", "_phrases", "_prefixes")

    def __init__(self, phrases: Iterable[str]) -> None:
        self._phrases = frozenset(p for p in phrases if p)
        prefixes: set[str] = set()
        longest = 0
        for known in self._phrases:
            parts = known.split(" ")
            longest = max(longest, len(parts))
            prefixes.update(" ".join(parts[:n]) for n in range(1, len(parts)))
        self._prefixes = frozenset(prefixes)
        self._longest = longest

    def __contains__(self, phrase: object) -> bool:
        return phrase in self._phrases

    def __iter__(self) -> Iterator[str]:
        return iter(self._phrases)

    def __len__(self) -> int:
        return len(self._phrases)

    def longest_at(self, words: Sequence[Word], index: int) -> tuple[int, str] | None:
        """``(last word, phrase)`` of the longest known phrase starting at ``words[index]``; a
        hyphenated last word may stand for its first part ("De Vries-Smit" is Mrs De Vries), but
        the whole word wins."""
        best: tuple[int, str] | None = None
        forms: list[str] = []
        for last in range(index, min(len(words), index + self._longest)):
            if last > index and not words[last].joined:
                break
            form = words[last].form
            head = form.split("-")[0]
            if head != form and " ".join([*forms, head]) in self._phrases:
                best = (last, " ".join([*forms, head]))
            forms.append(form)
            joined = " ".join(forms)
            if joined in self._phrases:
                best = (last, joined)
            if joined not in self._prefixes:
                break
        return best


def _trimmed(raw: str) -> tuple[int, int]:
    """Where the word proper starts and ends inside a run of word characters, dots, hyphens and
    apostrophes: quotes and sentence dots off, a possessive "'s" off, "'t" and "'s-" kept."""
    start, end = 0, len(raw)
    if raw.endswith(_POSSESSIVE) and end > len(_POSSESSIVE) + 1:
        end -= len(_POSSESSIVE)
    if not _DOTTED.fullmatch(raw[start:end]):
        while end > start and raw[end - 1] in ".-'":
            end -= 1
    if not (raw.startswith("'t") or raw.startswith("'s")):
        while start < end and raw[start] in ".-'":
            start += 1
    return start, end
