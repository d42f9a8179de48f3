"""What single and multiple choice share: options with a stored value and a shown label, numbered
in a chat and lettered in a mail ("B. Sturing en zeggenschap ..." copied from a mail means B)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dialogen.conversation import messages as msg
from dialogen.conversation.kinds.base import Kind, Rejection, Summary, given
from dialogen.conversation.replies import Choice

if TYPE_CHECKING:
    from dialogen.dialogue.definition import Question

_LETTER_WITH_LABEL = re.compile(r"^\s*\(?([A-Za-z])\s*[.)]\s+\S")
_PIECES = re.compile(r"\s*[\n;,]\s*")


class ChoiceKind(Kind):
    """The base of the choice kinds; a stored value is one option value or a list of them."""

    def check(self, question: Question) -> None:
        if len(question.options) < 2:
            raise ValueError("options: at least 2 needed")
        values = [o.value for o in question.options]
        if len(set(values)) != len(values):
            raise ValueError("options: values must be unique")

    def choices(self, question: Question) -> tuple[Choice, ...]:
        return tuple(Choice(o.value, o.label) for o in question.options)

    def interpret_mail(self, question: Question, text: str) -> Any | Rejection:
        return self.interpret(question, _picked_letters(text))

    def form_lines(self, question: Question) -> tuple[str, ...]:
        lines = msg.lettered([o.label for o in question.options])
        return tuple(
            msg.other_by_mail(line, line.split(".", 1)[0]) if option.other else line
            for line, option in zip(lines, question.options, strict=True)
        )

    def mail_problem(self, question: Question, rejection: Rejection) -> str:
        return self.form_hint(question)

    def describe(self, question: Question, value: Any) -> str:
        labels = [o.label if (o := question.option(v)) else str(v) for v in _picked(value)]
        return "; ".join(labels)

    def shown(self, question: Question, value: Any) -> str:
        ids = [o.value for o in question.options]
        lines = msg.lettered([o.label for o in question.options])
        return "; ".join(lines[ids.index(v)] for v in _picked(value) if v in ids)

    def summarise(self, question: Question, values: Sequence[Any]) -> Summary:
        answers = [set(_picked(v)) for v in given(values)]
        counts = tuple(
            (o.label, sum(1 for picked in answers if o.value in picked)) for o in question.options
        )
        return Summary(respondents=len(answers), counts=counts)


def _picked(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _picked_letters(raw: str) -> str:
    """ "B. Sturing en zeggenschap" (copied from the list) means B; anything else stays as typed."""
    pieces = [p for p in _PIECES.split(raw.strip()) if p]
    letters = [_LETTER_WITH_LABEL.match(p) for p in pieces]
    if pieces and all(letters):
        return ", ".join(m.group(1) for m in letters if m)
    return raw
