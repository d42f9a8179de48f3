"""Folding text for matching without moving it: every character maps to exactly one character.

Names and places are matched on a folded copy of the text (lower case, accents off, curly
apostrophes straight), so "SÜLEYMAN" finds "Süleyman" and "’t Hart" finds "'t Hart". Because the
copy has the same length as the original, an offset found in the copy is an offset in the
original: masked spans can be reported in the original text without any mapping.
"""

from __future__ import annotations

import unicodedata

_APOSTROPHES = "’‘`´ʼ"
_LAST_FOLDED = 0x024F  # Latin Extended-B: enough for Dutch, Frisian, Turkish and Polish names


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(_LAST_FOLDED + 1):
        char = chr(code)
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
        if len(base) == 1 and base != char:
            table[code] = base
        elif len(base) != 1 and len(char.lower()) == 1 and char.lower() != char:
            table[code] = char.lower()
    for char in _APOSTROPHES:
        table[ord(char)] = "'"
    return table


_FOLD = str.maketrans(_table())


def fold(text: str) -> str:
    """Lower case without accents, one character for one character (``len`` is preserved)."""
    return text.translate(_FOLD)
