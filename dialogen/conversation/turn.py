"""What the engine is handed for one input: the dialogue, the moment, and what is known of the
participant (state, profile, answers). The service builds a :class:`Turn`; the engine reads it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dialogen.contracts import MunicipalityLookup
from dialogen.conversation.offers import Offers
from dialogen.conversation.state import ConversationState, Profile
from dialogen.dialogue.definition import Dialogue, Option


@dataclass(frozen=True)
class Turn:
    """Everything the engine may look at for one input."""

    dialogue: Dialogue
    now: datetime
    state: ConversationState
    profile: Profile
    answers: Mapping[str, Mapping[str, Any]]  # step key -> question id -> stored value
    municipalities: MunicipalityLookup
    # (step key, question id) -> what the door offers a repeating question (reactions)
    offers: Mapping[tuple[str, str], Offers] = field(default_factory=dict)
    # step key -> a short text of what an earlier step produced, shown when the step starts
    summaries: Mapping[str, str] = field(default_factory=dict)
    # (step key, question id) -> the current options of a question with ``options_from`` (the
    # curated themes); used in place of the file's options (see dialogen.conversation.options)
    options: Mapping[tuple[str, str], tuple[Option, ...]] = field(default_factory=dict)
