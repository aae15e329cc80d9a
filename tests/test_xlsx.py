"""The safe workbook helpers: text stays text, XML-illegal characters go, nothing raises."""

from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from journee.documents.xlsx import (
    DATE,
    DATETIME,
    NUMBER,
    Column,
    WorkbookBuilder,
    build_table_xlsx,
    safe_text,
)

TRICKY = ["=1+1", "+33 6 12 34 56 78", "-2", "@cmd", "=HYPERLINK(\"http://x\")", "#N/A",
          "Zoé <Dupont> & Cie", "ligne\x0bverticale\x00\x1f", " espaces "]


def read(data: bytes):
    return load_workbook(BytesIO(data)).worksheets[0]


@pytest.mark.parametrize(("value", "expected"), [
    (None, ""), ("a\x0bb\x00c\x1f", "abc"), ("Ze\u0301lie", "Zélie"), (12, "12"),
    ("tab\tet\nligne", "tab\tet\nligne"), ("x" * 40_000, "x" * 32_767),
    ("\ud800seul", "?seul"),
])
def test_safe_text(value, expected):
    assert safe_text(value) == expected


def test_safe_text_never_raises():
    class Broken:
        def __str__(self):
            raise RuntimeError("no")

    assert safe_text(Broken()) == ""


def test_text_cells_stay_text_and_types_are_kept():
    columns = [Column("Texte"), Column("Nombre", NUMBER), Column("Jour", DATE),
               Column("Moment", DATETIME)]
    rows = [[value, 3, date(2018, 3, 15), datetime(2018, 3, 15, 9, 30)] for value in TRICKY]
    sheet = read(build_table_xlsx("Liste", columns, rows, ["Titre", "Sous-titre"]))

    assert sheet.title == "Liste"
    assert sheet["A1"].value == "Titre" and sheet["A1"].font.b
    assert [c.value for c in sheet[3]] == ["Texte", "Nombre", "Jour", "Moment"]
    assert all(c.font.b for c in sheet[3])
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == f"A3:D{3 + len(TRICKY)}"
    written = [sheet.cell(row=4 + index, column=1) for index in range(len(TRICKY))]
    assert [cell.data_type for cell in written] == ["s"] * len(TRICKY)
    assert [cell.value for cell in written] == [safe_text(v) for v in TRICKY]
    assert written[0].value == "=1+1"  # No apostrophe prefix, no formula.
    assert written[7].value == "ligneverticale"
    assert sheet["B4"].data_type == "n" and sheet["B4"].value == 3
    assert sheet["C4"].is_date and sheet["C4"].value == datetime(2018, 3, 15)
    assert sheet["D4"].is_date and sheet["D4"].value == datetime(2018, 3, 15, 9, 30)


def test_widths_follow_the_content_within_bounds():
    columns = [Column("A"), Column("Long", width=40), Column("Jour", DATE)]
    sheet = read(build_table_xlsx("T", columns, [["x" * 200, "y", date(2018, 1, 1)],
                                                 ["court", "", None]]))
    widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
    assert widths["A"] == 60 and widths["B"] == 40 and widths["C"] == 12


def test_empty_table_and_several_sheets():
    builder = WorkbookBuilder()
    assert builder.add_table("Vide", [Column("Nom")], []) == 0
    assert builder.add_table("Ateliers: n°1 / 2 [bis]", [Column("Nom")], [["Zoé"]]) == 1
    workbook = load_workbook(BytesIO(builder.to_bytes()))
    assert workbook.sheetnames == ["Vide", "Ateliers  n°1   2  bis"]
    assert workbook.worksheets[0]["A1"].value == "Nom"
    assert workbook.worksheets[0].auto_filter.ref == "A1:A2"
