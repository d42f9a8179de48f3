"""Finding contact details and numbers that identify a person in free text.

Each ``find_*`` function yields ``(start, end)`` offsets into the text it is given. They look for
shapes (a regular expression) and then check what a shape cannot: a phone number's digit count,
an IBAN's mod-97, a BSN's 11-proof, that a "street" is not a municipality. What they leave alone
on purpose: years, amounts, dates, article numbers, KvK numbers (eight digits, not personal) and a
postcode on its own (it points at a street, not at a home).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dialogen.privacy.checksums import IBAN_LENGTHS, iban_is_valid, passes_eleven_proof
from dialogen.privacy.words import phrase

Found = tuple[int, int]

# ---------------------------------------------------------------- e-mail

EMAIL = re.compile(
    r"(?<![\w.+'-])(?:mailto:)?[\w+'-]+(?:\.[\w+'-]+)*"
    r"(?:@|[ \t]?[\[(]at[\])][ \t]?)"
    r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w-])",
    re.IGNORECASE,
)


def find_emails(text: str) -> Iterator[Found]:
    """E-mail addresses, with a leading ``mailto:`` and the ``jan(at)vng.nl`` spelling."""
    for match in EMAIL.finditer(text):
        yield match.span()


# ---------------------------------------------------------------- phone numbers

_SPACE = r"[ \t\u00a0]"
_SEP = rf"(?:{_SPACE}?[-.]{_SPACE}?|{_SPACE})?"
_PHONE = re.compile(
    r"(?<![\w+@/])(?:"
    # +31 6 12345678, +31(0)6-12345678, 0031 30 1234567
    rf"(?:\+|00){_SPACE}?31{_SEP}(?:\(0\){_SEP}|0{_SEP})?[1-9](?:{_SEP}\d){{8}}"
    # (030) 123 45 67, (0591) 123456, (06) 12345678
    rf"|\(0\d\){_SEP}\d(?:{_SEP}\d){{7}}"
    rf"|\(0\d\d\){_SEP}\d(?:{_SEP}\d){{6}}"
    rf"|\(0\d\d\d\){_SEP}\d(?:{_SEP}\d){{5}}"
    # 06-12345678, 06 1234 5678, 030-1234567, 020 123 4567, 0591-123456
    rf"|0{_SEP}[1-9](?:{_SEP}\d){{8}}"
    r")(?!\d|[.,]\d)"
)
_COUNTRY_CODE = re.compile(r"^(?:\+|00)\s?31")
_DATE_START = re.compile(r"^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")


def find_phone_numbers(text: str) -> Iterator[Found]:
    """Dutch mobile and landline numbers, national or with +31/0031, in the usual groupings."""
    for match in _PHONE.finditer(text):
        if _grouped_like_a_phone_number(match.group()):
            yield match.span()


def _grouped_like_a_phone_number(candidate: str) -> bool:
    """People group phone digits in twos to fours; single digits in a row are lists or decimals
    ("0.5 0.6 ..."), and "01-10-2024 12" is a date with a time."""
    if _DATE_START.match(candidate):
        return False
    international = _COUNTRY_CODE.match(candidate)
    rest = candidate[international.end() :] if international else candidate
    groups = re.findall(r"\d+", rest.replace("(0)", ""))
    first_may_be_short = international is not None
    return all(len(group) >= 2 for group in groups[0 if not first_may_be_short else 1 :])


# ---------------------------------------------------------------- IBAN

_IBAN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?:[ \t]?[A-Z0-9]){10,30}", re.IGNORECASE)


def find_ibans(text: str) -> Iterator[Found]:
    """IBANs of the countries in ``IBAN_LENGTHS``, compact or in fours, that pass mod-97."""
    for match in _IBAN.finditer(text):
        length = IBAN_LENGTHS.get(match.group()[:2].upper())
        if length is None:
            continue
        end = _end_after_characters(text, match.start(), match.end(), length)
        if end is None or (end < len(text) and text[end].isalnum()):
            continue
        if iban_is_valid(text[match.start() : end]):
            yield match.start(), end


def _end_after_characters(text: str, start: int, stop: int, count: int) -> int | None:
    """The offset just after the ``count``-th letter or digit from ``start`` (before ``stop``)."""
    seen = 0
    for index in range(start, stop):
        if text[index].isalnum():
            seen += 1
            if seen == count:
                return index + 1
    return None


# ---------------------------------------------------------------- BSN

_BSN = re.compile(
    r"(?<![\w.,€/-])(?:\d{9}|\d{3}([. ])\d{3}\1\d{3}|\d{4}\.\d{2}\.\d{3})(?![\w/-]|[.,]\d)"
)
_MONEY_BEFORE = re.compile(r"(?:€|eur|euro)\s*$", re.IGNORECASE)


def find_bsns(text: str) -> Iterator[Found]:
    """Nine digits (also 123.456.782, 123 456 782 and 1234.56.782) that pass the 11-proof and are
    not an amount of money."""
    for match in _BSN.finditer(text):
        if _MONEY_BEFORE.search(text, max(0, match.start() - 6), match.start()):
            continue
        if passes_eleven_proof(match.group()):
            yield match.span()


# ---------------------------------------------------------------- addresses

_STREET_TYPES = "straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|dreef|plantsoen|boulevard"
_POSTCODE = r"[1-9]\d{3}(?:[ \t]?[A-Z]{2}|[a-z]{2})(?!\w)"
_HOUSE_NUMBER = r"[1-9]\d{0,3}(?:-?[a-zA-Z](?!\w)|-\d{1,3}(?!\d))?(?![\d,.]\d)"
_NUMBER_WORD = r"(?:nr\.?|nummer)[ \t]*"
_STREET_ADDRESS = re.compile(
    rf"(?<![\w-])(?P<street>(?=[A-Z])[\w'’-]*(?i:{_STREET_TYPES}))[ \t]+(?:{_NUMBER_WORD})?"
    rf"(?P<number>{_HOUSE_NUMBER})(?:,?[ \t]+{_POSTCODE})?"
)
_POSTCODE_ADDRESS = re.compile(
    rf"(?<![\w-])(?P<postcode>{_POSTCODE}),?[ \t]+(?:{_NUMBER_WORD})?(?P<number>{_HOUSE_NUMBER})"
)
# Letter pairs that after a year are an abbreviation, not the letters of a postcode.
_ABBREVIATIONS = frozenset({"AI", "AM", "BV", "EU", "NH", "NL", "NV", "PM", "UK", "VK", "VS", "ZH"})


def find_addresses(text: str, places: frozenset[str]) -> Iterator[Found]:
    """A street name with a house number (and the postcode after it), or a postcode with a house
    number. A "street" that is a place ("Moerdijk 3") is not one."""
    for match in _STREET_ADDRESS.finditer(text):
        if phrase(match.group("street")) in places or _looks_like_a_year(match.group("number")):
            continue
        yield match.span()
    for match in _POSTCODE_ADDRESS.finditer(text):
        postcode = match.group("postcode")
        digits, letters = postcode[:4], postcode[4:].strip().upper()
        if _looks_like_a_year(digits) and letters in _ABBREVIATIONS:
            continue
        yield match.span()


def _looks_like_a_year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and 1800 <= int(number) <= 2099
