"""The report's content: every step, figures that match hand counts, nothing under k shown, and
sensible output for an empty dialogue, a step with one respondent and hostile text."""

from __future__ import annotations

import re
from collections import Counter

from dialogen.reporting.build import build_report
from dialogen.reporting.facts import ReportFacts
from dialogen.reporting.model import Report
from tests.reporting.conftest import DECEMBER, make_desk
from tests.support.report_world import build_world

COUNT_COLUMNS = {
    "Uitgenodigd",
    "Bereikt in Teams",
    "Bereikt per mail",
    "Begonnen",
    "Afgerond",
    "Deden mee",
    "Deelnemers",
    "Aantal",
    "Gelezen door",
}


def small_counts(report: Report) -> list[str]:
    """Every count the report shows that describes 1..4 people (an automated scan)."""
    found = []
    for section in report.sections:
        for block in section.blocks:
            tables = [*block.tables, *(c.as_table() for c in block.charts)]
            for table in tables:
                for column, title in enumerate(table.header):
                    if title in COUNT_COLUMNS:
                        found += [
                            f"{table.caption}: {row[column]}"
                            for row in table.rows
                            if row[column].isdigit() and int(row[column]) < report.k
                        ]
            texts = [*block.paragraphs, *block.bullets]
            for text in texts:
                found += [
                    f"{block.heading}: {text}"
                    for n in re.findall(
                        r"(?<![\d,])(\d+)(?= (?:bijdragen|antwoorden|van de|rondden))|: (\d+)\.$",
                        text,
                    )
                    for value in n
                    if value and int(value) < report.k
                ]
    return found


def test_every_step_and_the_route_map(sqlite_database, real_dialogue, registry, december) -> None:
    build_world(sqlite_database, real_dialogue, registry, people=80)
    made = make_desk(sqlite_database, real_dialogue, registry, december).make(actor="test")
    titles = [s.title for s in made.report.sections]
    assert titles == [s.name for s in real_dialogue.steps] + ["Routekaart"]
    verkennen = made.report.section("verkennen")
    headings = [b.heading for b in verkennen.blocks]
    assert headings[:3] == ["Wat er gebeurde", "Verloop in de tijd", "Wie deden mee"]
    assert "Het verst achter" in " ".join(verkennen.blocks[2].paragraphs)
    assert made.report.headlines[0].startswith("Aandachtspunt 1: ")
    assert small_counts(made.report) == []


def test_a_choice_chart_matches_a_hand_count(sqlite_database, real_dialogue, registry, december):
    build_world(sqlite_database, real_dialogue, registry, people=80)
    desk = make_desk(sqlite_database, real_dialogue, registry, december)
    facts = desk.facts()
    by_hand = Counter(
        a.value for a in facts.answers if (a.step_key, a.question_id) == ("verkennen", "waardering")
    )
    question = real_dialogue.step("verkennen").question("waardering")
    block = next(
        b
        for b in desk.make(actor="t").report.section("verkennen").blocks
        if b.heading == question.text
    )
    (chart,) = block.charts
    shown = 0
    for bar, n in zip(chart.bars, range(1, 6), strict=True):
        if by_hand[n] < 5:
            assert (bar.text, bar.value) == ("< 5", None)
        elif bar.value is not None:  # a larger one may be hidden too, so the small one is safe
            assert (bar.text, bar.value) == (str(by_hand[n]), by_hand[n])
            shown += 1
    assert shown >= 2
    assert (
        str(len([a for a in facts.answers if a.question_id == "waardering"])) in block.paragraphs[0]
    )


def test_a_report_without_answers(sqlite_database, real_dialogue, registry, december) -> None:
    made = make_desk(sqlite_database, real_dialogue, registry, december).make(actor="t")
    assert "Er zijn nog geen antwoorden" in " ".join(made.report.introduction)
    assert len(made.report.sections) == 8
    assert small_counts(made.report) == []


def test_one_respondent_is_never_a_figure(sqlite_database, real_dialogue, registry, december):
    world = build_world(sqlite_database, real_dialogue, registry, people=1, answering=1.0)
    assert len(world.pseudonyms) == 1
    report = make_desk(sqlite_database, real_dialogue, registry, december).make(actor="t").report
    assert small_counts(report) == []
    shown = repr(report)
    assert "'1'" not in shown and " 1 van de" not in shown


def test_hostile_text_is_quoted_verbatim_and_long_text_cut(real_dialogue, registry) -> None:
    from dialogen.reporting.facts import ContributionFact
    from dialogen.reporting.question_part import shared_open_block
    from dialogen.stakeholders.segments import Segment
    from tests.support.report_world import SENTENCES

    question = real_dialogue.step("verkennen").question("beeld")
    hostile = '<script>alert(1)</script> =HYPERLINK("http://x") ' + SENTENCES[0]
    long = " ".join(SENTENCES * 10)
    texts = [hostile] * 6 + [long] * 6 + [SENTENCES[1]] * 6
    facts = [
        ContributionFact(
            f"{n:032x}",
            f"p{n}",
            "verkennen",
            "beeld",
            t,
            True,
            0,
            0,
            0,
            Segment(None, None, frozenset()),
        )
        for n, t in enumerate(texts)
    ]
    block = shared_open_block(question, texts, facts)
    quoted = [q.text for q in block.quotes]
    assert hostile in quoted
    assert any(q.endswith(" […]") and long.startswith(q[:-4]) for q in quoted)
    assert all(len(q) < 800 for q in quoted)


def test_a_pure_build_is_deterministic(real_dialogue) -> None:
    first = build_report(real_dialogue, ReportFacts(), DECEMBER)
    assert first == build_report(real_dialogue, ReportFacts(), DECEMBER)
