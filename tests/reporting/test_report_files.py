"""The files: the Word document read back with python-docx, the HTML parsed, the exports read back
with openpyxl and csv — structure, figures, types, and an automated scan for groups under k and
anything that identifies a person."""

from __future__ import annotations

import csv
import io
import random
import shutil
import subprocess
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.reporting.page import report_html
from bot.reporting.spreadsheet import export_csv, export_xlsx
from bot.reporting.word import report_docx
from dialogen.reporting.exports import build_export, group_sizes
from tests.reporting.conftest import DECEMBER, make_desk
from tests.support.report_world import build_world

FORMULA = '=HYPERLINK("http://127.0.0.1/x","klik")'


@pytest.fixture
def world_and_report(sqlite_database, real_dialogue, registry, december):
    extra = {("verdiepen", "aanpak"): [FORMULA]}
    world = build_world(sqlite_database, real_dialogue, registry, people=90, extra_answers=extra)
    made = make_desk(sqlite_database, real_dialogue, registry, december).make(actor="t")
    return world, made


def test_the_word_document(world_and_report) -> None:
    _, made = world_and_report
    document = Document(io.BytesIO(report_docx(made.report)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Inhoud", *(s.title for s in made.report.sections)]
    assert any(
        p.style.name == "Heading 2" and p.text == "Wie deden mee" for p in document.paragraphs
    )
    body = document.element.body.xml
    assert 'TOC \\o "1-2"' in body
    assert len(document.tables) >= 30
    shapes = document.inline_shapes
    charts = [c for s in made.report.sections for b in s.blocks for c in b.charts]
    assert len(shapes) == len(charts) > 5
    alts = [shape._inline.docPr.get("descr") for shape in shapes]
    assert alts == [c.alt for c in charts] and all(a.startswith("Staafdiagram") for a in alts)
    happened = next(t for t in document.tables if t.rows[0].cells[0].text == "Uitgenodigd")
    assert [c.text for c in happened.rows[1].cells] == list(
        made.report.section("verkennen").blocks[0].tables[0].rows[0]
    )


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.images: list[dict[str, str | None]] = []
        self.headings: list[str] = []
        self._cell: list[str] | None = None
        self._heading = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "img":
            self.images.append(dict(attrs))
        elif tag in ("h1", "h2", "h3"):
            self._heading = True
            self.headings.append("")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None
        elif tag in ("h1", "h2", "h3"):
            self._heading = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._heading:
            self.headings[-1] += data


def test_the_html_page(world_and_report) -> None:
    _, made = world_and_report
    page = report_html(made.report)
    parsed = _Tables()
    parsed.feed(page)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="nl">' in page
    assert all(s.title in parsed.headings for s in made.report.sections)
    assert parsed.images and all(
        img["alt"] and img["src"].startswith("data:image/png") for img in parsed.images
    )
    expected = [
        [list(t.header), *map(list, t.rows)]
        for s in made.report.sections
        for b in s.blocks
        for t in [*(c.as_table() for c in b.charts if c.table), *b.tables]
    ]
    assert parsed.tables == expected
    assert "<script>" not in page.split("</style>")[1]


def test_the_excel_export(world_and_report, sqlite_database, real_dialogue, registry) -> None:
    world, made = world_and_report
    export = build_export(real_dialogue, made.facts, DECEMBER, rng=random.Random(1))
    book = load_workbook(io.BytesIO(export_xlsx(export)))
    assert book.sheetnames == ["Antwoorden", "Bijdragen", "Reacties", "Prioriteiten", "Deelname"]
    answers = book["Antwoorden"]
    assert answers.freeze_panes == "A2"
    header = [c.value for c in answers[1]]
    assert header == [
        "Respondent",
        "Rol",
        "Provincie",
        "Netwerken",
        "Stap",
        "Vraag",
        "Antwoord",
        "Datum",
    ]
    rows = list(answers.iter_rows(min_row=2, values_only=True))
    scale = [r for r in rows if r[5] == "waardering"]
    assert scale and all(isinstance(r[6], int) for r in scale)
    assert all(isinstance(r[7], datetime) for r in rows)
    assert {r[0] for r in rows} <= set(range(1, len(world.pseudonyms) + 1))
    formula_cells = [c for row in answers.iter_rows(min_row=2) for c in row if c.value == FORMULA]
    assert formula_cells and all(c.data_type == "s" for c in formula_cells)
    everything = " ".join(
        str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row
    )
    assert not any(p in everything for p in world.pseudonyms.values())
    assert not any(e in everything for e in world.emails.values())
    assert "Persoon " not in everything


def test_exports_are_k_safe_and_not_joinable(world_and_report, real_dialogue) -> None:
    _, made = world_and_report
    first = build_export(real_dialogue, made.facts, DECEMBER)
    second = build_export(real_dialogue, made.facts, DECEMBER)
    for sheet in first.sheets[:4]:
        sizes = group_sizes(sheet.rows)
        assert k_safe(sizes), (sheet.name, sizes)
    one = sorted(map(tuple, first.sheet("Antwoorden").rows), key=repr)
    two = sorted(map(tuple, second.sheet("Antwoorden").rows), key=repr)
    assert {r[1:] for r in one} == {r[1:] for r in two}  # the same answers...
    assert one != two  # ...under a fresh numbering per export
    for row in first.sheet("Deelname").rows:
        for figure in row[3:]:
            assert figure == "< 5" or (isinstance(figure, int) and figure >= 5), row


def k_safe(sizes: dict) -> bool:
    """Every segment combination a sheet shows holds 5 respondents (the blank one says nothing)."""
    return all(n >= 5 for combination, n in sizes.items() if combination != ("", "", ""))


def test_coarsening_holds_in_the_export_and_in_each_sheet() -> None:
    from dialogen.reporting.exports import coarsen
    from dialogen.stakeholders.segments import Segment

    utrecht = Segment("wethouder", "Utrecht", frozenset({"G4"}))
    limburg = Segment("raadslid", "Limburg", frozenset())
    segments = {f"u{n}": utrecht for n in range(6)} | {f"l{n}": limburg for n in range(6)}
    segments["x"] = Segment("griffier", "Zeeland", frozenset())
    few = {"u0", "u1", "l0", "l1", "l2", "l3", "l4", "l5"}  # e.g. who reacted
    shown = coarsen(segments, 5, [few])
    assert shown["l0"] == shown["l5"] == ("raadslid", "Limburg", "")
    assert shown["u0"] == ("", "", "")  # two in the sheet: blank, and so in every sheet
    assert shown["x"] == ("", "", "")
    # the whole export's blank group would be 3 (u0, u1, x): the Utrecht group joins it
    assert shown["u5"] == ("", "", "")
    for population in (segments, few):
        sizes: dict = {}
        for p in population:
            sizes[shown[p]] = sizes.get(shown[p], 0) + 1
        assert k_safe(sizes), sizes
    assert sum(1 for p in segments if shown[p] == ("", "", "")) >= 5


def test_the_csv_export_neutralises_formulas(world_and_report, real_dialogue, tmp_path) -> None:
    _, made = world_and_report
    export = build_export(real_dialogue, made.facts, DECEMBER)
    written = export_csv(export, tmp_path / "antwoorden.csv")
    assert [p.name for p in written][:2] == ["antwoorden.csv", "antwoorden-bijdragen.csv"]
    text = written[0].read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    cells = [c for r in rows for c in r]
    assert "'" + FORMULA in cells and FORMULA not in cells


@pytest.mark.skipif(
    not shutil.which("soffice") or not shutil.which("pdftoppm"), reason="LibreOffice"
)
def test_the_first_pages_render(world_and_report, tmp_path: Path) -> None:
    """LibreOffice opens the document and renders its first pages (scripts/setup.d installs it)."""
    _, made = world_and_report
    source = tmp_path / "rapport.docx"
    source.write_bytes(report_docx(made.report))
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "3",
            str(tmp_path / "rapport.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 3 and all(p.stat().st_size > 500 for p in pages)


def test_a_chart_with_one_value_or_none_shown_still_renders() -> None:
    from PIL import Image

    from bot.reporting.charts import chart_png
    from dialogen.reporting.model import Bar, Chart

    for bars in ((Bar("Alleen", "12", "100%", 12.0),), (Bar("A", "< 5", "–", None),) * 3):
        png = chart_png(Chart("Titel", "deelnemers", bars, "Staafdiagram"))
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.size[0] > 300
