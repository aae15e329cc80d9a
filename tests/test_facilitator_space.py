"""The facilitator space reached by a personal link: who may see what, and the audit log."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from support.pages import text_of

from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.facilitation.models import FacilitatorLink
from journee.programme.models import Participation, Role, Session, SessionKind, Workshop
from journee.registration.models import (
    Assignment,
    AssignmentSource,
    Profile,
    Registration,
    RegistrationStatus,
)
from journee.util.clock import utcnow

SECRET_NEED = "Fauteuil roulant, boucle magnétique n°42"


def add_member(workshop, first, last, *, status=RegistrationStatus.CONFIRMED, **values):
    """A registration placed in the workshop, as the assignment would place it."""
    values.setdefault("organisation", "IRTS-IDS Normandie")
    values.setdefault("function", "Éducatrice spécialisée")
    values.setdefault("profile", Profile.PROFESSIONAL)
    registration = Registration(event_id=workshop.session.event_id, status=status,
                                first_name=first, last_name=last, **values)
    db.session.add(registration)
    db.session.flush()
    db.session.add(Assignment(registration_id=registration.id, session_id=workshop.session_id,
                              workshop_id=workshop.id, source=AssignmentSource.ORGANISER))
    db.session.flush()
    return registration


@pytest.fixture
def space(irts):
    """Workshop 1 with four confirmed members (tricky names), a waitlisted and a cancelled
    one placed there too; workshop 2 with one member; a link for workshop 1's first
    facilitator."""
    slot = next(s for s in irts.workshop_sessions if s.workshops)
    first, second = slot.workshops[0], slot.workshops[1]
    members = [
        add_member(first, "Zoé", "<Dupont> & Cie", email="zoe@example.org",
                   phone="06 11 22 33 44", accommodation_needed=True,
                   accommodation_details=SECRET_NEED),
        add_member(first, "Seán", "O'Brien-Lefèvre", email="sean@example.org",
                   organisation="=1+1", function="<img src=x>", profile=Profile.STUDENT),
        add_member(first, "Дмитрий", "Ἀλέξανδρος", email="dm@example.org"),
        add_member(first, "Ana\x0bïs", "Łukasz Żółć", email=None, phone=None,
                   profile=Profile.SUPPORTED_PERSON),
    ]
    add_member(first, "Walter", "Attente", email="wait@example.org",
               status=RegistrationStatus.WAITLISTED)
    add_member(first, "Annie", "Annulée", email="gone@example.org",
               status=RegistrationStatus.CANCELLED)
    other = add_member(second, "Odile", "Autreatelier", email="odile@example.org",
                       phone="07 99 88 77 66")
    person = first.facilitators[0].person
    link = FacilitatorLink(event_id=irts.id, person_id=person.id)
    db.session.add(link)
    db.session.commit()
    return {"event": irts, "workshop": first, "other_workshop": second, "members": members,
            "other_member": other, "person": person, "link": link}


def url(link_or_token, workshop=None, suffix=""):
    token = getattr(link_or_token, "token", link_or_token)
    if workshop is None:
        return f"/f/{token}"
    return f"/f/{token}/ateliers/{workshop.uid}{suffix}"


DOWNLOADS = ("", "/liste.xlsx", "/emargement.pdf")


def audit_rows():
    db.session.expire_all()
    return db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()


def assert_private(response):
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Robots-Tag"] == "noindex"


# Access matrix ---------------------------------------------------------------------

def test_own_workshop_opens_every_page(client, space):
    link, workshop = space["link"], space["workshop"]
    home = client.get(url(link))
    assert home.status_code == 200
    assert_private(home)
    for suffix in DOWNLOADS:
        response = client.get(url(link, workshop, suffix))
        assert response.status_code == 200, suffix
        assert_private(response)


def test_another_workshop_of_the_same_event_is_404(client, space):
    link, other = space["link"], space["other_workshop"]
    for suffix in DOWNLOADS:
        response = client.get(url(link, other, suffix))
        assert response.status_code == 404, suffix
        assert_private(response)
        assert "Autreatelier" not in response.get_data(as_text=True)
    assert client.get(f"/f/{link.token}/ateliers/pas-un-uid").status_code == 404
    assert audit_rows() == []


def test_workshop_of_another_event_is_404_even_facilitated_by_the_same_person(client, space,
                                                                             demo):
    """The link opens one event's workshops: the same person's workshop at another day
    needs that day's link."""
    etsup = demo["travail-social-2-0-etsup-2018"]
    slot = Session(event_id=etsup.id, kind=SessionKind.WORKSHOPS,
                   starts_at=datetime(2018, 3, 23, 14, 0), ends_at=datetime(2018, 3, 23, 16, 0))
    foreign = Workshop(session=slot, number=1, title="Atelier ailleurs")
    db.session.add_all([slot, foreign])
    db.session.flush()
    db.session.add(Participation(session_id=slot.id, workshop_id=foreign.id,
                                 person_id=space["person"].id, role=Role.TRAINER))
    db.session.commit()
    for suffix in DOWNLOADS:
        assert client.get(url(space["link"], foreign, suffix)).status_code == 404
    assert "Atelier ailleurs" not in client.get(url(space["link"])).get_data(as_text=True)


