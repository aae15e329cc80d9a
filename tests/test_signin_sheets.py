"""Sign-in sheets (« feuilles d’émargement »), read back with pdftotext and pypdf."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from journee.attendance.services.signin import (
    day_sheet,
    day_signin_pdf,
    half_days,
    workshop_sheet,
    workshop_signin_pdf,
)
from journee.audit.models import AuditEntry
from journee.documents.signin_pdf import SignatureColumn, SigninRow, SigninSheet, build_signin_sheet
from journee.extensions import db
from journee.programme.models import Session, SessionKind, Workshop
from journee.registration.models import (
    Assignment,
    AssignmentSource,
    Profile,
    Registration,
    RegistrationStatus,
)

TRICKY = [("Zoé", "<Dupont> & Cie"), ("Seán", "O'Brien-Lefèvre"), ("Łukasz", "Żółć"),
          ("Ἀλέξανδρος", "Παπαδόπουλος"), ("Дмитрий", "Иванов"), ("=1+1", "<img src=x>"),
          ("Ana\x0b", "Vé\x0bga")]


def pdf_text(data: bytes) -> str:
    """The PDF's text as ``pdftotext -layout`` extracts it, spaces folded."""
    result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=data,
                            capture_output=True, check=True)
    return re.sub(r"[ \u00a0\u202f]+", " ", result.stdout.decode())


def page_texts(data: bytes) -> list[str]:
    return [re.sub(r"[ \u00a0\u202f]+", " ", page) for page in pdf_text_raw(data).split("\f")
            if page.strip()]


def pdf_text_raw(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=data,
                            capture_output=True, check=True)
    return result.stdout.decode()


def add_person(event, first, last, email=None, organisation="IRTS-IDS Normandie",
               status=RegistrationStatus.CONFIRMED, **values) -> Registration:
    registration = Registration(event_id=event.id, status=status, first_name=first,
                                last_name=last, email=email, organisation=organisation,
                                profile=Profile.PROFESSIONAL, **values)
    db.session.add(registration)
    db.session.flush()
    return registration


def place(registration, workshop) -> None:
    db.session.add(Assignment(registration_id=registration.id, session_id=workshop.session_id,
                              workshop_id=workshop.id, source=AssignmentSource.ORGANISER))
    db.session.flush()


def workshops_of(event):
    return [w for slot in event.workshop_sessions for w in slot.workshops]


@pytest.fixture
def placed(irts):
    """Tricky names in workshop 3, two others in workshop 1, a cancelled one in workshop 3."""
    workshops = workshops_of(irts)
    third, first = workshops[2], workshops[0]
    for index, (given, family) in enumerate(TRICKY):
        place(add_person(irts, given, family, f"p{index}@example.org",
                         organisation=f"Structure {index} & <Cie>"), third)
    place(add_person(irts, "Bruno", "Autre", "bruno@example.org"), first)
    place(add_person(irts, "Chloé", "Ailleurs", "chloe@example.org"), first)
    place(add_person(irts, "Annulé", "Cancelled", "cancel@example.org",
                     status=RegistrationStatus.CANCELLED), third)
    db.session.commit()
    return third, first


def expected_name(given: str, family: str) -> str:
    return f"{family.replace(chr(11), '').upper()} {given.replace(chr(11), '')}"


def test_workshop_sheet_has_header_facts_and_only_its_members(placed, irts):
    third, _ = placed
    data = workshop_signin_pdf(third)
    text = pdf_text(data)
    assert "Feuille d’émargement" in text
    assert " ".join(irts.title.split()) in " ".join(text.split())
    assert "jeudi 15 mars 2018" in text
    slot = third.session
    assert f"Atelier n° {third.number} :" in text
    assert third.title[:30] in text
    if third.room:
        assert third.room.name in text
    assert "IRTS-IDS Normandie, Allée de Flore, 76380 Canteleu (Rouen)" in text
    assert irts.host_organisation in text
    for participation in third.facilitators:
        assert participation.person.full_name in text
    for given, family in TRICKY:
        assert text.count(expected_name(given, family)) == 1, (given, family)
    assert "Structure 0 & <Cie>" in text
    assert "AUTRE Bruno" not in text and "AILLEURS Chloé" not in text
    assert "CANCELLED" not in text
    # The signature column is the slot's half-day, with its hours.
    label = "Matin" if slot.starts_at.hour < 13 else "Après-midi"
    assert label in text
    start = f"{slot.starts_at.hour} h"
    assert start in text
    assert "page 1 / 1" in text


