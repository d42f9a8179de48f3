"""The Voorkeuren results a facilitator or report shows: per priority question, the aggregate
its kind asks for, overall and per group, k-suppressed, with "breed gedragen" / "verdeeld".

For the report: :func:`priority_results` (in an open unit of work) or
:meth:`PriorityResults.compute` returns one :class:`QuestionPriorities` per priority question
(``ranking`` → truncated Borda, ``points`` → mean points, ``top`` → approval), each holding
the :class:`~dialogen.analysis.priorities.Prioritisation` (everyone and per role group,
province and network; counts under k read "< 5"; means with 90 % bootstrap intervals) and the
group-aware consensus per theme (:func:`~dialogen.analysis.consensus.theme_consensus` over role
groups, from the approval view of the same answers: a theme is *supported* by a respondent who
ranked it, gave it points or picked it). Rendering: :func:`priorities_text`.

Inputs are anonymous: the answer rows' pseudonym and released segment (role mapped to its role
group), never a participant id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dialogen.analysis.consensus import Consensus, theme_consensus
from dialogen.analysis.priorities import (
    Allocation,
    GroupScores,
    Picks,
    Prioritisation,
    Ranking,
    approval,
    borda,
    points,
)
from dialogen.analysis.respondents import DIMENSIONS, ROLE, Respondent
from dialogen.contracts import Clock
from dialogen.conversation.kinds.ranking import RankingSettings
from dialogen.dialogue.definition import Dialogue, Question, Step
from dialogen.facilitation import theme_messages as tmsg
from dialogen.facilitation.themes import published_options
from dialogen.privacy.anonymity import K_ANONYMITY
from dialogen.stakeholders.roles import role_group
from dialogen.stakeholders.segments import Segment, parse_networks
from dialogen.store import answers as answer_store
from dialogen.store import audit
from dialogen.store.database import Database

Session = Any
PRIORITY_KINDS = ("ranking", "points", "top")
DIMENSION_WORDS = {"rol": "role", "provincie": "province", "netwerk": "network"}
_DIMENSION_TITLES = {"role": "Rolgroep", "province": "Provincie", "network": "Netwerk"}


@dataclass(frozen=True)
class QuestionPriorities:
    step: Step
    question: Question
    labels: Mapping[str, str]  # option value -> label as asked
    result: Prioritisation
    consensus: tuple[Consensus, ...]  # per theme, over role groups

    def flags(self, theme: str) -> tuple[str, ...]:
        found = next((c for c in self.consensus if c.item == theme), None)
        if found is None:
            return ()
        return ((tmsg.BROAD,) if found.broadly_supported else ()) + (
            (tmsg.DIVIDED,) if found.divided else ()
        )


def priority_questions(dialogue: Dialogue) -> tuple[tuple[Step, Question], ...]:
    return tuple(
        (step, question)
        for step in dialogue.steps
        for question in step.questions
        if question.kind in PRIORITY_KINDS
    )


def respondent(pseudonym: str, role: str | None, province: str | None, networks: str) -> Respondent:
    return Respondent(
        pseudonym,
        Segment(
            role=role_group(role) if role else None,
            province=province,
            networks=parse_networks(networks),
        ),
    )


def aggregate(
    question: Question,
    options: Sequence[str],
    answers: Sequence[tuple[Respondent, Any]],
    *,
    k: int = K_ANONYMITY,
    seed: int = 0,
) -> tuple[Prioritisation, tuple[Consensus, ...]]:
    """Pure: the kind's aggregate over ``answers`` (respondent, stored value) and the consensus.
    Values naming an option no longer asked (a theme merged away before the step opened) are
    left out of that answer."""
    known = set(options)
    picks: list[Picks] = []
    if question.kind == "points":
        allocations = []
        for who, value in answers:
            given = tuple((str(t), int(n)) for t, n in dict(value or {}).items() if str(t) in known)
            allocations.append(Allocation(who, given))
            picks.append(Picks(who, frozenset(t for t, n in given if n > 0)))
        result = points(allocations, options, k=k, seed=seed)
    elif question.kind == "ranking":
        settings = question.settings
        top = settings.top if isinstance(settings, RankingSettings) else 3
        rankings = []
        for who, value in answers:
            order = tuple(str(t) for t in (value or ()) if str(t) in known)[:top]
            rankings.append(Ranking(who, order))
            picks.append(Picks(who, frozenset(order)))
        result = borda(rankings, options, positions=top, k=k, seed=seed)
    else:
        picks = [
            Picks(who, frozenset(str(t) for t in (value or ()) if str(t) in known))
            for who, value in answers
        ]
        result = approval(picks, options, k=k, seed=seed)
    support = (
        result if question.kind == "top" else approval(picks, options, dimensions=(ROLE,), k=k)
    )
    return result, theme_consensus(support, dimension=ROLE)


def priority_results(
    session: Session, dialogue: Dialogue, *, k: int = K_ANONYMITY, seed: int = 0
) -> tuple[QuestionPriorities, ...]:
    """Every priority question with answers, aggregated (inside the caller's unit of work)."""
    supplied = published_options(session, dialogue)
    found = []
    for step, question in priority_questions(dialogue):
        options = supplied.get((step.key, question.id)) or question.options
        rows = answer_store.rows_of_question(
            session, dialogue_key=dialogue.key, step_key=step.key, question_id=question.id
        )
        if not rows or not options:
            continue
        answers = [(respondent(p, r, pr, n), value) for p, r, pr, n, value in rows]
        values = [o.value for o in options]
        result, consensus = aggregate(question, values, answers, k=k, seed=seed)
        found.append(
            QuestionPriorities(
                step, question, {o.value: o.label for o in options}, result, consensus
            )
        )
    return tuple(found)


class PriorityResults:
    """The service behind ``prioriteiten`` and ``dialoog priorities`` (audited)."""

    def __init__(self, *, database: Database, dialogue: Dialogue, clock: Clock) -> None:
        self.database = database
        self.dialogue = dialogue
        self.clock = clock

    def compute(self, *, actor: str) -> tuple[QuestionPriorities, ...]:
        with self.database.unit_of_work() as session:
            found = priority_results(session, self.dialogue)
            audit.record(
                session,
                at=self.clock(),
                actor=actor,
                action="priorities",
                count=len(found),
            )
            return found


def priorities_text(results: Sequence[QuestionPriorities], *, dimension: str | None = None) -> str:
    """Plain text: per question, everyone's ranking with figures and flags, then per group (only
    ``dimension`` — ``role``, ``province``, ``network`` — when given)."""
    if not results:
        return tmsg.NO_PRIORITY_ANSWERS
    lines = [f"**{tmsg.PRIORITIES_TITLE}**"]
    for found in results:
        lines.append("")
        lines.append(f"**{found.question.text}**")
        lines.append(tmsg.priorities_everyone(found.result.everyone.respondents.text))
        lines += _scores(found, found.result.everyone, flags=True)
        for group in found.result.groups:
            if dimension is not None and group.dimension != dimension:
                continue
            title = _DIMENSION_TITLES.get(group.dimension, group.dimension)
            lines.append(tmsg.priorities_group(title, group.group, group.respondents.text))
            lines += _scores(found, group, flags=False, most=3)
    lines.append("")
    lines.append(tmsg.small_groups_note(results[0].result.k))
    return "\n".join(lines)


def _scores(
    found: QuestionPriorities, scores: GroupScores, *, flags: bool, most: int | None = None
) -> list[str]:
    lines = []
    for score in scores.themes[:most]:
        label = found.labels.get(score.theme, score.theme)
        rank = f"{score.rank}." if score.rank else "–"
        if score.picked is not None:  # approval
            figure = score.picked.text
            share = f" ({score.mean:.0%})" if score.mean is not None else ""
            ci = f" [{score.interval.low:.0%}–{score.interval.high:.0%}]" if score.interval else ""
            figure = f"{figure} keer gekozen{share}{ci}"
        else:
            mean = f"{score.mean:.1f}".replace(".", ",") if score.mean is not None else "–"
            ci = (
                f" [{score.interval.low:.1f}–{score.interval.high:.1f}]".replace(".", ",")
                if score.interval
                else ""
            )
            figure = f"{score.points} punten, gemiddeld {mean}{ci}"
        mark = found.flags(score.theme) if flags else ()
        suffix = f" — {', '.join(mark)}" if mark else ""
        lines.append(f"  {rank} {label}: {figure}{suffix}")
    return lines


__all__ = [
    "DIMENSIONS",
    "DIMENSION_WORDS",
    "PriorityResults",
    "QuestionPriorities",
    "aggregate",
    "priorities_text",
    "priority_questions",
    "priority_results",
    "respondent",
]
