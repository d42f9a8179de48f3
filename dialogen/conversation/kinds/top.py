"""Top: choose your top N of the options (``top: 3``), in no particular order.

The rule is *at most* ``top`` and at least ``at_least`` (default 1), not exactly N: a participant
who supports one option is not made to pad the choice with two they do not support, which would
inflate the approval counts of the middle of the list. ``at_least: 3`` with ``top: 3`` asks for
exactly three. Unlike ``multiple`` (a question's own list, ``max_picks``), the options can be the
dialogue's curated themes and the question reports approval counts for Voorkeuren.

Asked like multiple choice (a multi-select card, numbered in a chat, lettered in a mail). Stored
value: the chosen option values in the order of the options as asked. Summary: ``counts`` per
option how many chose it (approval counts); options no longer listed follow, labelled by value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import Field, model_validator

from dialogen.conversation import messages as msg
from dialogen.conversation.kinds.base import (
    QuestionKind,
    Raw,
    Rejection,
    Summary,
    given,
    settings_of,
)
from dialogen.conversation.kinds.priority import (
    PriorityKind,
    PrioritySettings,
    as_list,
    check_top,
    split_refs,
)
from dialogen.conversation.replies import PromptKind

if TYPE_CHECKING:
    from dialogen.dialogue.definition import Question


class TopSettings(PrioritySettings):
    top: int = Field(default=3, ge=1, le=20)
    at_least: int = Field(default=1, ge=1, le=20)

    @model_validator(mode="after")
    def _in_order(self) -> TopSettings:
        if self.at_least > self.top:
            raise ValueError("at_least: must not be more than top")
        return self


class TopKind(PriorityKind):
    name = QuestionKind.TOP
    shape = PromptKind.MULTIPLE
    settings_model = TopSettings

    def check_limits(self, question: Question, count: int) -> None:
        check_top(settings_of(question, TopSettings).top, count)

    def limits(self, question: Question) -> tuple[int, int]:
        """(most, least) to choose, capped by the options as asked."""
        settings = settings_of(question, TopSettings)
        most = min(settings.top, len(question.options))
        return most, min(settings.at_least, most)

    def picks(self, question: Question) -> int:
        return self.limits(question)[0]

    def hint(self, question: Question) -> str:
        if not self.ready(question):
            return msg.OPTIONS_NOT_READY
        most, need = self.limits(question)
        return msg.hint_top(most, need, len(question.options))

    def form_hint(self, question: Question) -> str:
        if not self.ready(question):
            return msg.OPTIONS_NOT_READY
        most, need = self.limits(question)
        return msg.hint_letter_top(most, need, len(question.options))

    # ------------------------------------------------------------ answers

    def interpret(self, question: Question, raw: Raw) -> list[str] | Rejection:
        if not self.ready(question):
            return Rejection(msg.OPTIONS_NOT_READY)
        if isinstance(raw, list):  # a card: the values ticked
            values = self.submitted(question, [str(v).strip() for v in raw if str(v).strip()])
        else:
            values = self.named(question, split_refs(raw, self.choices(question)))
        if isinstance(values, Rejection):
            return values
        chosen = set(values)  # naming one twice is no problem here: it is chosen
        most, need = self.limits(question)
        if not need <= len(chosen) <= most:
            return Rejection(msg.picked_count(len(chosen), most, need))
        return [o.value for o in question.options if o.value in chosen]

    def describe(self, question: Question, value: Any) -> str:
        return "; ".join(self.label(question, v) for v in as_list(value))

    def shown(self, question: Question, value: Any) -> str:
        return "; ".join(self.lettered(question, v) for v in as_list(value))

    # ------------------------------------------------------------ the report

    def summarise(self, question: Question, values: Sequence[Any]) -> Summary:
        answers = [set(as_list(v)) for v in given(values)]
        order = [o.value for o in question.options]
        order += sorted({v for a in answers for v in a if v not in order})
        return Summary(
            respondents=len(answers),
            counts=tuple(
                (self.label(question, value), sum(1 for a in answers if value in a))
                for value in order
            ),
        )