def test_workshop_sheet_names_are_alphabetical(placed):
    third, _ = placed
    text = pdf_text(workshop_signin_pdf(third))
    positions = [text.index(expected_name(g, f)) for g, f in TRICKY]
    order = sorted(TRICKY, key=lambda name: (name[1].casefold(), name[0].casefold()))
    assert [text.index(expected_name(g, f)) for g, f in order] == sorted(positions)


def test_blank_rows_and_facilitator_signatures(placed):
    third, _ = placed
    sheet = workshop_sheet(third)
    text = pdf_text(build_signin_sheet(sheet))
    members = len(TRICKY)
    numbers = [int(n) for n in re.findall(r"^\s*(\d+)\s*$", text, re.MULTILINE)]
    # The blank rows are numbered after the members and carry no name.
    for number in range(members + 1, members + 6):
        assert number in numbers
    assert members + 6 not in numbers
    assert "Signatures des animateur·rices" in text or "Signature de l’animateur·rice" in text


def test_configurable_number_of_blank_rows():
    rows = [SigninRow("Martin", "Zoé", "IRTS")]
    sheet = SigninSheet("Titre", "jeudi 15 mars 2018", "9 h – 12 h", "Rouen", "IRTS",
                        [SignatureColumn("Matin", "9 h – 12 h")], rows, blank_rows=12)
    text = pdf_text(build_signin_sheet(sheet))
    numbers = [int(n) for n in re.findall(r"^\s*(\d+)\s*$", text, re.MULTILINE)]
    assert numbers == list(range(2, 14))


def test_a_long_list_spans_pages_numbered_with_their_total(irts):
    workshop = workshops_of(irts)[0]
    for index in range(60):
        place(add_person(irts, f"Prénom{index:02d}", f"Nom{index:02d}",
                         f"n{index}@example.org"), workshop)
    db.session.commit()
    data = workshop_signin_pdf(workshop)
    reader = PdfReader(BytesIO(data))
    total = len(reader.pages)
    assert total >= 4
    pages = page_texts(data)
    assert len(pages) == total
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / {total}" in page
        # The header row is repeated on every page.
        assert "NOM Prénom" in page and "Structure" in page
    text = "\n".join(pages)
    for index in range(60):
        assert text.count(f"NOM{index:02d} Prénom{index:02d}") == 1


def test_day_sheet_is_alphabetical_with_morning_and_afternoon(placed, irts):
    data = day_signin_pdf(irts)
    text = pdf_text(data)
    assert "Matin" in text and "Après-midi" in text
    assert "Atelier n°" not in text
    assert "Signature de l’organisateur·rice" in text
    names = [expected_name(g, f) for g, f in TRICKY] + ["AUTRE Bruno", "AILLEURS Chloé"]
    for name in names:
        assert text.count(name) == 1, name
    assert "CANCELLED" not in text
    people = sorted(TRICKY + [("Bruno", "Autre"), ("Chloé", "Ailleurs")],
                    key=lambda name: (name[1].casefold(), name[0].casefold()))
    positions = [text.index(expected_name(g, f)) for g, f in people]
    assert positions == sorted(positions)


def test_half_days_follow_the_programme(irts):
    halves = half_days(irts)
    assert [h.label for h in halves] == ["Matin", "Après-midi"]
    morning, afternoon = halves
    mornings = [s for s in irts.sessions if s.starts_at.hour < 13 and s.kind != "lunch"]
    afternoons = [s for s in irts.sessions if s.starts_at.hour >= 13 and s.kind != "lunch"]
    assert morning.starts_at == min(s.starts_at for s in mornings)
    assert morning.ends_at == max(s.ends_at or s.starts_at for s in mornings)
    assert afternoon.starts_at == min(s.starts_at for s in afternoons)
    assert afternoon.ends_at == max(s.ends_at or s.starts_at for s in afternoons)
    text = pdf_text(build_signin_sheet(day_sheet(irts)))
    assert morning.hours.replace("\u00a0", " ") in text
    assert afternoon.hours.replace("\u00a0", " ") in text


