"""The « Accessibilité » section of the event page, the consent to the accommodation
need in the registration form, the organiser's « Accessibilité » settings and the
« Besoins d’aménagement » page in a real browser: axe-core, 360 px, no JavaScript."""

import pytest
from sqlalchemy import select
from support.browsing import axe_violations, horizontal_overflow, login, submit

from journee.extensions import db
from journee.programme.models import Event
from journee.registration.models import Registration

SLUG = "travail-social-epreuve-numerique-2018"

pytestmark = pytest.mark.usefixtures("registration_open")


@pytest.fixture(scope="module", autouse=True)
def accessible(live_server):
    with live_server.app.app_context():
        event = db.session.scalar(select(Event).filter_by(slug=SLUG))
        event.ask_accommodation = True
        event.accessibility_features = "step_free,hearing_loop,easy_read"
        event.accessibility_notes = "Entrée « Flore », rampe d’accès côté parking."
        event.referent_name = "Zoé N’Diaye"
        event.referent_email = "referente@irts.example"
        event.referent_phone = "02 35 12 34 56"
        db.session.commit()
        event_id = event.id
        db.session.remove()
    return event_id


def stored(email: str) -> Registration | None:
    """The registration as the live server stored it (call in its app context)."""
    return db.session.scalar(select(Registration).filter_by(email=email))


@pytest.mark.parametrize("width", [360, 1280])
def test_the_event_page_section_is_accessible(page_factory, live_server, width):
    page = page_factory(width=width)
    page.goto(f"{live_server.base_url}/e/{SLUG}/")
    section = page.locator("section[aria-labelledby=accessibilite]")
    assert section.get_by_role("heading", name="Accessibilité").is_visible()
    assert section.get_by_role("listitem").all_inner_texts() == [
        "Accès de plain-pied ou par ascenseur", "Boucle à induction magnétique",
        "Documents en gros caractères ou en FALC (facile à lire et à comprendre) sur demande"]
    assert section.get_by_role("link", name="referente@irts.example").get_attribute(
        "href") == "mailto:referente@irts.example"
    assert section.get_by_role("link", name="02 35 12 34 56").get_attribute(
        "href") == "tel:+33235123456"
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0


def fill_the_form(page, email: str) -> None:
    page.fill("#first_name", "Amina")
    page.fill("#last_name", "Benali")
    page.fill("#email", email)
    page.fill("#organisation", "ITEP La Houssaye")
    page.check("#profile-1")
    page.check("#lunch-1")
    page.select_option("select[name$='_1']", label="Atelier n° 2 : Handicap adulte")
    page.check("#accommodation_needed-0")
    page.fill("#accommodation_details", "Interprète en LSF")
    page.check("#privacy")


@pytest.mark.parametrize("width", [360, 1280])
def test_the_consent_is_asked_and_required_with_yes(page_factory, live_server, width):
    email = f"amina.{width}@example.org"
    page = page_factory(width=width)
    page.goto(f"{live_server.base_url}/e/{SLUG}/register")
    consent = page.get_by_role("checkbox", name="J’accepte que cette information sur ma "
                                                "santé ou mon handicap soit transmise")
    assert consent.is_visible()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
    fill_the_form(page, email)
    submit(page, page.locator("#envoyer-inscription"))
    summary = page.locator(".error-summary")
    assert "Sans votre accord, nous ne pouvons pas enregistrer ce besoin" in \
        summary.inner_text()
    assert page.locator("#accommodation_details").input_value() == "Interprète en LSF"
    assert page.locator("#accommodation_needed-0").is_checked()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
    with live_server.app.app_context():
        assert stored(email) is None
        db.session.remove()
    page.locator("#accommodation_consent").check()
    page.check("#privacy")
    submit(page, page.locator("#envoyer-inscription"))
    assert page.url.endswith("/register/done")
    with live_server.app.app_context():
        registration = stored(email)
        assert registration.accommodation_needed is True
        assert registration.accommodation_consent_at is not None
        db.session.remove()


def test_the_consent_works_without_javascript_at_360px(page_factory, live_server):
    email = "amina.sans-js@example.org"
    page = page_factory(width=360, javascript=False)
    page.goto(f"{live_server.base_url}/e/{SLUG}/register")
    fill_the_form(page, email)
    page.check("#accommodation_consent")
    submit(page, page.locator("#envoyer-inscription"))
    assert page.url.endswith("/register/done")
    assert horizontal_overflow(page) <= 0
    with live_server.app.app_context():
        assert stored(email).accommodation_details == "Interprète en LSF"
        db.session.remove()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_settings_block_and_the_needs_page_are_accessible(page_factory, live_server,
                                                              accessible, width):
    page = page_factory(width=width)
    login(page, live_server.base_url)
    page.goto(f"{live_server.base_url}/admin/journees/{accessible}/modifier")
    block = page.locator("fieldset#accessibilite")
    assert block.get_by_role("checkbox", name="Boucle à induction magnétique").is_checked()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
    page.fill("#referent_phone", "12 34")
    submit(page, page.get_by_role("button", name="Enregistrer les modifications"))
    assert "Saisissez un numéro de téléphone français" in \
        page.locator(".error-summary").inner_text()
    assert axe_violations(page) == []
    page.goto(f"{live_server.base_url}/admin/journees/{accessible}/besoins-d-amenagement")
    assert page.get_by_role("heading", name="Besoins d’aménagement").is_visible()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
