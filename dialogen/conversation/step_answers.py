"""Answering a whole step at once: what a mail reply with several numbered answers does.

Pure: the engine hands in the step, what this participant answered and skipped before, and the
:class:`~dialogen.conversation.inputs.Answers`; this module applies the same rules as a chat answer
(:func:`dialogen.conversation.answering.interpret`) to every part and says what was recorded, what not and why.

Choices are shown with letters (A, B, C) where answers come in at once: the hints say so, and a
participant who copied "B. Sturing en zeggenschap" from the question list picked B.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dialogen.conversation import messages as msg
from dialogen.conversation.answering import Rejection, interpret, normalize
from dialogen.conversation.inputs import Answers
from dialogen.conversation.replies import Receipt
from dialogen.conversation.state import AnswerChange
from dialogen.dialogue.definition import Question, QuestionKind, Step

SKIP_WORDS = frozenset({"overslaan", "sla over", "skip", "geen antwoord", "n v t", "nvt", "-"})
_LETTER_WITH_LABEL = re.compile(r"^\s*\(?([A-Za-z])\s*[.)]\s+\S")
_PIECES = re.compile(r"\s*[\n;,]\s*")


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
        value = interpret(question, _picked_letters(question, raw))
        if isinstance(value, Rejection):
            problems.append((number, _hint(question, value)))
            continue
        answers[question.id] = value
        changes.append(AnswerChange(step.key, question.id, value))
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
    if question.kind is QuestionKind.SINGLE:
        hint = msg.hint_letter_single(len(question.options))
    elif question.kind is QuestionKind.MULTIPLE:
        hint = msg.hint_letter_multiple(len(question.options), question.picks)
    elif question.kind is QuestionKind.SCALE:
        hint = msg.hint_scale(
            question.scale_min, question.scale_max, question.min_label, question.max_label
        )
    else:
        hint = ""  # the question itself says what to write
    return hint if question.required else f"{hint} {msg.HINT_OPTIONAL_MAIL}".strip()


def shown_value(question: Question, value: Any) -> str:
    """A stored value as the participant reads it back, choices with their letter."""
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        values = value if isinstance(value, list) else [value]
        ids = [o.value for o in question.options]
        return "; ".join(
            f"{msg.LETTERS[ids.index(v)]}. {question.options[ids.index(v)].label}"
            for v in values
            if v in ids
        )
    if question.kind is QuestionKind.SCALE:
        return f"{value} (van {question.scale_min} tot en met {question.scale_max})"
    return str(value)


def _open(step: Step, answers: Mapping[str, Any], skipped: list[str]) -> list[int]:
    return [
        n
        for n, q in enumerate(step.questions, start=1)
        if q.id not in answers and f"{step.key}:{q.id}" not in skipped
    ]


def _picked_letters(question: Question, raw: str) -> str:
    """ "B. Sturing en zeggenschap" (copied from the list) means B; anything else stays as typed."""
    if question.kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return raw
    pieces = [p for p in _PIECES.split(raw.strip()) if p]
    letters = [_LETTER_WITH_LABEL.match(p) for p in pieces]
    if pieces and all(letters):
        return ", ".join(m.group(1) for m in letters if m)
    return raw


def _hint(question: Question, rejection: Rejection) -> str:
    if question.kind is QuestionKind.SINGLE:
        return msg.hint_letter_single(len(question.options))
    if question.kind is QuestionKind.MULTIPLE:
        if rejection.text == msg.too_many_picks(question.picks):
            return rejection.text
        return msg.hint_letter_multiple(len(question.options), question.picks)
    if question.kind is QuestionKind.SCALE:
        return msg.hint_scale(
            question.scale_min, question.scale_max, question.min_label, question.max_label
        )
    return rejection.text
