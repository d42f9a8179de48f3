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
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dialogen.reporting.exports import Export, Sheet, Value

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ILLEGAL = {chr(c) for c in range(32)} - {"\t", "\n", "\r"}


def export_xlsx(export: Export) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in export.sheets:
        page = book.create_sheet(sheet.name)
        page.append(list(sheet.header))
        for cell in page[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            page.append([_excel(value) for value in row])
            for cell, value in zip(page[page.max_row], row, strict=True):
                if isinstance(value, str):
                    cell.data_type = "s"  # text, never a formula
                elif isinstance(value, date):
                    cell.number_format = "dd-mm-yyyy"
        page.freeze_panes = "A2"
        for index, title in enumerate(sheet.header, 1):
            longest = max([len(title), *(len(str(r[index - 1] or "")) for r in sheet.rows[:200])])
            page.column_dimensions[get_column_letter(index)].width = min(60, max(8, longest + 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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
