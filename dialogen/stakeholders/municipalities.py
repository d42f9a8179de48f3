"""Dutch municipalities (CBS indeling 1 January 2024), their networks, and a tolerant name matcher.

Participants type their municipality in free text ("Den Haag", "gemeente Sudwest Fryslan",
"Amsterdm"). `MunicipalityRegistry.match` turns that into one municipality, a short list of
suggestions for the participant to choose from, or nothing. It never guesses between equally
plausible candidates: "Bergen" gives both Bergens as suggestions.

Fuzzy matching uses rapidfuzz rather than difflib: rapidfuzz is already a project dependency, its
`fuzz.ratio` is a plain normalised Indel (edit) similarity, so a score means the same thing for
every pair of strings, whereas difflib's Ratcliff/Obershelp ratio depends on its junk heuristics
and on argument order. That makes the thresholds below predictable. Speed does not matter here
(a few hundred names).
"""

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from importlib.resources import files
from pathlib import Path
from typing import Self

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from dialogen.errors import DialogenError

#: The twelve provinces as CBS writes them, in CBS province-code order (PV20..PV31).
PROVINCES: tuple[str, ...] = (
    "Groningen", "Fryslân", "Drenthe", "Overijssel", "Flevoland", "Gelderland",
    "Utrecht", "Noord-Holland", "Zuid-Holland", "Zeeland", "Noord-Brabant", "Limburg",
)  # fmt: skip
#: Municipal networks a municipality can belong to.
NETWORKS: tuple[str, ...] = ("G4", "G40", "M50", "P10", "K80")
MAX_SUGGESTIONS = 3

_CODE_PATTERN = re.compile(r"GM\d{4}")
_DATA = files("dialogen").joinpath("data")
_MUNICIPALITIES_FILE = "gemeenten-2024.csv"
_NETWORKS_FILE = "netwerken.csv"

# Scores are rapidfuzz ratios (0-100) between folded strings.
_CONFIDENT_SCORE = 85.0  # at or above: one municipality, if no rival is worth suggesting ...
_CONFIDENT_MARGIN = 10.0  # ... or every rival trails by at least this much
_SUGGESTION_SCORE = 70.0  # at or above: worth offering as a suggestion
_WORD_PREFIX_SCORE = 80.0  # "Capelle" for "Capelle aan den IJssel": a suggestion, never confident
_MIN_FUZZY = 4  # shorter input only matches exactly ("Ede") or as a word prefix ("Den")
_MAX_INPUT = 100  # characters looked at; a pasted paragraph is not a municipality
_TYPED_CODE = re.compile(r"(?:GM)?\d{4}", re.IGNORECASE)
# Region names people answer with that are not municipalities (Groningen and Utrecht are both).
_NOT_A_MUNICIPALITY = frozenset({
    "nederland", "friesland", "fryslan", "drenthe", "overijssel", "flevoland", "gelderland",
    "noord holland", "zuid holland", "zeeland", "noord brabant", "brabant", "limburg",
})  # fmt: skip

# Everyday names, older spellings and former municipalities (merged 2021-2023), folded like input.
_ALIASES: dict[str, tuple[str, ...]] = {
    "den haag": ("GM0518",), "the hague": ("GM0518",),
    "den bosch": ("GM0796",),
    "bergen noord holland": ("GM0373",), "bergen n h": ("GM0373",),
    "bergen limburg": ("GM0893",), "bergen lb": ("GM0893",),
    "hengelo o": ("GM0164",), "hengelo ov": ("GM0164",), "hengelo overijssel": ("GM0164",),
    "beek l": ("GM0888",), "beek limburg": ("GM0888",),
    "stein l": ("GM0971",), "stein limburg": ("GM0971",),
    "laren nh": ("GM0417",), "laren noord holland": ("GM0417",),
    "middelburg z": ("GM0687",), "middelburg zeeland": ("GM0687",),
    "rijswijk zh": ("GM0603",), "rijswijk zuid holland": ("GM0603",),
    "nuenen": ("GM0820",),
    "zuidwest friesland": ("GM1900",), "noordoost friesland": ("GM1970",),
    "de friese meren": ("GM1940",), "tietjerksteradeel": ("GM0737",), "dantumadeel": ("GM1891",),
    "weesp": ("GM0363",), "beemster": ("GM0439",),
    "heerhugowaard": ("GM1980",), "langedijk": ("GM1980",),
    "uden": ("GM1991",), "landerd": ("GM1991",),
    "boxmeer": ("GM1982",), "cuijk": ("GM1982",), "grave": ("GM1982",),
    "mill en sint hubert": ("GM1982",), "sint anthonis": ("GM1982",),
    "brielle": ("GM1992",), "hellevoetsluis": ("GM1992",), "westvoorne": ("GM1992",),
    "appingedam": ("GM1979",), "delfzijl": ("GM1979",), "loppersum": ("GM1979",),
}  # fmt: skip


