"""The prompt for one dialogue question, shared by the chat engine and mail rendering."""

from __future__ import annotations

from typing import Any

from dialogen.conversation import messages as msg
from dialogen.conversation.answering import describe_value
from dialogen.conversation.replies import Choice, Prompt, PromptKind
from dialogen.dialogue.definition import Question, QuestionKind, Step


def question_prompt(step: Step, question: Question, current: Any = None) -> Prompt:
    """The prompt for one dialogue question (shared by chat and mail rendering)."""
    number = [q.id for q in step.questions].index(question.id) + 1
    choices: tuple[Choice, ...] = ()
    kind = PromptKind(question.kind.value)
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        choices = tuple(Choice(o.value, o.label) for o in question.options)
        hint = (
            msg.hint_single(len(choices))
            if question.kind is QuestionKind.SINGLE
            else msg.hint_multiple(len(choices), question.picks)
        )
    elif question.kind is QuestionKind.SCALE:
        choices = tuple(
            Choice(str(n), _scale_label(question, n))
            for n in range(question.scale_min, question.scale_max + 1)
        )
        hint = msg.hint_scale(
            question.scale_min, question.scale_max, question.min_label, question.max_label
        )
    else:
        hint = msg.HINT_OPEN
    if not question.required:
        hint = f"{hint} {msg.HINT_OPTIONAL}"
    return Prompt(
        input_id=f"q:{step.key}:{question.id}",
        kind=kind,
        text=question.text,
        choices=choices,
        max_picks=question.picks,
        hint=hint,
        progress=msg.progress(number, len(step.questions)),
        optional=not question.required,
        current=describe_value(question, current) if current is not None else None,
    )


def _scale_label(question: Question, n: int) -> str:
    if n == question.scale_min and question.min_label:
        return f"{n} – {question.min_label}"
    if n == question.scale_max and question.max_label:
        return f"{n} – {question.max_label}"
    return str(n)
