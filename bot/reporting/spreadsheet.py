"""Writing an export as Excel (one sheet per kind, header row frozen and bold, typed cells, columns
sized) or as CSV (one file per kind beside the named one; Dutch Excel's ``;``, UTF-8 with BOM).

Text is never a formula: in Excel every text cell is written as a string (openpyxl would otherwise
take ``=HYPERLINK(...)`` for a formula); in CSV a text that starts with ``= + - @``, a tab or a
carriage return gets a leading apostrophe, as OWASP advises against CSV injection."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dialogen.reporting.exports import Export, Sheet, Value

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ILLEGAL = {chr(c) for c in range(32)} - {"\t", "\n", "\r"}


def export_xlsx(export: Export) -> bytes:
    """Written streaming (openpyxl's write-only mode): a large export stays fast and small."""
    book = Workbook(write_only=True)
    for sheet in export.sheets:
        page = book.create_sheet(sheet.name)
        page.freeze_panes = "A2"
        for index, title in enumerate(sheet.header, 1):
            longest = max([len(title), *(len(str(r[index - 1] or "")) for r in sheet.rows[:200])])
            page.column_dimensions[get_column_letter(index)].width = min(60, max(8, longest + 2))
        header = []
        for title in sheet.header:
            cell = WriteOnlyCell(page, value=title)
            cell.font = Font(bold=True)
            header.append(cell)
        page.append(header)
        for row in sheet.rows:
            page.append([_cell(page, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(page: object, value: Value) -> object:
    if isinstance(value, str):
        cell = WriteOnlyCell(page, value=_excel(value))
        cell.data_type = "s"  # text, never a formula
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(page, value=value)
        cell.number_format = "dd-mm-yyyy"
        return cell
    return value


def _excel(value: Value) -> Value:
    if isinstance(value, str):
        return "".join(ch for ch in value if ch not in ILLEGAL)
    return value


def export_csv(export: Export, path: Path) -> list[Path]:
    """One CSV per sheet: the first at ``path``, the others beside it
    (``antwoorden-bijdragen.csv``)."""
    written = []
    for index, sheet in enumerate(export.sheets):
        target = path if index == 0 else path.with_name(f"{path.stem}-{sheet.name.lower()}.csv")
        target.write_text(sheet_csv(sheet), encoding="utf-8-sig", newline="")
        written.append(target)
    return written


def sheet_csv(sheet: Sheet) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(sheet.header)
    for row in sheet.rows:
        writer.writerow([_csv(value) for value in row])
    return out.getvalue()


def _csv(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float):
        return f"{value}".replace(".", ",")
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
