"""Names of people on the participant list, found where the text uses them as a person's name.

A name is masked where it is clearly a person:

- the full name, in any case ("Esther van der Mark", "esther VAN DER MARK"), also with only the
  first given name ("Jan Jansen" for "Jan Pieter Jansen") or "v.d." for "van de(r/n)";
- the surname after a title or office ("mevrouw De Vries", "wethouder Jansen", "burgemeester
  Van Zanen", "dhr. drs. Bakker") or after initials ("J.P. de Vries"); the title stays;
- once the text has named someone that way, later mentions of just their surname (capitalised),
  and after a full name also of just their first name (capitalised), are theirs too.

A surname or first name on its own is never masked otherwise: "Best", "Bergen", "Putten" and
"Mark" are places and words far more often than people. A surname that is a place is not masked
where the text uses the place: "de burgemeester van Bergen" (lower-case "van" after an office)
or a later bare "Bergen". Matching runs on the folded text (see :mod:`dialogen.privacy.folding`),
with one precompiled alternation per kind of mention, however long the list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from dialogen.privacy.alternation import alternation
from dialogen.privacy.folding import fold, squeeze

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
_HONORIFICS = (
    "mevrouw", "mevr.", "mevr", "mw.", "mw", "meneer", "mijnheer", "mr.", "mr", "de heer", "heer",
    "dhr.", "dhr", "hr.", "drs.", "drs", "dr.", "dr", "ir.", "ir", "ing.", "ing", "prof.", "prof",
    "ds.", "mej.", "t.a.v.", "tav", "fam.", "familie", "collega", "oud-collega",
)  # fmt: skip
_OFFICES = (
    "burgemeester", "locoburgemeester", "wethouder", "gedeputeerde", "griffier", "raadsgriffier",
    "gemeentesecretaris", "secretaris", "raadslid", "statenlid", "kamerlid", "minister",
    "staatssecretaris", "commissaris", "voorzitter", "fractievoorzitter", "directeur",
    "dijkgraaf", "projectleider", "programmamanager", "teamleider", "adviseur",
    "beleidsadviseur", "beleidsmedewerker", "coordinator", "manager", "bestuurder", "ambtenaar",
)  # fmt: skip
_OFFICE_PREFIX = r"(?:(?:oud|ex|loco|vice|waarnemend)-?\s*)?"
_LONGEST_NAME = 80  # characters; longer list entries are not names
_MIN_BARE_NAME = 3  # a later bare first name or surname shorter than this is never masked


@dataclass(frozen=True, slots=True)
class PersonName:
    """A listed name, folded: given names, tussenvoegsels and surname (each possibly empty)."""

    given: tuple[str, ...]
    infix: tuple[str, ...]
    surname: tuple[str, ...]

    @property
    def family_name(self) -> str:
        """Tussenvoegsels and surname, as a title precedes them: "de vries"."""
        return " ".join(self.infix + self.surname)

    @property
    def core(self) -> str:
        """The surname without tussenvoegsels: "vries"."""
        return " ".join(self.surname)

    @property
    def first_name(self) -> str:
        """The first given name, or "" for initials or no given name."""
        return self.given[0] if self.given and "." not in self.given[0] else ""

    def spellings(self) -> Iterator[str]:
        """The folded ways the full name is written that are masked anywhere."""
        if not self.given:
            return
        family = [self.family_name, *_abbreviated(self.infix, self.surname)]
        for given in {" ".join(self.given), self.given[0]}:
            for written in family:
                yield f"{given} {written}"


def parse_name(raw: str) -> PersonName | None:
    """Split a listed name ("Esther van der Mark", "Vries, Anna de") into its parts; None when it
    holds no surname or is too long to be a name."""
    if len(raw) > _LONGEST_NAME:
        return None
    raw = re.sub(r"\(.*?\)", " ", raw)  # "Jan Jansen (wethouder)"
    if "," in raw:
        before, _, after = raw.partition(",")
        raw = f"{after} {before}"
    tokens = squeeze(raw).split()
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


def _abbreviated(infix: tuple[str, ...], surname: tuple[str, ...]) -> list[str]:
    if infix in (("van", "de"), ("van", "der"), ("van", "den")):
        return [" ".join(("v.d.", *surname)), " ".join(("vd", *surname))]
    return []


class NameFinder:
    """Finds listed people's names in a text; built once per participant list."""

    def __init__(self, names: Iterable[str], places: frozenset[str]) -> None:
        people = [p for p in (parse_name(n) for n in names if n and n.strip()) if p is not None]
        self._places = places
        self._by_spelling: dict[str, list[PersonName]] = {}
        families: set[str] = set()
        for person in people:
            for spelling in person.spellings():
                self._by_spelling.setdefault(spelling, []).append(person)
            families.add(person.family_name)
            families.update(_abbreviated(person.infix, person.surname))
        self._compact = _compile(
            "".join(s.split()) for s in self._by_spelling if len(s.replace(" ", "")) >= 6
        )
        self._full = _words(alternation(self._by_spelling))
        titles = alternation(_HONORIFICS + _OFFICES)
        self._titled = (
            re.compile(
                rf"(?<![\w.])(?:(?P<title>(?:{_OFFICE_PREFIX}(?:{titles})(?:\s+|(?<=\.)\s*))+))?"
                r"(?P<person>(?P<initials>(?:[a-z]\.[ \t]?){1,4}[ \t]*)?"
                rf"(?P<family>{alternation(families)})(?:-[\w']+)?)(?!\w)"
            )
            if families
            else None
        )
        self._offices = re.compile(rf"{_OFFICE_PREFIX}(?:{alternation(_OFFICES)})(?!\w)")
        self._long_places = _words(alternation(p for p in places if re.search(r"[\s-]", p)))

    def find(self, text: str) -> list[Found]:
        """Spans of people's names in ``text``."""
        folded = fold(text)
        found: list[Found] = []
        later_names: set[str] = set()
        later_families: set[str] = set()
        if self._full is not None:
            for match in self._full.finditer(folded):
                found.append(match.span())
                for person in self._by_spelling.get(" ".join(match.group().split()), ()):
                    later_names.add(person.first_name)
                    later_families.add(person.family_name)
        if self._titled is not None:
            for match in self._titled.finditer(folded):
                if self._is_a_person(match, text):
                    found.append(match.span("person"))
                    later_families.add(" ".join(match.group("family").split()))
        found.extend(self._later_mentions(text, folded, later_names, later_families))
        return self._outside_place_names(folded, found)

    def occurs_in(self, words: str) -> bool:
        """Whether a listed full name occurs in ``words`` (a link's path as words), also written
        without spaces ("janjansen")."""
        folded = squeeze(words)
        if self._full is not None and self._full.search(folded):
            return True
        return self._compact is not None and bool(self._compact.search(folded.replace(" ", "")))

    def _outside_place_names(self, folded: str, found: list[Found]) -> list[Found]:
        """Drop a name that is part of a longer place name: "Cuijk" in "Land van Cuijk"."""
        if self._long_places is None or not found:
            return found
        places = [m.span() for m in self._long_places.finditer(folded)]
        return [
            (start, end)
            for start, end in found
            if not any(s <= start and end <= e and e - s > end - start for s, e in places)
        ]

    def _is_a_person(self, match: re.Match[str], text: str) -> bool:
        title, initials = match.group("title"), match.group("initials")
        if not title:
            # Initials alone make a person only when written as initials: "J. de Vries".
            start, end = match.span("initials") if initials else (0, 0)
            return bool(initials) and all(c.isupper() for c in text[start:end] if c.isalpha())
        if initials:
            return True
        start, end = match.span("family")
        words = text[start:end].split()
        if words[0] == "van" and self._offices.fullmatch(title.split()[-1]):
            # "de burgemeester van Bergen" is the place's mayor; "burgemeester Van Bergen" a person.
            return squeeze(" ".join(words[1:])) not in self._places
        # "dat vond de wethouder best": a lower-case place name after a title is a word.
        return not (_is_place(words, self._places) and not _core(words)[0][:1].isupper())

    def _later_mentions(
        self, text: str, folded: str, names: set[str], families: set[str]
    ) -> Iterator[Found]:
        names = {n for n in names if len(n) >= _MIN_BARE_NAME and n not in self._places}
        families = {f for f in families if len(f) >= _MIN_BARE_NAME}
        if not names and not families:
            return
        pattern = _words(alternation(names | families))
        assert pattern is not None
        for match in pattern.finditer(folded):
            words = text[match.start() : match.end()].split()
            if not _core(words)[0][:1].isupper():
                continue  # "mark" is a word, "Mark" a name
            if _is_place(words, self._places) and not (len(words) > 1 and words[0][:1].isupper()):
                continue  # "in Bergen", "van Putten": the place; "Van Putten" is the person
            yield match.span()


def _core(words: list[str]) -> list[str]:
    """The written surname without its tussenvoegsels ("Van der Mark" -> ["Mark"])."""
    return [w for w in words if fold(w) not in TUSSENVOEGSELS] or words


def _is_place(words: list[str], places: frozenset[str]) -> bool:
    return squeeze(" ".join(_core(words))) in places


def _words(pattern: str) -> re.Pattern[str] | None:
    return re.compile(rf"(?<![\w'])(?:{pattern})(?![\w])") if pattern else None


def _compile(strings: Iterable[str]) -> re.Pattern[str] | None:
    pattern = alternation(strings)
    return re.compile(pattern) if pattern else None
