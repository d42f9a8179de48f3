"""Names of people on the participant list, found where the text uses them as a person's name.

A name is masked where it is clearly a person:

- the full name, in any case ("Esther van der Mark", "esther VAN DER MARK"), also with only the
  first given name ("Jan Jansen" for "Jan Pieter Jansen") or "v.d." for "van de(r/n)";
- the surname after a title or office ("mevrouw De Vries", "wethouder Jansen", "burgemeester
  Van Zanen", "dhr. drs. Bakker") or after initials ("J.P. de Vries"); the title stays;
- once the text has named someone that way, other mentions of just their surname (capitalised),
  and after a full name also of just their first name (capitalised), are theirs too.

A surname or first name on its own is never masked otherwise: "Best", "Bergen", "Putten" and
"Mark" are places and words far more often than people. A surname that is a place is not masked
where the text uses the place: "de burgemeester van Bergen" (lower-case "van" after an office),
a bare "Bergen", or "Cuijk" in "Land van Cuijk".

Names are compared as phrases (see :mod:`dialogen.privacy.words`): the list becomes a few hash
sets when the finder is built, and a text costs a few look-ups per word, however long the list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from dialogen.privacy.folding import fold
from dialogen.privacy.words import Phrases, Word, phrase, words_of

Found = tuple[int, int]

TUSSENVOEGSELS = frozenset({
    "van", "de", "der", "den", "het", "'t", "ter", "ten", "te", "in", "op", "aan", "bij", "uit",
    "onder", "over", "voor", "la", "le", "du", "da", "di", "del", "della", "dos", "das", "do",
    "el", "al", "von", "vom", "zu", "zum", "d'", "l'", "vd", "v.d.",
})  # fmt: skip
# Of those, the ones an entry can start with ("van Dam"); "Al" or "Do" first is a given name.
_LEADING = frozenset(
    {"van", "de", "der", "den", "het", "'t", "ter", "ten", "te", "in", "op", "uit"}
)
HONORIFICS = frozenset({
    "mevrouw", "mevr.", "mevr", "mw.", "mw", "meneer", "mijnheer", "mr.", "mr", "heer", "dhr.",
    "dhr", "hr.", "drs.", "drs", "dr.", "dr", "ir.", "ir", "ing.", "prof.", "prof", "ds.", "mej.",
    "t.a.v.", "tav", "fam.", "familie", "collega",
})  # fmt: skip
OFFICES = frozenset({
    "burgemeester", "locoburgemeester", "wethouder", "gedeputeerde", "griffier", "raadsgriffier",
    "gemeentesecretaris", "secretaris", "raadslid", "statenlid", "kamerlid", "minister",
    "staatssecretaris", "commissaris", "voorzitter", "fractievoorzitter", "directeur",
    "dijkgraaf", "projectleider", "programmamanager", "teamleider", "adviseur",
    "beleidsadviseur", "beleidsmedewerker", "coordinator", "manager", "bestuurder", "ambtenaar",
})  # fmt: skip
_TITLE_PREFIX = re.compile(r"^(?:oud|ex|loco|vice)-")  # "oud-burgemeester", "ex-collega"
_INITIALS = re.compile(r"(?:[a-z]\.){1,4}")
_LONGEST_NAME = 80  # characters; longer list entries are not names
_MIN_BARE_NAME = 3  # a bare first name or surname shorter than this is never masked


@dataclass(frozen=True, slots=True)
class PersonName:
    """A listed name as folded words: given names, tussenvoegsels, surname (each may be empty)."""

    given: tuple[str, ...]
    infix: tuple[str, ...]
    surname: tuple[str, ...]

    @property
    def family_name(self) -> str:
        """Tussenvoegsels and surname, as a title precedes them: "de vries"."""
        return " ".join(self.infix + self.surname)

    @property
    def first_name(self) -> str:
        """The first given name, or "" for initials or no given name."""
        return self.given[0] if self.given and "." not in self.given[0] else ""

    def family_spellings(self) -> list[str]:
        """ "van der mark", and "v.d. mark" and "vd mark"."""
        if self.infix in (("van", "de"), ("van", "der"), ("van", "den")):
            return [self.family_name, *(" ".join((short, *self.surname)) for short in SHORT)]
        return [self.family_name]

    def spellings(self) -> Iterator[str]:
        """The ways the full name is written that are masked anywhere."""
        if not self.given:
            return
        for given in {" ".join(self.given), self.given[0]}:
            for family in self.family_spellings():
                yield f"{given} {family}"


SHORT = ("v.d.", "vd")


def parse_name(raw: str) -> PersonName | None:
    """Split a listed name ("Esther van der Mark", "Vries, Anna de") into its parts; None when it
    holds no surname or is too long to be a name."""
    if len(raw) > _LONGEST_NAME:
        return None
    raw = re.sub(r"\(.*?\)", " ", raw)  # "Jan Jansen (wethouder)"
    if "," in raw:
        before, _, after = raw.partition(",")
        raw = f"{after} {before}"
    tokens = phrase(raw).split()
    if not tokens:
        return None
    start = 0 if tokens[0] in _LEADING else 1
    split = next((i for i in range(start, len(tokens)) if tokens[i] in TUSSENVOEGSELS), None)
    if split is None:
        given, infix, surname = tokens[:-1], [], tokens[-1:]
    else:
        end = split
        while end < len(tokens) and tokens[end] in TUSSENVOEGSELS:
            end += 1
        given, infix, surname = tokens[:split], tokens[split:end], tokens[end:]
    if not surname or len(" ".join(surname)) < 2:
        return None
    return PersonName(tuple(given), tuple(infix), tuple(surname))


class NameFinder:
    """Finds listed people's names in a text; built once per participant list."""

    def __init__(self, names: Iterable[str], places: frozenset[str]) -> None:
        """``places``: phrases (see :func:`dialogen.privacy.words.phrase`) that are places."""
        people = [p for p in (parse_name(n) for n in names if n and n.strip()) if p is not None]
        self._places = places
        self._long_places = Phrases(p for p in places if " " in p)
        self._by_spelling: dict[str, list[PersonName]] = {}
        families: set[str] = set()
        for person in people:
            for spelling in person.spellings():
                self._by_spelling.setdefault(spelling, []).append(person)
            families.update(person.family_spellings())
        self._spellings = Phrases(self._by_spelling)
        self._families = Phrases(families)
        self._compact: dict[int, set[str]] = {}
        for spelling in self._by_spelling:
            compact = "".join(char for char in spelling if char.isalnum())
            if len(compact) >= 6:
                self._compact.setdefault(len(compact), set()).add(compact)

    def find(self, text: str) -> list[Found]:
        """Spans of people's names in ``text``."""
        words = words_of(fold(text))
        found: list[Found] = []
        bare_names: set[str] = set()
        bare_families: set[str] = set()
        index = 0
        while index < len(words):
            full = self._spellings.longest_at(words, index)
            if full is not None:
                last, spelling = full
                found.append((words[index].start, words[last].end))
                for person in self._by_spelling[spelling]:
                    bare_names.add(person.first_name)
                    bare_families.add(person.family_name)
                index = last + 1
                continue
            titled = self._titled_at(words, index, text)
            if titled is not None:
                first, last, family = titled
                found.append((words[first].start, words[last].end))
                bare_families.add(family)
                index = last + 1
                continue
            index += 1
        found.extend(self._bare_mentions(words, text, found, bare_names, bare_families))
        return self._outside_place_names(words, found)

    def occurs_in(self, text: str) -> bool:
        """Whether a listed full name occurs in ``text`` (a link's path as words), also written
        without spaces ("janjansen")."""
        words = words_of(fold(text))
        if any(self._spellings.longest_at(words, i) for i in range(len(words))):
            return True
        compact = "".join(char for char in fold(text) if char.isalnum())
        return any(
            compact[start : start + length] in spellings
            for length, spellings in self._compact.items()
            for start in range(len(compact) - length + 1)
        )

    def _titled_at(self, words: list[Word], index: int, text: str) -> tuple[int, int, str] | None:
        """(first word, last word, family name) of "wethouder Jansen" or "J. de Vries" where the
        family name starts at ``words[index]``."""
        family = self._families.longest_at(words, index)
        if family is None:
            return None
        last, name = family
        title = _title_before(words, index)
        first = index
        if title is None:
            while first > 0 and words[first].joined and _INITIALS.fullmatch(words[first - 1].form):
                first -= 1
            if first == index:
                return None
            title = _title_before(words, first)
            if title is None:
                # Without a title, initials make a person only when written as initials.
                initials = text[words[first].start : words[index].start]
                return (first, last, name) if initials.upper() == initials else None
            return first, last, name
        written = text[words[index].start : words[last].end].split()
        if written[0] == "van" and title in OFFICES:
            # "de burgemeester van Bergen" is the place's mayor; "burgemeester Van Bergen" a person.
            return None if phrase(" ".join(written[1:])) in self._places else (first, last, name)
        if self._is_place(written) and not _core(written)[0][:1].isupper():
            return None  # "dat vond de wethouder best"
        return first, last, name

    def _bare_mentions(
        self,
        words: list[Word],
        text: str,
        found: list[Found],
        names: set[str],
        families: set[str],
    ) -> Iterator[Found]:
        """Just the first name or surname of someone the text named in full or with a title."""
        known = Phrases(
            n for n in names | families if len(n) >= _MIN_BARE_NAME and n not in self._places
        )
        if not known:
            return
        taken = _covered(words, found)
        index = 0
        while index < len(words):
            hit = None if index in taken else known.longest_at(words, index)
            if hit is None:
                index += 1
                continue
            last = hit[0]
            written = text[words[index].start : words[last].end].split()
            # "mark" is a word, "Mark" a name; "Bergen" and "van Bergen" are the place,
            # "Van Bergen" is the person.
            capitalised = _core(written)[0][:1].isupper()
            the_place = self._is_place(written) and not (
                len(written) > 1 and written[0][:1].isupper()
            )
            if capitalised and not the_place:
                yield words[index].start, words[last].end
            index = last + 1

    def _is_place(self, written: list[str]) -> bool:
        return phrase(" ".join(_core(written))) in self._places

    def _outside_place_names(self, words: list[Word], found: list[Found]) -> list[Found]:
        """Drop a name that is part of a longer place name: "Cuijk" in "Land van Cuijk"."""
        if not found or not self._long_places:
            return found
        places: list[Found] = []
        for index in range(len(words)):
            hit = self._long_places.longest_at(words, index)
            if hit is not None:
                places.append((words[index].start, words[hit[0]].end))
        return [
            (start, end)
            for start, end in found
            if not any(s <= start and end <= e and e - s > end - start for s, e in places)
        ]


def _covered(words: list[Word], spans: list[Found]) -> set[int]:
    """Indexes of the words that start inside one of ``spans``."""
    covered: set[int] = set()
    ordered = sorted(spans)
    index = 0
    for position, word in enumerate(words):
        while index < len(ordered) and ordered[index][1] <= word.start:
            index += 1
        if index < len(ordered) and ordered[index][0] <= word.start:
            covered.add(position)
    return covered


def _title_before(words: list[Word], index: int) -> str | None:
    """The title or office right before ``words[index]`` ("mevrouw", "dhr.", "burgemeester")."""
    if index == 0 or not words[index].joined:
        return None
    title = _TITLE_PREFIX.sub("", words[index - 1].form)
    return title if title in HONORIFICS or title in OFFICES else None


def _core(written: list[str]) -> list[str]:
    """The written surname without its tussenvoegsels ("Van der Mark" -> ["Mark"])."""
    return [w for w in written if fold(w) not in TUSSENVOEGSELS] or written
