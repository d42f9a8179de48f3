"""The report, the exports and the results message on a dialogue simulated through the real door
(``bot.simulation``: Teams and mail, all seven steps): the files open with every section, and an
automated scan finds no group under 5 in the report, the HTML or the exports."""

from __future__ import annotations

import io
import re
from datetime import datetime
from html.parser import HTMLParser

import pytest
from docx import Document

from bot.reporting.page import report_html
from bot.reporting.word import report_docx
from bot.simulation.run import SimulationClock, simulate
from dialogen.reporting.exports import build_export, group_sizes
from tests.conftest import AMS, make_runtime, test_settings
from tests.reporting.test_report_content import COUNT_COLUMNS, small_counts
from tests.reporting.test_report_files import k_safe

PARTICIPANTS = 120


@pytest.fixture(scope="module")
def simulated(tmp_path_factory, registry, real_dialogue):
    from dialogen.store.database import Database

    folder = tmp_path_factory.mktemp("simulated")
    database = Database(f"sqlite:///{folder / 'dialoog.db'}")
    database.migrate()
    clock = SimulationClock(datetime(2024, 8, 1, tzinfo=AMS))
    runtime = make_runtime(
        test_settings(folder),
        database=database,
        clock=clock,
        dialogue=real_dialogue,
        registry=registry,
    )
    summary = simulate(runtime, participants=PARTICIPANTS, seed=3)
    clock.set(datetime(2024, 12, 5, 10, 0, tzinfo=AMS))
    made = runtime.reports().make(actor="test")
    yield runtime, made, summary
    database.dispose()


def test_the_simulated_report_has_every_section_and_no_small_group(simulated) -> None:
    runtime, made, _ = simulated
    report = made.report
    assert [s.title for s in report.sections][-1] == "Routekaart"
    assert small_counts(report) == []
    verkennen = report.section("verkennen")
    assert any(b.quotes for b in verkennen.blocks)  # shared answers quoted (masked)
    voorkeuren = report.section("voorkeuren")
    assert any(t.header[0] == "Plaats" for b in voorkeuren.blocks for t in b.tables)
    document = Document(io.BytesIO(report_docx(report)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[1:] == [s.title for s in report.sections]
    charts = [c for s in report.sections for b in s.blocks for c in b.charts]
    assert len(charts) >= 6  # every choice, scale and priority question answered by 5 or more
    assert len(document.inline_shapes) == len(charts)  # each drawn as an image


def test_the_simulated_html_shows_no_count_under_5(simulated) -> None:
    _, made, _ = simulated

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[str]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append("".join(self.cell))
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    cells = Cells()
    cells.feed(report_html(made.report))
    header: list[str] = []
    for row in cells.rows:
        if row and row[0] in ("", "Groep", "Uitgenodigd") or "Uitgenodigd" in row:
            header = row
            continue
        for title, text in zip(header, row, strict=False):
            if title in COUNT_COLUMNS:
                assert not re.fullmatch(r"[1-4]", text), (header, row)


def test_the_simulated_exports_are_k_safe(simulated) -> None:
    runtime, made, _ = simulated
    export = build_export(runtime.dialogue, made.facts, runtime.clock())
    for sheet in export.sheets[:4]:
        assert k_safe(group_sizes(sheet.rows)), sheet.name
    text = " ".join(str(v) for s in export.sheets for r in s.rows for v in r)
    from sqlmodel import select

    from dialogen.store.tables import ParticipantRow

    with runtime.database.unit_of_work() as session:
        people = session.exec(select(ParticipantRow)).all()
        identities = [p.email for p in people if p.email] + [p.name for p in people if p.name]
        identities += [p.aad_object_id for p in people if p.aad_object_id]
    assert identities and not any(i in text for i in identities)
