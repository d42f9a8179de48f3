"""Contributions through the door, on SQLite and PostgreSQL: shared answers become masked,
anonymous contributions; in Verrijken participants react to others' (never their own), their
additions become contributions, reports hide one and its author is told; moderation ``pre`` holds
them back until a facilitator approves; Verrijken opens with what Verkennen produced."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlmodel import select

from dialogen.contributions.service import groups_of
from dialogen.conversation import messages as msg
from dialogen.conversation.inputs import Submit, Text
from dialogen.conversation.replies import Prompt, PromptKind
from dialogen.dialogue.definition import ContributionRules, Dialogue
from dialogen.door.door import Door
from dialogen.privacy.pseudonyms import Pseudonyms
from dialogen.stakeholders.municipalities import MunicipalityRegistry
from dialogen.stakeholders.segments import Segment
from dialogen.store.contributions import ContributionRow, ReactionRow
from dialogen.store.database import Database
from dialogen.store.outbox import OutboxRow
from dialogen.store.tables import AnswerRow
from tests.conftest import AMS, SECRET
from tests.planning.people import People
from tests.support.clock import FakeClock

VERRIJKEN = datetime(2024, 10, 9, 10, 0, tzinfo=AMS)


def door_for(
    database: Database,
    dialogue: Dialogue,
    registry: MunicipalityRegistry,
    clock: FakeClock,
    **rules: Any,
) -> Door:
    if rules:
        dialogue = dialogue.model_copy(update={"contributions": ContributionRules(**rules)})
    return Door(
        database=database,
        dialogue=dialogue,
        municipalities=registry,
        pseudonyms=Pseudonyms(SECRET),
        clock=clock,
    )


def verkennen(people: People, name: str, beeld: str, oplossing: str, themas: str = "1, 2") -> None:
    """Through Verkennen: the shared open answers as given, the rest briefly."""
    people.join(name)
    people.send(name, Text("verder"))
    for answer in (beeld, "4", themas, "2", "overslaan", oplossing, "overslaan"):
        people.send(name, Text(answer))


def rows(database: Database, table: type) -> list[Any]:
    with database.unit_of_work() as session:
        found = list(session.exec(select(table)).all())
        for row in found:
            session.expunge(row)
        return found


def prompt(people: People, name: str) -> Prompt:
    return [r for r in people.last[name] if isinstance(r, Prompt)][-1]


@pytest.fixture
def setting(database: Database, real_dialogue: Dialogue, registry, clock: FakeClock):
    def make(**rules: Any) -> People:
        return People(door_for(database, real_dialogue, registry, clock, **rules))

    return make


def test_a_shared_answer_is_a_masked_anonymous_contribution(setting, database, clock):
    people = setting()
    people.join("ria")  # on the participant list: her name is masked in others' texts
    people.ids.clear()
    verkennen(
        people,
        "anna",
        "Met wethouder ria samen bellen kan via 06-12345678, mailen via a.jansen@utrecht.nl.",
        "Een regionale raadscommissie per gemeenschappelijke regeling werkt goed in Utrecht.",
    )
    found = {r.question_id: r for r in rows(database, ContributionRow)}
    assert set(found) == {"beeld", "oplossing"}  # the questions marked share: true
    beeld = found["beeld"]
    assert "06-12345678" not in beeld.text and "a.jansen@utrecht.nl" not in beeld.text
    assert "[telefoonnummer]" in beeld.text and "[e-mailadres]" in beeld.text
    assert beeld.state == "visible" and len(beeld.spans) >= 2
    assert found["oplossing"].text.endswith("werkt goed in Utrecht.")  # places stay
    assert beeld.pseudonym == Pseudonyms(SECRET).of(people.ids["anna"])
    # the segment and day the answer itself carries (released, k-safe; the day the step opened)
    answer = next(
        a
        for a in rows(database, AnswerRow)
        if a.pseudonym == beeld.pseudonym and a.question_id == "beeld"
    )
    assert (beeld.role, beeld.province, beeld.networks) == (
        answer.role,
        answer.province,
        answer.networks,
    )
    assert beeld.created_on == answer.recorded_on


def test_in_verrijken_participants_react_to_others_never_their_own(setting, database, clock):
    people = setting()
    for name in ("anna", "bert", "carla"):
        verkennen(
            people,
            name,
            f"Het beeld van {name}: veel te veel regelingen.",
            f"De oplossing van {name}: minder regelingen en meer raad.",
        )
    clock.set(VERRIJKEN)
    people.send("anna", Text("verder"))
    shown = prompt(people, "anna")
    assert shown.kind is PromptKind.REACTION and "anna" not in (shown.quote or "")
    first = shown.item
    people.send("anna", Submit("q:verrijken:reacties", "eens: helemaal waar", item=first))
    second = prompt(people, "anna").item
    assert second != first
    people.send("anna", Text("oneens"))
    reactions = rows(database, ReactionRow)
    assert [(r.contribution_id, r.vote) for r in reactions].count((first, "eens")) == 1
    assert {r.contribution_id for r in reactions} == {first, second}
    by_id = {r.id: r for r in rows(database, ContributionRow)}
    assert by_id[first].agree == 1 and by_id[second].disagree == 1
    anna = next(r for r in rows(database, ReactionRow) if r.contribution_id == first)
    released = Segment(anna.role, anna.province, frozenset(filter(None, anna.networks.split(","))))
    assert by_id[first].groups == {group: [1, 0, 0] for group in groups_of(released)}
    addition = [r for r in by_id.values() if r.source_key == first]
    assert [a.text for a in addition] == ["helemaal waar"]  # the addition is a contribution
    assert addition[0].pseudonym == Pseudonyms(SECRET).of(people.ids["anna"])
    # the next turn goes on with the contribution the chat shows now, not a new draw
    third = prompt(people, "anna").item
    people.send("anna", Text("status"))
    assert prompt(people, "anna").item == third


@pytest.mark.parametrize("how", ["typed", "card"])
def test_a_reaction_to_one_hidden_while_it_was_shown_is_not_given_to_the_next(
    setting, database, clock, how
):
    people = setting()
    for name in ("anna", "bert", "carla"):
        verkennen(
            people,
            name,
            f"Het beeld van {name}: veel te veel regelingen.",
            f"De oplossing van {name}: minder regelingen en meer raad.",
        )
    clock.set(VERRIJKEN)
    people.send("anna", Text("verder"))
    seen = prompt(people, "anna").item
    with database.unit_of_work() as session:  # hidden meanwhile (a facilitator, another replica)
        row = session.get(ContributionRow, seen)
        row.state, row.hidden_reason = "hidden", "persoonlijk"
    agreed = Text("eens") if how == "typed" else Submit("q:verrijken:reacties", "eens", item=seen)
    people.send("anna", agreed)
    assert msg.REACTION_GONE in [getattr(r, "text", "") for r in people.last["anna"]]
    assert rows(database, ReactionRow) == []
    following = prompt(people, "anna").item
    assert following not in (None, seen)
    people.send("anna", Text("eens"))  # about what is shown now: taken
    assert [r.contribution_id for r in rows(database, ReactionRow)] == [following]


def test_three_reports_hide_a_contribution_and_its_author_is_told(setting, database, clock):
    people = setting()
    names = ("anna", "bert", "carla", "daan", "eva")
    for name in names:
        verkennen(
            people,
            name,
            f"Beeld van {name}, met genoeg woorden erin.",
            f"Oplossing van {name}, met genoeg woorden erin.",
        )
    clock.set(VERRIJKEN)
    target = next(
        r for r in rows(database, ContributionRow) if r.original.startswith("Beeld van eva")
    )
    reporters = 0
    for name in names[:4]:
        people.send(name, Text("verder"))
        for _ in range(10):
            if prompt(people, name).item == target.id:
                people.send(name, Text("melden"))
                assert msg.REACTION_REPORTED in [getattr(r, "text", "") for r in people.last[name]]
                reporters += 1
                break
            people.send(name, Text("pas"))
        if reporters == 3:
            break
    assert reporters == 3
    hidden = next(r for r in rows(database, ContributionRow) if r.id == target.id)
    assert hidden.state == "hidden" and hidden.reports == 3 and hidden.hidden_reason == "meldingen"
    told = [r for r in rows(database, OutboxRow) if r.kind == "contribution_hidden"]
    assert [r.participant_id for r in told] == [people.ids["eva"]]


def test_with_moderation_pre_nothing_is_shown_before_approval(setting, database, clock):
    people = setting(moderation="pre")
    for name in ("anna", "bert"):
        verkennen(
            people,
            name,
            f"Beeld van {name}, met genoeg woorden.",
            f"Oplossing van {name}, met genoeg woorden.",
        )
    assert {r.state for r in rows(database, ContributionRow)} == {"pending"}
    clock.set(VERRIJKEN)
    people.send("anna", Text("verder"))
    texts = [getattr(r, "text", "") for r in people.last["anna"]]
    assert msg.REACTION_NONE_LEFT in texts


def test_verrijken_opens_with_verkennen_s_outcome_for_five_or_more(setting, clock):
    people = setting()
    for name in ("anna", "bert", "carla", "daan"):
        verkennen(people, name, "Een beeld met genoeg woorden.", "Een oplossing met woorden.")
    clock.set(VERRIJKEN)
    people.send("anna", Text("verder"))
    assert not any(
        "Wat stap Verkennen opleverde" in getattr(r, "text", "") for r in people.last["anna"]
    )  # four people: too few to show anything
    clock.set(datetime(2024, 10, 1, 10, 0, tzinfo=AMS))
    verkennen(people, "eva", "Een beeld met genoeg woorden.", "Een oplossing met woorden.", "1, 3")
    clock.set(VERRIJKEN)
    door = door_for(
        people.door._database,
        people.door.dialogue,
        people.door.turns.municipalities,  # noqa: SLF001
        clock,
    )  # a new process: no cached outcome
    people.door = door
    people.send("bert", Text("verder"))
    outcome = next(
        getattr(r, "text", "")
        for r in people.last["bert"]
        if "Wat stap Verkennen opleverde" in getattr(r, "text", "")
    )
    assert "Democratische legitimiteit en de rol van de raad (100%)" in outcome
    assert "Gemeenten hebben verschillende belangen (100%)" in outcome
    assert "Sturing" not in outcome  # chosen by four: under five, not shown
    assert "Voorkomen van een extra bestuurslaag" not in outcome  # chosen by one
