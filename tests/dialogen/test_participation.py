"""Participation figures with k-anonymity: the pure measurement, and measured from a real
database."""

from __future__ import annotations

from datetime import datetime

from dialogen.conversation.inputs import Install, Text
from dialogen.door.events import Identity, InboundEvent
from dialogen.participation.figures import PersonRecord, StartRecord, measure, suppress_column
from dialogen.participation.figures_text import render_text
from dialogen.stakeholders.roster import Roster
from dialogen.stakeholders.segments import Segment
from dialogen.stakeholders.sheet import SheetRow
from dialogen.store import participation_queries as queries
from tests.conftest import AMS, SEALING, make_door

NOW = datetime(2024, 10, 1, 10, 0, tzinfo=AMS)  # Verkennen is open
MAYOR = Segment("burgemeester", "Utrecht", frozenset())
ALDERMAN = Segment("wethouder", "Utrecht", frozenset({"G4"}))


def person(segment: Segment, *completed: str, invited: bool = True) -> PersonRecord:
    return PersonRecord(segment, invited, frozenset(completed), consent=True)


def group(report, title: str) -> dict[str, tuple[str, str, str]]:
    table = next(t for t in report.groups if t.title == title)
    return {line.group: (line.invited, line.started, line.completed) for line in table.lines}


def test_a_group_of_four_is_shown_as_under_five(real_dialogue) -> None:
    people = [person(MAYOR, "verkennen") for _ in range(6)] + [
        person(ALDERMAN, "verkennen") for _ in range(4)
    ]
    starts = [StartRecord("verkennen", f"p{n}", MAYOR) for n in range(6)]
    starts += [StartRecord("verkennen", f"q{n}", ALDERMAN) for n in range(4)]
    report = measure(real_dialogue, NOW, people, starts)
    roles = group(report, "Per rolgroep")
    assert roles["Burgemeester"] == ("6", "6", "6")
    assert roles["Wethouder"] == ("< 5", "< 5", "< 5")
    assert roles["Raadslid"] == ("< 5", "< 5", "< 5")  # zero is small too
    assert group(report, "Per netwerk")["G4"] == ("< 5", "< 5", "< 5")
    assert report.invited == "10"
    verkennen = report.steps[0]
    assert (verkennen.step, verkennen.started, verkennen.started_share) == (
        "Verkennen",
        "10",
        "100%",
    )
    text = render_text(report)
    assert "< 5" in text and "Wethouder" in text and " 4 " not in text


def test_one_hidden_part_of_a_partition_hides_a_second_one() -> None:
    assert suppress_column({"a": 20, "b": 7, "c": 3}, partition=True) == {
        "a": "20",
        "b": "< 5",
        "c": "< 5",
    }
    assert suppress_column({"a": 20, "b": 7, "c": 3}, partition=False) == {
        "a": "20",
        "b": "7",
        "c": "< 5",
    }
    assert suppress_column({"a": 20, "b": 3, "c": 2}, partition=True) == {
        "a": "20",
        "b": "< 5",
        "c": "< 5",
    }


def test_percentages_only_for_shown_counts(real_dialogue) -> None:
    people = [person(MAYOR) for _ in range(40)]
    starts = [StartRecord("verkennen", f"p{n}", MAYOR) for n in range(3)]
    report = measure(real_dialogue, NOW, people, starts)
    assert (report.steps[0].started, report.steps[0].started_share) == ("< 5", "–")


def test_the_figures_follow_the_open_step_or_the_one_asked_for(real_dialogue) -> None:
    assert measure(real_dialogue, NOW, [], []).focus_step == "Verkennen"
    assert measure(real_dialogue, NOW, [], [], step_key="voorkeuren").focus_step == "Voorkeuren"
    later = datetime(2024, 12, 31, 12, 0, tzinfo=AMS)
    assert measure(real_dialogue, later, [], []).focus_step == "Verdiepen"


def test_participation_measured_from_the_database(database, registry, real_dialogue, clock) -> None:
    header = SheetRow(1, ("Naam", "E-mail", "Rol", "Gemeente"))
    people = [
        SheetRow(n + 2, (f"B{n}", f"b{n}@utrecht.nl", "Burgemeester", "Utrecht")) for n in range(5)
    ]
    people += [
        SheetRow(n + 10, (f"W{n}", f"w{n}@utrecht.nl", "Wethouder", "Amsterdam")) for n in range(4)
    ]
    # a fifth alderman, from Rotterdam: the aldermen share the region West (k-safe segments)
    people += [SheetRow(20, ("W9", "w9@rotterdam.nl", "Wethouder", "Rotterdam"))]
    Roster(database=database, municipalities=registry, clock=clock).import_rows(
        [header, *people], actor="cli:t"
    )
    door = make_door(database, real_dialogue, registry, clock)
    first_question = real_dialogue.step("verkennen").questions[0]
    assert first_question.kind.value == "open"
    for n in range(5):
        identity = Identity(channel="mail", email=f"b{n}@utrecht.nl")
        for message in (
            Install(),
            Text("ja"),
            Text("ja"),
            Text("De samenwerking in de regio werkt goed."),
        ):
            door.handle(InboundEvent(identity, message))
    with database.unit_of_work() as session:
        found_people = queries.people(session, municipalities=registry, cipher=SEALING.progress)
        found_starts = queries.starts(session, dialogue_key=real_dialogue.key)
    assert len(found_people) == 10 and len(found_starts) == 5
    report = measure(real_dialogue, clock(), found_people, found_starts)
    roles = group(report, "Per rolgroep")
    assert roles["Burgemeester"] == ("5", "5", "< 5")  # started, not yet completed
    assert roles["Wethouder"] == ("5", "< 5", "< 5")
    provinces = group(report, "Per provincie")
    assert provinces["Utrecht"] == ("5", "5", "< 5")
    assert provinces["West (regio)"] == ("5", "< 5", "< 5")  # Noord- and Zuid-Holland: 4 and 1
    assert provinces["Noord-Holland"] == ("< 5", "< 5", "< 5")
    assert group(report, "Per netwerk")["G4"] == ("10", "5", "< 5")
