"""The report as a Word document (python-docx): real headings (Heading 1 per step, Heading 2 per
part; a part in a group, such as a Verdiepen top theme, is a Heading 3 under the group's
Heading 2), a table of contents field that Word fills on opening, tables with a header row,
charts as PNG pictures with alt text, quotes in the Quote style."""

from __future__ import annotations

import io
from collections.abc import Callable

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from bot.reporting.charts import chart_png
from dialogen.reporting.model import Block, Report, Table

TOC_HEADING = "Inhoud"


def report_docx(report: Report, *, progress: Callable[[str], None] | None = None) -> bytes:
    document = Document()
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)
    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(10.5)
    document.core_properties.title = report.title
    document.core_properties.subject = report.subtitle
    document.add_heading(report.title, level=0)
    document.add_paragraph(report.subtitle, style="Subtitle")
    document.add_paragraph(report.made_on)
    for paragraph in report.introduction:
        document.add_paragraph(paragraph)
    document.add_heading(TOC_HEADING, level=1)
    _toc(document, [part.title for part in report.sections])
    _update_fields_on_open(document)
    for part in report.sections:
        document.add_page_break()
        document.add_heading(part.title, level=1)
        for paragraph in part.paragraphs:
            document.add_paragraph(paragraph)
        group = ""
        for block in part.blocks:
            if block.group and block.group != group:
                document.add_heading(block.group, level=2).paragraph_format.keep_with_next = True
            group = block.group
            _block(document, block)
        if progress:
            progress(part.title)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _block(document: object, block: Block) -> None:
    doc = document  # python-docx's Document has no public type
    level = 3 if block.group else 2  # under its group's heading
    heading = doc.add_heading(block.heading, level=level)  # type: ignore[attr-defined]
    heading.paragraph_format.keep_with_next = True  # never alone at the foot of a page
    for paragraph in block.paragraphs:
        added = doc.add_paragraph(paragraph)  # type: ignore[attr-defined]
        added.paragraph_format.keep_with_next = True
    for bullet in block.bullets:
        doc.add_paragraph(bullet, style="List Bullet")  # type: ignore[attr-defined]
    for chart in block.charts:
        doc.add_picture(io.BytesIO(chart_png(chart)), width=Cm(15))  # type: ignore[attr-defined]
        picture = doc.inline_shapes[-1]  # type: ignore[attr-defined]
        properties = picture._inline.docPr  # noqa: SLF001 - alt text has no public API
        properties.set("descr", chart.alt)
        properties.set("title", chart.title)
        caption = doc.add_paragraph(chart.title, style="Caption")  # type: ignore[attr-defined]
        caption.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if chart.table:
            _table(doc, chart.as_table(), caption=False)
    for table in block.tables:
        _table(doc, table, caption=table.caption != block.heading)
    for quote in block.quotes:
        said = doc.add_paragraph(f"“{quote.text}”", style="Quote")  # type: ignore[attr-defined]
        if quote.note:  # in the quote's own paragraph: it belongs to this quote, not the next
            said.add_run().add_break()
            note = said.add_run(quote.note)
            note.italic = False
            note.font.size = Pt(8.5)


def _table(document: object, table: Table, *, caption: bool = True) -> None:
    doc = document
    if caption:
        doc.add_paragraph(table.caption, style="Caption")  # type: ignore[attr-defined]
    grid = doc.add_table(rows=1, cols=len(table.header), style="Light Grid Accent 1")  # type: ignore[attr-defined]
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        cell.text = text
    _repeat_header(grid.rows[0])
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    doc.add_paragraph()  # type: ignore[attr-defined]


def _repeat_header(row: object) -> None:
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]  # noqa: SLF001
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _toc(document: object, titles: list[str]) -> None:
    """A TOC field; until Word updates it, its result lists the sections (so a viewer that does
    not update fields still shows them)."""
    paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = 'TOC \\o "1-2" \\h \\z \\u'
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = []
    for number, title in enumerate(titles, 1):
        line = OxmlElement("w:t")
        line.set(qn("xml:space"), "preserve")
        line.text = f"{number}. {title}"
        shown += [line, OxmlElement("w:br")]
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, *shown, end):
        run._r.append(element)  # noqa: SLF001


def _update_fields_on_open(document: object) -> None:
    settings = document.settings.element  # type: ignore[attr-defined]
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
