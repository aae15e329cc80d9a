"""Importing a group from a spreadsheet: template, preview, all-or-nothing confirmation,
and files refused without an error page."""

import os
import re
import time
import zipfile
from io import BytesIO
from xml.sax.saxutils import escape

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from support.pages import text_of
from support.registration import registration_by_email, registration_count, slot_of

from journee.extensions import db
from journee.mail_models import OutboxMessage
from journee.registration.importing import import_columns, parse_import
from journee.registration.models import Profile, Registration, RegistrationStatus, Source
from journee.registration.upload_store import KEEP_SECONDS, UploadStore

BASE = "/admin/journees/{}/inscriptions"
HEADERS = ["Prénom", "Nom", "E-mail", "Téléphone", "Organisation", "Fonction", "Profil",
           "Formation", "Année", "Secteur", "Repas", "Atelier 1er\u00a0choix", "Atelier 2e\u00a0choix",
           "Atelier 3e\u00a0choix"]


@pytest.fixture(autouse=True)
def import_dir(app, tmp_path):
    directory = tmp_path / "imports"
    app.config["IMPORT_DIR"] = str(directory)
    return directory


def person(first, last, email, profile="Étudiant·e", course="ES", year=2, lunch="Oui",
           workshops=(3, 1, 5), **extra):
    row = {"Prénom": first, "Nom": last, "E-mail": email, "Téléphone": "06 12 34 56 78",
           "Organisation": "IRTS-IDS Normandie", "Fonction": "", "Profil": profile,
           "Formation": course, "Année": year, "Secteur": "Protection de l’enfance",
           "Repas": lunch}
    row.update(zip(HEADERS[-3:], workshops))
    row.update(extra)
    return row


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CLASS_LIST = [person("Zoé", "Martin", "zoe.martin@example.org"),
              person("Paul", "Durand", "Paul.Durand@Example.org", profile="Professionnel",
                     course=None, year=None, lunch="non", workshops=(1, 2, None)),
              person("Inès", "Benali", "ines@example.org", profile="étudiante", year="1re année",
                     workshops=("n° 6", 4, 2))]


def upload(client, event, data: bytes, name="liste.xlsx"):
    return client.post(BASE.format(event.id) + "/import",
                       data={"file": (BytesIO(data), name)},
                       content_type="multipart/form-data")


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="{name}"',
                      html)
    assert match, f"no hidden {name}"
    return match.group(1) or match.group(2)


def confirm(client, event, html: str, informed=True):
    data = {"token": hidden(html, "token"), "rows": hidden(html, "rows")}
    if informed:
        data["informed"] = "y"
    return client.post(BASE.format(event.id) + "/import/confirmer", data=data)


# The template ---------------------------------------------------------------------------

