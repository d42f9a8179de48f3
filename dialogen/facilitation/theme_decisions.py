"""Facilitators' decisions about computed themes, and the curated list they make — pure.

A curated theme set is always *computed themes + decisions replayed in order* (:func:`curate`), so
recomputing the themes keeps every decision: the new computation first takes over the old keys
(:func:`dialogen.analysis.theme_matching.carry_keys`), then the same decisions are replayed on
it. A decision whose theme or contribution no longer exists is skipped and listed
(``Curated.skipped``), never guessed.

The decisions:

- ``rename`` ``{key, label}``: the label participants read;
- ``merge`` ``{source, target}``: ``source``'s contributions join ``target``; ``source`` is gone
  (``Curated.merged`` says where it went);
- ``split`` ``{key, new_key, label, members}``: those contributions of ``key`` form a new theme,
  placed right after it;
- ``move`` ``{contribution, target}``: one contribution to another theme (from a theme or from
  "overig"); it stays there after a recomputation;
- ``order`` ``{keys}``: these themes first, in this order, the rest after them as they were;
- ``drop`` ``{key}``: the theme is not offered; its contributions go to "overig".

A theme left without contributions (everything moved or split off) is not offered.
Each theme's option ``value`` is derived from its key (:func:`option_value`), so it stays the
same for as long as the theme lives, whatever its label.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dialogen.analysis.themes import Theme, ThemeSet

ACTIONS = ("rename", "merge", "split", "move", "order", "drop")


@dataclass(frozen=True)
class Decision:
    action: str
    data: Mapping[str, Any]

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown theme decision {self.action!r}")


@dataclass(frozen=True)
class CuratedTheme:
    key: str
    label: str
    proposed_label: str
    label_terms: tuple[str, ...]
    members: tuple[str, ...]
    representative: tuple[str, ...]

    @property
    def value(self) -> str:
        return option_value(self.key)


@dataclass(frozen=True)
class Curated:
    themes: tuple[CuratedTheme, ...]
    overig: tuple[str, ...]
    merged: Mapping[str, str] = field(default_factory=dict)  # merged-away key -> its target
    skipped: tuple[int, ...] = ()  # positions of decisions that no longer apply

    def find(self, reference: str) -> CuratedTheme | None:
        """A theme by its number in the list (1 = first) or its key."""
        text = reference.strip()
        if text.isdigit():
            number = int(text)
            return self.themes[number - 1] if 1 <= number <= len(self.themes) else None
        return next((t for t in self.themes if t.key == text), None)

    def theme_of(self, contribution: str) -> CuratedTheme | None:
        return next((t for t in self.themes if contribution in t.members), None)


def option_value(key: str) -> str:
    """The option value of a theme: stable for its key, and fit for an option (``[a-z0-9-]``)."""
    return "thema-" + hashlib.sha256(key.encode()).hexdigest()[:10]


@dataclass
class _Working:
    key: str
    label: str
    proposed: str
    terms: tuple[str, ...]
    members: list[str]
    representative: tuple[str, ...]


def curate(computed: ThemeSet, decisions: Sequence[Decision]) -> Curated:
    """The computed themes with every decision that still applies, in order."""
    themes = [
        _Working(
            t.key,
            t.proposed_label,
            t.proposed_label,
            t.label_terms,
            list(t.members),
            t.representative,
        )
        for t in computed.themes
    ]
    overig = list(computed.overig)
    known = {m for t in themes for m in t.members} | set(overig)
    merged: dict[str, str] = {}
    skipped: list[int] = []

    def find(key: object) -> _Working | None:
        return next((t for t in themes if t.key == key), None)

    def take(contribution: str) -> None:
        for theme in themes:
            if contribution in theme.members:
                theme.members.remove(contribution)
        if contribution in overig:
            overig.remove(contribution)

    for position, decision in enumerate(decisions):
        data = decision.data
        if decision.action == "rename":
            theme = find(data.get("key"))
            if theme is None:
                skipped.append(position)
                continue
            theme.label = str(data["label"])
        elif decision.action == "merge":
            source, target = find(data.get("source")), find(data.get("target"))
            if source is None or target is None or source is target:
                skipped.append(position)
                continue
            target.members += [m for m in source.members if m not in target.members]
            themes.remove(source)
            merged[source.key] = target.key
            for old, into in merged.items():
                if into == source.key:
                    merged[old] = target.key
        elif decision.action == "split":
            theme = find(data.get("key"))
            moving = [m for m in data.get("members", ()) if theme and m in theme.members]
            if theme is None or not moving or find(data.get("new_key")) is not None:
                skipped.append(position)
                continue
            theme.members = [m for m in theme.members if m not in moving]
            themes.insert(
                themes.index(theme) + 1,
                _Working(str(data["new_key"]), str(data["label"]), "", (), moving, ()),
            )
        elif decision.action == "move":
            contribution, target = str(data.get("contribution")), find(data.get("target"))
            if target is None or contribution not in known:
                skipped.append(position)
                continue
            take(contribution)
            target.members.append(contribution)
        elif decision.action == "order":
            listed = [t for key in data.get("keys", ()) if (t := find(key)) is not None]
            if not listed:
                skipped.append(position)
                continue
            themes = listed + [t for t in themes if t not in listed]
        elif decision.action == "drop":
            theme = find(data.get("key"))
            if theme is None:
                skipped.append(position)
                continue
            themes.remove(theme)
            overig += theme.members
    return Curated(
        themes=tuple(
            CuratedTheme(
                t.key,
                t.label,
                t.proposed,
                t.terms,
                tuple(t.members),
                tuple(m for m in t.representative if m in t.members) or tuple(t.members[:3]),
            )
            for t in themes
            if t.members
        ),
        overig=tuple(overig),
        merged=merged,
        skipped=tuple(skipped),
    )


# ---------------------------------------------------------------- persisted shape


def theme_set_to_json(themes: ThemeSet) -> dict[str, Any]:
    return {
        "version": 1,
        "themes": [
            {
                "key": t.key,
                "label_terms": list(t.label_terms),
                "proposed_label": t.proposed_label,
                "members": list(t.members),
                "representative": list(t.representative),
                "weight": t.weight,
            }
            for t in themes.themes
        ],
        "overig": list(themes.overig),
    }


def theme_set_from_json(data: Mapping[str, Any]) -> ThemeSet:
    if data.get("version") != 1:
        raise ValueError("unknown theme set version")
    return ThemeSet(
        themes=tuple(
            Theme(
                key=t["key"],
                label_terms=tuple(t["label_terms"]),
                proposed_label=t["proposed_label"],
                members=tuple(t["members"]),
                representative=tuple(t["representative"]),
                weight=float(t["weight"]),
            )
            for t in data["themes"]
        ),
        overig=tuple(data["overig"]),
    )


def decisions_of(rows: Iterable[tuple[str, Mapping[str, Any]]]) -> tuple[Decision, ...]:
    return tuple(Decision(action, data) for action, data in rows)