def test_revoked_link_is_404_everywhere(client, space):
    link, workshop = space["link"], space["workshop"]
    link.revoked_at = utcnow()
    db.session.commit()
    assert client.get(url(link)).status_code == 404
    for suffix in DOWNLOADS:
        assert client.get(url(link, workshop, suffix)).status_code == 404
    assert audit_rows() == []


def test_replaced_link_old_token_is_404_new_token_works(client, space):
    from journee.facilitation.services import regenerate_link

    old, workshop = space["link"], space["workshop"]
    new = regenerate_link(space["event"], space["person"], "Organisateur·rice test")
    db.session.commit()
    assert new.token != old.token
    assert client.get(url(old)).status_code == 404
    assert client.get(url(old, workshop)).status_code == 404
    assert client.get(url(new)).status_code == 200
    assert client.get(url(new, workshop)).status_code == 200


def test_wrong_or_malformed_token_is_404(client, space):
    token, uid = space["link"].token, space["workshop"].uid
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for wrong in (altered, token.upper(), "x", "A" * 43, "A" * 101, "a" * 5000, "%00",
                  "..%2F..%2Fadmin", "' OR 1=1 --", "\u00e9" * 40):
        for path in (f"/f/{wrong}", f"/f/{wrong}/ateliers/{uid}",
                     f"/f/{wrong}/ateliers/{uid}/liste.xlsx",
                     f"/f/{wrong}/ateliers/{uid}/emargement.pdf"):
            response = client.get(path)
            assert response.status_code == 404, path
            assert_private(response)
    assert audit_rows() == []


def test_a_visit_records_the_last_use(client, space):
    assert space["link"].last_used_at is None
    client.get(url(space["link"]))
    db.session.expire_all()
    assert db.session.get(FacilitatorLink, space["link"].id).last_used_at is not None


# Home page ---------------------------------------------------------------------------

def test_home_shows_the_event_workshop_team_and_counts(client, space):
    link, workshop = space["link"], space["workshop"]
    html = client.get(url(link)).get_data(as_text=True)
    text = text_of(html)
    assert f"Bonjour {space['person'].first_name}" in text
    assert text_of(space["event"].title) in text
    assert "jeudi 15 mars 2018" in text
    assert "jeudi 15 mars 2018, 10 h 45 – 12 h 30" in text
    assert f"Salle {workshop.room.name}" in text
    # Four confirmed members: the waitlisted and the cancelled ones do not count.
    assert "4 personnes inscrites" in text
    for participation in workshop.facilitators:
        assert participation.person.full_name in text
        assert participation.role_label in text
        if participation.affiliation:
            assert participation.affiliation in text
    assert f"{space['person'].full_name} (vous)" in text
    assert "ne le transférez pas" in text
    for suffix in DOWNLOADS:
        assert f'href="{url(link, workshop, suffix)}"' in html
    assert space["other_workshop"].uid not in html
    assert "{# synthesis-link #}" not in html


