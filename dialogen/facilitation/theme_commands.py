"""Typed facilitator commands about themes, priorities and Verdiepen, as data.

- ``thema's`` (also ``themas``, ``thema's toon``): the curated list; ``thema's bereken``;
  ``thema's publiceer``; ``thema's help``;
- ``thema hernoem <nr> <naam>``, ``thema voeg <nr> bij <nr>``, ``thema splits <nr>
  <code>[,<code>...] <naam>``, ``thema verplaats <code> <nr>``, ``thema volgorde <nr> <nr> ...``,
  ``thema schrap <nr>``;
- ``prioriteiten`` (``prioriteiten <groep>``: role, province or network only);
- ``vertegenwoordiging`` / ``vertegenwoordiging <stap>``;
- ``vervolgvragen``, ``vervolgvraag <nr> <tekst>``, ``vervolgvragen bevestig``.

Only these exact shapes are commands, so an answer that happens to start with "thema" stays an
answer (a participant writing "thema's als wonen en zorg ..." is not a facilitator).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LIST = re.compile(r"^\s*thema'?s(?:\s+(toon|bereken|publiceer|help))?\s*$", re.I)
_RENAME = re.compile(r"^\s*thema\s+hernoem\s+(\d+)\s+(.+)$", re.I | re.S)
_MERGE = re.compile(r"^\s*thema\s+voeg\s+(\d+)\s+bij\s+(\d+)\s*$", re.I)
_SPLIT = re.compile(
    r"^\s*thema\s+splits\s+(\d+)\s+([0-9a-f]{4,32}(?:,[0-9a-f]{4,32})*)\s+(.+)$", re.I | re.S
)
_MOVE = re.compile(r"^\s*thema\s+verplaats\s+([0-9a-f]{4,32})\s+(\d+)\s*$", re.I)
_ORDER = re.compile(r"^\s*thema\s+volgorde((?:\s+\d+)+)\s*$", re.I)
_DROP = re.compile(r"^\s*thema\s+schrap\s+(\d+)\s*$", re.I)
_PRIORITIES = re.compile(r"^\s*prioriteiten(?:\s+(rol|provincie|netwerk))?\s*$", re.I)
_REPRESENTATION = re.compile(r"^\s*vertegenwoordiging(?:\s+(\S+))?\s*$", re.I)
_FOLLOW_UP = re.compile(r"^\s*vervolgvragen(?:\s+(bevestig))?\s*$", re.I)
_FOLLOW_UP_EDIT = re.compile(r"^\s*vervolgvraag\s+(\d+)\s+(.+)$", re.I | re.S)


@dataclass(frozen=True)
class ThemeCommand:
    """One theme action: ``toon``, ``bereken``, ``publiceer``, ``help``, ``hernoem``, ``voeg``,
    ``splits``, ``verplaats``, ``volgorde``, ``schrap``."""

    action: str
    arguments: tuple[str, ...] = ()

    @property
    def word(self) -> str:
        return f"thema {self.action}"


@dataclass(frozen=True)
class PrioritiesCommand:
    dimension: str | None = None  # "rol", "provincie", "netwerk"; None = all
    word: str = "prioriteiten"


@dataclass(frozen=True)
class RepresentationCommand:
    step: str | None = None
    word: str = "vertegenwoordiging"


@dataclass(frozen=True)
class FollowUpCommand:
    """``vervolgvragen`` (preview), ``vervolgvraag <nr> <tekst>`` (edit), ``... bevestig``."""

    action: str  # "toon", "wijzig", "bevestig"
    number: int = 0
    text: str = ""

    @property
    def word(self) -> str:
        return f"vervolgvragen {self.action}"


ThemeCommands = ThemeCommand | PrioritiesCommand | RepresentationCommand | FollowUpCommand


def parse_theme_command(text: str) -> ThemeCommands | None:
    if (m := _LIST.match(text)) is not None:
        return ThemeCommand((m.group(1) or "toon").lower())
    if (m := _RENAME.match(text)) is not None:
        return ThemeCommand("hernoem", (m.group(1), m.group(2).strip()))
    if (m := _MERGE.match(text)) is not None:
        return ThemeCommand("voeg", (m.group(1), m.group(2)))
    if (m := _SPLIT.match(text)) is not None:
        return ThemeCommand("splits", (m.group(1), m.group(2).lower(), m.group(3).strip()))
    if (m := _MOVE.match(text)) is not None:
        return ThemeCommand("verplaats", (m.group(1).lower(), m.group(2)))
    if (m := _ORDER.match(text)) is not None:
        return ThemeCommand("volgorde", tuple(m.group(1).split()))
    if (m := _DROP.match(text)) is not None:
        return ThemeCommand("schrap", (m.group(1),))
    if (m := _PRIORITIES.match(text)) is not None:
        return PrioritiesCommand(m.group(1).lower() if m.group(1) else None)
    if (m := _REPRESENTATION.match(text)) is not None:
        return RepresentationCommand(m.group(1))
    if (m := _FOLLOW_UP.match(text)) is not None:
        return FollowUpCommand("bevestig" if m.group(1) else "toon")
    if (m := _FOLLOW_UP_EDIT.match(text)) is not None:
        return FollowUpCommand("wijzig", int(m.group(1)), m.group(2).strip())
    return None