def test_template_has_french_headers_an_example_and_instructions(organiser_client, irts):
    response = organiser_client.get(BASE.format(irts.id) + "/modele-import.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "modele-import-travail-social-epreuve-numerique-2018.xlsx" in (
        response.headers["Content-Disposition"])
    workbook = load_workbook(BytesIO(response.data))
    sheet = workbook["Inscriptions"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    example = [cell.value for cell in sheet[2]]
    assert example[:3] == ["Zoé", "Martin", "zoe.martin@example.org"]
    assert example[6] == "Étudiant·e" and example[-3:] == [1, 2, 3]
    help_text = " ".join(str(c.value) for row in workbook["Mode d’emploi"] for c in row
                         if c.value)
    assert "3 = Protection de l’enfance" in help_text
    assert "notice de confidentialité" in help_text


def test_the_template_itself_imports_cleanly(app, irts):
    from journee.registration.import_template import build_import_template

    preview = parse_import(irts, build_import_template(irts))
    assert [row.number for row in preview.accepted] == [2]


def test_columns_follow_the_event(app, irts):
    irts.ask_lunch = False
    irts.workshop_mode = "first_come"
    headers = [column.header for column in import_columns(irts)]
    assert "Repas" not in headers and headers[-1] == "Atelier"


# Preview and confirmation ---------------------------------------------------------------

def test_valid_file_previews_then_imports_every_row(organiser_client, irts, import_dir,
                                                    delivered):
    before = registration_count()
    response = upload(organiser_client, irts, xlsx(CLASS_LIST))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert "Rien n’est encore enregistré" in text
    assert "3 lignes acceptées" in text and "0 ligne refusée" in text
    assert "Zoé Martin" in text and "paul.durand@example.org" in text
    assert "Confirmer l’import de 3 inscriptions" in text
    assert registration_count() == before
    assert "zoe.martin" not in hidden(html, "rows")  # Row numbers only.
    assert len(list(import_dir.iterdir())) == 1

    response = confirm(organiser_client, irts, html)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(BASE.format(irts.id) + "/")
    assert registration_count() == before + 3
    zoe = registration_by_email("zoe.martin@example.org")
    assert zoe.source == Source.IMPORT
    assert zoe.entered_by == "organisatrice@example.org"
    assert zoe.status == RegistrationStatus.CONFIRMED
    assert zoe.privacy_version and zoe.privacy_acknowledged_at is not None
    assert zoe.profile == Profile.STUDENT and zoe.course == "ES" and zoe.course_year == 2
    assert zoe.lunch is True and zoe.consent_future_events is False
    slot = slot_of(irts)
    assert [(c.rank, c.workshop.number) for c in zoe.choices] == [(1, 3), (2, 1), (3, 5)]
    assert all(c.session_id == slot.id for c in zoe.choices)
    paul = registration_by_email("paul.durand@example.org")
    assert paul.profile == Profile.PROFESSIONAL and paul.course is None and paul.lunch is False
    assert [c.workshop.number for c in paul.choices] == [1, 2]
    ines = registration_by_email("ines@example.org")
    assert ines.course_year == 1 and [c.workshop.number for c in ines.choices] == [6, 4, 2]
    assert list(import_dir.iterdir()) == []  # The uploaded file is deleted.
    page = organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3\u00a0inscriptions importées." in page
    # Everyone imported receives their confirmation and personal link.
    sent = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [m.to_address for m in sent] == [
        "zoe.martin@example.org", "paul.durand@example.org", "ines@example.org"]
    assert all(m.kind == "confirmation" and m.registration_id for m in sent)
    assert f"/r/{zoe.token}" in delivered(sent[0]).get_body(("plain",)).get_content()


def test_invalid_rows_are_reported_with_their_numbers_and_reasons(organiser_client, irts):
    organiser_client  # noqa: B018
    db.session.add(Registration(event_id=irts.id, status=RegistrationStatus.CONFIRMED,
                                first_name="Déjà", last_name="Là", email="deja@example.org",
                                profile=Profile.OTHER))
    db.session.commit()
    before = registration_count()
    rows = [
        person("Zoé", "Martin", "zoe.martin@example.org"),                     # 2: fine
        person("", "Sansprénom", "sans@example.org"),                          # 3
        person("Ana", "Mail", "pas-une-adresse"),                               # 4
        person("Léa", "Profil", "lea@example.org", profile="Astronaute"),      # 5
        person("Tom", "Cours", "tom@example.org", course=None, year=None),      # 6
        person("Max", "Atelier", "max@example.org", workshops=(9, 1, 1)),      # 7
        person("Zoé", "Bis", "ZOE.MARTIN@example.org"),                        # 8
        person("Déjà", "Là", "deja@example.org"),                              # 9
        person("Eva", "Repas", "eva@example.org", lunch="peut-être"),          # 10
        person("Noé", "Tab", "noe@example.org", Fonction="a\tb"),            # 11
    ]
    response = upload(organiser_client, irts, xlsx(rows))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert "1 ligne acceptée" in text and "9 lignes refusées" in text
    refused = dict(re.findall(r'<th scope="row">(\d+)</th>\s*<td>.*?</td>\s*<td><ul>(.*?)</ul>',
                              html, re.S))
    reasons = {int(number): text_of(items) for number, items in refused.items()}
    assert set(reasons) == {3, 4, 5, 6, 7, 8, 9, 10, 11}
    assert "Prénom : Indiquez votre prénom." in reasons[3]
    assert "E-mail : Saisissez une adresse e-mail valide" in reasons[4]
    assert "Profil : indiquez un des profils" in reasons[5]
    assert "Formation : Indiquez votre formation." in reasons[6]
    assert "Année : Indiquez votre année de formation." in reasons[6]
    assert "Atelier 1er choix : pas d’atelier « 9 » sur ce créneau" in reasons[7]
    assert "Atelier 3e choix : Vous avez déjà choisi cet atelier en 2e choix." in reasons[7]
    assert "figure déjà ligne 2 du fichier" in reasons[8]
    assert "déjà inscrite à cette journée" in reasons[9]
    assert "Repas : répondez « Oui » ou « Non »." in reasons[10]
    assert "Fonction : Ce champ contient des caractères non autorisés." in reasons[11]
    assert hidden(html, "rows") == "2"
    assert registration_count() == before


def test_confirmation_needs_the_privacy_tick(organiser_client, irts):
    before = registration_count()
    html = upload(organiser_client, irts, xlsx(CLASS_LIST[:1])).get_data(as_text=True)
    response = confirm(organiser_client, irts, html, informed=False)
    assert response.status_code == 200
    assert "notice de confidentialité" in text_of(response.get_data(as_text=True))
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert registration_count() == before


def test_all_or_nothing_when_an_address_registers_meanwhile(organiser_client, irts):
    before = registration_count()
    html = upload(organiser_client, irts, xlsx(CLASS_LIST)).get_data(as_text=True)
    # Inès registers online between the preview and the confirmation.
    db.session.add(Registration(event_id=irts.id, status=RegistrationStatus.CONFIRMED,
                                first_name="Inès", last_name="Benali", email="ines@example.org",
                                profile=Profile.STUDENT))
    db.session.commit()

    response = confirm(organiser_client, irts, html)
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    assert "Aucune inscription n’a été enregistrée" in text
    assert "Ligne 4 (Inès Benali)" in text and "déjà inscrite" in text
    assert registration_count() == before + 1
    assert registration_by_email("zoe.martin@example.org") is None
    # The new preview leaves Inès out; confirming it imports the two others.
    assert "2 lignes acceptées" in text
    response = confirm(organiser_client, irts, response.get_data(as_text=True))
    assert response.status_code == 302
    assert registration_count() == before + 3


def test_all_or_nothing_when_the_event_fills_up(organiser_client, irts):
    irts.capacity = 1
    irts.waitlist_enabled = False
    db.session.commit()
    html = upload(organiser_client, irts, xlsx(CLASS_LIST)).get_data(as_text=True)
    assert "l’import échouera faute de place" in text_of(html)
    response = confirm(organiser_client, irts, html)
    assert "Aucune inscription n’a été enregistrée" in text_of(response.get_data(as_text=True))
    assert registration_count() == 0


def test_an_expired_or_foreign_token_asks_for_the_file_again(organiser_client, irts):
    response = organiser_client.post(BASE.format(irts.id) + "/import/confirmer",
                                     data={"token": "../../journee.sqlite3", "rows": "2",
                                           "informed": "y"})
    assert response.status_code == 302
    page = organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "déposez-le à nouveau" in text_of(page)


@pytest.mark.parametrize("rows", ["²", "9" * 5000, str(10**30)])
def test_forged_row_numbers_name_no_row(organiser_client, irts, rows):
    html = upload(organiser_client, irts, xlsx(CLASS_LIST)).get_data(as_text=True)
    response = organiser_client.post(BASE.format(irts.id) + "/import/confirmer", data={
        "token": hidden(html, "token"), "rows": rows, "informed": "y"})
    assert response.status_code == 200
    assert "La liste a changé depuis l’aperçu" in text_of(response.get_data(as_text=True))
    assert registration_count() == 0


# Files refused -------------------------------------------------------------------------

def refusal(client, event, data: bytes, name="liste.xlsx") -> str:
    response = upload(client, event, data, name)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html
    match = re.search(r'id="file-erreur">(.*?)</p>', html, re.S)
    assert match, "no error next to the file field"
    return text_of(match.group(1))


def test_a_file_that_is_not_xlsx_is_refused(organiser_client, irts):
    assert "n’est pas un classeur Excel" in refusal(organiser_client, irts,
                                                    b"Prenom;Nom\nZoe;Martin\n")
    assert "doit être un classeur Excel" in refusal(organiser_client, irts, xlsx(CLASS_LIST),
                                                    "liste.csv")
    # A zip that is no workbook, and a workbook whose XML is broken.
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bonjour.txt", "bonjour")
    assert "n’est pas un classeur Excel" in refusal(organiser_client, irts, buffer.getvalue())
    buffer = BytesIO()
    with zipfile.ZipFile(BytesIO(xlsx(CLASS_LIST))) as source, \
            zipfile.ZipFile(buffer, "w") as archive:
        for member in source.infolist():
            data = source.read(member)
            archive.writestr(member, data[:40] if "worksheets" in member.filename else data)
    assert "classeur Excel (.xlsx) lisible" in refusal(organiser_client, irts, buffer.getvalue())


def test_no_file_is_asked_for(organiser_client, irts):
    response = organiser_client.post(BASE.format(irts.id) + "/import", data={},
                                     content_type="multipart/form-data")
    assert "Choisissez le fichier à importer." in text_of(response.get_data(as_text=True))


def test_wrong_headers_are_refused(organiser_client, irts):
    message = refusal(organiser_client, irts, xlsx(
        CLASS_LIST, ["Prénom", "Nom de famille", "Courriel", "Organisation", "Profil"]))
    assert "colonnes manquantes « Nom », « E-mail », « Repas », « Atelier 1er choix »" in message
    assert "colonnes inconnues « Nom de famille », « Courriel »" in message


def test_headers_are_matched_loosely(app, irts):
    headers = [h.upper().replace("É", "E") for h in HEADERS]
    rows = [{h.upper().replace("É", "E"): v for h, v in row.items()} for row in CLASS_LIST]
    assert len(parse_import(irts, xlsx(rows, headers)).accepted) == 3


def test_too_many_rows_are_refused(organiser_client, irts):
    rows = [person("P", str(n), f"p{n}@example.org") for n in range(2001)]
    assert "plus de 2 000 lignes" in refusal(organiser_client, irts, xlsx(rows))


def test_a_big_file_is_refused(organiser_client, irts, monkeypatch):
    from journee.registration.importing import ImportRefused, check_file

    with pytest.raises(ImportRefused, match="dépasse 5"):
        check_file(xlsx(CLASS_LIST) + b"\0" * (5 * 1024 * 1024))
    # Through the page with a lower limit: Werkzeug's test client leaves the temporary
    # file of a multi-megabyte upload open, which warnings-as-errors would report.
    for module in ("importing", "admin.files"):
        monkeypatch.setattr(f"journee.registration.{module}.MAX_FILE_BYTES", 100_000)
    data = xlsx(CLASS_LIST) + b"\0" * 150_000
    assert "dépasse 5 Mo" in refusal(organiser_client, irts, data)


def test_a_zip_bomb_is_refused_before_it_is_opened(organiser_client, irts, monkeypatch):
    buffer = BytesIO()
    with zipfile.ZipFile(BytesIO(xlsx(CLASS_LIST))) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            archive.writestr(member, source.read(member))
        with archive.open("xl/worksheets/sheet2.xml", "w") as bomb:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(60):
                bomb.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024  # Small on disk, 60 MB once inflated.

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr("journee.registration.importing.load_workbook", never)
    assert "anormalement volumineux" in refusal(organiser_client, irts, data)


MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHARED_STRINGS = (b"application/vnd.openxmlformats-officedocument.spreadsheetml."
                  b"sharedStrings+xml")


def repackaged(parts: dict[str, bytes], level: int = 6) -> bytes:
    """A workbook saved by openpyxl with parts replaced or added, deflated; a shared-strings
    part is declared in the content types, where openpyxl looks for it (as Excel does)."""
    parts = dict(parts)
    buffer = BytesIO()
    with zipfile.ZipFile(BytesIO(xlsx([]))) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for member in source.infolist():
            data = parts.pop(member.filename, None) or source.read(member)
            if member.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
                                    b'ContentType="' + SHARED_STRINGS + b'"/></Types>')
            archive.writestr(member.filename, data)
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def excel_like(rows: list[list[str]]) -> bytes:
    """A list as Excel saves it: every text once in the shared strings, styled cells
    pointing at it by number."""
    strings: dict[str, int] = {}
    sheet = [b'<worksheet ' + MAIN + b'><sheetData>']
    for number, values in enumerate(rows, start=1):
        sheet.append(b'<row r="%d" spans="1:%d">' % (number, len(values)))
        for column, value in enumerate(values):
            index = strings.setdefault(value, len(strings))
            sheet.append(b'<c r="%s%d" s="0" t="s"><v>%d</v></c>'
                         % (bytes([65 + column]), number, index))
        sheet.append(b"</row>")
    sheet.append(b"</sheetData></worksheet>")
    sst = [b'<sst ' + MAIN + b' count="%d" uniqueCount="%d">' % (len(strings), len(strings))]
    sst += [b"<si><t>%s</t></si>" % escape(text).encode() for text in strings]
    sst.append(b"</sst>")
    return repackaged({"xl/worksheets/sheet1.xml": b"".join(sheet),
                       "xl/sharedStrings.xml": b"".join(sst)})


