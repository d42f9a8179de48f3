"""Participation figures: who started and completed each step, per role group, province and
network, measured against the invited population — with every group under k shown as "< k".

Pure. The inputs carry no identity: per participant only a segment, flags and the completed steps
(identity side, from ``progress``), and per answering pseudonym the step and segment (answer side).
The report holds display strings only, after suppression, so no renderer can leak a small count.

Suppression (``K_ANONYMITY``): a count under k is shown as "< k"; a percentage only when its count
is shown. Role groups and provinces split everyone into parts that add up to the published total,
so when exactly one part of a column is hidden the smallest other part is hidden too — otherwise
the hidden one could be found by subtraction.

Segments are released (k-safe) segments: a row can be a role group ("Bestuur (rolgroep)") or a
region ("Noord (regio)") where the full role or province would single people out; "not shown"
counts as unknown. (TODO(issue 9/analysis): use the shared suppression function of
``dialogen.analysis.suppression`` here once it lands, instead of ``suppress_column``.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from dialogen.dialogue.definition import Dialogue, Step
from dialogen.facilitation import messages as fmsg
from dialogen.privacy.anonymity import K_ANONYMITY
from dialogen.privacy.segment_release import GROUP_LABELS, REGIONS
from dialogen.stakeholders.municipalities import NETWORKS, PROVINCES
from dialogen.stakeholders.roles import ROLES
from dialogen.stakeholders.segments import Segment

_UNKNOWN = "\x00unknown"  # group key for "no role / no province", sorted last


@dataclass(frozen=True)
class PersonRecord:
    """One participant as participation sees them (identity side, without identity)."""

    segment: Segment
    invited: bool
    completed: frozenset[str]
    consent: bool = False
    opted_out: bool = False
    reachable_in_teams: bool = False


@dataclass(frozen=True)
class StartRecord:
    """A pseudonym that answered at least one question of a step, with that answer's segment."""

    step_key: str
    pseudonym: str
    segment: Segment


@dataclass(frozen=True)
class StepLine:
    step: str
    started: str
    started_share: str
    completed: str
    completed_share: str


@dataclass(frozen=True)
class GroupLine:
    group: str
    invited: str
    started: str
    completed: str


@dataclass(frozen=True)
class GroupTable:
    title: str
    lines: tuple[GroupLine, ...]


@dataclass(frozen=True)
class ParticipationReport:
    invited: str
    reachable_in_teams: str
    consented: str
    opted_out: str
    steps: tuple[StepLine, ...]
    focus_step: str | None
    groups: tuple[GroupTable, ...]
    k: int = K_ANONYMITY


def focus_step(dialogue: Dialogue, now: datetime) -> Step | None:
    """The open interactive step, else the last one that opened, else the first one."""
    interactive = [s for s in dialogue.steps if s.interactive]
    opened = [s for s in interactive if s.opens <= now]
    return dialogue.open_step(now) or (
        opened[-1] if opened else (interactive[0] if interactive else None)
    )


def measure(
    dialogue: Dialogue,
    now: datetime,
    people: Iterable[PersonRecord],
    starts: Iterable[StartRecord],
    *,
    step_key: str | None = None,
    k: int = K_ANONYMITY,
) -> ParticipationReport:
    people = list(people)
    starts = list(starts)
    focus = dialogue.step(step_key) if step_key else focus_step(dialogue, now)
    invited = sum(p.invited for p in people)
    started_by_step: dict[str, set[str]] = defaultdict(set)
    for start in starts:
        started_by_step[start.step_key].add(start.pseudonym)
    steps = []
    for step in (s for s in dialogue.steps if s.interactive):
        started = len(started_by_step[step.key])
        completed = sum(step.key in p.completed for p in people)
        steps.append(
            StepLine(
                step.name,
                _count(started, k),
                _share(started, invited, k),
                _count(completed, k),
                _share(completed, invited, k),
            )
        )
    groups: tuple[GroupTable, ...] = ()
    if focus is not None:
        focus_starts = [s for s in starts if s.step_key == focus.key]
        groups = tuple(_table(d, people, focus_starts, focus.key, k) for d in _DIMENSIONS)
    return ParticipationReport(
        invited=_count(invited, k),
        reachable_in_teams=_count(sum(p.invited and p.reachable_in_teams for p in people), k),
        consented=_count(sum(p.consent and not p.opted_out for p in people), k),
        opted_out=_count(sum(p.opted_out for p in people), k),
        steps=tuple(steps),
        focus_step=focus.name if focus else None,
        groups=groups,
        k=k,
    )