class ReferenceDataError(DialogenError, ValueError):
    """A municipality or network file is malformed; the message names the file and line."""


class UnknownMunicipalityError(DialogenError, LookupError):
    """No municipality has the given CBS code."""

    def __init__(self, code: str) -> None:
        super().__init__(f"no municipality with CBS code {code!r}")
        self.code = code


@dataclass(frozen=True, slots=True)
class Municipality:
    """One municipality: CBS code (GM + 4 digits), official CBS name and province."""

    cbs_code: str
    name: str
    province: str

    def __post_init__(self) -> None:
        if not _CODE_PATTERN.fullmatch(self.cbs_code):
            raise ValueError(f"CBS code must be GM + 4 digits, got {self.cbs_code!r}")
        if not self.name.strip():
            raise ValueError(f"municipality {self.cbs_code} has an empty name")
        if self.province not in PROVINCES:
            raise ValueError(f"unknown province {self.province!r} for {self.cbs_code}")


class MatchKind(Enum):
    """What `MunicipalityRegistry.match` found."""

    CONFIDENT = "confident"
    SUGGESTIONS = "suggestions"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class MunicipalityMatch:
    """Either one confident municipality, or up to three suggestions, or nothing."""

    municipality: Municipality | None = None
    suggestions: tuple[Municipality, ...] = ()

    def __post_init__(self) -> None:
        if self.municipality is not None and self.suggestions:
            raise ValueError("a confident match carries no suggestions")
        if len(self.suggestions) > MAX_SUGGESTIONS:
            raise ValueError(f"at most {MAX_SUGGESTIONS} suggestions")

    @property
    def kind(self) -> MatchKind:
        if self.municipality is not None:
            return MatchKind.CONFIDENT
        return MatchKind.SUGGESTIONS if self.suggestions else MatchKind.NONE


