"""Reactions (Verrijken): the participant reads anonymous contributions of others one at a time and
reacts **eens / oneens / pas**, optionally with a short addition, or reports one ("melden").

A repeating kind: the door offers the contributions (see :mod:`dialogen.conversation.repeating`),
this kind asks about each one and reads the answer. What is stored as the question's own answer is
the participant's progress (how many reactions, whether they stopped); each reaction is an
:class:`~dialogen.conversation.offers.ItemChange` whose value is a :class:`Reaction`'s dict.

Typed answers: ``eens``, ``oneens``, ``pas`` (and a few everyday forms: "mee eens", "niet eens",
"geen mening"), the number or letter of the button, ``melden``; an addition after a colon, comma
or dash: "oneens: omdat de raad buiten spel staat". ``klaar`` ends the reacting.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from pydantic import Field

from dialogen.conversation import messages as msg
from dialogen.conversation.kinds.base import (
    Kind,
    KindSettings,
    QuestionKind,
    Raw,
    Rejection,
    Summary,
    given,
    settings_of,
)
from dialogen.conversation.offers import Offer
from dialogen.conversation.replies import Choice, Prompt, PromptKind

if TYPE_CHECKING:
    from dialogen.dialogue.definition import Question

AGREE, DISAGREE, PASS = "eens", "oneens", "pas"
REPORT = "melden"
VOTES = (AGREE, DISAGREE, PASS)
_WORDS: dict[str, str] = {
    "eens": AGREE,
    "mee eens": AGREE,
    "ik ben het eens": AGREE,
    "helemaal eens": AGREE,
    "akkoord": AGREE,
    "oneens": DISAGREE,
    "niet eens": DISAGREE,
    "mee oneens": DISAGREE,
    "ik ben het oneens": DISAGREE,
    "ik ben het niet eens": DISAGREE,
    "helemaal oneens": DISAGREE,
    "pas": PASS,
    "geen mening": PASS,
    "weet niet": PASS,
    "weet ik niet": PASS,
    "neutraal": PASS,
    "1": AGREE,
    "2": DISAGREE,
    "3": PASS,
    "a": AGREE,
    "b": DISAGREE,
    "c": PASS,
    "melden": REPORT,
    "meld": REPORT,
    "rapporteren": REPORT,
}
STOP_WORDS = frozenset({"klaar", "stop met reageren", "stoppen met reageren", "genoeg", "ik stop"})


class ReactionSettings(KindSettings):
    target: int = Field(default=10, ge=1, le=200)  # reactions asked of each participant
    per_contribution: int = Field(default=10, ge=1, le=200)  # reactions each contribution gets
    batch: int = Field(default=5, ge=1, le=10)  # contributions listed in one mail
    note_max: int = Field(default=500, ge=20, le=1500)  # longest addition


@dataclass(frozen=True)
class Reaction:
    """One participant's answer about one contribution."""

    vote: str | None  # eens / oneens / pas; None for a report alone
    note: str | None = None  # an addition, which becomes a contribution of its own
    report: bool = False

    def as_value(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def of(cls, value: Any) -> Reaction:
        return cls(value.get("vote"), value.get("note"), bool(value.get("report")))


class ReactionsKind(Kind):
    name = QuestionKind.REACTIONS
    shape = PromptKind.REACTION
    settings_model = ReactionSettings
    repeats = True

    def hint(self, question: Question) -> str:
        return msg.REACTION_HINT

    def choices(self, question: Question) -> tuple[Choice, ...]:
        return (
            Choice(AGREE, msg.REACTION_AGREE),
            Choice(DISAGREE, msg.REACTION_DISAGREE),
            Choice(PASS, msg.REACTION_PASS),
        )

    def target(self, question: Question) -> int:
        return settings_of(question, ReactionSettings).target

    def item_prompt(
        self, question: Question, item: Offer, *, input_id: str, progress: str, given: int
    ) -> Prompt:
        return Prompt(
            input_id=input_id,
            kind=self.shape,
            text=question.text,
            choices=self.choices(question),
            hint=self.hint(question),
            progress=msg.reaction_progress(given, self.target(question)),
            quote=item.text,
            item=item.item_id,
            note=msg.REACTION_NOTE,
            actions=(Choice(REPORT, msg.REACTION_REPORT),),
        )

    def interpret(self, question: Question, raw: Raw) -> Any | Rejection:
        return self.interpret_item(question, raw)

    def interpret_item(self, question: Question, raw: Raw) -> Any | Rejection:
        text = (raw if isinstance(raw, str) else ", ".join(raw)).strip()
        vote, note = read_reaction(text)
        if vote is None:
            return Rejection(msg.REACTION_NOT_UNDERSTOOD)
        if vote == REPORT:
            return Reaction(None, report=True).as_value()
        if note is not None:
            if not _has_words(note):
                return Rejection(msg.REACTION_NOTE_EMPTY)
            limit = settings_of(question, ReactionSettings).note_max
            if len(note) > limit:
                return Rejection(msg.reaction_note_too_long(len(note), limit))
        return Reaction(vote, note).as_value()

    def counts(self, question: Question, value: Any) -> bool:
        return Reaction.of(value).vote is not None

    def stop_words(self, question: Question) -> frozenset[str]:
        return STOP_WORDS

    def progress_value(self, question: Question, given: int, *, stopped: bool) -> Any:
        return {"given": given, "stopped": stopped}

    def complete(self, question: Question, value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        return bool(value.get("stopped")) or int(value.get("given", 0)) >= self.target(question)

    def describe(self, question: Question, value: Any) -> str:
        count = int(value.get("given", 0)) if isinstance(value, dict) else 0
        return msg.reactions_given(count)

    def form_hint(self, question: Question) -> str:
        return msg.REACTION_MAIL_HOW

    def shown(self, question: Question, value: Any) -> str:
        if isinstance(value, dict) and "vote" in value:
            reaction = Reaction.of(value)
            if reaction.report:
                return msg.REACTION_SHOWN_REPORTED
            return f"{reaction.vote}: {reaction.note}" if reaction.note else str(reaction.vote)
        return self.describe(question, value)

    def summarise(self, question: Question, values: Sequence[Any]) -> Summary:
        counts = [int(v.get("given", 0)) for v in given(values) if isinstance(v, dict)]
        reached = sum(1 for c in counts if c >= self.target(question))
        return Summary(
            respondents=sum(1 for c in counts if c > 0),
            counts=(("doel gehaald", reached), ("minder dan het doel", len(counts) - reached)),
            mean=sum(counts) / len(counts) if counts else None,
        )


def read_reaction(text: str) -> tuple[str | None, str | None]:
    """The vote (or ``melden``) a text starts with, and what follows it as an addition:
    "oneens: omdat …" → ("oneens", "omdat …"); (None, None) when it starts with no vote."""
    stripped = text.strip()
    lowered = stripped.casefold()
    for phrase in _PHRASES:
        if lowered.startswith(phrase) and (
            len(lowered) == len(phrase) or not lowered[len(phrase)].isalnum()
        ):
            rest = stripped[len(phrase) :].lstrip(" :;,.!-–\t\n")
            return _WORDS[phrase], rest or None
    return None, None


_PHRASES = sorted(_WORDS, key=len, reverse=True)  # "niet eens" before "eens"


def _has_words(text: str) -> bool:
    """At least one letter or digit (emoji, dots and spaces alone are no addition)."""
    return any(unicodedata.category(c)[0] in ("L", "N") for c in text)


def parse_mail_line(line: str) -> tuple[int, str] | None:
    """``(number, the rest)`` of a batch line such as "2 oneens: omdat …", "2. pas", "2: eens"."""
    found = re.match(r"^\s*(\d{1,2})(?!\d)\s*[.):\-–]?\s*(.*?)\s*$", line)
    if found is None:
        return None
    return int(found.group(1)), found.group(2)