def sheet_of(body: bytes) -> dict[str, bytes]:
    return {"xl/worksheets/sheet1.xml":
            b'<worksheet ' + MAIN + b"><sheetData>" + body + b"</sheetData></worksheet>"}


def strings_of(body: bytes) -> dict[str, bytes]:
    return {"xl/sharedStrings.xml": b'<sst ' + MAIN + b">" + body + b"</sst>"}


BEYOND_A_LIST = {
    # The tester's file: 46 MB of shared strings (2 million of them) in a small upload.
    "46 MB of shared strings": (strings_of(b"<si><t>aaaaaaaa</t></si>" * 2_000_000),
                                "anormalement volumineux"),
    "a part that inflates 1,000 times": ({"xl/media/image1.png": b"\0" * 3_000_000},
                                         "anormalement volumineux"),
    # Each below is under 1 MB once inflated (no ratio check) but goes beyond a list.
    "130,000 strings": (strings_of(b"<si/>" * 130_000), "bien plus grand"),
    "130,000 cells": (sheet_of(b'<row r="1">' + b"<c/>" * 130_000 + b"</row>"),
                      "bien plus grand"),
    "prefixed cells": (sheet_of(b'<x:row r="1">' + b"<x:c/>" * 130_000 + b"</x:row>"),
                       "bien plus grand"),
    "13,000 rows": (sheet_of(b"<row/>" * 13_000), "bien plus grand"),
    "500,000 other elements in two parts": (
        {"xl/worksheets/sheet1.xml": b"<x/>" * 250_000,
         "xl/worksheets/sheet2.xml": b"<x/>" * 250_000}, "bien plus grand"),
}


