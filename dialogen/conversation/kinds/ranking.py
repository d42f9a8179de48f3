"""Ranking: put your top N of the options in order (``top: 3``), the most important first.

``at_least`` (default: ``top``) allows a shorter ranking; with the default a participant ranks
exactly ``top`` options (fewer when the list as asked is shorter).

Stored value: the option values in order, ``["kennis-delen", "raad-aan-zet", "heldere-rollen"]``
(a JSON list keeps its order).

Typed answers: "C, A, F", "C A F", "1. C 2. A 3. F", "1e C, 2e A", labels or the start of a
label; numbers name options where they are not places ("3, 1, 6"). A mail answer to question 1
written "1. C 2. A 3. F" arrives as "C 2. A 3. F" (the first number was the question's), which
reads the same. A card sends one option value per place (``rang1``, ``rang2``, …), an empty place
kept as "" so a skipped place is refused rather than closed up.

Summary: ``counts`` per option how many placed it at all (what an approval count needs);
``distribution`` per option how many placed it 1st, 2nd, … ``top``th (what truncated Borda needs).
Options a stored ranking names that the question no longer lists (a theme merged away) follow the
listed ones, labelled by their value: nothing a participant gave is dropped from the counts.
"""

from __future__ import annotations

import re
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
from dialogen.conversation.matching import normalize, pick_one
from dialogen.conversation.replies import Choice, PromptKind

if TYPE_CHECKING:
    from dialogen.dialogue.definition import Question

_PLACE = re.compile(r"(?<!\w)(\d{1,2})(?:(?:ste|de|e)?\s*[.):]|(?:ste|de|e)(?=\s))\s*", re.I)
"""A place written before an option: "1.", "2)", "3:", "1e", "2de", "1ste:"."""
UNCLEAR = Rejection("")
"""What :func:`read_places` gives for text whose order cannot be told; the kind explains."""


class RankingSettings(PrioritySettings):
    top: int = Field(default=3, ge=1, le=20)
    at_least: int | None = Field(default=None, ge=1, le=20)

    @model_validator(mode="after")
    def _in_order(self) -> RankingSettings:
        if self.at_least is not None and self.at_least > self.top:
            raise ValueError("at_least: must not be more than top")
        return self


class RankingKind(PriorityKind):
    name = QuestionKind.RANKING
    shape = PromptKind.RANKING
    settings_model = RankingSettings

    def check_limits(self, question: Question, count: int) -> None:
        check_top(settings_of(question, RankingSettings).top, count)

    def places(self, question: Question) -> tuple[int, int]:
        """(places to fill at most, places to fill at least), capped by the options as asked."""
        settings = settings_of(question, RankingSettings)
        ranks = min(settings.top, len(question.options))
        return ranks, min(settings.at_least or settings.top, ranks)

    def picks(self, question: Question) -> int:
        return self.places(question)[0]

    def example(self, question: Question) -> str:
        return ", ".join(self.example_letters(question, self.places(question)[0]))

    def hint(self, question: Question) -> str:
        if not self.ready(question):
            return msg.OPTIONS_NOT_READY
        ranks, need = self.places(question)
        return msg.hint_ranking(ranks, need, self.example(question))

    def form_hint(self, question: Question) -> str:
        if not self.ready(question):
            return msg.OPTIONS_NOT_READY
        ranks, need = self.places(question)
        return msg.hint_letter_ranking(ranks, need, self.example(question))

    def not_understood(self, question: Question) -> Rejection:
        return Rejection(msg.ranking_not_understood(self.example(question)))

    # ------------------------------------------------------------ answers

    def interpret(self, question: Question, raw: Raw) -> list[str] | Rejection:
        if not self.ready(question):
            return Rejection(msg.OPTIONS_NOT_READY)
        if isinstance(raw, list):  # a card: one value per place
            places = [str(v).strip() for v in raw]
            while places and not places[-1]:
                places.pop()
            if "" in places:
                return Rejection(msg.place_empty(places.index("") + 1))
            values = self.submitted(question, places)
        else:
            values = self.read(question, raw)
        if isinstance(values, Rejection):
            return values
        twice = self.twice(question, values)
        if twice is not None:
            return twice
        ranks, need = self.places(question)
        if not need <= len(values) <= ranks:
            return Rejection(msg.picked_count(len(values), ranks, need))
        return values

    def read(self, question: Question, text: str) -> list[str] | Rejection:
        """The options typed text names, in the order of their places."""
        choices = self.choices(question)
        placed = read_places(text, choices)
        if placed is None:
            return self.named(question, split_refs(text, choices))
        if isinstance(placed, Rejection):
            return self.not_understood(question)
        places = [place for place, _ in placed]
        for place in places:
            if places.count(place) > 1:
                return Rejection(msg.place_twice(place))
        ordered = sorted(placed)
        for expected, (place, ref) in enumerate(ordered, start=1):
            if place != expected or not normalize(ref):
                return Rejection(msg.place_empty(expected))
        return self.named(question, [ref for _, ref in ordered])

    def describe(self, question: Question, value: Any) -> str:
        return msg.ranked([self.label(question, v) for v in as_list(value)])

    def shown(self, question: Question, value: Any) -> str:
        return msg.ranked_in_full([self.lettered(question, v) for v in as_list(value)])

    # ------------------------------------------------------------ the report

    def summarise(self, question: Question, values: Sequence[Any]) -> Summary:
        rankings = [as_list(v) for v in given(values)]
        size = max([settings_of(question, RankingSettings).top] + [len(r) for r in rankings])
        order = [o.value for o in question.options]
        order += list(dict.fromkeys(v for r in rankings for v in r if v not in order))
        distribution = tuple(
            (
                self.label(question, value),
                tuple(
                    sum(1 for r in rankings if len(r) > p and r[p] == value) for p in range(size)
                ),
            )
            for value in order
        )
        return Summary(
            respondents=len(rankings),
            counts=tuple((label, sum(row)) for label, row in distribution),
            distribution=distribution,
        )


def read_places(text: str, choices: tuple[Choice, ...]) -> list[tuple[int, str]] | Rejection | None:
    """(place, reference) pairs when the text numbers its places ("1. C 2. A"); None when it does
    not; :data:`UNCLEAR` when an option stands before the first number as well as a place 1."""
    parts = _PLACE.split(text.strip())
    if len(parts) < 3:
        return _alternating(text)
    placed = [(int(parts[i]), parts[i + 1].strip(" ,;\n")) for i in range(1, len(parts), 2)]
    head = parts[0].strip(" ,;:\n")
    if head and placed[0][0] == 2:  # "C 2. A 3. F": a mail's "1." was taken as the question's
        return [(1, head)] + placed
    if head and any(pick_one(ref, choices) is not None for ref in split_refs(head, choices)):
        return UNCLEAR  # an option and a 1st place: which comes first is unclear
    return placed  # words that name no option before "1." are a preface ("Mijn volgorde:")


def _alternating(text: str) -> list[tuple[int, str]] | None:
    """ "1 C 2 A 3 F": places and references taking turns, without dots."""
    tokens = [t.strip(",;") for t in text.split()]
    tokens = [t for t in tokens if t]
    if len(tokens) < 4 or len(tokens) % 2:
        return None
    places, refs = tokens[0::2], tokens[1::2]
    if places != [str(n) for n in range(1, len(places) + 1)] or any(r.isdigit() for r in refs):
        return None
    return [(n, ref) for n, ref in enumerate(refs, start=1)]
