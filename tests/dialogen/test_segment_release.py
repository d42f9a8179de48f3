"""k-safe segments: every segment stored with an answer is shared by at least 5 invitees, decided
from the invited population (the shipped municipalities and networks), widened where it is not
(networks dropped, province to region, role to role group — whichever loses least), kept in
versions, and re-checked on every import."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import select

from dialogen.conversation.inputs import Install, Text
from dialogen.door.events import Identity, InboundEvent
from dialogen.privacy.segment_release import NOTHING, REGIONS, Cell, decide, join
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.stakeholders.roster import Roster
from dialogen.stakeholders.segments import segment_of
from dialogen.stakeholders.sheet import SheetRow
from dialogen.store.database import Database
from dialogen.store.segment_releases import SegmentReleaseRow
from dialogen.store.tables import AnswerRow
from tests.conftest import make_door

K = 5
PER_MUNICIPALITY = {
    "burgemeester": 1,
    "griffier": 1,
    "gemeentesecretaris": 1,
    "wethouder": 3,
    "raadslid": 11,
    "gemeenteambtenaar": 2,
}


@pytest.fixture(scope="module")
def invited(registry: MunicipalityRegistry) -> Counter[Cell]:
    """Everyone the dialogue invites in every shipped municipality, per full segment (role,
    province, networks), plus a few directors of cooperation bodies without a municipality."""
    population: Counter[Cell] = Counter()
    for place in registry.all():
        for role, count in PER_MUNICIPALITY.items():
            segment = segment_of(
                role=role,
                municipality_code=place.cbs_code,
                province=None,
                networks=None,
                municipalities=registry,
            )
            population[Cell.of(segment)] += count
    population[Cell("bestuurder-samenwerkingsverband", "Utrecht", "")] += 3
    population[Cell("bestuurder-samenwerkingsverband", "Gelderland", "")] += 4
    return population


def groups_of(release_mapping: dict[Cell, Cell], population: Counter[Cell]) -> Counter[Cell]:
    sizes: Counter[Cell] = Counter()
    for full, label in release_mapping.items():
        sizes[label] += population[full]
    return sizes


def test_every_released_segment_is_shared_by_five_invitees(invited: Counter[Cell]) -> None:
    release = decide(invited, k=K)
    assert set(release.mapping) == set(invited)  # every full segment has a released one
    sizes = groups_of(release.mapping, invited)
    assert min(sizes.values()) >= K, [label for label, n in sizes.items() if n < K]
    # most stays as it was: only small cells are widened
    kept = sum(n for full, n in invited.items() if release.mapping[full] == full)
    assert kept / sum(invited.values()) > 0.9


def test_the_griffier_of_utrecht_and_the_g4_mayors_are_not_alone_in_their_segment(
    invited: Counter[Cell],
) -> None:
    griffier = Cell("griffier", "Utrecht", "G4")
    assert invited[griffier] == 1  # one person
    release = decide(invited, k=K)
    # least loss: drop the network — the griffiers of the other Utrecht municipalities already
    # share "griffier | Utrecht", so only the one person's segment becomes coarser
    assert release.mapping[griffier] == Cell("griffier", "Utrecht", "")
    for province in ("Noord-Holland", "Zuid-Holland", "Utrecht"):
        mayor = Cell("burgemeester", province, "G4")
        assert invited[mayor] in (1, 2)  # Amsterdam; Rotterdam and Den Haag; Utrecht
        assert release.mapping[mayor] == Cell("burgemeester", province, "")
    sizes = groups_of(release.mapping, invited)
    assert sizes[Cell("griffier", "Utrecht", "")] >= K
    assert sizes[Cell("burgemeester", "Noord-Holland", "")] >= K


def test_the_decision_is_the_same_whatever_the_order(invited: Counter[Cell]) -> None:
    shuffled = Counter(dict(sorted(invited.items(), key=lambda item: item[0].key, reverse=True)))
    assert decide(invited, k=K).mapping == decide(shuffled, k=K).mapping


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        # a lone wethouder in a province of mayors: widening the role to its group costs 7, joining
        # the region costs nothing less; the role group wins the tie by the attribute order
        (
            {Cell("burgemeester", "Utrecht", "G4"): 6, Cell("wethouder", "Utrecht", "G4"): 1},
            {Cell("bestuur", "Utrecht", "G4")},
        ),
        # three small provinces of one region: together they are safe
        (
            {
                Cell("raadslid", "Drenthe", ""): 3,
                Cell("raadslid", "Groningen", ""): 6,
                Cell("raadslid", "Fryslân", ""): 1,
            },
            {Cell("raadslid", "Noord", "")},
        ),
        # nothing a single attribute can fix: joined with another group under what both share
        (
            {Cell("burgemeester", "Utrecht", "G4"): 5, Cell("wethouder", "Noord-Holland", "G4"): 4},
            {Cell("bestuur", "West", "G4")},
        ),
        # fewer than five in all: nothing shown
        ({Cell("raadslid", "Utrecht", "G4"): 3}, {NOTHING}),
    ],
)
def test_small_groups_are_widened_with_the_least_loss(
    population: dict[Cell, int], expected: set[Cell]
) -> None:
    assert set(decide(population, k=K).mapping.values()) == expected


def test_the_join_of_two_segments_is_what_both_share() -> None:
    assert join(
        Cell("burgemeester", "Utrecht", "G4"), Cell("wethouder", "Noord-Holland", "G4")
    ) == (Cell("bestuur", "West", "G4"))
    assert join(Cell("raadslid", "Groningen", "P10"), Cell("wethouder", "Limburg", "")) == NOTHING
    assert join(Cell("raad", "Noord", ""), Cell("griffier", "Drenthe", "")) == Cell(
        "raad", "Noord", ""
    )
    assert set(REGIONS.values()) == {"Noord", "Oost", "West", "Zuid"}


def test_a_label_answers_carry_stays_together_and_only_widens() -> None:
    """Labels stored with answers (frozen) keep their group of full segments; when that group is
    no longer safe it is widened as a whole, and the answers follow (``moved``)."""
    frozen_label = Cell("raadslid", "Utrecht", "G4")
    before = {frozen_label: 5, Cell("raadslid", "Utrecht", ""): 30}
    assert decide(before, k=K, frozen={frozen_label: [frozen_label]}).moved == {}
    after = {frozen_label: 3, Cell("raadslid", "Utrecht", ""): 30}  # two moved away
    release = decide(after, k=K, frozen={frozen_label: [frozen_label]})
    assert release.moved == {frozen_label: Cell("raadslid", "Utrecht", "")}
    # a group that is safe again later is not split back: its answers were stored widened
    widened = Cell("raadslid", "Utrecht", "")
    again = decide({frozen_label: 9, widened: 30}, k=K, frozen={widened: [frozen_label, widened]})
    assert again.mapping[frozen_label] == widened and again.moved == {}


# ---------------------------------------------------------------- stored, applied, re-checked


def sheet(*rows: tuple[str, str, str, str]) -> list[SheetRow]:
    header = SheetRow(1, ("Naam", "E-mail", "Rol", "Gemeente"))
    return [header, *(SheetRow(n, row) for n, row in enumerate(rows, start=2))]


def answer_as(door, email: str) -> None:  # type: ignore[no-untyped-def]
    """An invitee says yes, confirms their profile and answers the first question."""
    identity = Identity(channel="mail", email=email)
    for message in (
        Install(),
        Text("ja"),
        Text("ja"),
        Text("Wij werken in de regio vooral samen op het sociaal domein."),
    ):
        door.handle(InboundEvent(identity, message))


def stored_segments(database: Database) -> set[tuple[str | None, str | None, str]]:
    with database.unit_of_work() as session:
        rows = session.exec(select(AnswerRow)).all()
        return {(r.role, r.province, r.networks) for r in rows}


def test_answers_carry_the_released_segment_and_a_re_import_re_checks_it(
    database: Database, registry: MunicipalityRegistry, real_dialogue, clock
) -> None:  # type: ignore[no-untyped-def]
    roster = Roster(database=database, municipalities=registry, clock=clock)
    raadsleden = [(f"R{n}", f"r{n}@utrecht.nl", "Raadslid", "Utrecht") for n in range(5)]
    griffier = ("G", "griffier@utrecht.nl", "Griffier", "Utrecht")
    first = roster.import_rows(sheet(*raadsleden, griffier), actor="cli:t")
    assert first.segments is not None and first.segments.version == 1
    door = make_door(database, real_dialogue, registry, clock)
    answer_as(door, "r0@utrecht.nl")
    answer_as(door, "griffier@utrecht.nl")
    # the griffier alone would be one person: raadsleden and griffier share the role group Raad
    assert stored_segments(database) == {("raad", "Utrecht", "G4")}

    # Two raadsleden turn out to be wethouders: the Raad group is down to four people. The
    # re-import decides again and widens what the answers carry — by segment value only.
    moved = [(name, mail, "Wethouder", town) for name, mail, _, town in raadsleden[3:]]
    second = roster.import_rows(sheet(*raadsleden[:3], *moved, griffier), actor="cli:t")
    assert second.segments is not None and second.segments.version == 2
    assert second.segments.answers_relabelled == 2
    (label,) = stored_segments(database)
    with database.unit_of_work() as session:
        latest = session.exec(select(SegmentReleaseRow).where(SegmentReleaseRow.version == 2)).all()
    sharing = [
        r for r in latest if (r.released_role, r.released_province, r.released_networks) == label
    ]
    invitees = {("raadslid", "Utrecht", "G4"): 3, ("griffier", "Utrecht", "G4"): 1}
    invitees |= {("wethouder", "Utrecht", "G4"): 2}
    assert sum(invitees.get((r.role, r.province, r.networks), 0) for r in sharing) >= K


def test_someone_who_joins_without_an_invitation_gets_a_decided_segment(
    database: Database, registry: MunicipalityRegistry, real_dialogue, clock
) -> None:  # type: ignore[no-untyped-def]
    door = make_door(database, real_dialogue, registry, clock)
    identity = Identity(channel="teams", aad_object_id="aad-x", teams_user_id="29:x", name="X")
    for message in (
        Install(),
        Text("ja"),
        Text("raadslid"),
        Text("Utrecht"),
        Text("Wij werken samen."),
    ):
        door.handle(InboundEvent(identity, message))
    assert stored_segments(database) == {(None, None, "")}  # one person: nothing shown
    with database.unit_of_work() as session:
        assert session.exec(select(SegmentReleaseRow)).all()  # a decision was stored


def test_turns_before_the_role_is_known_decide_nothing_anew(
    database: Database, registry: MunicipalityRegistry, real_dialogue, clock
) -> None:  # type: ignore[no-untyped-def]
    door = make_door(database, real_dialogue, registry, clock)
    releases = door.turns.releases
    decided: list[str] = []
    recheck = releases.recheck

    def counted(session, *, now):  # type: ignore[no-untyped-def]
        decided.append(door.turns.dialogue.key)
        return recheck(session, now=now)

    releases.recheck = counted  # type: ignore[method-assign]
    identity = Identity(channel="teams", aad_object_id="aad-y", teams_user_id="29:y", name="Y")
    for message in (Install(), Text("ja"), Text("raadslid")):
        door.handle(InboundEvent(identity, message))
    assert decided == []  # without a role nobody is in the population: nothing to decide
    door.handle(InboundEvent(identity, Text("Utrecht")))  # now with a role: decided, once
    door.handle(InboundEvent(identity, Text("Wij werken samen.")))
    assert 1 <= len(decided) <= 2
    door.handle(InboundEvent(identity, Text("status")))
    assert len(decided) <= 2  # a known segment is looked up, not decided again