class MunicipalityRegistry:
    """All municipalities with their networks; read-only after construction."""

    __slots__ = ("_by_code", "_key_list", "_keys", "_networks")

    def __init__(
        self,
        municipalities: Iterable[Municipality],
        networks: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        """Build the registry; `networks` maps a CBS code to the networks it belongs to."""
        by_code: dict[str, Municipality] = {}
        for municipality in municipalities:
            if municipality.cbs_code in by_code:
                raise ValueError(f"duplicate CBS code {municipality.cbs_code}")
            by_code[municipality.cbs_code] = municipality
        self._by_code = dict(sorted(by_code.items(), key=lambda item: item[1].name.casefold()))
        self._networks: dict[str, frozenset[str]] = {}
        for code, names in (networks or {}).items():
            self._networks[self.by_code(code).cbs_code] = frozenset(names)
        self._keys = _build_keys(self._by_code.values())
        self._key_list = list(self._keys)

    @classmethod
    def load(
        cls,
        networks_path: Path | None = None,
        municipalities_path: Path | None = None,
    ) -> Self:
        """Load the bundled CBS 2024 list and networks; an explicit path replaces a bundled file."""
        source, text = _read(municipalities_path, _MUNICIPALITIES_FILE)
        municipalities = parse_municipalities(text, source=source)
        source, text = _read(networks_path, _NETWORKS_FILE)
        known = {m.cbs_code for m in municipalities}
        return cls(municipalities, parse_networks(text, source=source, known_codes=known))

    def all(self) -> tuple[Municipality, ...]:
        """All municipalities, sorted by name."""
        return tuple(self._by_code.values())

    def provinces(self) -> tuple[str, ...]:
        """The twelve provinces, in CBS order."""
        return PROVINCES

    def by_code(self, code: str) -> Municipality:
        """The municipality with this CBS code ("GM0363", "gm0363" or "0363")."""
        normalised = _normalise_code(code)
        try:
            return self._by_code[normalised]
        except KeyError:
            raise UnknownMunicipalityError(code) from None

    def networks_of(self, code: str) -> frozenset[str]:
        """The networks the municipality belongs to (empty when none are known)."""
        return self._networks.get(self.by_code(code).cbs_code, frozenset())

    def members_of(self, network: str) -> tuple[Municipality, ...]:
        """The municipalities known to belong to `network` (one of NETWORKS), sorted by name."""
        if network not in NETWORKS:
            raise ValueError(f"unknown network {network!r}; expected one of {', '.join(NETWORKS)}")
        return tuple(
            m for m in self._by_code.values() if network in self._networks.get(m.cbs_code, ())
        )

    def match(self, text: str) -> MunicipalityMatch:
        """Match free text typed by a participant to a municipality; never raises on input."""
        query = _strip_gemeente(_fold(text[:_MAX_INPUT]))
        if not query:
            return MunicipalityMatch()
        if _TYPED_CODE.fullmatch(text.strip()):
            code = _normalise_code(text)
            return MunicipalityMatch(self._by_code.get(code))
        if query in self._keys:
            return self._found(self._keys[query])
        if query in _NOT_A_MUNICIPALITY:
            return MunicipalityMatch()
        return self._fuzzy(query)

    def _fuzzy(self, query: str) -> MunicipalityMatch:
        scores: dict[str, float] = {}
        edits: dict[str, int] = {}  # fewest Levenshtein edits from the query, per CBS code
        if len(query) >= _MIN_FUZZY:
            hits = process.extract(
                query, self._key_list, scorer=fuzz.ratio, score_cutoff=_SUGGESTION_SCORE, limit=None
            )
            for key, score, _ in hits:
                distance = Levenshtein.distance(query, key)
                for code in self._keys[key]:
                    scores[code] = max(scores.get(code, 0.0), score)
                    edits[code] = min(edits.get(code, distance), distance)
        if len(query) >= 3:
            for key, codes in self._keys.items():
                if key.startswith(query + " ") or query.startswith(key + " "):
                    for code in codes:
                        scores[code] = max(scores.get(code, 0.0), _WORD_PREFIX_SCORE)
        ranked = sorted(scores, key=lambda c: (-scores[c], self._by_code[c].name.casefold()))
        if not ranked:
            return MunicipalityMatch()
        top, rivals = ranked[0], ranked[1:]
        best = scores[top]
        runner_up = scores[rivals[0]] if rivals else 0.0
        # An ambiguous key ("bergen") scores all its municipalities alike, so it never passes.
        clear_lead = runner_up < _SUGGESTION_SCORE or best - runner_up >= _CONFIDENT_MARGIN
        # The ratio counts a substitution as two edits; "Aaten" is one edit from Asten and Aalten.
        fewest_edits = all(edits.get(code, _MAX_INPUT) > edits.get(top, 0) for code in rivals)
        if best >= _CONFIDENT_SCORE and clear_lead and fewest_edits:
            return MunicipalityMatch(self._by_code[top])
        return self._suggest(ranked)

    def _found(self, codes: tuple[str, ...]) -> MunicipalityMatch:
        if len(codes) == 1:
            return MunicipalityMatch(self._by_code[codes[0]])
        return self._suggest(codes)

    def _suggest(self, codes: Iterable[str]) -> MunicipalityMatch:
        chosen = tuple(self._by_code[code] for code in codes)[:MAX_SUGGESTIONS]
        return MunicipalityMatch(suggestions=chosen)


def parse_municipalities(text: str, *, source: str) -> list[Municipality]:
    """Parse a `cbs_code,naam,provincie` CSV; `source` names the file in error messages."""
    municipalities: list[Municipality] = []
    seen: dict[str, int] = {}
    for line_no, row in _rows(text, source, required=("cbs_code", "naam", "provincie")):
        try:
            municipality = Municipality(row["cbs_code"], row["naam"], row["provincie"])
        except ValueError as error:
            raise ReferenceDataError(f"{source}, line {line_no}: {error}") from None
        for key in (municipality.cbs_code, municipality.name.casefold()):
            if key in seen:
                raise ReferenceDataError(
                    f"{source}, line {line_no}: {key!r} already appears on line {seen[key]}"
                )
            seen[key] = line_no
        municipalities.append(municipality)
    return municipalities


def parse_networks(
    text: str, *, source: str, known_codes: Iterable[str]
) -> dict[str, frozenset[str]]:
    """Parse a `netwerk,cbs_code` CSV into CBS code -> networks; unknown codes are errors."""
    known = frozenset(known_codes)
    memberships: dict[str, set[str]] = {}
    for line_no, row in _rows(text, source, required=("netwerk", "cbs_code")):
        network = row["netwerk"].upper().replace(" ", "")
        if network not in NETWORKS:
            raise ReferenceDataError(
                f"{source}, line {line_no}: unknown network {row['netwerk']!r}; "
                f"expected one of {', '.join(NETWORKS)}"
            )
        code = _normalise_code(row["cbs_code"])
        if code not in known:
            raise ReferenceDataError(
                f"{source}, line {line_no}: unknown CBS code {row['cbs_code']!r} "
                "(not a municipality on 1 January 2024)"
            )
        memberships.setdefault(code, set()).add(network)
    return {code: frozenset(networks) for code, networks in memberships.items()}


def _read(path: Path | None, bundled: str) -> tuple[str, str]:
    """(name for error messages, text) of an explicit file or of a bundled dialogen/data file."""
    if path is None:
        return bundled, _DATA.joinpath(bundled).read_text(encoding="utf-8")
    return str(path), path.read_text(encoding="utf-8-sig")


def _rows(
    text: str, source: str, *, required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) from CSV text, skipping blank and `#` lines; `,` or `;` split."""
    lines = [
        (number, line)
        for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise ReferenceDataError(f"{source}: no header line found")
    header_no, header_line = lines[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    header = [cell.strip().lower() for cell in _split(header_line, delimiter)]
    missing = [column for column in required if column not in header]
    if missing:
        raise ReferenceDataError(
            f"{source}, line {header_no}: missing column(s) {', '.join(missing)}; "
            f"expected {', '.join(required)}"
        )
    for number, line in lines[1:]:
        cells = _split(line, delimiter)
        if len(cells) < len(header):
            raise ReferenceDataError(
                f"{source}, line {number}: expected {len(header)} fields, found {len(cells)}"
            )
        yield number, {column: cell.strip() for column, cell in zip(header, cells, strict=False)}


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter))


def _build_keys(municipalities: Iterable[Municipality]) -> dict[str, tuple[str, ...]]:
    """Folded name or alias -> CBS codes; more than one code means the key is ambiguous."""
    keys: dict[str, list[str]] = {}

    def add(key: str, code: str) -> None:
        codes = keys.setdefault(key, [])
        if code not in codes:
            codes.append(code)

    for municipality in municipalities:
        folded = _fold(municipality.name)
        add(folded, municipality.cbs_code)
        add(folded.replace(" ", ""), municipality.cbs_code)
        if folded.startswith("s "):  # 's-Gravenhage -> "gravenhage"
            add(folded[2:], municipality.cbs_code)
        if "(" in municipality.name:  # "Bergen (L.)" -> "bergen", shared by both Bergens
            add(_fold(municipality.name.split("(")[0]), municipality.cbs_code)
    for alias, codes in _ALIASES.items():
        for code in codes:
            add(alias, code)
    return {key: tuple(codes) for key, codes in keys.items()}


def _fold(text: str) -> str:
    """Lower case, no accents, no apostrophes, other punctuation as single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"['’‘`´]", "", plain)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def _strip_gemeente(folded: str) -> str:
    """Drop a leading "gemeente"/"gem" and a trailing "gemeente" ("Utrecht (gemeente)")."""
    words = folded.split()
    if len(words) > 1 and words[0] in ("gemeente", "gem"):
        words = words[1:]
    if len(words) > 1 and words[-1] == "gemeente":
        words = words[:-1]
    return " ".join(words)


def _normalise_code(code: str) -> str:
    """ "gm0363", "0363" and "363" (Excel drops leading zeros) -> "GM0363"; else unchanged."""
    cleaned = code.strip().upper()
    if cleaned.isdigit() and len(cleaned) <= 4:
        return f"GM{cleaned.zfill(4)}"
    return cleaned
