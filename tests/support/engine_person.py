"""A participant driven through the pure engine: keeps what the service would store between turns
(state, profile, answers) and feeds ``decide``'s changes back, without a database."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from dialogen.conversation.engine import Turn, decide
from dialogen.conversation.inputs import Answers, Input
from dialogen.conversation.replies import Receipt
from dialogen.conversation.state import ConversationState, Decision, Phase, Profile
from dialogen.dialogue.definition import Dialogue, Option
from dialogen.stakeholders.municipalities import MunicipalityRegistry

AMS = ZoneInfo("Europe/Amsterdam")
OCT_1 = datetime(2024, 10, 1, 10, 0, tzinfo=AMS)  # Verkennen is open (until 7 October 23:59)
PROFILE = Profile(role="raadslid", municipality_code="0344", consent=True)


class Person:
    """Keeps what the service would store between turns."""

    def __init__(
        self,
        dialogue: Dialogue,
        registry: MunicipalityRegistry,
        *,
        phase: Phase = Phase.IDLE,
        profile: Profile = PROFILE,
        now: datetime = OCT_1,
    ) -> None:
        self.dialogue, self.registry, self.now, self.profile = dialogue, registry, now, profile
        self.state = ConversationState(phase=phase)
        self.answers: dict[str, dict[str, Any]] = {}
        self.options: dict[tuple[str, str], tuple[Option, ...]] = {}  # what the door supplies

    def send(self, message: Input) -> Decision:
        turn = Turn(
            dialogue=self.dialogue,
            now=self.now,
            state=self.state,
            profile=self.profile,
            answers=self.answers,
            municipalities=self.registry,
            options=self.options,
        )
        decision = decide(turn, message)
        self.state = decision.state
        self.profile = decision.profile or self.profile
        for change in decision.answers:
            self.answers.setdefault(change.step_key, {})[change.question_id] = change.value
        return decision

    def mail(self, *parts: tuple[int, str], unplaced: str = "") -> Receipt:
        decision = self.send(Answers("verkennen", tuple(parts), unplaced))
        (receipt,) = [r for r in decision.replies if isinstance(r, Receipt)]
        return receipt