def test_a_two_day_event_has_one_column_per_half_day(irts):
    irts.ends_on = irts.ends_on.replace(day=16)
    db.session.add(Session(event=irts, kind=SessionKind.PLENARY, title="Deuxième jour",
                           starts_at=datetime(2018, 3, 16, 9, 0),
                           ends_at=datetime(2018, 3, 16, 12, 0)))
    db.session.commit()
    sheet = day_sheet(irts)
    assert [(c.day.replace("\u00a0", " "), c.label) for c in sheet.columns] == [
        ("jeudi 15 mars", "Matin"), ("jeudi 15 mars", "Après-midi"),
        ("vendredi 16 mars", "Matin")]
    data = build_signin_sheet(sheet)
    page = PdfReader(BytesIO(data)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape for three columns
    text = pdf_text(data)
    assert "vendredi 16 mars" in text and "9 h – 12 h" in text


# The organiser's page ---------------------------------------------------------------

PAGE = "/admin/journees/{}/emargement"


def test_organiser_page_lists_the_downloads(organiser_client, irts, placed):
    html = organiser_client.get(PAGE.format(irts.id)).get_data(as_text=True)
    assert "Feuilles d’émargement" in html
    assert PAGE.format(irts.id) + "/journee.pdf" in html
    for workshop in workshops_of(irts):
        assert f"{PAGE.format(irts.id)}/ateliers/{workshop.id}.pdf" in html


def test_downloads_are_pdfs_and_audited(organiser_client, irts, placed):
    third, _ = placed
    response = organiser_client.get(PAGE.format(irts.id) + "/journee.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "AUTRE Bruno" in pdf_text(response.data)
    response = organiser_client.get(f"{PAGE.format(irts.id)}/ateliers/{third.id}.pdf")
    assert response.status_code == 200
    assert "AUTRE Bruno" not in pdf_text(response.data)
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.rows, e.workshop_id) for e in entries] == [
        ("organiser.download_signin", len(TRICKY) + 2, None),
        ("organiser.download_signin", len(TRICKY), third.id)]
    assert all(e.event_id == irts.id for e in entries)
    assert entries[0].actor == "Organisateur·rice organisatrice@example.org"


def foreign_workshop(event) -> Workshop:
    """A workshop in another event (the ETSUP demo day has none of its own)."""
    slot = Session(event=event, kind=SessionKind.WORKSHOPS, starts_at=datetime(2018, 5, 4, 14),
                   ends_at=datetime(2018, 5, 4, 16))
    workshop = Workshop(session=slot, number=1, title="Atelier d’ailleurs")
    db.session.add_all([slot, workshop])
    db.session.commit()
    return workshop


def test_another_events_workshop_is_404(organiser_client, irts, demo):
    other = next(e for e in demo.values() if e.id != irts.id)
    foreign = foreign_workshop(other)
    assert organiser_client.get(
        f"{PAGE.format(irts.id)}/ateliers/{foreign.id}.pdf").status_code == 404
    assert organiser_client.get(f"{PAGE.format(irts.id)}/ateliers/999999.pdf").status_code == 404
    assert organiser_client.get(PAGE.format(other.id)).status_code == 404
    assert organiser_client.get(PAGE.format(other.id) + "/journee.pdf").status_code == 404
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_anonymous_visitors_are_sent_to_login(client, irts):
    response = client.get(PAGE.format(irts.id) + "/journee.pdf")
    assert response.status_code in (302, 401)


def test_reception_staff_cannot_download_sheets(client, login, make_user, irts):
    from journee.programme.models import EventMembership

    user = make_user(email="accueil@example.org")
    db.session.add(EventMembership(event=irts, user=user, role="reception"))
    db.session.commit()
    login(user)
    workshop = workshops_of(irts)[0]
    for url in (PAGE.format(irts.id), PAGE.format(irts.id) + "/journee.pdf",
                f"{PAGE.format(irts.id)}/ateliers/{workshop.id}.pdf"):
        assert client.get(url).status_code == 403
    assert db.session.scalars(select(AuditEntry)).all() == []
