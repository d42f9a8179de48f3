"""Reading stakeholder sheets from disk: CSV as Dutch Excel writes it, CSV in UTF-8, and XLSX."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from bot.stakeholder_files import read_sheet
from dialogen.stakeholders.sheet import SheetRow, StakeholderFileError, validate_sheet


def test_dutch_excel_csv_semicolons_windows_1252_and_line_numbers(tmp_path: Path, registry) -> None:
    path = tmp_path / "genodigden.csv"
    text = (
        "Naam;E-mailadres;Functie;Gemeente\r\n"
        "José Öztürk;jose@utrecht.nl;Wethouder;Utrecht\r\n"
        "\r\n"
        '"Jansen; J.";jansen@utrecht.nl;Raadslid;Utrecht\r\n'
    )
    path.write_bytes(text.encode("cp1252"))
    rows = read_sheet(path)
    assert [r.line for r in rows] == [1, 2, 4]  # the blank line 3 is skipped, numbering is kept
    assert rows[1].cells[0] == "José Öztürk"
    assert rows[2].cells[0] == "Jansen; J."
    assert len(validate_sheet(rows, registry).invitees) == 2


def test_utf8_with_bom_and_commas(tmp_path: Path) -> None:
    path = tmp_path / "genodigden.csv"
    path.write_text(
        "naam,email,rol,gemeente\nFenna,fenna@sudwestfryslan.nl,Griffier,Súdwest-Fryslân\n",
        encoding="utf-8-sig",
    )
    assert read_sheet(path) == [
        SheetRow(1, ("naam", "email", "rol", "gemeente")),
        SheetRow(2, ("Fenna", "fenna@sudwestfryslan.nl", "Griffier", "Súdwest-Fryslân")),
    ]


def test_a_quoted_cell_over_two_lines_reports_the_line_where_its_row_starts(tmp_path: Path) -> None:
    path = tmp_path / "genodigden.csv"
    path.write_text(
        'naam;email;rol\n"Anna\nde Vries";anna@x.nl;Griffier\nBob;bob@x.nl;Raadslid\n',
        encoding="utf-8",
    )
    assert [r.line for r in read_sheet(path)] == [1, 2, 4]


def test_xlsx_rows_keep_their_row_numbers_and_numbers_become_text(tmp_path: Path, registry) -> None:
    path = tmp_path / "genodigden.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "Genodigden dialoog"
    for column, title in enumerate(("Naam", "E-mail", "Rol", "Gemeente", "Netwerken"), start=1):
        sheet.cell(row=3, column=column, value=title)
    sheet.append(["Ans", "ans@amsterdam.nl", "Burgemeester", 363, "G4"])
    sheet.append([])
    sheet.append(["Wim", "wim@", "Wethouder", "Ede", None])
    workbook.save(path)
    rows = read_sheet(path)
    assert [r.line for r in rows] == [1, 3, 4, 6]
    assert rows[2].cells[3] == "363"
    result = validate_sheet(rows, registry)
    assert [i.municipality_code for i in result.invitees] == ["GM0363"]
    assert [(r.line, r.reason) for r in result.rejections] == [
        (6, "e-mailadres 'wim@' is ongeldig")
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("oud.xls", b"\xd0\xcf\x11\xe0", "oude Excel-formaat"),
        ("lijst.pdf", b"%PDF", "Onbekend bestandstype"),
        ("kapot.xlsx", b"not a zip", "geen geldig Excel-bestand"),
    ],
)
def test_files_that_cannot_be_read_say_why(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(StakeholderFileError, match=message):
        read_sheet(path)


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(StakeholderFileError, match="kan niet worden gelezen"):
        read_sheet(tmp_path / "weg.csv")
