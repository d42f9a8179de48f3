"""The facilitator commands as data, and how typed text becomes one.

Only the exact forms are commands — ``stand``, ``stand <stap>``, ``planning``, ``verstuur <stap>``,
``herinner <stap>`` (and the bare ``verstuur``/``herinner``, which get usage help) — so an answer
that merely starts with one of these words ("herinner mij eraan dat ...") stays an answer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from dialogen.conversation.inputs import Text
from dialogen.dialogue.definition import Dialogue, Step

_FORM = re.compile(r"^(stand|planning|verstuur|herinner)(?:\s+(\S+))?$")


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

    @property
    def word(self) -> str:
        return "herinner" if self.kind == "nudge" else "verstuur"


Command = Stand | Planning | Preview


def parse_command(text: str) -> Command | None:
    match = _FORM.fullmatch(_fold(text))
    if match is None:
        return None
    word, argument = match.group(1), match.group(2)
    if word == "stand":
        return Stand(argument)
    if word == "planning":
        return None if argument else Planning()
    return Preview("nudge" if word == "herinner" else "step_prompt", argument)


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
