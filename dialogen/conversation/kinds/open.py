"""Open questions: the participant writes their own answer, within a minimum and maximum length."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dialogen.conversation import messages as msg
from dialogen.conversation.kinds.base import (
    Kind,
    KindSettings,
    QuestionKind,
    Raw,
    Rejection,
    Summary,
    given,
)
from dialogen.conversation.replies import PromptKind

if TYPE_CHECKING:
    from dialogen.dialogue.definition import Question

MAX_OPEN_LENGTH = 4000


class OpenSettings(KindSettings):
    share: bool = False
    """The answer becomes an anonymous contribution that other participants read (masked, and
    moderated as the dialogue's ``contributions`` say); the question text should say so."""


def shared(question: Question) -> bool:
    """Whether the answers to ``question`` are shared with other participants as contributions."""
    settings = question.settings
    return isinstance(settings, OpenSettings) and settings.share


class OpenKind(Kind):
    name = QuestionKind.OPEN
    shape = PromptKind.OPEN
    settings_model = OpenSettings
    reasks_after_rejection = False  # the participant still sees their text and the question

    def check(self, question: Question) -> None:
        if question.options:
            raise ValueError("options: only choice questions have options")
        if not 0 <= question.min_length <= question.max_length <= MAX_OPEN_LENGTH:
            raise ValueError(
                f"min_length/max_length: need 0 <= min_length <= max_length <= {MAX_OPEN_LENGTH}"
            )

    def hint(self, question: Question) -> str:
        return msg.HINT_OPEN

    def interpret(self, question: Question, raw: Raw) -> str | Rejection:
        text = (raw if isinstance(raw, str) else " ".join(raw)).strip()
        if len(text) < question.min_length:
            return Rejection(msg.answer_too_short(question.min_length))
        if len(text) > question.max_length:
            return Rejection(msg.answer_too_long(len(text), question.max_length))
        return text

    def describe(self, question: Question, value: Any) -> str:
        return str(value)

    def longest(self, question: Question) -> int | None:
        return question.max_length

    def summarise(self, question: Question, values: Sequence[Any]) -> Summary:
        texts = tuple(str(v) for v in given(values))
        return Summary(respondents=len(texts), texts=texts)
