"""The facilitator commands as data, and how typed text becomes one.

Only the exact forms are commands — ``stand``, ``stand <stap>``, ``planning``, ``verstuur <stap>``,
``herinner <stap>``, ``herinner <stap> --groep <groep>`` (and the bare ``verstuur``/``herinner``,
which get usage help) — so an answer that merely starts with one of these words ("herinner mij
eraan dat ...") stays an answer.

Voortzetten: ``rapport`` (the report as a file), ``rapport vaststellen <code>`` and ``uitkomsten``
(the results message to everyone, previewed and confirmed like a broadcast).

Moderation: ``moderatie`` (the queue), ``goedkeuren <code>``, ``verbergen <code> <reden>``,
``maskeer <code> <tekst>`` (hide that text too) and ``toon <code> <nummer>`` (show a masked part
again). ``<code>`` is the start of a contribution's id, as the queue shows it. The Teams cards send
these same commands.

Themes, priorities, representation and Verdiepen: see ``dialogen.facilitation.theme_commands``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from dialogen.conversation.inputs import Text
from dialogen.dialogue.definition import Dialogue, Step
from dialogen.facilitation.theme_commands import ThemeCommands, parse_theme_command

_FORM = re.compile(r"^(stand|planning|verstuur|herinner)(?:\s+(\S+))?(?:\s+--groep\s+(.+))?$")


@dataclass(frozen=True)
class Stand:
    step: str | None = None
    word: str = "stand"


@dataclass(frozen=True)
class Planning:
    word: str = "planning"


@dataclass(frozen=True)
class Preview:
    """``verstuur`` (kind ``step_prompt``) or ``herinner`` (kind ``nudge``) for a step."""

    kind: str
    step: str | None = None
    group: str | None = None  # ``herinner <stap> --groep <groep>``: only that group

    @property
    def word(self) -> str:
        return "herinner" if self.kind == "nudge" else "verstuur"


@dataclass(frozen=True)
class Moderate:
    """``moderatie``: the moderation queue."""

    word: str = "moderatie"


@dataclass(frozen=True)
class ModerationAction:
    """One decision about one contribution (``code``: the start of its id)."""

    action: str  # "goedkeuren", "verbergen", "maskeer", "toon"
    code: str
    text: str = ""  # the reason, the text to mask, or the number of the part to show

    @property
    def word(self) -> str:
        return self.action


@dataclass(frozen=True)
class ReportCommand:
    """``rapport`` (make the report, as a file) or ``rapport vaststellen <code>`` (approve it)."""

    approve: str | None = None  # the code to approve
    word: str = "rapport"


@dataclass(frozen=True)
class Results:
    """``uitkomsten``: preview the results message to every participant (then confirm)."""

    word: str = "uitkomsten"


Command = (
    Stand
    | Planning
    | Preview
    | Moderate
    | ModerationAction
    | ThemeCommands
    | ReportCommand
    | Results
)

_REPORT = re.compile(r"^rapport(?:\s+vaststellen\s+([0-9a-f]{8}))?$")

_MODERATION = re.compile(
    r"^\s*(goedkeuren|verbergen|maskeer|toon)\s+([0-9a-f]{6,32})\b\s*(.*)$", re.I | re.S
)


def parse_command(text: str) -> Command | None:
    themes = parse_theme_command(text)
    if themes is not None:
        return themes
    if _fold(text) == "moderatie":
        return Moderate()
    if _fold(text) == "uitkomsten":
        return Results()
    report = _REPORT.fullmatch(_fold(text))
    if report is not None:
        return ReportCommand(report.group(1))
    moderation = _MODERATION.match(text)
    if moderation is not None:
        action, code, rest = moderation.groups()
        return ModerationAction(action.lower(), code.lower(), rest.strip())
    match = _FORM.fullmatch(_fold(text))
    if match is None:
        return None
    word, argument, group = match.group(1), match.group(2), match.group(3)
    if group is not None and word != "herinner":
        return None
    if word == "stand":
        return Stand(argument)
    if word == "planning":
        return None if argument else Planning()
    return Preview("nudge" if word == "herinner" else "step_prompt", argument, group)


def is_facilitator_command(message: object) -> bool:
    """Whether a participant-side input is typed text that is a facilitator command."""
    return isinstance(message, Text) and parse_command(message.text) is not None


def resolve_step(dialogue: Dialogue, text: str) -> Step | None:
    """A step by key, name or number (1-7)."""
    key = _fold(text)
    if key.isdigit() and 1 <= int(key) <= len(dialogue.steps):
        return dialogue.steps[int(key) - 1]
    return next((s for s in dialogue.steps if key in (s.key, _fold(s.name))), None)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.strip(" .!?'\"").split())
