"""The facilitators' workshop list builder, read back with openpyxl."""

from __future__ import annotations

from datetime import date, datetime, time
from io import BytesIO

from openpyxl import load_workbook

from journee.documents.workshop_list_xlsx import (
    ListedPerson,
    WorkshopList,
    build_workshop_list_xlsx,
)

TRICKY = [
    ListedPerson("<Dupont> & Cie", "Zoé", "=1+1", "<img src=x>", "Étudiant·e",
                 "zoe@example.org", "+33 6 12 34 56 78"),
    ListedPerson("O'Brien-Lefèvre", "Seán", "@SUM(A1)", "-2", "Professionnel·le"),
    ListedPerson("Żółć", "Łukasz", "Ἀλέξανδρος", "Дмитрий", "Cadre", "=HYPERLINK(\"x\")"),
    ListedPerson("Vé\x0bga", "Ana\x0b", "#N/A", "", "Autre", None, "=2*3"),
    ListedPerson("e\u0301cole", "Rose", "", "", "Personne accompagnée"),  # decomposed é
]


def workshop_list(people=TRICKY, **overrides) -> WorkshopList:
    values = {"workshop": "Atelier n°\u00a03\u00a0: Protection de l’enfance",
              "event_title": "Le travail social à l’épreuve du numérique",
              "day": date(2018, 3, 15), "starts_at": datetime(2018, 3, 15, 10, 45),
              "ends_at": datetime(2018, 3, 15, 12, 30), "room": "Salle 12", "people": people}
    return WorkshopList(**(values | overrides))


def sheet_of(data: bytes):
    return load_workbook(BytesIO(data)).worksheets[0]


def test_title_rows_then_header_then_one_row_per_person():
    sheet = sheet_of(build_workshop_list_xlsx(workshop_list()))
    assert [sheet.cell(row=n, column=1).value for n in range(1, 7)] == [
        "Atelier n°\u00a03\u00a0: Protection de l’enfance",
        "Le travail social à l’épreuve du numérique",
        "jeudi 15\u00a0mars 2018",
        "10\u00a0h\u00a045 – 12\u00a0h\u00a030",
        "Salle\u00a0: Salle 12",
        "5\u00a0participant·es",
    ]
    assert sheet["A1"].font.b and sheet["A7"].font.b
    assert [c.value for c in sheet[7]] == ["Nom", "Prénom", "Structure", "Fonction", "Profil"]
    rows = list(sheet.iter_rows(min_row=8, values_only=True))
    assert len(rows) == 5
    assert sheet.freeze_panes == "A8"
    assert sheet.auto_filter.ref == "A7:E12"
    assert sheet.title == "Participant·es"


def test_every_personal_cell_is_a_string_and_comes_out_exactly():
    sheet = sheet_of(build_workshop_list_xlsx(workshop_list(with_contact=True)))
    assert [c.value for c in sheet[7]][-2:] == ["E-mail", "Téléphone"]
    body = list(sheet.iter_rows(min_row=8))
    for row in body:
        for cell in row:
            if cell.value is not None:
                assert cell.data_type == "s", (cell.coordinate, cell.value)
    values = [[cell.value for cell in row] for row in body]
    assert values[0] == ["<Dupont> & Cie", "Zoé", "=1+1", "<img src=x>", "Étudiant·e",
                         "zoe@example.org", "+33 6 12 34 56 78"]
    assert values[1][:4] == ["O'Brien-Lefèvre", "Seán", "@SUM(A1)", "-2"]
    assert values[2][:4] == ["Żółć", "Łukasz", "Ἀλέξανδρος", "Дмитрий"]
    assert values[2][5] == "=HYPERLINK(\"x\")"
    # The vertical tab is removed rather than crashing the export; #N/A is not an error.
    assert values[3][:3] == ["Véga", "Ana", "#N/A"]
    assert values[3][6] == "=2*3"
    assert values[4][0] == "\u00e9cole"  # NFC


def test_no_contact_columns_unless_asked():
    sheet = sheet_of(build_workshop_list_xlsx(workshop_list()))
    flat = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "zoe@example.org" not in flat and "+33 6 12 34 56 78" not in flat
    assert sheet.max_column == 5


def test_widths_fit_the_content():
    long_name = "Établissement public départemental de l’enfance et de la famille " * 2
    people = [ListedPerson("Martin", "Zoé", long_name, "Éducatrice", "Professionnel·le")]
    sheet = sheet_of(build_workshop_list_xlsx(workshop_list(people)))
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDE"}
    assert widths["A"] == len("Martin") + 2
    assert widths["B"] == len("Prénom") + 2
    assert widths["C"] == 60  # capped: the text wraps in Excel rather than a huge column
    assert widths["E"] == len("Professionnel·le") + 2


def test_an_empty_workshop_and_a_slot_without_end_or_room():
    data = workshop_list([], starts_at=time(14, 0), ends_at=None, room="")
    sheet = sheet_of(build_workshop_list_xlsx(data))
    assert sheet["A4"].value == "14\u00a0h"
    assert sheet["A5"].value == "Salle non précisée"
    assert sheet["A6"].value == "0\u00a0participant·e"
    assert [c.value for c in sheet[7]] == ["Nom", "Prénom", "Structure", "Fonction", "Profil"]
    assert sheet.max_row == 7