@pytest.mark.parametrize("parts, message", BEYOND_A_LIST.values(), ids=BEYOND_A_LIST)
def test_a_file_beyond_what_a_list_needs_is_refused_unparsed(organiser_client, irts,
                                                             monkeypatch, parts, message):
    data = repackaged(parts, level=9)
    assert len(data) < 200_000

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not parse this file")

    monkeypatch.setattr("journee.registration.importing.load_workbook", never)
    assert message in refusal(organiser_client, irts, data)
    assert registration_count() == 0


def test_the_biggest_list_as_excel_saves_it_is_read(app, irts):
    """2,000 people in every column of the template, in Excel's shared strings: within
    the limits, and read by openpyxl."""
    from journee.registration.importing import check_file, read_rows

    rows = [HEADERS] + [[f"Prénom {n}", f"Nom {n}", f"personne.{n}@example.org",
                         "06 12 34 56 78", f"Institut régional du travail social n° {n}",
                         "Étudiante éducatrice spécialisée", "Étudiant·e", "ES", "2",
                         "Protection de l’enfance", "Oui", "3", "1", "5"]
                        for n in range(2000)]
    data = excel_like(rows)
    check_file(data)
    read = read_rows(data)
    assert len(read) == 2001 and read[-1][1][:2] == ("Prénom 1999", "Nom 1999")