def test_home_lists_every_workshop_of_the_person(client, space):
    link, other = space["link"], space["other_workshop"]
    db.session.add(Participation(session_id=other.session_id, workshop_id=other.id,
                                 person_id=space["person"].id, role=Role.RAPPORTEUR,
                                 position=99))
    db.session.commit()
    text = text_of(client.get(url(link)).get_data(as_text=True))
    assert "Vos ateliers" in text
    assert other.title in text and space["workshop"].title in text
    assert "Rapporteur·e" in text
    response = client.get(url(link, other))
    assert response.status_code == 200
    assert "Autreatelier" in response.get_data(as_text=True)


# The list --------------------------------------------------------------------------

def test_list_shows_exactly_the_confirmed_members_and_no_sensitive_field(client, space):
    html = client.get(url(space["link"], space["workshop"])).get_data(as_text=True)
    text = text_of(html)
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>", html, re.DOTALL)
    assert len(rows) == 4
    assert "Participant·es (4)" in text
    for name in ("&lt;Dupont&gt; &amp; Cie Zoé", "O&#39;Brien-Lefèvre Seán",
                 "Ἀλέξανδρος Дмитрий"):
        assert name in rows
    assert "<img src=x>" not in html and "&lt;img src=x&gt;" in html
    for absent in ("Attente", "Annulée", "Autreatelier"):
        assert absent not in text
    # Accommodation needs, e-mail and phone: never, by default.
    assert SECRET_NEED not in html and "aménagement" not in text.lower()
    for private in ("zoe@example.org", "06 11 22 33 44", "E-mail", "Téléphone"):
        assert private not in text
    assert "Personne accompagnée" in text  # the profile is shown to facilitators
    assert '<caption id="legende-participants">' in html
    assert "jeudi 15 mars 2018, 10 h 45 – 12 h 30" in text
    assert space["workshop"].room.name in text and "Salle Salle" not in text


def test_contact_columns_only_when_the_event_allows_them(client, space):
    space["event"].facilitators_see_contact = True
    db.session.commit()
    html = client.get(url(space["link"], space["workshop"])).get_data(as_text=True)
    text = text_of(html)
    assert "E-mail" in text and "Téléphone" in text
    assert "zoe@example.org" in text and "06 11 22 33 44" in text
    assert 'href="mailto:zoe@example.org"' in html
    assert "odile@example.org" not in text and "07 99 88 77 66" not in text
    assert SECRET_NEED not in text


# Downloads ---------------------------------------------------------------------------

def xlsx_sheet(data: bytes):
    return load_workbook(BytesIO(data)).worksheets[0]


def test_xlsx_download_holds_that_workshop_only_as_text(client, space):
    workshop = space["workshop"]
    response = client.get(url(space["link"], workshop, "/liste.xlsx"))
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert (f"liste-atelier-{workshop.number}-{space['event'].slug}.xlsx"
            in response.headers["Content-Disposition"])
    sheet = xlsx_sheet(response.data)
    titles = [sheet.cell(row=n, column=1).value for n in range(1, 7)]
    assert titles[0] == workshop.label
    assert titles[1] == space["event"].title
    assert titles[2] == "jeudi 15\u00a0mars 2018"
    assert titles[3] == "10\u00a0h\u00a045 – 12\u00a0h\u00a030"
    assert titles[4] == f"Salle\u00a0: {workshop.room.name}"
    header = [cell.value for cell in sheet[7]]
    assert header == ["Nom", "Prénom", "Structure", "Fonction", "Profil"]
    body = list(sheet.iter_rows(min_row=8))
    assert len(body) == 4
    names = {(row[0].value, row[1].value) for row in body}
    assert names == {("<Dupont> & Cie", "Zoé"), ("O'Brien-Lefèvre", "Seán"),
                     ("Ἀλέξανδρος", "Дмитрий"), ("Łukasz Żółć", "Anaïs")}
    for row in body:
        for cell in row:
            if cell.value is not None:
                assert cell.data_type == "s", (cell.coordinate, cell.value)
    sean = next(row for row in body if row[1].value == "Seán")
    assert sean[2].value == "=1+1" and sean[2].data_type == "s"
    assert sean[3].value == "<img src=x>"
    flat = [cell.value for row in sheet.iter_rows() for cell in row]
    assert SECRET_NEED not in flat and "zoe@example.org" not in flat
    assert not any(isinstance(v, str) and "Autreatelier" in v for v in flat)
    assert sheet.freeze_panes == "A8"


