"""Who sees the accommodation needs (health data): the event's organisers and its
disability referent on the « Besoins d’aménagement » page; nobody else, and no badge,
sign-in sheet, export or facilitator list."""

import subprocess
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update
from support.pages import text_of
from support.registration import add
from support.world import NEED, World

from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.registration.models import Registration

LOGIN = "/connexion"


@pytest.fixture
def world(app, demo, make_user):
    world = World(demo, make_user)
    world.irts.ask_accommodation = True
    db.session.commit()
    return world


def signed_in(app, user):
    client = app.test_client()
    response = client.post(LOGIN, data={"email": user.email,
                                        "password": "mot-de-passe-solide"})
    assert response.status_code == 302
    return client


def needs_url(event) -> str:
    return f"/admin/journees/{event.id}/besoins-d-amenagement"


def test_the_organiser_reads_the_needs_with_name_contact_and_consent(app, world):
    told_before = add(world.irts, "Jean", "Ancien", "jean@example.org",
                      accommodation_needed=True, accommodation_details="Rampe")
    client = signed_in(app, world.users["organiser"])
    response = client.get(needs_url(world.irts))
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    text = text_of(response.get_data(as_text=True))
    assert "2 personnes ont demandé un aménagement" in text
    assert f"Zoé Martin zoe@example.org {NEED} jeudi 1er février 2018 à 11 h" in text
    assert "Jean Ancien jean@example.org Rampe dit avant que l’accord soit demandé" in text
    # Only what preparing the welcome takes: not the rest of the registration.
    assert "IRTS-IDS Normandie" not in text.split("demandé un aménagement")[1]
    entry = db.session.scalars(select(AuditEntry).filter_by(action="staff.view_needs")).one()
    assert entry.actor == "Organisateur·rice orga@example.org" and entry.rows == 2
    assert told_before.id  # the organiser's list, not the referent's (below)
    registrations = client.get(f"/admin/journees/{world.irts.id}/inscriptions/")
    assert needs_url(world.irts) in registrations.get_data(as_text=True)


def test_needs_told_before_the_question_was_switched_off_stay_within_reach(app, world):
    client = signed_in(app, world.users["organiser"])
    world.irts.ask_accommodation = False
    db.session.commit()
    listing = client.get(f"/admin/journees/{world.irts.id}/inscriptions/")
    # Zoé's need (the world's) is kept until its purge: the page still leads to it.
    assert needs_url(world.irts) in listing.get_data(as_text=True)
    assert client.get(needs_url(world.irts)).status_code == 200

    db.session.execute(update(Registration).values(accommodation_needed=False,
                                                   accommodation_details=None))
    db.session.commit()
    listing = client.get(f"/admin/journees/{world.irts.id}/inscriptions/")
    assert needs_url(world.irts) not in listing.get_data(as_text=True)


def test_the_referent_reads_only_the_consented_needs_and_nothing_else(app, world):
    add(world.irts, "Jean", "Ancien", "jean@example.org", accommodation_needed=True,
        accommodation_details="Rampe")
    world.irts.referent_email = "Referente@Example.org"
    db.session.commit()
    client = signed_in(app, world.users["referent"])
    home = text_of(client.get("/admin/").get_data(as_text=True))
    assert f"Besoins d’aménagement – {' '.join(world.irts.title.split())}" in home
    response = client.get(needs_url(world.irts))
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    assert "1 personne a demandé un aménagement" in text
    assert f"Zoé Martin zoe@example.org {NEED}" in text
    assert "Jean Ancien" not in text and "Rampe" not in text
    assert "Vous les voyez en tant que référent·e handicap de la journée." in text
    entry = db.session.scalars(select(AuditEntry).filter_by(action="staff.view_needs")).one()
    assert entry.actor == "Référent·e handicap referente@example.org"
    # The rest of the event stays closed to them.
    for path in ("/", "/inscriptions/", f"/inscriptions/{world.registration.id}/",
                 "/inscriptions/export.xlsx", "/accueil", "/badges"):
        assert client.get(f"/admin/journees/{world.irts.id}{path}").status_code == 404
    assert client.get(needs_url(world.etsup)).status_code == 404


def test_once_no_longer_referent_the_account_sees_nothing(app, world):
    world.irts.referent_email = "quelqu-un-d-autre@example.org"
    db.session.commit()
    client = signed_in(app, world.users["referent"])
    assert client.get(needs_url(world.irts)).status_code == 404
    assert "Besoins d’aménagement" not in client.get("/admin/").get_data(as_text=True)


@pytest.mark.parametrize("role, status", [("reception", 403), ("other_staff", 404),
                                          ("no_role", 404)])
def test_other_staff_cannot_see_the_needs(app, world, role, status):
    client = signed_in(app, world.users[role])
    response = client.get(needs_url(world.irts))
    assert response.status_code == status
    assert NEED not in response.get_data(as_text=True)


def test_without_an_account_the_needs_page_asks_to_sign_in(app, world):
    response = app.test_client().get(needs_url(world.irts))
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def workbook_text(data: bytes) -> str:
    book = load_workbook(BytesIO(data))
    return " ".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
                    for cell in row if cell is not None)


def test_no_badge_sheet_export_or_facilitator_list_carries_the_need(app, world, tmp_path):
    organiser = signed_in(app, world.users["organiser"])
    base = f"/admin/journees/{world.irts.id}"
    badges = organiser.post(f"{base}/badges", data={
        "sheet_format": "a4-10-54x90", "selection": "tous", "registration": "", "team": "",
        "offset_x": "0", "offset_y": "0", "skip": "0", "cut_marks": "y"})
    assert badges.mimetype == "application/pdf"
    day_sheet = organiser.get(f"{base}/emargement/journee.pdf")
    workshop_sheet = organiser.get(f"{base}/emargement/ateliers/{world.workshop.id}.pdf")
    export = organiser.get(f"{base}/inscriptions/export.xlsx")
    token, uid = world.link.token, world.workshop.uid
    facilitator = app.test_client()
    facilitator_page = facilitator.get(f"/f/{token}/ateliers/{uid}")
    facilitator_xlsx = facilitator.get(f"/f/{token}/ateliers/{uid}/liste.xlsx")
    facilitator_sheet = facilitator.get(f"/f/{token}/ateliers/{uid}/emargement.pdf")
    checkin = organiser.get(f"{base}/accueil/resultats?q=Martin")

    pdfs = {name: pdf_text(response.data, tmp_path) for name, response in (
        ("badges", badges), ("day sheet", day_sheet), ("workshop sheet", workshop_sheet),
        ("facilitator sheet", facilitator_sheet))}
    workbooks = {name: workbook_text(response.data) for name, response in (
        ("export", export), ("facilitator list", facilitator_xlsx))}
    pages = {"facilitator page": facilitator_page.get_data(as_text=True),
             "check-in": checkin.get_data(as_text=True)}
    documents = pdfs | workbooks | pages
    # Each document is about the attendee, so a missing need means something.
    for name in ("badges", "export", "check-in", "facilitator list"):
        assert "Martin" in documents[name], name
    assert [name for name, text in documents.items()
            if "Boucle" in text or "aménagement" in text.lower()] == []
