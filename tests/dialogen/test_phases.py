"""The conversation table: one row per phase, and what a phase asks is what a card submit for it
must name (the table's ``input_id`` and the prompt its ``ask`` sends agree)."""

from __future__ import annotations

import pytest

from dialogen.conversation.context import TurnContext
from dialogen.conversation.engine import ACCEPTS, Turn
from dialogen.conversation.inputs import Command
from dialogen.conversation.phases import PHASES
from dialogen.conversation.replies import Prompt
from dialogen.conversation.state import ConversationState, Phase
from dialogen.dialogue.definition import Dialogue
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from tests.support.engine_person import OCT_1, PROFILE


def test_every_phase_has_one_row_and_always_takes_help() -> None:
    assert set(PHASES) == set(Phase)
    assert dict(ACCEPTS) == {phase: spec.commands for phase, spec in PHASES.items()}
    assert all(Command.HELP in spec.commands for spec in PHASES.values())


@pytest.mark.parametrize("phase", [p for p, spec in PHASES.items() if spec.ask is not None])
def test_what_a_phase_asks_is_what_its_submit_must_name(
    phase: Phase, real_dialogue: Dialogue, registry: MunicipalityRegistry
) -> None:
    state = ConversationState(phase=phase, step_key="verkennen", question_id="themas")
    turn = Turn(real_dialogue, OCT_1, state, PROFILE, {}, registry)
    ctx = TurnContext.begin(turn, PHASES)
    ctx.reprompt()
    asked = [r for r in ctx.replies if isinstance(r, Prompt)]
    assert asked, f"{phase} asks nothing"
    assert asked[-1].input_id == ctx.here.prompt_id(ctx.state)  # welcome moves on to consent


@pytest.mark.parametrize("phase", [p for p, spec in PHASES.items() if spec.ask is None])
def test_a_phase_that_asks_nothing_takes_no_submit(phase: Phase) -> None:
    assert PHASES[phase].prompt_id(ConversationState(phase=phase)) is None
