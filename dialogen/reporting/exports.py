"""The exports: one sheet per kind — answers, contributions, reactions, priorities, participation
per group — one row per item, typed values (numbers as numbers, days as dates).

Nothing identifies a person: a respondent is a number drawn for this export alone (a fresh random
order each time, so two exports cannot be joined on it, and never the stored pseudonym), and the
segment columns are coarsened until every combination in the export is shared by at least k
respondents (networks go first, then the province, then the role); what is left of fewer than k
is blanked together with the smallest other combinations. Participation figures are the
suppressed ones of the report ("< 5")."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from dialogen.conversation.kinds.priority import as_list
from dialogen.dialogue.definition import Dialogue
from dialogen.participation.figures import measure
from dialogen.privacy.anonymity import K_ANONYMITY
from dialogen.reporting.facts import ReportFacts
from dialogen.stakeholders.segments import Segment

Value = str | int | float | date | None
NOT_SHOWN = ""

SEGMENT_HEADER = ("Respondent", "Rol", "Provincie", "Netwerken")


@dataclass(frozen=True)
class Sheet:
    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]


@dataclass(frozen=True)
class Export:
    sheets: tuple[Sheet, ...]

    def sheet(self, name: str) -> Sheet:
        return next(s for s in self.sheets if s.name == name)


def build_export(
    dialogue: Dialogue,
    facts: ReportFacts,
    now: datetime,
    *,
    k: int = K_ANONYMITY,
    rng: random.Random | None = None,
) -> Export:
    draw = rng or random.SystemRandom()
    segments = _segments(facts)
    sheets = (
        {a.pseudonym for a in facts.answers},
        {c.pseudonym for c in facts.contributions},
        {r.pseudonym for r in facts.reactions},
        {a.pseudonym for a in facts.answers if _is_priority(dialogue, a.step_key, a.question_id)},
    )
    shown = coarsen(segments, k, sheets)
    keys = sorted(segments)
    draw.shuffle(keys)
    number = {key: n for n, key in enumerate(keys, 1)}

    def who(pseudonym: str) -> tuple[Value, ...]:
        role, province, networks = shown[pseudonym]
        return (number[pseudonym], role, province, networks)

    questions = {(s.key, q.id): q for s in dialogue.steps for q in s.questions}
    names = {s.key: s.name for s in dialogue.steps}
    answers = []
    priorities = []
    for a in sorted(facts.answers, key=lambda a: (number[a.pseudonym], a.step_key, a.question_id)):
        question = questions.get((a.step_key, a.question_id))
        if question is None or question.kind == "reactions":
            continue
        labels = {o.value: o.label for o in question.options}
        if question.kind in ("ranking", "top"):
            for place, value in enumerate(as_list(a.value), 1):
                priorities.append(
                    (*who(a.pseudonym), question.id, labels.get(value, value), place, None)
                )
        elif question.kind == "points" and isinstance(a.value, dict):
            for value, given in a.value.items():
                priorities.append(
                    (*who(a.pseudonym), question.id, labels.get(value, value), None, int(given))
                )
        answers.append(
            (
                *who(a.pseudonym),
                names.get(a.step_key, a.step_key),
                question.id,
                _typed(a.value, labels),
                a.day,
            )
        )
    ids = [c.id for c in facts.contributions]
    draw.shuffle(ids)
    contribution_number = {cid: n for n, cid in enumerate(ids, 1)}
    contributions = [
        (
            *who(c.pseudonym),
            contribution_number[c.id],
            names.get(c.step_key, c.step_key),
            c.question_id,
            c.text,
            "ja" if c.visible else "nee",
            c.agree,
            c.disagree,
            c.passes,
        )
        for c in sorted(facts.contributions, key=lambda c: contribution_number[c.id])
    ]
    reactions = [
        (*who(r.pseudonym), contribution_number[r.contribution_id], r.vote)
        for r in sorted(
            facts.reactions,
            key=lambda r: (number[r.pseudonym], contribution_number.get(r.contribution_id, 0)),
        )
        if r.contribution_id in contribution_number
    ]
    return Export(
        (
            Sheet(
                "Antwoorden",
                (*SEGMENT_HEADER, "Stap", "Vraag", "Antwoord", "Datum"),
                tuple(answers),
            ),
            Sheet(
                "Bijdragen",
                (
                    *SEGMENT_HEADER,
                    "Bijdrage",
                    "Stap",
                    "Vraag",
                    "Tekst",
                    "Zichtbaar",
                    "Eens",
                    "Oneens",
                    "Pas",
                ),
                tuple(contributions),
            ),
            Sheet("Reacties", (*SEGMENT_HEADER, "Bijdrage", "Reactie"), tuple(reactions)),
            Sheet(
                "Prioriteiten",
                (*SEGMENT_HEADER, "Vraag", "Aandachtspunt", "Plaats", "Punten"),
                tuple(priorities),
            ),
            Sheet(
                "Deelname",
                ("Stap", "Indeling", "Groep", "Uitgenodigd", "Begonnen", "Afgerond"),
                tuple(_participation(dialogue, facts, now, k)),
            ),
        )
    )


def _is_priority(dialogue: Dialogue, step_key: str, question_id: str) -> bool:
    step = dialogue.step(step_key)
    question = step.question(question_id) if step else None
    return question is not None and question.kind in ("ranking", "top", "points")


def _typed(value: Any, labels: dict[str, str]) -> Value:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, list):
        return "; ".join(labels.get(str(v), str(v)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{labels.get(str(t), str(t))}: {n}" for t, n in value.items())
    if value is None:
        return None
    return labels.get(str(value), str(value))


def _participation(
    dialogue: Dialogue, facts: ReportFacts, now: datetime, k: int
) -> Iterable[tuple[Value, ...]]:
    for step in dialogue.steps:
        if not step.interactive:
            continue
        figures = measure(dialogue, now, facts.people, facts.starts, step_key=step.key, k=k)
        for table in figures.groups:
            for line in table.lines:
                yield (
                    step.name,
                    table.title,
                    line.group,
                    _number(line.invited),
                    _number(line.started),
                    _number(line.completed),
                )


def _number(text: str) -> Value:
    return int(text) if text.isdigit() else text


def _segments(facts: ReportFacts) -> dict[str, Segment]:
    """Each respondent's segment (the one their answers carry; the first seen)."""
    found: dict[str, Segment] = {}
    for pseudonym, segment in (
        *((a.pseudonym, a.segment) for a in facts.answers),
        *((c.pseudonym, c.segment) for c in facts.contributions),
        *((r.pseudonym, r.segment) for r in facts.reactions),
    ):
        found.setdefault(pseudonym, segment)
    return found


