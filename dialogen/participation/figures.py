"""Participation figures: who started and completed each step, per role group, province and
network, measured against the invited population — with every group under k shown as "< k".

Pure. The inputs carry no identity: per participant only a segment, flags and the completed steps
(identity side, from ``progress``), and per answering pseudonym the step and segment (answer side).
The report holds display strings only, after suppression, so no renderer can leak a small count.

Suppression is :func:`dialogen.analysis.suppression.suppress`, once for the whole report: every
figure is one cell, so the focus step's totals in the step lines and under the group tables are
the same cell. Role groups and provinces split everyone into parts that add up to the published
totals (``Sum``); started and completed lie within invited per group (``Within``). A count under k
reads "< k", a percentage is shown only next to a shown count of a shown base, and no hidden count
can be computed back from what is shown (see that module for exactly what that covers).

Segments are released (k-safe) segments: a row can be a role group ("Bestuur (rolgroep)") or a
region ("Noord (regio)") where the full role or province would single people out; "not shown"
counts as unknown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from dialogen.analysis.suppression import Key, Relation, Sum, Suppressed, Within, suppress
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
    reached_by_mail: bool = False  # a mail went out to them (or came from them), no bounce since


@dataclass(frozen=True)
class StartRecord:
    """A pseudonym that answered at least one question of a step, with that answer's segment."""

    step_key: str
    pseudonym: str
    segment: Segment


