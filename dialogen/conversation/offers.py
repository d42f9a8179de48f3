"""What the door offers a *repeating* question: a question asked once per item — the reactions
question of Verrijken asks about one contribution after another.

The engine stays pure: before a turn the door looks up which items this participant is to see
(:class:`Offers`, in the :class:`~dialogen.conversation.turn.Turn`), the engine asks about them in
order, and every item answered comes back as an :class:`ItemChange` in the decision, which the
door stores (see :mod:`dialogen.conversation.repeating`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Offer:
    """One item to ask about: its id (carried back by a card) and the text the participant reads."""

    item_id: str
    text: str


@dataclass(frozen=True)
class Offers:
    """The items a participant is to see for one repeating question, in order, and how many they
    answered before (in earlier turns). ``shown``: the item the chat showed them last and they
    have not answered yet — when it is not the first of ``items`` any more, it was hidden since,
    and a typed answer is not about the item now first."""

    items: tuple[Offer, ...] = ()
    given: int = 0
    shown: str | None = None


@dataclass(frozen=True)
class ItemChange:
    """One item answered: ``value`` is the kind's own (for reactions: vote, note, report)."""

    step_key: str
    question_id: str
    item_id: str
    value: Any
