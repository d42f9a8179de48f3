"""Points: divide P points over the options (``points: 10``), more for what matters more.

Stored value: every option shown with its points, zeros included, together exactly P:
``{"raad-aan-zet": 5, "heldere-rollen": 3, "kennis-delen": 2, "minder-verbanden": 0, …}``. A zero
says the participant was shown the option; an option added later (or missing from the card they
sent) is absent, not 0.

Typed answers: "A 5, C 3, F 2", "A=5 C=3 F=2", "A: 5; C: 3", "5 A", "5 punten voor A", a label
and a number ("Heldere rollen 5"); options not named get 0. A card sends ``value=n`` per option
(its ``punten:<value>`` fields), an empty field as 0. A total other than P is refused with the
total and what it should be — a card cannot add up in Adaptive Cards 1.5, so this is where a wrong
total is caught.

Summary: ``counts`` per option how many gave it any points; ``distribution`` per option how many
gave it 0, 1, …, P points (a row adds up to the participants who were shown that option) — what a
mean with a bootstrap interval over participants needs. Options no longer listed follow, labelled
by their value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from pydantic import Field

from dialogen.conversation import messages as msg
from dialogen.conversation.kinds.base import (
    QuestionKind,
    Raw,
    Rejection,
    Summary,
    given,
    settings_of,
)
from dialogen.conversation.kinds.priority import PriorityKind, PrioritySettings
from dialogen.conversation.replies import Prompt, PromptKind

if TYPE_CHECKING:
    from dialogen.dialogue.definition import Question

_PIECES = re.compile(r"\s*[,;\n]+\s*")
_LETTER_PAIRS = re.compile(r"(?:\s*[A-Za-z]\s*[=:]?\s*-?\d+\s*)+")
_LETTER_PAIR = re.compile(r"([A-Za-z])\s*[=:]?\s*(-?\d+)")
_UNIT = r"(?:punten|punt|pt|p)?"
_REF_FIRST = re.compile(rf"^(?P<ref>.*?\D)\s*[=:]?\s*(?P<n>-?\d+(?:\.\d+)?)\s*{_UNIT}\.?$", re.I)
_NUMBER_FIRST = re.compile(
    rf"^(?P<n>-?\d+(?:\.\d+)?)\s*{_UNIT}\s*(?:voor|aan|op|naar|[=:x])?\s*(?P<ref>\D.*)$", re.I
)
_WHOLE = re.compile(r"\d{1,6}")


class PointsSettings(PrioritySettings):
    points: int = Field(default=10, ge=1, le=1000)


class PointsKind(PriorityKind):
    name = QuestionKind.POINTS
    shape = PromptKind.POINTS
    settings_model = PointsSettings

    def total(self, question: Question) -> int:
        return settings_of(question, PointsSettings).points

    def picks(self, question: Question) -> int:
        return len(question.options)

    def prompt(
        self, question: Question, *, input_id: str, progress: str, current: Any = None
    ) -> Prompt:
        asked = super().prompt(question, input_id=input_id, progress=progress, current=current)
        return replace(asked, total=self.total(question))

    def example(self, question: Question) -> str:
        letters = sorted(self.example_letters(question, min(3, self.total(question))))
        amounts = _split(self.total(question), len(letters))
        return ", ".join(f"{letter} {n}" for letter, n in zip(letters, amounts, strict=True) if n)

    def hint(self, question: Question) -> str:
        if not self.ready(question):
            return msg.OPTIONS_NOT_READY
        return msg.hint_points(self.total(question), self.example(question))

    def form_hint(self, question: Question) -> str:
        if not self.ready(question):
            return msg.OPTIONS_NOT_READY
        return msg.hint_letter_points(self.total(question), self.example(question))

    def not_understood(self, question: Question) -> Rejection:
        return Rejection(msg.points_not_understood(self.example(question)))

    # ------------------------------------------------------------ answers

    def interpret_mail(self, question: Question, text: str) -> dict[str, int] | Rejection:
        return self.interpret(question, text)  # "A. label 5" keeps its number

    def interpret(self, question: Question, raw: Raw) -> dict[str, int] | Rejection:
        if not self.ready(question):
            return Rejection(msg.OPTIONS_NOT_READY)
        pairs = self.from_card(question, raw) if isinstance(raw, list) else self.read(question, raw)
        if isinstance(pairs, Rejection):
            return pairs
        twice = _twice(pairs)
        if twice is not None:
            return Rejection(msg.points_twice(self.label(question, twice)))
        total = sum(n for _, n in pairs)
        if total != self.total(question):
            return Rejection(msg.points_total_wrong(total, self.total(question)))
        given_points = dict(pairs)
        shown = [o.value for o in question.options]
        if isinstance(raw, list):  # a card made before an option was added did not show it
            shown = [v for v in shown if v in given_points]
        return {value: given_points.get(value, 0) for value in shown}

    def from_card(self, question: Question, raw: list[str]) -> list[tuple[str, int]] | Rejection:
        """``value=n`` per field of a card; an empty field is 0."""
        values: list[str] = []
        amounts: list[int] = []
        for item in raw:
            value, _, amount = str(item).partition("=")
            number = _whole(amount.strip() or "0")
            if number is None:
                return Rejection(msg.POINTS_NOT_WHOLE)
            values.append(value.strip())
            amounts.append(number)
        known = self.submitted(question, values)
        if isinstance(known, Rejection):
            return known
        return list(zip(known, amounts, strict=True))

    def read(self, question: Question, text: str) -> list[tuple[str, int]] | Rejection:
        """(option value, points) for every option typed text names."""
        pairs: list[tuple[str, str]] = []
        for piece in _PIECES.split(text.strip()):
            if not piece:
                continue
            if _LETTER_PAIRS.fullmatch(piece):
                pairs += [(ref, n) for ref, n in _LETTER_PAIR.findall(piece)]
                continue
            found = _REF_FIRST.match(piece) or _NUMBER_FIRST.match(piece)
            if found is None:
                return self.not_understood(question)
            pairs.append((found["ref"], found["n"]))
        if not pairs:
            return self.not_understood(question)
        values = self.named(question, [ref for ref, _ in pairs])
        if isinstance(values, Rejection):
            return values
        amounts = [_whole(n) for _, n in pairs]
        if any(n is None for n in amounts):
            return Rejection(msg.POINTS_NOT_WHOLE)
        return [(value, n) for value, n in zip(values, amounts, strict=True) if n is not None]

    def describe(self, question: Question, value: Any) -> str:
        ordered = sorted(_given(question, value), key=lambda pair: -pair[1])
        return "; ".join(
            f"{self.label(question, v)}: {msg.points_given(n)}" for v, n in ordered if n
        )

    def shown(self, question: Question, value: Any) -> str:
        return "; ".join(
            f"{self.lettered(question, v)}: {msg.points_given(n)}"
            for v, n in _given(question, value)
            if n
        )

    # ------------------------------------------------------------ the report

    def summarise(self, question: Question, values: Sequence[Any]) -> Summary:
        answers = [
            {str(k): int(n) for k, n in v.items()} for v in given(values) if isinstance(v, dict)
        ]
        order = [o.value for o in question.options]
        order += list(dict.fromkeys(k for a in answers for k in a if k not in order))
        size = max([self.total(question)] + [n for a in answers for n in a.values()]) + 1
        distribution = tuple(
            (
                self.label(question, value),
                tuple(sum(1 for a in answers if a.get(value, -1) == n) for n in range(size)),
            )
            for value in order
        )
        counts = tuple(
            (self.label(question, value), sum(1 for a in answers if a.get(value, 0) > 0))
            for value in order
        )
        return Summary(respondents=len(answers), counts=counts, distribution=distribution)


def _given(question: Question, value: Any) -> list[tuple[str, int]]:
    """A stored points answer as (option value, points) in the order of the options as asked,
    then any options no longer listed."""
    stored = {str(k): int(n) for k, n in value.items()} if isinstance(value, dict) else {}
    order = [o.value for o in question.options if o.value in stored]
    order += [k for k in stored if k not in order]
    return [(k, stored[k]) for k in order]


def _twice(pairs: Sequence[tuple[str, int]]) -> str | None:
    """The first option given points twice, if any."""
    seen: set[str] = set()
    for value, _ in pairs:
        if value in seen:
            return value
        seen.add(value)
    return None


def _whole(text: str) -> int | None:
    """A whole number of points, 0 or more; None for anything else ("-2", "2.5", "veel")."""
    text = text.strip()
    if _WHOLE.fullmatch(text):
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() and 0 <= number <= 10**6 else None


def _split(total: int, parts: int) -> list[int]:
    """An example division of ``total`` over ``parts`` (10 over 3: 5, 3, 2)."""
    amounts: list[int] = []
    rest = total
    for left in range(parts, 0, -1):
        share = rest if left == 1 else -(-rest // 2)
        amounts.append(share)
        rest -= share
    return amounts
