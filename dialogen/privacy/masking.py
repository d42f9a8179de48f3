"""Masking personal data in free text before anyone else reads it.

A shared open answer becomes a contribution that other participants read; before that, this
module replaces what points at a person with a marker naming what was there:

====================  ===================  ===============================================
category              marker               what (see the finder for the details)
====================  ===================  ===============================================
``Category.LINK``     ``[link]``           profile links, links with an e-mail or listed name
``Category.EMAIL``    ``[e-mailadres]``    e-mail addresses
``Category.IBAN``     ``[rekeningnummer]`` IBANs passing mod-97
``Category.PHONE``    ``[telefoonnummer]`` Dutch phone numbers, also an organisation's
``Category.BSN``      ``[bsn]``            nine digits passing the 11-proof
``Category.ADDRESS``  ``[adres]``          street + house number, postcode + house number
``Category.NAME``     ``[naam]``           listed people, where used as a person's name
====================  ===================  ===============================================

It is pure and deterministic: the same list and text give the same result. Build one
:class:`Masker` per participant list (it precompiles everything) and call :meth:`Masker.mask`
per text. The result holds the masked text and the masked spans as offsets into the *original*
text with their category, never the original values; a facilitator's correction ("this was not a
name", "mask this too") is :func:`adjust` on the original and those spans.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from dialogen.privacy import identifiers, links
from dialogen.privacy.person_names import NameFinder
from dialogen.privacy.places import bundled_places


class Category(Enum):
    """What a masked span was; the value is the word in its marker. Declared in order of
    preference when two equally long findings overlap."""

    LINK = "link"
    EMAIL = "e-mailadres"
    IBAN = "rekeningnummer"
    PHONE = "telefoonnummer"
    BSN = "bsn"
    ADDRESS = "adres"
    NAME = "naam"

    @property
    def marker(self) -> str:
        return f"[{self.value}]"


_PREFERENCE = {category: rank for rank, category in enumerate(Category)}
_MARKERS = re.compile("|".join(re.escape(category.marker) for category in Category))


@dataclass(frozen=True, slots=True)
class MaskedSpan:
    """``original[start:end]`` was masked as ``category``."""

    start: int
    end: int
    category: Category

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"a masked span needs 0 <= start < end, got {self.start}..{self.end}")


@dataclass(frozen=True, slots=True)
class MaskResult:
    """The masked text and what was masked, by offsets into the original text. Its ``repr``
    shows only the counts, so logging a result never logs answer text."""

    text: str = field(repr=False)
    spans: tuple[MaskedSpan, ...] = field(repr=False)

    @property
    def counts(self) -> Mapping[Category, int]:
        """How many spans of each category were masked (categories with none are left out)."""
        return dict(Counter(span.category for span in self.spans))

    @property
    def masked(self) -> int:
        """How many parts were masked ("3 onderdelen afgeschermd")."""
        return len(self.spans)

    def __repr__(self) -> str:
        counts = ", ".join(f"{c.value}={n}" for c, n in self.counts.items())
        return f"MaskResult(masked={self.masked}{', ' if counts else ''}{counts})"


class Masker:
    """Masks personal data for one participant list; construct once, use for many texts."""

    def __init__(self, names: Iterable[str] = (), *, places: frozenset[str] | None = None) -> None:
        """``names``: full names of the people on the participant list. ``places``: place names
        as phrases (:func:`dialogen.privacy.places.place_names`) that are never a person; by
        default every municipality (:func:`dialogen.privacy.places.bundled_places`)."""
        self._places = bundled_places() if places is None else places
        self._names = NameFinder(names, self._places)

    def mask(self, text: str) -> MaskResult:
        """The text with personal data replaced by markers, and the spans that were masked."""
        found: list[MaskedSpan] = []

        def add(category: Category, spans: Iterable[tuple[int, int]]) -> None:
            found.extend(MaskedSpan(start, end, category) for start, end in spans)

        add(Category.LINK, links.find_personal_links(text, self._names.occurs_in))
        add(Category.EMAIL, identifiers.find_emails(text))
        add(Category.IBAN, identifiers.find_ibans(text))
        add(Category.PHONE, identifiers.find_phone_numbers(text))
        add(Category.BSN, identifiers.find_bsns(text))
        add(Category.ADDRESS, identifiers.find_addresses(text, self._places))
        markers = [m.span() for m in _MARKERS.finditer(text)]
        kept = [s for s in found if not any(s.start < e and b < s.end for b, e in markers)]
        # Names are looked for around what is masked already, as they will be in the masked
        # text: so "[bsn].Wethouder Jansen" is found the first time, and masking is idempotent.
        blanked = _blank(text, [(s.start, s.end) for s in kept] + markers)
        kept.extend(
            MaskedSpan(start, end, Category.NAME) for start, end in self._names.find(blanked)
        )
        return apply_spans(text, _without_overlaps(kept))


def apply_spans(original: str, spans: Iterable[MaskedSpan]) -> MaskResult:
    """Mask exactly ``spans`` of ``original``: how a facilitator's adjusted set is rendered.
    Raises ``ValueError`` when a span lies outside the text or two spans overlap."""
    ordered = sorted(spans, key=_position)
    pieces: list[str] = []
    position = 0
    for span in ordered:
        if span.start < position or span.end > len(original):
            raise ValueError(f"span {span.start}..{span.end} overlaps another or leaves the text")
        pieces.extend((original[position : span.start], span.category.marker))
        position = span.end
    pieces.append(original[position:])
    return MaskResult("".join(pieces), tuple(ordered))


def adjust(
    original: str,
    result: MaskResult,
    *,
    unmask: Iterable[MaskedSpan] = (),
    mask: Iterable[MaskedSpan] = (),
) -> MaskResult:
    """A facilitator's correction: ``result`` without the ``unmask`` spans and with the ``mask``
    spans added; an added span replaces the spans it overlaps."""
    removed = set(unmask)
    added = list(mask)
    kept = [
        span
        for span in result.spans
        if span not in removed and not any(span.start < a.end and a.start < span.end for a in added)
    ]
    return apply_spans(original, kept + added)


def mask_text(text: str, names: Iterable[str] = ()) -> MaskResult:
    """Mask one text against a name list: for a single text; reuse a :class:`Masker` for more."""
    return Masker(names).mask(text)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the spans replaced by as many NUL characters: no word, no white space."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "\0" * (end - start)
    return "".join(chars)


def _without_overlaps(spans: list[MaskedSpan]) -> list[MaskedSpan]:
    """Where findings overlap, the longest wins (an IBAN over the phone-like digits inside it, a
    link over the e-mail address in it); between equally long ones, the category declared first."""
    chosen: list[MaskedSpan] = []
    for span in sorted(spans, key=lambda s: (s.start - s.end, _PREFERENCE[s.category], s.start)):
        if not any(span.start < c.end and c.start < span.end for c in chosen):
            chosen.append(span)
    return chosen


def _position(span: MaskedSpan) -> tuple[int, int]:
    return span.start, span.end
