"""Dutch text into terms for theme finding: words, stop words, lemmas, compounds, bigrams.

Pure and offline. A word is lower-cased and looked up in simplemma's Dutch dictionary (shipped
inside the package); a word the dictionary does not know is reduced by the Snowball Dutch stemmer
instead. Diacritics are then dropped from the key, so "financiën" and "financien" meet. Keys are
for counting only: what a person reads is the surface form, the way a word was most often written
(`SurfaceForms`).

Dutch writes compounds as one word ("jeugdzorgaanbieders", "brandweerkazerne"), so two short texts
about one subject often share no whole word. A long word therefore also yields its parts when it
splits into a known modifier (optionally with the linking "s" or "en") and a known head, each at
least four letters, and the word itself is not in the dictionary (which keeps derivations like
"gemeenschappelijk" whole); "known" means in the dictionary or written on its own elsewhere in
the same texts (`Lexicon`). Of the possible splits the most balanced one wins; the head is split
again.

A bigram joins two content words that stand next to each other in a clause, with no stop word or
punctuation between them ("democratische legitimiteit"); "rol van de raad" gives no bigram.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import simplemma
import snowballstemmer  # type: ignore[import-untyped]

from dialogen.analysis.dutch_stop_words import STOP_WORDS

# Letters with an inner hyphen or an apostrophe-s ("regio-indeling", "regio's", "GR's").
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# A clause boundary: no bigram across it.
_BREAK = re.compile(r"[.,;:!?()\[\]\"“”/…–—]|\s-\s|\n")
_STEMMER = snowballstemmer.stemmer("dutch")
_MIN_LENGTH = 2
_MIN_PART = 4
_MIN_COMPOUND = 2 * _MIN_PART
_MAX_SPLITS = 2


@dataclass(frozen=True)
class Term:
    """One unigram or bigram of a text: ``key`` to count, ``surface`` as it was written."""

    key: str
    surface: str


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=65536)
def in_dictionary(word: str) -> bool:
    """Whether simplemma's Dutch dictionary knows this lower-case word."""
    return bool(simplemma.is_known(word, lang="nl"))


@lru_cache(maxsize=65536)
def normalise(word: str) -> str:
    """The counting key of one lower-case word: its lemma, else its stem, without diacritics."""
    word = re.sub(r"['’]s$", "", word)
    if in_dictionary(word):
        base = str(simplemma.lemmatize(word, lang="nl")).replace("_", "")
    else:
        base = str(_STEMMER.stemWord(word))
    return _plain(base)


def is_stop_word(word: str) -> bool:
    """A word that carries no theme: a function word, or one whose key is such a word."""
    lower = word.lower()
    if len(lower) < _MIN_LENGTH or lower in STOP_WORDS:
        return True
    return normalise(lower) in STOP_WORDS


def clauses(text: str) -> list[list[str]]:
    """The words of ``text`` as written, per clause (split at punctuation)."""
    return [[m.group(0) for m in _WORD.finditer(part)] for part in _BREAK.split(text)]


class Lexicon:
    """The words a set of texts writes on their own, to recognise them inside compounds."""

    def __init__(self, texts: Iterable[str]) -> None:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(word.lower() for clause in clauses(text) for word in clause)
        self._standalone = frozenset(word for word, count in counts.items() if count >= 2)
        self._parts: dict[str, tuple[str, ...]] = {}

    def knows(self, word: str) -> bool:
        return len(word) >= _MIN_PART and (word in self._standalone or in_dictionary(word))

    def parts(self, word: str) -> tuple[str, ...]:
        """The parts of a lower-case compound ("brandweerkazerne" -> brandweer, kazerne)."""
        if word not in self._parts:
            self._parts[word] = self._split(word, _MAX_SPLITS)
        return self._parts[word]

    def _split(self, word: str, depth: int) -> tuple[str, ...]:
        if depth == 0 or len(word) < _MIN_COMPOUND or not word.isalpha() or in_dictionary(word):
            return ()
        best: tuple[int, str, str] | None = None
        for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
            head = word[cut:]
            if not self.knows(head):
                continue
            left = word[:cut]
            for modifier in (left, left.removesuffix("s"), left.removesuffix("en")):
                if modifier in STOP_WORDS or not self.knows(modifier):
                    continue
                balance = min(len(modifier), len(head))
                if best is None or balance > best[0]:
                    best = (balance, modifier, head)
                break
        if best is None:
            return ()
        _, modifier, head = best
        return (modifier, head, *self._split(head, depth - 1))


def terms(
    text: str,
    *,
    lexicon: Lexicon | None = None,
    bigrams: bool = True,
    ignore: frozenset[str] = frozenset(),
) -> list[Term]:
    """The content words of ``text``, their compound parts and adjacent pairs, in order.

    ``ignore`` holds keys to leave out as well, like the dialogue's own subject ("gemeente").
    Without a ``lexicon`` compounds are split with the dictionary alone.
    """
    lexicon = lexicon if lexicon is not None else Lexicon(())
    found: list[Term] = []
    for clause in clauses(text):
        previous: Term | None = None
        for surface in clause:
            key = normalise(surface.lower())
            if is_stop_word(surface) or key in ignore or len(key) < _MIN_LENGTH:
                previous = None
                continue
            term = Term(key, surface)
            found.append(term)
            for part in lexicon.parts(surface.lower()):
                part_key = normalise(part)
                if part_key != key and part_key not in ignore and not is_stop_word(part):
                    found.append(Term(part_key, part))
            if bigrams and previous is not None and previous.key != key:
                found.append(Term(f"{previous.key} {key}", f"{previous.surface} {surface}"))
            previous = term
    return found


class SurfaceForms:
    """Turns keys back into words a person reads: the form most often written for each key.

    Lower case wins unless a word was never written in lower case (an abbreviation like "GGD"),
    so a capital at the start of a sentence does not leak into a label. Ties go to the form seen
    first, which keeps the choice deterministic.
    """

    def __init__(self) -> None:
        self._counts: defaultdict[str, Counter[str]] = defaultdict(Counter)

    def add(self, found: Iterable[Term]) -> None:
        for term in found:
            self._counts[term.key][term.surface] += 1

    def word(self, key: str) -> str:
        counts = self._counts.get(key)
        if not counts:
            return key
        lowered: Counter[str] = Counter()
        for surface, count in counts.items():
            lowered[surface.lower()] += count
        best = max(lowered, key=lambda form: lowered[form])
        written = [surface for surface in counts if surface.lower() == best]
        if best in written:
            return best
        return max(written, key=lambda form: counts[form])
