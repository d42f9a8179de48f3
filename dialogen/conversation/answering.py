"""Understanding an answer: typed text or a submitted value, checked against what was asked.

The question's kind does the work (see :mod:`dialogen.conversation.kinds`); this module is the
engine's door to it. Every answer becomes either the value to store or a :class:`Rejection` whose
text is a friendly Dutch explanation; a rejection is a reply, never an exception.
"""

from __future__ import annotations

from typing import Any

from dialogen.conversation.kinds import Raw, Rejection, kind_of
from dialogen.conversation.matching import interpret_yes_no, normalize, pick_one
from dialogen.dialogue.definition import Question

__all__ = [
    "MAX_MESSAGE_LENGTH",
    "Rejection",
    "describe_value",
    "interpret",
    "interpret_yes_no",
    "normalize",
    "pick_one",
]

MAX_MESSAGE_LENGTH = 4000


def interpret(question: Question, raw: Raw) -> Any | Rejection:
    """Turn a typed or submitted answer into the stored value for ``question``."""
    return kind_of(question).interpret(question, raw)


def describe_value(question: Question, value: Any) -> str:
    """The stored value as a participant would read it back."""
    return kind_of(question).describe(question, value)
