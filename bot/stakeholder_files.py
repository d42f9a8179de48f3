"""Reading a stakeholder sheet from disk: CSV (UTF-8 with or without BOM, or the Windows-1252 that
Dutch Excel writes; ``;`` or ``,`` separated) or XLSX (read-only). Produces the non-empty rows with
the line (CSV) or row number (Excel) a facilitator sees in their editor; what the rows mean is
decided in ``dialogen.stakeholders.sheet``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

from dialogen.facilitation import messages as fmsg
from dialogen.stakeholders.sheet import SheetRow, StakeholderFileError

CSV_SUFFIXES = frozenset({".csv", ".txt"})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
MAX_FILE_BYTES = 50 * 1024 * 1024


def read_sheet(path: Path) -> list[SheetRow]:
    """The non-empty rows of the file; raises :class:`StakeholderFileError` if it cannot be read."""
    suffix = path.suffix.lower()
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise StakeholderFileError(
                fmsg.unreadable_file(f"groter dan {MAX_FILE_BYTES // 1024 // 1024} MB")
            )
        if suffix in CSV_SUFFIXES:
            return read_csv(path.read_bytes())
        if suffix in EXCEL_SUFFIXES:
            return read_xlsx(path)
    except OSError as error:
        raise StakeholderFileError(
            fmsg.unreadable_file(error.strerror or type(error).__name__)
        ) from None
    if suffix == ".xls":
        raise StakeholderFileError(fmsg.OLD_EXCEL)
    raise StakeholderFileError(fmsg.UNKNOWN_FILE_TYPE)


def read_csv(data: bytes) -> list[SheetRow]:
    text = _decode(data)
    delimiter = _delimiter([line for line in text.splitlines() if line.strip()][:10])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[SheetRow] = []
    while True:
        start = reader.line_num + 1  # a quoted cell may span lines: report where the row begins
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise StakeholderFileError(fmsg.unreadable_file(f"regel {start}: {error}")) from None
        if any(cell.strip() for cell in cells):
            rows.append(SheetRow(start, tuple(cell.strip() for cell in cells)))
    return rows


def read_xlsx(path: Path) -> list[SheetRow]:
    from openpyxl import load_workbook  # only this reader needs it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        reason = f"geen geldig Excel-bestand ({type(error).__name__})"
        raise StakeholderFileError(fmsg.unreadable_file(reason)) from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some tools write a wrong <dimension>; read every row there is
        rows: list[SheetRow] = []
        for row in sheet.iter_rows():
            number = next((cell.row for cell in row if getattr(cell, "row", None)), None)
            cells = tuple(_cell_text(cell.value) for cell in row)
            if number is not None and any(cells):
                rows.append(SheetRow(number, cells))
        return rows
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if data.startswith(b"\xef\xbb\xbf"):
            raise StakeholderFileError(fmsg.NOT_TEXT) from None
    try:
        return data.decode(
            "cp1252"
        )  # "CSV (gescheiden door lijstscheidingsteken)" from Dutch Excel
    except UnicodeDecodeError:
        raise StakeholderFileError(fmsg.NOT_TEXT) from None


def _delimiter(first_lines: list[str]) -> str:
    """The separator that splits the header (or a title line above it) into the most cells."""
    counts = {
        sep: max((line.count(sep) for line in first_lines), default=0) for sep in (";", ",", "\t")
    }
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return " ".join(str(value).split())