@dataclass(frozen=True)
class StartTally:
    """How many distinct pseudonyms started one step, per role, per province (None: none known)
    and per network — what the group tables need of the answer side, counted in the database
    (``participation_queries.start_tally``)."""

    by_role: Mapping[str | None, int]
    by_province: Mapping[str | None, int]
    by_network: Mapping[str, int]


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
    reached_by_mail: str
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
    started_by_step: dict[str, set[str]] = defaultdict(set)
    for start in starts:
        started_by_step[start.step_key].add(start.pseudonym)
    interactive = [s for s in dialogue.steps if s.interactive]
    counts: dict[Key, int] = {
        _INVITED: sum(p.invited for p in people),
        _REACHABLE: sum(p.invited and p.reachable_in_teams for p in people),
        _MAIL_REACHED: sum(p.invited and p.reached_by_mail for p in people),
        _CONSENTED: sum(p.consent and not p.opted_out for p in people),
        _OPTED_OUT: sum(p.opted_out for p in people),
    }
    for step in interactive:
        counts[_started(step.key)] = len(started_by_step[step.key])
        counts[_completed(step.key)] = sum(step.key in p.completed for p in people)
    relations: list[Relation] = []
    layout: list[tuple[_Dimension, list[str]]] = []
    if focus is not None:
        focus_starts = [s for s in starts if s.step_key == focus.key]
        totals = (_INVITED, _started(focus.key), _completed(focus.key))
        for dimension in _DIMENSIONS:
            keys = _group_cells(dimension, people, focus_starts, focus.key, counts)
            layout.append((dimension, keys))
            if dimension.partition:
                relations += [
                    Sum(total, tuple(_cell(column, dimension, g) for g in keys))
                    for column, total in zip(_COLUMNS, totals, strict=True)
                ]
            for g in keys:
                relations += [
                    Within(_cell(column, dimension, g), _cell("invited", dimension, g))
                    for column in _COLUMNS[1:]
                ]
    shown = suppress(counts, relations, k=k)
    steps = tuple(
        StepLine(
            step.name,
            shown.text(_started(step.key)),
            _share(shown, _started(step.key)),
            shown.text(_completed(step.key)),
            _share(shown, _completed(step.key)),
        )
        for step in interactive
    )
    groups = tuple(
        GroupTable(
            dimension.title,
            tuple(
                GroupLine(
                    fmsg.UNKNOWN_GROUP if g == _UNKNOWN else dimension.label(g),
                    *(shown.text(_cell(column, dimension, g)) for column in _COLUMNS),
                )
                for g in keys
            ),
        )
        for dimension, keys in layout
    )
    return ParticipationReport(
        invited=shown.text(_INVITED),
        reachable_in_teams=shown.text(_REACHABLE),
        reached_by_mail=shown.text(_MAIL_REACHED),
        consented=shown.text(_CONSENTED),
        opted_out=shown.text(_OPTED_OUT),
        steps=steps,
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
    tally: Callable[[StartTally], Mapping[str | None, int]]  # who started, per group


_INVITED: Key = ("invited",)
_REACHABLE: Key = ("reachable",)
_MAIL_REACHED: Key = ("reached by mail",)
_CONSENTED: Key = ("consented",)
_OPTED_OUT: Key = ("opted out",)
_COLUMNS = ("invited", "started", "completed")


def _started(step_key: str) -> Key:
    return ("started", step_key)


def _completed(step_key: str) -> Key:
    return ("completed", step_key)


def _cell(column: str, dimension: _Dimension, group: str) -> Key:
    return (column, dimension.title, group)


def _group_cells(
    dimension: _Dimension,
    people: list[PersonRecord],
    starts: list[StartRecord],
    step_key: str,
    counts: dict[Key, int],
) -> list[str]:
    """Add the dimension's invited/started/completed counts per group; return the groups in
    display order (the known ones, then others found, then "unknown")."""
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
    keys = _ordered(dimension, set(invited) | set(started))
    for g in keys:
        counts[_cell("invited", dimension, g)] = invited[g]
        counts[_cell("started", dimension, g)] = len(started[g])
        counts[_cell("completed", dimension, g)] = completed[g]
    return keys


def _ordered(dimension: _Dimension, found: set[str]) -> list[str]:
    """Display order: the known groups, then others found, then "unknown"."""
    keys = [*dimension.known, *sorted(found - set(dimension.known) - {_UNKNOWN})]
    return keys + ([_UNKNOWN] if _UNKNOWN in found else [])


def suppress_column(
    counts: Mapping[str, int], k: int = K_ANONYMITY, *, partition: bool
) -> dict[str, str]:
    """One column on its own, its total taken as published: in a partition never exactly one
    hidden cell (the cells :func:`suppress` gives it)."""
    cells: dict[Key, int] = {(g,): n for g, n in counts.items()}
    total: Key = ("\x00total",)
    cells[total] = sum(counts.values())
    relations = [Sum(total, tuple(cells)[:-1])] if partition and counts else []
    shown = suppress(cells, relations, k=k)
    return {g: shown.text((g,)) for g in counts}


def _share(shown: Suppressed, key: Key) -> str:
    return shown.percent(key, _INVITED) or fmsg.NO_PERCENTAGE


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
        tally=lambda t: t.by_role,
    ),
    _Dimension(
        fmsg.BY_PROVINCE,
        lambda s: (s.province or _UNKNOWN,),
        PROVINCES,
        lambda g: f"{g} (regio)" if g in _REGIONS else g,
        partition=True,
        tally=lambda t: t.by_province,
    ),
    _Dimension(
        fmsg.BY_NETWORK,
        lambda s: tuple(s.networks),
        NETWORKS,
        str,
        partition=False,
        tally=lambda t: {g: n for g, n in t.by_network.items()},
    ),
)


@dataclass(frozen=True)
class DimensionCounts:
    """One dimension's groups for one step: per group (label, invited, started), display order."""

    title: str
    partition: bool
    groups: tuple[tuple[str, int, int], ...]


def counts_by_group(
    invited: Mapping[Segment, int], started: StartTally
) -> tuple[DimensionCounts, ...]:
    """Raw (unsuppressed) invited and started counts per group of every dimension, for an
    analysis that suppresses them itself (:mod:`dialogen.analysis.representation`).
    ``invited``: invitees per segment; ``started``: who started the step, per group."""
    result = []
    for dimension in _DIMENSIONS:
        counts: dict[str, int] = defaultdict(int)
        for segment, count in invited.items():
            for group in dimension.groups_of(segment):
                counts[group] += count
        started_in = {_UNKNOWN if g is None else g: n for g, n in dimension.tally(started).items()}
        result.append(
            DimensionCounts(
                dimension.title,
                dimension.partition,
                tuple(
                    (
                        fmsg.UNKNOWN_GROUP if g == _UNKNOWN else dimension.label(g),
                        counts[g],
                        started_in.get(g, 0),
                    )
                    for g in _ordered(dimension, set(counts) | set(started_in))
                ),
            )
        )
    return tuple(result)
