"""The facilitator space in a real browser: accessible, usable on a phone, without JavaScript;
and the organiser's page of links."""

from __future__ import annotations

import pytest
from support.browsing import axe_violations, horizontal_overflow, login

from journee.extensions import db
from journee.facilitation.models import FacilitatorLink
from journee.programme.models import Event
from journee.registration.models import (
    Assignment,
    AssignmentSource,
    Profile,
    Registration,
    RegistrationStatus,
)

SLUG = "travail-social-epreuve-numerique-2018"


@pytest.fixture(scope="module")
def space(live_server):
    """Workshop 1 with a dozen members (long and tricky names), contacts allowed, and a
    link for its first facilitator."""
    with live_server.app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug=SLUG))
        event.facilitators_see_contact = True
        workshop = next(s for s in event.workshop_sessions if s.workshops).workshops[0]
        names = [("Zoé", "<Dupont> & Cie"), ("Seán", "O'Brien-Lefèvre"), ("Дмитрий", "Иванов"),
                 ("Ἀλέξανδρος", "Παπαδόπουλος"), ("Łukasz", "Żółć"), ("=1+1", "<img src=x>")]
        names += [(f"Alix{n}", f"Durand-Lefèvre-Montgomery{n}") for n in range(6)]
        for n, (first, last) in enumerate(names):
            registration = Registration(
                event_id=event.id, status=RegistrationStatus.CONFIRMED, first_name=first,
                last_name=last, email=f"participant.e{n}.avec.une.adresse.longue@example.org",
                phone="+33 6 12 34 56 78",
                organisation="Maison d’enfants à caractère social des Hauts-de-Rouen",
                function="Éducatrice spécialisée en milieu ouvert", profile=list(Profile)[n % 8])
            db.session.add(registration)
            db.session.flush()
            db.session.add(Assignment(registration_id=registration.id,
                                      session_id=workshop.session_id, workshop_id=workshop.id,
                                      source=AssignmentSource.ORGANISER))
        person = workshop.facilitators[0].person
        link = FacilitatorLink(event_id=event.id, person_id=person.id)
        db.session.add(link)
        db.session.commit()
        return {"token": link.token, "uid": workshop.uid, "event_id": event.id,
                "first_name": person.first_name, "count": len(names)}


def test_home_and_list_are_accessible_on_a_phone_and_a_desktop(page_factory, live_server,
                                                               space):
    home = f"{live_server.base_url}/f/{space['token']}"
    for width in (1280, 360):
        page = page_factory(width=width, height=800)
        page.goto(home)
        assert page.locator("h1").inner_text() == f"Bonjour {space['first_name']}"
        assert horizontal_overflow(page) <= 0
        assert axe_violations(page) == []
        page.get_by_role("link", name="Voir la liste des participant·es").click()
        page.wait_for_url(f"{home}/ateliers/{space['uid']}")
        table = page.get_by_role("table")
        assert table.locator("caption").count() == 1
        assert table.locator("tbody tr").count() == space["count"]
        # Names come out literally: « <img src=x> » is text, « =1+1 » a first name.
        assert page.get_by_role("rowheader", name="<img src=x> =1+1").count() == 1
        assert page.locator("main img").count() == 0
        assert horizontal_overflow(page) <= 0
        assert axe_violations(page) == []


def test_works_without_javascript(page_factory, live_server, space):
    """axe-core cannot run in a page without JavaScript (its promise never settles): the
    same pages are checked with it above; here they are used with scripts off."""
    home = f"{live_server.base_url}/f/{space['token']}"
    page = page_factory(width=360, height=740, javascript=False)
    page.goto(home)
    assert page.locator("h1").inner_text() == f"Bonjour {space['first_name']}"
    page.get_by_role("link", name="Voir la liste des participant·es").click()
    page.wait_for_url(f"{home}/ateliers/{space['uid']}")
    assert page.get_by_role("table").locator("tbody tr").count() == space["count"]
    assert page.get_by_role("cell", name="participant.e0.avec.une.adresse.longue@example.org"
                            ).count() == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger la liste").click()
    assert download.value.suggested_filename == f"liste-atelier-1-{SLUG}.xlsx"
    page.get_by_role("link", name="Votre espace animateur·rice").click()
    page.wait_for_url(home)


def test_organiser_links_and_log_pages(page_factory, live_server, space):
    base = f"{live_server.base_url}/admin/journees/{space['event_id']}"
    page = page_factory(width=360)
    page.goto(f"{live_server.base_url}/f/{space['token']}/ateliers/{space['uid']}")
    login(page, live_server.base_url)
    page.goto(f"{base}/animateurs")
    assert page.locator("h1").inner_text() == "Liens des animateur·rices d’atelier"
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []
    page.goto(f"{base}/journal")
    assert page.get_by_role("cell", name="Consultation de la liste d’un atelier").count() >= 1
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []

    # Create a link without JavaScript: the page comes back with its message and the link
    # to copy (this person has no e-mail address).
    page = page_factory(javascript=False)
    login(page, live_server.base_url)
    page.goto(f"{base}/animateurs")
    page.get_by_role("button", name="Créer le lien").first.click()
    page.wait_for_url(f"{base}/animateurs")
    assert "est créé" in page.locator(".flashes").inner_text()
    box = page.locator(".link-box").first
    assert box.inner_text().startswith("http://127.0.0.1/f/")
    # Without JavaScript there is nothing to copy with: no button.
    assert page.get_by_role("button", name="Copier le lien").count() == 0

    # With it, « Copier le lien » copies and says so; the long link wraps in its box.
    page = page_factory(width=360)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                   origin=live_server.base_url)
    login(page, live_server.base_url)
    page.goto(f"{base}/animateurs")
    link = page.locator(".link-box").first.inner_text()
    page.get_by_role("button", name="Copier le lien").first.click()
    status = page.locator('.copy-link [role="status"]').first
    status.filter(has_text="Lien copié.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})
    assert axe_violations(page) == []

    # The address changed in place, without leaving the page.
    field = page.locator('input[type="email"]').first
    field.fill("pas une adresse")
    with page.expect_navigation():
        field.locator("xpath=..").get_by_role("button").click()
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page) == []