def coarsen(
    segments: dict[str, Segment],
    k: int = K_ANONYMITY,
    sheets: Sequence[Collection[str]] = (),
) -> dict[str, tuple[str, str, str]]:
    """(role, province, networks) per respondent such that in the whole export and in each sheet
    (the respondents it lists) every combination shown is shared by at least k of them; a
    respondent keeps one combination in every sheet. Small combinations lose networks first,
    then the province, then the role. The blank combination says nothing (its members are blank
    in every sheet); in the whole export it holds 0 or at least k (else the smallest other group
    is coarsened too), so it is no small group that a reader could work out."""
    full = {
        p: (s.role or NOT_SHOWN, s.province or NOT_SHOWN, ",".join(sorted(s.networks)))
        for p, s in segments.items()
    }
    level = dict.fromkeys(full, 3)

    def shown(pseudonym: str) -> tuple[str, str, str]:
        kept = list(full[pseudonym][: level[pseudonym]]) + [NOT_SHOWN] * (3 - level[pseudonym])
        return (kept[0], kept[1], kept[2])

    populations = [list(full), *([p for p in sheet if p in full] for sheet in sheets)]
    blank = (NOT_SHOWN, NOT_SHOWN, NOT_SHOWN)
    changed = True
    while changed:
        changed = False
        for index, population in enumerate(populations):
            sizes = Counter(shown(p) for p in population)
            small = [p for p in population if sizes[shown(p)] < k and shown(p) != blank]
            if index == 0 and not small and 0 < sizes[blank] < k and len(sizes) > 1:
                smallest = min((c for c in sizes if c != blank), key=lambda c: (sizes[c], c))
                small = [p for p in population if shown(p) == smallest]
            for pseudonym in small:
                level[pseudonym] -= 1
                while level[pseudonym] > 0 and shown(pseudonym)[level[pseudonym] - 1] == "":
                    level[pseudonym] -= 1  # a level that hides nothing more is skipped
                changed = True
    return {p: shown(p) for p in full}


def group_sizes(rows: Sequence[tuple[Value, ...]]) -> dict[tuple[Value, ...], int]:
    """Respondents per segment combination in a sheet's rows (for checks)."""
    members: dict[tuple[Value, ...], set[Value]] = defaultdict(set)
    for row in rows:
        members[tuple(row[1:4])].add(row[0])
    return {combination: len(people) for combination, people in members.items()}