def test_a_class_of_500_is_imported(organiser_client, irts):
    irts.capacity = None
    db.session.commit()
    rows = [person(f"Prénom{n}", f"Nom{n}", f"personne.{n}@example.org") for n in range(500)]
    html = upload(organiser_client, irts, xlsx(rows)).get_data(as_text=True)
    assert "500 lignes acceptées" in text_of(html)
    assert confirm(organiser_client, irts, html).status_code == 302
    assert registration_count() == 500


def test_openpyxl_parses_with_defusedxml(organiser_client, irts):
    """A declared entity is refused (the XML bombs of entities with it): defusedxml is a
    dependency, and openpyxl uses it."""
    import tomllib
    from pathlib import Path

    import openpyxl

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    assert any(dependency.startswith("defusedxml")
               for dependency in project["project"]["dependencies"])
    assert openpyxl.DEFUSEDXML
    entity = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY name "Zo\xc3\xa9">]>'
              b'<sst ' + MAIN + b"><si><t>&name;</t></si></sst>")
    sheet = sheet_of(b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    data = repackaged({**sheet, "xl/sharedStrings.xml": entity})
    assert "classeur Excel (.xlsx) lisible" in refusal(organiser_client, irts, data)


def test_an_empty_sheet_is_refused(organiser_client, irts):
    assert "aucune personne" in refusal(organiser_client, irts, xlsx([]))
    assert "vide" in refusal(organiser_client, irts, xlsx([], headers=[]))


# Permissions ----------------------------------------------------------------------------

def test_import_is_for_the_event_organisers_only(client, make_user, login, demo, irts):
    other = demo["travail-social-2-0-etsup-2018"]
    assert client.get(BASE.format(irts.id) + "/import").status_code == 302
    login(make_user(events=[other]))
    for method, path in (("get", "/import"), ("get", "/modele-import.xlsx"),
                         ("post", "/import"), ("post", "/import/confirmer")):
        assert getattr(client, method)(BASE.format(irts.id) + path).status_code == 404, path
    assert client.get(BASE.format(other.id) + "/import").status_code == 200


def test_a_token_only_works_for_its_event_and_account(client, make_user, login, demo, irts):
    other = demo["travail-social-2-0-etsup-2018"]
    organiser = make_user(events=[irts, other])
    login(organiser)
    html = upload(client, irts, xlsx(CLASS_LIST)).get_data(as_text=True)
    response = client.post(BASE.format(other.id) + "/import/confirmer",
                           data={"token": hidden(html, "token"), "rows": "2,3,4",
                                 "informed": "y"})
    assert response.status_code == 302
    assert db.session.scalar(select(Registration.id)) is None


def test_upload_page_is_accessible(organiser_client, irts):
    html = organiser_client.get(BASE.format(irts.id) + "/import").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="file">' in html and 'aria-describedby="fichier-aide"' in html
    assert "modele-import.xlsx" in html


def test_the_upload_store_keeps_a_file_an_hour_for_its_account(tmp_path):
    store = UploadStore(tmp_path / "imports")
    token = store.save(1, 7, b"liste")
    assert store.load(1, 7, token) == b"liste"
    assert store.load(2, 7, token) is None and store.load(1, 8, token) is None
    assert store.load(1, 7, "../../journee.sqlite3") is None
    old = store.save(1, 7, b"ancienne")
    path = tmp_path / "imports" / f"1-7-{old}.xlsx"
    os.utime(path, (time.time() - KEEP_SECONDS - 1,) * 2)
    assert store.load(1, 7, old) is None and not path.exists()
    store.delete(1, 7, token)
    assert store.load(1, 7, token) is None
