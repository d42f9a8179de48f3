"""The registry of question kinds: a kind is known by its name once it is registered.

The four built-in kinds are registered when ``dialogen.conversation.kinds`` is imported; a dialogue
file may use any registered name after ``kind:``. Questions are checked against the registry when
they are validated, so register a kind before loading a dialogue that uses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dialogen.conversation.kinds.base import Kind
from dialogen.errors import QuestionKindError

if TYPE_CHECKING:
    from dialogen.dialogue.definition import Question

_KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> Kind:
    """Make ``kind`` available under ``kind.name``; a name can be registered once."""
    if kind.name in _KINDS:
        raise QuestionKindError(f"question kind {kind.name!r} is already registered")
    _KINDS[kind.name] = kind
    return kind


def unregister_kind(name: str) -> None:
    """Forget a registered kind (tests and plugins that clean up after themselves)."""
    if _KINDS.pop(name, None) is None:
        raise QuestionKindError(f"question kind {name!r} is not registered")


def find_kind(name: str) -> Kind | None:
    return _KINDS.get(name)


def kind_named(name: str) -> Kind:
    kind = _KINDS.get(name)
    if kind is None:
        raise QuestionKindError(f"question kind {name!r} is not registered")
    return kind


def kind_names() -> tuple[str, ...]:
    """The registered names, in the order they were registered."""
    return tuple(_KINDS)


def kind_of(question: Question) -> Kind:
    """The kind that asks, reads and summarises ``question``."""
    return kind_named(question.kind)
