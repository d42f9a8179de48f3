"""Check digits that tell a real account or citizen number from a random string of digits.

- IBAN (ISO 13616): move the first four characters to the end, read letters as numbers
  (A = 10 ... Z = 35); the result modulo 97 is 1. Each country has a fixed length.
- BSN (burgerservicenummer): the "11-proef". Nine digits d1..d9 weighted 9, 8, ..., 2 and -1;
  the sum is divisible by 11 (Rijksoverheid, "Logisch ontwerp BSN", the Dutch citizen service
  number's check).
"""

from __future__ import annotations

#: IBAN lengths of the EU/EEA countries, Switzerland and the United Kingdom (SWIFT IBAN registry).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "EE": 20, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GI": 23, "GL": 18, "GR": 27,
    "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
    "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19,
    "SK": 24, "SM": 27,
}  # fmt: skip

_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def iban_is_valid(iban: str) -> bool:
    """True when ``iban`` (spaces allowed, any case) has its country's length and mod-97 is 1."""
    compact = "".join(iban.split()).upper()
    if not compact.isascii() or not compact.isalnum():
        return False
    if IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return int(number) % 97 == 1


def passes_eleven_proof(number: str) -> bool:
    """True when ``number`` has exactly nine digits (dots and spaces ignored), not all zero, and
    passes the 11-proof of a BSN."""
    digits = [char for char in number if char not in ". "]
    if len(digits) != 9 or not all(char.isascii() and char.isdigit() for char in digits):
        return False
    values = [int(char) for char in digits]
    if not any(values):
        return False
    return sum(w * d for w, d in zip(_BSN_WEIGHTS, values, strict=True)) % 11 == 0
