"""Decode the bytes of a MIME text part without ever raising.

Order of attempts: the declared charset, then UTF-8, then Windows-1252, then
Latin-1 (which accepts every byte). Two real-world corrections are applied:

* a declared ``iso-8859-1`` or ``us-ascii`` is read as Windows-1252, as browsers
  do, because Outlook labels text with curly quotes (’) and € that way;
* bytes that are valid UTF-8 with non-ASCII characters but labelled as a
  Western single-byte charset are read as UTF-8 (a common mislabelling).
"""

from __future__ import annotations

import codecs

__all__ = ["decode_text"]

_WESTERN_SINGLE_BYTE = frozenset({"ascii", "latin-1", "iso8859-1", "cp1252", "iso8859-15"})
_READ_AS_CP1252 = frozenset({"ascii", "latin-1", "iso8859-1"})


def _codec_name(charset: str | None) -> str | None:
    """Return the normalised codec name for a declared charset, or None when unknown."""
    if not charset:
        return None
    name = charset.strip().strip("\"'").lower()
    if not name:
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None  # e.g. "base64" or "rot13" declared as a charset
    return info.name


def _looks_like_utf8(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_text(data: bytes, charset: str | None) -> tuple[str, bool]:
    """Decode ``data``; return the text and whether the declared charset was unusable."""
    declared = _codec_name(charset)
    unusable = bool(charset) and declared is None
    attempts: list[str] = []
    if declared in _WESTERN_SINGLE_BYTE and _looks_like_utf8(data):
        attempts.append("utf-8")
    if declared in _READ_AS_CP1252:
        attempts.append("cp1252")
    if declared:
        attempts.append(declared)
    attempts.extend(["utf-8", "cp1252"])
    for codec in attempts:
        try:
            return data.decode(codec), unusable
        except (UnicodeDecodeError, LookupError):
            continue
        except Exception:  # noqa: BLE001 - exotic codecs may raise anything
            continue
    return data.decode("latin-1", errors="replace"), True
