"""Answering a whole step at once: what a mail reply with several numbered answers does.

Pure: the engine hands in the step, what this participant answered and skipped before, and the
:class:`~dialogen.conversation.inputs.Answers`; this module applies the same rules as a chat answer
(the question's kind, :mod:`dialogen.conversation.kinds`) to every part and says what was
recorded, what not and why.

Choices are shown with letters (A, B, C) where answers come in at once: the hints say so, and a
participant who copied "B. Sturing en zeggenschap" from the question list picked B (the choice
kinds read mail answers so).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dialogen.conversation import messages as msg
from dialogen.conversation import other_option
from dialogen.conversation.inputs import Answers
from dialogen.conversation.kinds import Rejection, kind_of
from dialogen.conversation.matching import normalize
from dialogen.conversation.replies import Receipt
from dialogen.conversation.state import AnswerChange
from dialogen.dialogue.definition import Question, Step

SKIP_WORDS = frozenset({"overslaan", "sla over", "skip", "geen antwoord", "n v t", "nvt", "-"})


@dataclass(frozen=True)
class StepAnswers:
    """What applying :class:`Answers` to one step comes to."""

    changes: tuple[AnswerChange, ...]
    skipped: tuple[str, ...]  # the new ConversationState.skipped
    receipt: Receipt
    first_open: Question | None  # where a chat continues; None when the step is complete


def answer_step(
    step: Step,
    given: Mapping[str, Any],
    skipped: tuple[str, ...],
    message: Answers,
    *,
    closes: str,
    closed: bool,
) -> StepAnswers:
    """Apply ``message`` to ``step``; ``given`` are the stored answers (question id -> value)."""
    if closed:
        return StepAnswers((), skipped, Receipt(step.key, step.name, closes, closed=True), None)
    answers = dict(given)
    passed = [s for s in skipped]
    recorded: list[tuple[int, str, str]] = []
    problems: list[tuple[int, str]] = []
    changes: list[AnswerChange] = []
    parts = list(message.parts)
    unplaced = message.unplaced.strip()
    if unplaced and not parts:
        waiting = _open(step, answers, passed)
        if len(waiting) == 1:  # only one question left: plain text answers that one
            parts = [(waiting[0], unplaced)]
        else:
            problems.append((0, msg.ANSWERS_NOT_NUMBERED))
    for number, raw in parts:
        if not 1 <= number <= len(step.questions):
            continue  # the channel only numbers what exists
        question = step.questions[number - 1]
        key = f"{step.key}:{question.id}"
        if normalize(raw) in SKIP_WORDS:
            if question.required:
                problems.append((number, msg.SKIP_REQUIRED_MAIL))
            elif question.id not in answers:
                passed = passed if key in passed else passed + [key]
                recorded.append((number, question.text, msg.SKIPPED_VALUE))
            continue
        kind = kind_of(question)
        other = other_option.split_mail(question, raw) if question.options else None
        value = kind.interpret_mail(question, other[0] if other else raw)
        if isinstance(value, Rejection):
            problems.append((number, kind.mail_problem(question, value)))
            continue
        answers[question.id] = value
        changes.append(AnswerChange(step.key, question.id, value))
        if other is not None:  # "Iets anders" with what is meant
            changes.append(AnswerChange(step.key, other_option.answer_id(question.id), other[1]))
        passed = [s for s in passed if s != key]
        recorded.append((number, question.text, shown_value(question, value)))
    passed_over: list[int] = []
    if all(q.id in answers for q in step.questions if q.required):
        for number in _open(step, answers, passed):  # blank optional questions count as skipped
            passed.append(f"{step.key}:{step.questions[number - 1].id}")
            passed_over.append(number)
    waiting = _open(step, answers, passed)
    receipt = Receipt(
        step.key,
        step.name,
        closes,
        recorded=tuple(recorded),
        problems=tuple(problems),
        open_numbers=tuple(waiting),
        passed_over=tuple(passed_over),
        unplaced_ignored=bool(unplaced) and bool(message.parts),
    )
    first_open = step.questions[waiting[0] - 1] if waiting else None
    return StepAnswers(tuple(changes), tuple(passed), receipt, first_open)


def form_hint(question: Question) -> str:
    """How to answer ``question`` when all questions are listed at once (choices lettered)."""
    hint = kind_of(question).form_hint(question)
    return hint if question.required else f"{hint} {msg.HINT_OPTIONAL_MAIL}".strip()


def form_lines(question: Question) -> tuple[str, ...]:
    """The lines listed under ``question`` when all questions are listed at once."""
    return kind_of(question).form_lines(question)


def shown_value(question: Question, value: Any) -> str:
    """A stored value as the participant reads it back, choices with their letter."""
    return kind_of(question).shown(question, value)


def _open(step: Step, answers: Mapping[str, Any], skipped: list[str]) -> list[int]:
    return [
        n
        for n, q in enumerate(step.questions, start=1)
        if q.id not in answers and f"{step.key}:{q.id}" not in skipped
    ]
