"""The prompt for one dialogue question, shared by the chat engine and mail rendering."""

from __future__ import annotations

from typing import Any

from dialogen.conversation import messages as msg
from dialogen.conversation.kinds import kind_of
from dialogen.conversation.replies import Prompt
from dialogen.dialogue.definition import Question, Step

QUESTION_PREFIX = "q:"
BEGIN_INPUT = "begin"
RESUME_INPUT = "verder"
"""Input ids of the proactive cards (step prompt, nudge, the invitation by mail that lists the
open step); the submitted value is the step key."""


def question_input_id(step_key: str | None, question_id: str | None) -> str:
    """``q:<step>:<question>``: the input id of a dialogue question's prompt."""
    return f"{QUESTION_PREFIX}{step_key}:{question_id}"


def question_prompt(step: Step, question: Question, current: Any = None) -> Prompt:
    """The prompt for one dialogue question; ``current`` is its stored answer, if any."""
    number = [q.id for q in step.questions].index(question.id) + 1
    return kind_of(question).prompt(
        question,
        input_id=question_input_id(step.key, question.id),
        progress=msg.progress(number, len(step.questions)),
        current=current,
    )
