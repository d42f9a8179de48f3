"""Representation, live: per step the response rate of every role group, province and network
against the invited population, Go Vocal's score (lowest rate ÷ highest), the groups furthest
behind, and which groups fall below the dialogue file's threshold — every count under k "< 5".

Pure. The input is the identity side's participation records (a released segment, invited, the
completed steps; no identity): a group's *response* is the invitees of that group who completed
the step. The figures go through :func:`dialogen.analysis.representation.representation`
(suppression included), so a rate is shown only next to two shown counts, and a group with a
hidden rate is named (``NOT_SHOWN``), never given a figure.

Groups are matched for targeted reminders by :func:`find_group` (``herinner <stap> --groep
griffier``): a role group, a role, a province or a network, by its name as shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dialogen.analysis.representation import (
    AlertReason,
    GroupCount,
    Representation,
    representation,
)
from dialogen.analysis.suppression import Hidden
from dialogen.dialogue.definition import Step
from dialogen.facilitation import theme_messages as tmsg
from dialogen.participation.figures import PersonRecord
from dialogen.privacy.anonymity import K_ANONYMITY
from dialogen.stakeholders.municipalities import NETWORKS, PROVINCES
from dialogen.stakeholders.roles import ROLE_GROUP_LABELS, ROLES, role_group
from dialogen.stakeholders.segments import Segment

UNKNOWN = "onbekend"


@dataclass(frozen=True)
class GroupFilter:
    """A group of participants, as a facilitator named it."""

    dimension: str  # "role group", "role", "province", "network"
    value: str
    label: str

    def holds(self, segment: Segment) -> bool:
        if self.dimension == "role group":
            return segment.role is not None and role_group(segment.role) == self.value
        if self.dimension == "role":
            return segment.role == self.value
        if self.dimension == "province":
            return segment.province == self.value
        return self.value in segment.networks


_DIMENSIONS: tuple[tuple[str, bool], ...] = (
    ("Rolgroep", True),
    ("Provincie", True),
    ("Netwerk", False),
)


def _groups_of(title: str, segment: Segment) -> tuple[str, ...]:
    if title == "Rolgroep":
        return (
            ROLE_GROUP_LABELS.get(role_group(segment.role), UNKNOWN) if segment.role else UNKNOWN,
        )
    if title == "Provincie":
        return (segment.province or UNKNOWN,)
    return tuple(sorted(segment.networks)) or ("geen netwerk",)


def _all_groups(title: str) -> list[str]:
    if title == "Rolgroep":
        return [*ROLE_GROUP_LABELS.values(), UNKNOWN]
    if title == "Provincie":
        return [*PROVINCES, UNKNOWN]
    return [*NETWORKS, "geen netwerk"]


def step_representation(
    step: Step,
    people: Iterable[PersonRecord],
    *,
    threshold: float,
    k: int = K_ANONYMITY,
) -> tuple[Representation, ...]:
    """One :class:`Representation` per dimension (role group, province, network) for ``step``;
    every known group is listed (zeros too), so a hidden group cannot be told from an empty one."""
    invited = [p for p in people if p.invited]
    found = []
    for title, partition in _DIMENSIONS:
        counts: dict[str, list[int]] = {g: [0, 0] for g in _all_groups(title)}
        for person in invited:
            for group in _groups_of(title, person.segment):
                tally = counts.setdefault(group, [0, 0])
                tally[0] += 1
                tally[1] += step.key in person.completed
        found.append(
            representation(
                [GroupCount(g, n, r) for g, (n, r) in counts.items()],
                step=step.name,
                dimension=title,
                partition=partition,
                k=k,
                threshold=threshold,
            )
        )
    return tuple(found)


def group_names(segment: Segment) -> set[str]:
    """The names of every group ``segment`` is in, as the representation figures name them."""
    return {name for title, _ in _DIMENSIONS for name in _groups_of(title, segment)}


def below_threshold(
    found: Sequence[Representation], *, threshold: float, k: int = K_ANONYMITY
) -> tuple[str, ...]:
    """The groups (by name) certainly below the threshold, in every dimension: a shown rate below
    it, or a response count hidden as under k ("< 5") whose largest possible rate, (k-1) ÷ the
    shown number invited, is below it. Nothing beyond "< 5" is told about a hidden count."""
    below: list[str] = []
    for item in found:
        below += [a.group for a in item.alerts if a.reason is AlertReason.BELOW_THRESHOLD]
        for group in item.groups:
            invited = group.invited.count
            if (
                group.rate is None
                and group.responded.hidden is Hidden.SMALL
                and invited
                and (k - 1) / invited < threshold
            ):
                below.append(group.group)
    return tuple(dict.fromkeys(below))


def behind_order(found: Sequence[Representation], *, threshold: float) -> tuple[str, ...]:
    """Groups furthest behind first: those certainly below the threshold (also with a hidden
    "< 5" response), then the lowest shown rates (across dimensions, in the order each lists)."""
    seen: dict[str, None] = dict.fromkeys(below_threshold(found, threshold=threshold))
    for item in found:
        for group in item.furthest_behind:
            seen.setdefault(group, None)
    return tuple(seen)


def representation_text(found: Sequence[Representation]) -> str:
    lines = [f"**{tmsg.REPRESENTATION_TITLE}**"]
    for item in found:
        score = f"{item.score:.2f}".replace(".", ",") if item.score is not None else "–"
        lines.append(tmsg.representation_score(item.step, item.dimension, score))
        for group in item.groups:
            if not group.invited.count and group.invited.shown:
                continue  # nobody invited: nothing to say
            rate = f" ({group.rate:.0%})" if group.rate is not None else ""
            lines.append(f"  {group.group}: {group.responded.text} van {group.invited.text}{rate}")
        if item.furthest_behind:
            lines.append("  " + tmsg.behind(item.furthest_behind))
    lines.append(tmsg.small_groups_note(K_ANONYMITY).split(" Tussen")[0])
    return "\n".join(lines)


def find_group(text: str) -> GroupFilter | None:
    """A group by what a facilitator typed: a role group ("raad", "Raad en griffie"), a role
    ("griffier"), a province ("Utrecht") or a network ("G40"); case and spaces do not matter."""
    wanted = " ".join(text.casefold().split())
    if not wanted:
        return None
    for value, label in ROLE_GROUP_LABELS.items():
        if wanted in (value, label.casefold()):
            return GroupFilter("role group", value, label)
    for role in ROLES:
        if wanted in (role.value, role.label.casefold()):
            return GroupFilter("role", role.value, role.label)
    for province in PROVINCES:
        if wanted == province.casefold():
            return GroupFilter("province", province, province)
    for network in NETWORKS:
        if wanted == network.casefold():
            return GroupFilter("network", network, network)
    return None


def known_groups() -> list[str]:
    return [*ROLE_GROUP_LABELS, *(role.value for role in ROLES), *PROVINCES, *NETWORKS]
