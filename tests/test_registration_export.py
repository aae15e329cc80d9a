"""The XLSX export of an event's registrations, read back with openpyxl."""

from datetime import datetime
from io import BytesIO

from openpyxl import load_workbook
from support.registration import slot_of

from journee.extensions import db
from journee.registration.exporting import build_registrations_xlsx, registrations_for_export
from journee.registration.models import (
    Profile,
    Registration,
    RegistrationStatus,
    Source,
    WorkshopChoice,
)

URL = "/admin/journees/{}/inscriptions/export.xlsx"


def add_registration(event, email, **values) -> Registration:
    fields = dict(status=RegistrationStatus.CONFIRMED, first_name="Zoé", last_name="Martin",
                  email=email, profile=Profile.STUDENT, organisation="IRTS-IDS Normandie",
                  course="ES", course_year=2, sector="Protection de l’enfance", lunch=True)
    fields.update(values)
    registration = Registration(event_id=event.id, **fields)
    db.session.add(registration)
    db.session.flush()
    return registration


def sheet_of(data: bytes):
    return load_workbook(BytesIO(data)).worksheets[0]


def rows_by_header(sheet, header_row=3):
    header = [cell.value for cell in sheet[header_row]]
    return header, [dict(zip(header, row)) for row in sheet.iter_rows(
        min_row=header_row + 1, values_only=True)]


def test_export_downloads_one_row_per_registration(organiser_client, irts):
    slot = slot_of(irts)
    first = add_registration(irts, "zoe@example.org", phone="06 12 34 56 78",
                             created_at=datetime(2018, 2, 1, 8, 5))
    for rank, index in enumerate((2, 0, 4), start=1):
        db.session.add(WorkshopChoice(registration_id=first.id, session_id=slot.id,
                                      workshop_id=slot.workshops[index].id, rank=rank))
    add_registration(irts, "paul@example.org", first_name="Paul", last_name="Durand",
                     profile=Profile.PROFESSIONAL, course=None, course_year=None, lunch=False,
                     status=RegistrationStatus.WAITLISTED, source=Source.IMPORT,
                     entered_by="organisatrice@example.org",
                     created_at=datetime(2018, 7, 1, 22, 30))
    db.session.commit()

    response = organiser_client.get(URL.format(irts.id))
    assert response.status_code == 200
    assert response.mimetype == ("application/vnd.openxmlformats-officedocument."
                                 "spreadsheetml.sheet")
    assert "inscriptions-travail-social-epreuve-numerique-2018.xlsx" in (
        response.headers["Content-Disposition"])
    assert "no-store" in response.headers["Cache-Control"]

    sheet = sheet_of(response.data)
    assert sheet["A1"].value == irts.title
    assert "2\u00a0inscriptions" in sheet["A2"].value
    header, rows = rows_by_header(sheet)
    for column in ("Statut", "Prénom", "Nom", "E-mail", "Téléphone", "Établissement",
                   "Fonction", "Profil", "Formation", "Année", "Secteur", "Repas",
                   "Source", "Saisie par", "Inscrit·e le"):
        assert column in header
    assert "Ateliers – Ateliers, 10\u00a0h\u00a045 – 12\u00a0h\u00a030" in header
    assert len(rows) == 2
    zoe, paul = rows
    assert zoe["Statut"] == "Confirmée" and zoe["Profil"] == "Étudiant·e"
    assert zoe["Année"] == 2 and zoe["Repas"] == "Oui"
    assert zoe["Ateliers – Ateliers, 10\u00a0h\u00a045 – 12\u00a0h\u00a030"] == (
        "1. Atelier n°\u00a03 ; 2. Atelier n°\u00a01 ; 3. Atelier n°\u00a05")
    # Stored in UTC, shown in Paris time (winter +1, summer +2).
    assert zoe["Inscrit·e le"] == datetime(2018, 2, 1, 9, 5)
    assert paul["Inscrit·e le"] == datetime(2018, 7, 2, 0, 30)
    assert paul["Statut"] == "Liste d’attente" and paul["Repas"] == "Non"
    assert paul["Source"] == "Import" and paul["Saisie par"] == "organisatrice@example.org"
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref.startswith("A3:")
    assert sheet.auto_filter.ref.endswith("5")


def test_personal_values_are_text_never_formulas(app, irts):
    tricky = {"first_name": "=1+1", "last_name": "-2", "phone": "+33 6 12 34 56 78",
              "organisation": "@cmd", "function": "ligne\x0bverticale"}
    add_registration(irts, "=x@example.org", **tricky)
    db.session.commit()

    sheet = sheet_of(build_registrations_xlsx(irts, registrations_for_export(irts)))
    header = [cell.value for cell in sheet[3]]
    row = {name: sheet.cell(row=4, column=index + 1) for index, name in enumerate(header)}
    for name, value in (("Prénom", "=1+1"), ("Nom", "-2"), ("Téléphone", "+33 6 12 34 56 78"),
                        ("Établissement", "@cmd"), ("Fonction", "ligneverticale"),
                        ("E-mail", "=x@example.org")):
        assert row[name].value == value
        assert row[name].data_type == "s"
    assert row["Inscrit·e le"].is_date


