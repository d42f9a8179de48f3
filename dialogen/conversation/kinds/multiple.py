"""Multiple choice: one or more of the options, at most ``max_picks`` (all options by default)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from dialogen.conversation import messages as msg
from dialogen.conversation.kinds.base import QuestionKind, Raw, Rejection
from dialogen.conversation.kinds.choice import ChoiceKind
from dialogen.conversation.matching import pick_one
from dialogen.conversation.replies import Choice, PromptKind

if TYPE_CHECKING:
    from dialogen.dialogue.definition import Question

_STRONG_SEPARATORS = re.compile(r"\s*[,;/&+\n]\s*")
_SEPARATORS = re.compile(r"\s*(?:,|;|/|&|\+|\ben\b|\band\b)\s*|\s+")


class MultipleKind(ChoiceKind):
    name = QuestionKind.MULTIPLE
    shape = PromptKind.MULTIPLE

    def check(self, question: Question) -> None:
        super().check(question)
        if not 1 <= self.picks(question) <= len(question.options):
            raise ValueError("max_picks: must be between 1 and the number of options")

    def picks(self, question: Question) -> int:
        return question.max_picks if question.max_picks is not None else len(question.options)

    def hint(self, question: Question) -> str:
        return msg.hint_multiple(len(question.options), self.picks(question))

    def form_hint(self, question: Question) -> str:
        return msg.hint_letter_multiple(len(question.options), self.picks(question))

    def mail_problem(self, question: Question, rejection: Rejection) -> str:
        if rejection.text == msg.too_many_picks(self.picks(question)):
            return rejection.text
        return self.form_hint(question)

    def interpret(self, question: Question, raw: Raw) -> list[str] | Rejection:
        choices = self.choices(question)
        parts = [p for p in raw if p] if isinstance(raw, list) else _split_picks(raw, choices)
        values: list[str] = []
        for part in parts:
            value = pick_one(part, choices)
            if value is None:
                return Rejection(msg.choice_not_understood(len(choices), multiple=True))
            if value not in values:
                values.append(value)
        if not values:
            return Rejection(msg.choice_not_understood(len(choices), multiple=True))
        if len(values) > self.picks(question):
            return Rejection(msg.too_many_picks(self.picks(question)))
        return values


def _split_picks(text: str, choices: tuple[Choice, ...]) -> list[str]:
    """The picks in typed text: commas and the like separate whole labels ("Sturing en
    zeggenschap ..., Afstand tot de inwoner"); only a piece that is no label is split further
    ("3 en 5", "A C")."""
    if pick_one(text, choices) is not None:
        return [text]
    parts: list[str] = []
    for piece in _STRONG_SEPARATORS.split(text):
        if pick_one(piece, choices) is not None:
            parts.append(piece)
        else:
            parts += [p for p in _SEPARATORS.split(piece) if p]
    return [p for p in parts if p.strip()]
