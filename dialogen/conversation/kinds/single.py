"""Single choice: exactly one of the options."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dialogen.conversation import messages as msg
from dialogen.conversation.kinds.base import QuestionKind, Raw, Rejection
from dialogen.conversation.kinds.choice import ChoiceKind
from dialogen.conversation.matching import pick_one
from dialogen.conversation.replies import PromptKind

if TYPE_CHECKING:
    from dialogen.dialogue.definition import Question


class SingleKind(ChoiceKind):
    name = QuestionKind.SINGLE
    shape = PromptKind.SINGLE

    def check(self, question: Question) -> None:
        super().check(question)
        if question.max_picks is not None:
            raise ValueError("max_picks: only for multiple choice questions")

    def hint(self, question: Question) -> str:
        return msg.hint_single(len(question.options))

    def form_hint(self, question: Question) -> str:
        return msg.hint_letter_single(len(question.options))

    def interpret(self, question: Question, raw: Raw) -> str | Rejection:
        choices = self.choices(question)
        value = pick_one(raw if isinstance(raw, str) else ",".join(raw), choices)
        return value if value is not None else Rejection(msg.choice_not_understood(len(choices)))