def test_optional_questions_have_columns_only_when_asked(app, irts):
    irts.ask_accommodation = True
    irts.ask_lunch = False
    add_registration(irts, "a@example.org", lunch=None, accommodation_needed=True,
                     accommodation_details="Fauteuil roulant")
    db.session.commit()
    header, rows = rows_by_header(sheet_of(build_registrations_xlsx(
        irts, registrations_for_export(irts))))
    assert "Repas" not in header
    # The accommodation need is health data: never in a file (the needs page shows it).
    assert not [name for name in header if "ménagement" in (name or "")]
    assert not [cell for row in rows for cell in row.values()
                if "Fauteuil" in str(cell)]


def test_export_loads_choices_in_a_fixed_number_of_queries(app, irts):
    from sqlalchemy import event as sa_event

    slot = slot_of(irts)
    for number in range(30):
        registration = add_registration(irts, f"p{number}@example.org")
        db.session.add(WorkshopChoice(registration_id=registration.id, session_id=slot.id,
                                      workshop_id=slot.workshops[0].id, rank=1))
    db.session.commit()
    db.session.expire_all()
    assert irts.title  # The event itself is loaded already in the view.
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa_event.listen(db.engine, "before_cursor_execute", listener)
    try:
        registrations = registrations_for_export(irts)
        queries = len(statements)
        build_registrations_xlsx(irts, registrations)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listener)
    assert queries <= 3
    # Building reads the programme (sessions, workshops), not each registration.
    assert len(statements) - queries <= 6


def test_export_is_for_the_event_organisers_only(client, make_user, login, demo, irts):
    other = demo["travail-social-2-0-etsup-2018"]
    assert client.get(URL.format(irts.id)).status_code == 302  # To the login page.
    login(make_user(events=[other]))
    assert client.get(URL.format(irts.id)).status_code == 404
    assert client.get(URL.format(other.id)).status_code == 200


def test_export_says_who_has_which_workshop_came_and_entered_it(organiser_client, irts):
    from journee.programme.models import WorkshopMode
    from journee.registration.models import Assignment, AssignmentSource

    assert irts.workshop_mode == WorkshopMode.PREFERENCES
    slot = slot_of(irts)
    zoe = add_registration(irts, "zoe@example.org", checked_in_at=datetime(2018, 3, 15, 8, 2),
                           checked_in_by="accueil")
    add_registration(irts, "paul@example.org", first_name="Paul", last_name="Durand",
                     source=Source.STAFF, entered_by="Claire Accueil")
    # Placed, then cancelled: no workshop any more, and no presence to note.
    gone = add_registration(irts, "gone@example.org", first_name="=HYPERLINK(\"x\")",
                            status=RegistrationStatus.CANCELLED,
                            cancelled_at=datetime(2018, 3, 1, 12, 0))
    workshop = slot.workshops[2]
    db.session.add_all([
        Assignment(registration_id=zoe.id, session_id=slot.id, workshop_id=workshop.id,
                   source=AssignmentSource.SOLVER, rank=1),
        Assignment(registration_id=gone.id, session_id=slot.id, workshop_id=workshop.id,
                   source=AssignmentSource.SOLVER, rank=1)])
    db.session.commit()

    sheet = sheet_of(organiser_client.get(URL.format(irts.id)).data)
    header, rows = rows_by_header(sheet)
    assigned = "Atelier attribué – Ateliers, 10\u00a0h\u00a045 – 12\u00a0h\u00a030"
    assert assigned in header
    by_email = {row["E-mail"]: row for row in rows}
    assert by_email["zoe@example.org"][assigned] == (
        f"Atelier n°\u00a0{workshop.number} – {workshop.title}")
    assert by_email["zoe@example.org"]["Présence"] == "Présent·e"
    # Stored in UTC, shown in Paris time.
    assert by_email["zoe@example.org"]["Arrivée notée le"] == datetime(2018, 3, 15, 9, 2)
    assert by_email["zoe@example.org"]["Source"] == "En ligne"
    assert by_email["zoe@example.org"]["Saisie par"] is None
    assert by_email["paul@example.org"][assigned] is None
    assert by_email["paul@example.org"]["Présence"] == "Non pointé·e"
    assert by_email["paul@example.org"]["Source"] == "Saisie par l’équipe"
    assert by_email["paul@example.org"]["Saisie par"] == "Claire Accueil"
    assert by_email["gone@example.org"][assigned] is None
    assert by_email["gone@example.org"]["Présence"] is None
    # A hostile name stays text.
    row = 3 + 1 + [r["E-mail"] for r in rows].index("gone@example.org")
    cell = sheet.cell(row=row, column=header.index("Prénom") + 1)
    assert cell.value == "=HYPERLINK(\"x\")" and cell.data_type == "s"


def test_first_come_export_gives_the_first_choice_as_workshop(app, irts):
    from journee.programme.models import WorkshopMode

    irts.workshop_mode = WorkshopMode.FIRST_COME
    slot = slot_of(irts)
    zoe = add_registration(irts, "zoe@example.org")
    db.session.add(WorkshopChoice(registration_id=zoe.id, session_id=slot.id,
                                  workshop_id=slot.workshops[1].id, rank=1))
    db.session.commit()
    header, rows = rows_by_header(sheet_of(build_registrations_xlsx(
        irts, registrations_for_export(irts))))
    [column] = [name for name in header if name.startswith("Atelier attribué")]
    assert rows[0][column] == (f"Atelier n°\u00a0{slot.workshops[1].number} – "
                               f"{slot.workshops[1].title}")
