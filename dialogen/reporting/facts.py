"""What a report is computed from: anonymous rows only. No participant id, name, address or Teams
id — a pseudonym (an opaque key, never shown) and the k-safe released segment each row carries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dialogen.participation.figures import PersonRecord, StartRecord
from dialogen.stakeholders.segments import Segment


@dataclass(frozen=True)
class AnswerFact:
    pseudonym: str
    step_key: str
    question_id: str
    value: Any
    segment: Segment
    day: date


@dataclass(frozen=True)
class ContributionFact:
    """A visible (or hidden) contribution: its masked text — what participants read — never the
    original, and the counts of reactions to it."""

    id: str
    pseudonym: str
    step_key: str
    question_id: str
    text: str
    visible: bool
    agree: int
    disagree: int
    passes: int
    segment: Segment


@dataclass(frozen=True)
class ReactionFact:
    pseudonym: str
    contribution_id: str
    vote: str  # eens / oneens / pas
    segment: Segment


@dataclass(frozen=True)
class ThemeFact:
    """A published (curated) theme: its label as participants read it in Voorkeuren, its option
    value, and the contribution ids it holds after the facilitators' decisions."""

    value: str
    label: str
    members: tuple[str, ...]
    representative: tuple[str, ...]


@dataclass(frozen=True)
class FollowUpFact:
    """A confirmed Verdiepen follow-up question and the top theme it asks about ("" unknown)."""

    step_key: str
    question_id: str
    text: str
    theme: str


@dataclass(frozen=True)
class ReportFacts:
    people: tuple[PersonRecord, ...] = ()
    starts: tuple[StartRecord, ...] = ()
    answers: tuple[AnswerFact, ...] = ()
    contributions: tuple[ContributionFact, ...] = ()
    reactions: tuple[ReactionFact, ...] = ()
    themes: tuple[ThemeFact, ...] = ()  # published curated themes; empty: computed on the fly
    follow_ups: tuple[FollowUpFact, ...] = ()  # confirmed follow-up questions, in order