@dataclass(frozen=True)
class _Dimension:
    title: str
    groups_of: Callable[[Segment], tuple[str, ...]]
    known: tuple[str, ...]  # display order
    label: Callable[[str], str]
    partition: bool  # every person in exactly one group


def _table(
    dimension: _Dimension,
    people: list[PersonRecord],
    starts: list[StartRecord],
    step_key: str,
    k: int,
) -> GroupTable:
    invited: dict[str, int] = defaultdict(int)
    completed: dict[str, int] = defaultdict(int)
    started: dict[str, set[str]] = defaultdict(set)
    for person in people:
        for group in dimension.groups_of(person.segment):
            invited[group] += person.invited
            completed[group] += step_key in person.completed
    for start in starts:
        for group in dimension.groups_of(start.segment):
            started[group].add(start.pseudonym)
    found = set(invited) | set(started)
    keys = [*dimension.known, *sorted(found - set(dimension.known) - {_UNKNOWN})]
    keys += [_UNKNOWN] if _UNKNOWN in found else []
    columns = [
        {g: invited[g] for g in keys},
        {g: len(started[g]) for g in keys},
        {g: completed[g] for g in keys},
    ]
    shown = [suppress_column(column, k, partition=dimension.partition) for column in columns]
    lines = tuple(
        GroupLine(
            fmsg.UNKNOWN_GROUP if g == _UNKNOWN else dimension.label(g),
            *(column[g] for column in shown),
        )
        for g in keys
    )
    return GroupTable(dimension.title, lines)


def suppress_column(
    counts: Mapping[str, int], k: int = K_ANONYMITY, *, partition: bool
) -> dict[str, str]:
    """Counts as text with small ones hidden; in a partition, never exactly one hidden cell."""
    hidden = {g for g, n in counts.items() if n < k}
    if partition and len(hidden) == 1 and len(counts) > 1:
        others = sorted((n, g) for g, n in counts.items() if g not in hidden)
        hidden.add(others[0][1])
    return {g: (f"< {k}" if g in hidden else str(n)) for g, n in counts.items()}


def _count(n: int, k: int) -> str:
    return str(n) if n >= k else f"< {k}"


def _share(n: int, total: int, k: int) -> str:
    if n < k or total < k:
        return fmsg.NO_PERCENTAGE
    return f"{round(100 * n / total)}%"


_ROLE_LABELS = {r.value: r.label for r in ROLES} | {
    key: f"{label} (rolgroep)" for key, label in GROUP_LABELS.items()
}
_REGIONS = tuple(dict.fromkeys(REGIONS.values()))
_DIMENSIONS = (
    _Dimension(
        fmsg.BY_ROLE,
        lambda s: (s.role or _UNKNOWN,),
        tuple(r.value for r in ROLES),  # role groups and regions, when used, come after
        lambda g: _ROLE_LABELS.get(g, g),
        partition=True,
    ),
    _Dimension(
        fmsg.BY_PROVINCE,
        lambda s: (s.province or _UNKNOWN,),
        PROVINCES,
        lambda g: f"{g} (regio)" if g in _REGIONS else g,
        partition=True,
    ),
    _Dimension(fmsg.BY_NETWORK, lambda s: tuple(s.networks), NETWORKS, str, partition=False),
)
