"""The report, the exports and the results message on the full simulated dialogue (the issue's
proof: ``dialoog simulate`` with 3,000 invitees over all seven steps, Teams and mail, through the
real door; ``tests/support/full_dialogue.py`` builds it once and keeps it): the Word file opens
with every section, table and chart image, the HTML's tables are the report's figures, and an
automated scan finds no group under 5 in the report, the HTML or the exports."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from docx import Document
from sqlmodel import select

from bot.reporting.page import report_html
from bot.reporting.word import report_docx
from bot.simulation.run import SimulationClock
from dialogen.reporting import messages as rmsg
from dialogen.reporting.exports import build_export, group_sizes
from dialogen.store.database import Database
from dialogen.store.tables import ParticipantRow
from tests.conftest import AMS, make_runtime, test_settings
from tests.reporting.test_report_content import COUNT_COLUMNS, small_counts
from tests.reporting.test_report_files import _Tables, k_safe
from tests.support.full_dialogue import PARTICIPANTS, copy_of

# the first test waits for the dialogue's build (minutes of CPU) when it is not kept yet
pytestmark = pytest.mark.timeout(2400)
REPORT_DAY = datetime(2024, 12, 5, 10, 0, tzinfo=AMS)  # Voortzetten is open


@pytest.fixture(scope="module")
def simulated(tmp_path_factory, full_dialogue, registry, real_dialogue):
    folder = tmp_path_factory.mktemp("full-dialogue")
    database = Database(f"sqlite:///{copy_of(full_dialogue, folder)}")
    database.migrate()  # already at head: nothing to do
    runtime = make_runtime(
        test_settings(folder),
        database=database,
        clock=SimulationClock(REPORT_DAY),
        dialogue=real_dialogue,
        registry=registry,
    )
    made = runtime.reports().make(actor="test")
    yield runtime, made
    database.dispose()


def test_the_simulated_report_has_every_section_and_no_small_group(
    simulated, full_dialogue
) -> None:
    runtime, made = simulated
    report = made.report
    assert full_dialogue.summary[0].startswith(f"{PARTICIPANTS} genodigden")
    assert [s.title for s in report.sections] == [
        *(s.name for s in runtime.dialogue.steps),
        "Routekaart",
    ]
    assert small_counts(report) == []
    (reached,) = report.section("verzamelen").blocks[0].tables
    figures = dict(reached.rows)
    assert figures[rmsg.INVITED] == str(PARTICIPANTS)
    assert int(figures[rmsg.REACHED_TEAMS]) >= 5 and int(figures[rmsg.REACHED_MAIL]) >= 5
    verkennen = report.section("verkennen")
    assert any(b.quotes for b in verkennen.blocks)  # shared answers quoted (masked)
    voorkeuren = report.section("voorkeuren")
    assert any(t.header[0] == "Plaats" for b in voorkeuren.blocks for t in b.tables)
    document = Document(io.BytesIO(report_docx(report)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Inhoud", *(s.title for s in report.sections)]
    tables = [t for s in report.sections for b in s.blocks for t in b.tables]
    in_word = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert tables and all(list(t.header) in in_word for t in tables)  # every table, as a table
    for table in document.tables:  # the scan, on the Word file itself
        header = [c.text for c in table.rows[0].cells]
        for row in table.rows[1:]:
            for title, cell in zip(header, row.cells, strict=False):
                if title in COUNT_COLUMNS:
                    assert not re.fullmatch(r"[1-4]", cell.text.strip()), (header, cell.text)
    charts = [c for s in report.sections for b in s.blocks for c in b.charts]
    assert len(charts) >= 6  # every choice, scale and priority question answered by 5 or more
    assert len(document.inline_shapes) == len(charts)  # each drawn as an image, with alt text
    alts = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert alts == [c.alt for c in charts]


def test_the_simulated_html_is_the_figures_and_shows_no_count_under_5(simulated) -> None:
    _, made = simulated
    page = report_html(made.report)
    parsed = _Tables()
    parsed.feed(page)
    expected = [
        [list(t.header), *map(list, t.rows)]
        for s in made.report.sections
        for b in s.blocks
        for t in [*(c.as_table() for c in b.charts if c.table), *b.tables]
    ]
    assert parsed.tables == expected
    for table in parsed.tables:
        header, *rows = table
        for row in rows:
            for title, text in zip(header, row, strict=False):
                if title in COUNT_COLUMNS:
                    assert not re.fullmatch(r"[1-4]", text.strip()), (header, row)


def test_the_simulated_exports_are_k_safe(simulated) -> None:
    runtime, made = simulated
    export = build_export(runtime.dialogue, made.facts, runtime.clock())
    for sheet in export.sheets[:4]:
        assert sheet.rows, sheet.name
        assert k_safe(group_sizes(sheet.rows)), sheet.name
    participation = export.sheets[4]
    counts = [v for r in participation.rows for v in r[3:] if isinstance(v, int)]
    assert counts and not [n for n in counts if 0 < n < 5]  # shown "< 5" instead
    text = " ".join(str(v) for s in export.sheets for r in s.rows for v in r)
    with runtime.database.unit_of_work() as session:
        people = session.exec(select(ParticipantRow)).all()
        identities = [p.email for p in people if p.email] + [p.name for p in people if p.name]
        identities += [p.aad_object_id for p in people if p.aad_object_id]
        identities += [p.id for p in people]
    assert len(people) >= PARTICIPANTS and not any(i in text for i in identities)