def test_xlsx_has_contact_columns_when_allowed(client, space):
    space["event"].facilitators_see_contact = True
    db.session.commit()
    sheet = xlsx_sheet(client.get(url(space["link"], space["workshop"], "/liste.xlsx")).data)
    assert [cell.value for cell in sheet[7]][-2:] == ["E-mail", "Téléphone"]
    zoe = next(row for row in sheet.iter_rows(min_row=8, values_only=True) if row[1] == "Zoé")
    assert zoe[5:] == ("zoe@example.org", "06 11 22 33 44")


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=data,
                            capture_output=True, check=True)
    return re.sub(r"[ \u00a0\u202f]+", " ", result.stdout.decode())


def test_signin_sheet_download_lists_the_members(client, space):
    workshop = space["workshop"]
    response = client.get(url(space["link"], workshop, "/emargement.pdf"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert (f"emargement-atelier-{workshop.number}-{space['event'].slug}.pdf"
            in response.headers["Content-Disposition"])
    text = pdf_text(response.data)
    # The sheet prints last names in capitals.
    for name in ("<DUPONT> & CIE Zoé", "O'BRIEN-LEFÈVRE Seán", "Дмитрий"):
        assert name in text
    assert "AUTREATELIER" not in text.upper() and "ATTENTE" not in text.upper()


# Audit log -------------------------------------------------------------------------

def test_each_view_and_download_writes_one_audit_entry(client, space):
    link, workshop = space["link"], space["workshop"]
    client.get(url(link))  # the home page shows no list: not recorded
    assert audit_rows() == []
    for suffix in DOWNLOADS:
        client.get(url(link, workshop, suffix))
    entries = audit_rows()
    assert [e.action for e in entries] == ["facilitator.view_list",
                                          "facilitator.download_xlsx",
                                          "facilitator.download_signin"]
    for entry in entries:
        assert entry.event_id == space["event"].id
        assert entry.workshop_id == workshop.id
        assert entry.facilitator_link_id == link.id
        assert entry.rows == 4
        assert entry.actor == f"Animateur·rice {space['person'].full_name} (lien n°\u00a0{link.id})"
        assert entry.target == workshop.label
    # Who and how many, never the data itself.
    assert not any("Dupont" in (e.actor + e.target) for e in entries)


def test_organiser_sees_the_log(client, space, make_user, login):
    link, workshop = space["link"], space["workshop"]
    client.get(url(link, workshop))
    client.get(url(link, workshop, "/liste.xlsx"))
    entry = audit_rows()[0]
    entry.at = entry.at.replace(year=2018, month=3, day=15, hour=9, minute=47)  # UTC
    db.session.commit()

    organiser = login(make_user(events=[space["event"]]))
    html = organiser.get(f"/admin/journees/{space['event'].id}/journal").get_data(as_text=True)
    text = text_of(html)
    assert "Consultation de la liste d’un atelier" in text
    assert "Téléchargement de la liste d’un atelier (XLSX)" in text
    assert f"Animateur·rice {space['person'].full_name} (lien n° {link.id})" in text
    assert "jeudi 15 mars 2018 à 10 h 47" in text  # Paris time (UTC+1 in March)
    # Newest first: the download is listed before the view.
    assert text.index("(XLSX)") < text.index("Consultation de la liste")
    assert "2 entrées" in text
