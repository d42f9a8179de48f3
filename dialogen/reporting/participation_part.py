"""The participation blocks of the report: who was invited and reached (Vinden, Verzamelen), and per
interactive step what happened (started, completed, new respondents per week) and who took part
(representation per role group, province and network, with the representation score)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from dialogen.analysis.representation import GroupCount, representation
from dialogen.dialogue.definition import Dialogue, Step
from dialogen.participation.figures import (
    ParticipationReport,
    PersonRecord,
    StartRecord,
    suppress_column,
)
from dialogen.privacy.anonymity import K_ANONYMITY
from dialogen.privacy.segment_release import GROUP_LABELS, REGIONS
from dialogen.reporting import messages as rmsg
from dialogen.reporting.facts import AnswerFact
from dialogen.reporting.model import Bar, Block, Chart, Table
from dialogen.stakeholders.municipalities import NETWORKS, PROVINCES
from dialogen.stakeholders.roles import ROLES
from dialogen.stakeholders.segments import Segment

_UNKNOWN = "\x00"
_ROLE_LABELS = {r.value: r.label for r in ROLES} | {
    key: f"{label} (rolgroep)" for key, label in GROUP_LABELS.items()
}
_REGIONS = frozenset(REGIONS.values())


def _role(segment: Segment) -> tuple[str, ...]:
    return (segment.role or _UNKNOWN,)


def _province(segment: Segment) -> tuple[str, ...]:
    return (segment.province or _UNKNOWN,)


def _networks(segment: Segment) -> tuple[str, ...]:
    return tuple(sorted(segment.networks))


DIMENSIONS = (
    (rmsg.BY_ROLE, _role, tuple(r.value for r in ROLES), True),
    (rmsg.BY_PROVINCE, _province, PROVINCES, True),
    (rmsg.BY_NETWORK, _networks, NETWORKS, False),
)


def label(group: str) -> str:
    if group == _UNKNOWN:
        return rmsg.UNKNOWN_GROUP
    if group in _REGIONS:
        return f"{group} (regio)"
    return _ROLE_LABELS.get(group, group)


def _order(known: Sequence[str], found: set[str]) -> list[str]:
    keys = [*known, *sorted(found - set(known) - {_UNKNOWN})]
    return keys + ([_UNKNOWN] if _UNKNOWN in found else [])


def invited_block(people: Sequence[PersonRecord], k: int = K_ANONYMITY) -> Block:
    """Vinden: the invited population per role group, province and network."""
    tables = []
    for title, groups_of, known, partition in DIMENSIONS:
        counts: dict[str, int] = defaultdict(int)
        for person in people:
            if person.invited:
                for group in groups_of(person.segment):
                    counts[group] += 1
        keys = _order(known, set(counts))
        shown = suppress_column({g: counts[g] for g in keys}, k, partition=partition)
        tables.append(
            Table(
                f"{rmsg.INVITED_HEADING} — {title.lower()}",
                (rmsg.COLUMN_GROUP, rmsg.COLUMN_INVITED),
                tuple((label(g), shown[g]) for g in keys),
            )
        )
    return Block(rmsg.INVITED_HEADING, tables=tuple(tables))


def reached_block(figures: ParticipationReport) -> Block:
    """Verzamelen: how many were invited, reached in Teams and by mail, consented, opted out."""
    rows = (
        (rmsg.INVITED, figures.invited),
        (rmsg.REACHED_TEAMS, figures.reachable_in_teams),
        (rmsg.REACHED_MAIL, figures.reached_by_mail),
        (rmsg.CONSENTED, figures.consented),
        (rmsg.OPTED_OUT, figures.opted_out),
    )
    return Block(
        rmsg.REACHED_HEADING,
        (rmsg.REACHED_EXPLAINED,),
        tables=(Table(rmsg.REACHED_HEADING, ("", rmsg.COLUMN_FIGURE), rows),),
    )


def happened_block(step: Step, figures: ParticipationReport) -> Block:
    """Invited, reached per channel (so far, the whole dialogue), started and completed."""
    line = next((s for s in figures.steps if s.step == step.name), None)
    if line is None:
        return Block(rmsg.HAPPENED, (rmsg.NOTHING_IN_STEP,))
    return Block(
        rmsg.HAPPENED,
        (
            rmsg.started_line(line.started, figures.invited, line.started_share),
            rmsg.completed_line(line.completed, line.completed_share),
        ),
        tables=(
            Table(
                rmsg.HAPPENED,
                (
                    rmsg.COLUMN_INVITED,
                    rmsg.REACHED_TEAMS,
                    rmsg.REACHED_MAIL,
                    rmsg.COLUMN_STARTED,
                    rmsg.COLUMN_COMPLETED,
                ),
                (
                    (
                        figures.invited,
                        figures.reachable_in_teams,
                        figures.reached_by_mail,
                        line.started,
                        line.completed,
                    ),
                ),
            ),
        ),
    )


def over_time_block(step: Step, answers: Sequence[AnswerFact], k: int = K_ANONYMITY) -> Block:
    """New respondents per week of the step (the week of their first answer)."""
    first: dict[str, date] = {}
    for answer in answers:
        if answer.step_key == step.key:
            seen = first.get(answer.pseudonym)
            first[answer.pseudonym] = answer.day if seen is None else min(seen, answer.day)
    if not first:
        return Block(rmsg.OVER_TIME, (rmsg.NOTHING_IN_STEP,))
    if len(set(first.values())) == 1:  # answers carry their step's opening day, not their own
        return Block(rmsg.OVER_TIME, (rmsg.NO_DAYS,))
    start = step.opens.date()
    weeks: dict[str, int] = {}
    labels: list[str] = []
    last = max(max(first.values()), start)
    monday = start - timedelta(days=start.weekday())
    while monday <= last:
        key = f"{rmsg.COLUMN_WEEK} van {rmsg.day(max(monday, start))}"
        labels.append(key)
        weeks[key] = sum(1 for d in first.values() if monday <= d < monday + timedelta(days=7))
        monday += timedelta(days=7)
    weeks[labels[0]] += sum(1 for d in first.values() if d < start)
    shown = suppress_column(weeks, k, partition=True)
    bars = tuple(
        Bar(w, shown[w], "", float(weeks[w]) if shown[w] == str(weeks[w]) else None) for w in labels
    )
    title = f"{rmsg.COLUMN_NEW} per week — {step.name}"
    chart = Chart(
        title, rmsg.UNIT_PEOPLE, bars, rmsg.chart_alt(title, [(b.label, b.text) for b in bars])
    )
    return Block(rmsg.OVER_TIME, charts=(chart,))


def representation_block(
    step: Step,
    people: Sequence[PersonRecord],
    starts: Sequence[StartRecord],
    k: int = K_ANONYMITY,
) -> Block:
    """Per dimension: invited, responded and the response rate per group, and the score. The
    responded side counts answering pseudonyms in their released segment; a group where that
    exceeds the invited count (people who joined without an invitation) is capped at it."""
    paragraphs: list[str] = []
    tables: list[Table] = []
    for title, groups_of, known, partition in DIMENSIONS:
        invited: dict[str, int] = defaultdict(int)
        responded: dict[str, set[str]] = defaultdict(set)
        for person in people:
            if person.invited:
                for group in groups_of(person.segment):
                    invited[group] += 1
        for start in starts:
            if start.step_key == step.key:
                for group in groups_of(start.segment):
                    responded[group].add(start.pseudonym)
        keys = _order(known, set(invited) | set(responded))
        counts = [GroupCount(g, invited[g], min(len(responded[g]), invited[g])) for g in keys]
        result = representation(counts, step=step.key, dimension=title, partition=partition, k=k)
        rows = tuple(
            (
                label(g.group),
                g.invited.text,
                g.responded.text,
                rmsg.percent(g.rate) if g.rate is not None else "–",
            )
            for g in result.groups
        )
        tables.append(
            Table(
                f"{rmsg.REPRESENTATION} — {title.lower()}",
                (rmsg.COLUMN_GROUP, rmsg.COLUMN_INVITED, rmsg.COLUMN_RESPONDED, rmsg.COLUMN_RATE),
                rows,
            )
        )
        behind = tuple(label(g) for g in result.furthest_behind)
        paragraphs.append(f"{title}: {rmsg.score_line(result.score, behind)}")
    return Block(rmsg.REPRESENTATION, tuple(paragraphs), tables=tuple(tables))


def step_figures_of(dialogue: Dialogue) -> list[Step]:
    return [s for s in dialogue.steps if s.interactive]
