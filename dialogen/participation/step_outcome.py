"""What an earlier step produced, in a few sentences, for the opening of a later step: Verrijken
opens with what Verkennen really produced — the options chosen most, with percentages — instead of
a result written into the dialogue file beforehand.

Only figures about at least k people are shown: a step with fewer respondents says nothing, and an
option chosen by fewer than k is left out. Computed from the anonymous answers; cached for a while
per process (the figures move slowly, and every turn of the step would ask for them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from dialogen.conversation import messages as msg
from dialogen.conversation.kinds import QuestionKind
from dialogen.dialogue.definition import Dialogue, Question, Step
from dialogen.privacy.anonymity import K_ANONYMITY
from dialogen.store import answers as answer_store

Session = Any
MAX_AGE = timedelta(minutes=10)
TOP = 3


def outcome_text(
    step: Step, answers: Iterable[tuple[str, Any]], *, k: int = K_ANONYMITY
) -> str | None:
    """Dutch sentences about the choice questions of ``step``; None when too few answered."""
    by_question: dict[str, list[Any]] = {}
    for question_id, value in answers:
        by_question.setdefault(question_id, []).append(value)
    lines: list[str] = []
    for question in step.questions:
        if question.kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            continue
        values = by_question.get(question.id, [])
        if len(values) < k:
            continue
        top = _top(question, values, k)
        if top:
            lines.append(msg.outcome_line(_topic(question), top, len(values)))
    return msg.outcome_intro(step.name) + "\n\n" + "\n".join(lines) if lines else None


def _top(question: Question, values: list[Any], k: int) -> list[tuple[str, int]]:
    """The most chosen options (label, percentage of respondents), each chosen by at least k."""
    counts: Counter[str] = Counter()
    for value in values:
        counts.update(value if isinstance(value, list) else [value])
    labels = {o.value: o.label for o in question.options}
    return [
        (labels[option], round(100 * n / len(values)))
        for option, n in counts.most_common()
        if option in labels and n >= k
    ][:TOP]


def _topic(question: Question) -> str:
    """The question's first sentence, as a short heading."""
    text = question.text.split("?")[0].strip()
    return text + "?" if "?" in question.text else text


class StepOutcomes:
    """The outcome texts of the steps a step opens with (``summary_of``), cached per process."""

    def __init__(self, *, dialogue: Dialogue, max_age: timedelta = MAX_AGE) -> None:
        self.dialogue = dialogue
        self.max_age = max_age
        self._cache: dict[str, tuple[datetime, str | None]] = {}

    def for_open_step(self, session: Session, now: datetime) -> Mapping[str, str]:
        step = self.dialogue.open_step(now)
        if step is None or step.summary_of is None:
            return {}
        text = self._text(session, step.summary_of, now)
        return {step.key: text} if text else {}

    def _text(self, session: Session, step_key: str, now: datetime) -> str | None:
        cached = self._cache.get(step_key)
        if cached is not None and now - cached[0] < self.max_age:
            return cached[1]
        step = self.dialogue.step(step_key)
        text = None
        if step is not None:
            values = answer_store.values_of_step(
                session, dialogue_key=self.dialogue.key, step_key=step_key
            )
            text = outcome_text(step, values)
        self._cache[step_key] = (now, text)
        return text
