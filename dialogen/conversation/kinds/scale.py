"""Scale questions: a whole number from ``scale_min`` to ``scale_max``, the ends maybe named."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dialogen.conversation import messages as msg
from dialogen.conversation.kinds.base import Kind, QuestionKind, Raw, Rejection, Summary, given
from dialogen.conversation.matching import normalize, number_word
from dialogen.conversation.replies import Choice, PromptKind

if TYPE_CHECKING:
    from dialogen.dialogue.definition import Question

_NUMBER = re.compile(r"[+-]?\d+")


class ScaleKind(Kind):
    name = QuestionKind.SCALE
    shape = PromptKind.SCALE

    def check(self, question: Question) -> None:
        if question.options:
            raise ValueError("options: a scale has no options, use scale_min/scale_max")
        if not 0 <= question.scale_min < question.scale_max <= 10:
            raise ValueError("scale_min/scale_max: need 0 <= scale_min < scale_max <= 10")

    def choices(self, question: Question) -> tuple[Choice, ...]:
        return tuple(Choice(str(n), _label(question, n)) for n in _points(question))

    def hint(self, question: Question) -> str:
        return msg.hint_scale(
            question.scale_min, question.scale_max, question.min_label, question.max_label
        )

    def interpret(self, question: Question, raw: Raw) -> int | Rejection:
        text = raw if isinstance(raw, str) else ",".join(raw)
        number = text.strip().rstrip(".")  # checked before normalize(), which would drop a minus
        if _NUMBER.fullmatch(number):
            if question.scale_min <= int(number) <= question.scale_max:
                return int(number)
            return Rejection(msg.scale_not_understood(question.scale_min, question.scale_max))
        word = normalize(text)
        spelled = number_word(word)
        if spelled is not None and question.scale_min <= spelled <= question.scale_max:
            return spelled
        if question.min_label and word == normalize(question.min_label):
            return question.scale_min
        if question.max_label and word == normalize(question.max_label):
            return question.scale_max
        return Rejection(msg.scale_not_understood(question.scale_min, question.scale_max))

    def describe(self, question: Question, value: Any) -> str:
        return msg.scale_value(value, question.scale_min, question.scale_max)

    def form_hint(self, question: Question) -> str:
        return self.hint(question)

    def mail_problem(self, question: Question, rejection: Rejection) -> str:
        return self.hint(question)

    def shown(self, question: Question, value: Any) -> str:
        return msg.scale_value_in_full(value, question.scale_min, question.scale_max)

    def summarise(self, question: Question, values: Sequence[Any]) -> Summary:
        numbers = [int(v) for v in given(values)]
        counts = tuple((_label(question, n), numbers.count(n)) for n in _points(question))
        mean = sum(numbers) / len(numbers) if numbers else None
        return Summary(respondents=len(numbers), counts=counts, mean=mean)


def _points(question: Question) -> range:
    return range(question.scale_min, question.scale_max + 1)


def _label(question: Question, n: int) -> str:
    if n == question.scale_min and question.min_label:
        return f"{n} – {question.min_label}"
    if n == question.scale_max and question.max_label:
        return f"{n} – {question.max_label}"
    return str(n)
