"""The registration pages in a real browser: axe-core, 360 px, no JavaScript."""

from datetime import date

import pytest
from support.browsing import axe_violations, horizontal_overflow, self_service_link

SLUG = "travail-social-epreuve-numerique-2018"


# Today is 1 February 2018 for the registration views (``registration_open``): the live
# server runs in this process, its views see the patched date.
pytestmark = pytest.mark.usefixtures("registration_open")


@pytest.mark.parametrize("width", [360, 1280])
def test_form_has_no_axe_violation_and_fits(page_factory, live_server, width):
    page = page_factory(width=width)
    page.goto(f"{live_server.base_url}/e/{SLUG}/register")
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
    # With errors shown.
    page.click("button.primary")
    assert page.locator(".error-summary").is_visible()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0


def test_register_without_javascript_then_self_service(page_factory, live_server):
    page = page_factory(width=360, javascript=False)
    page.goto(f"{live_server.base_url}/e/{SLUG}/register")
    page.fill("#first_name", "Łukasz")
    page.fill("#last_name", "Ðorđević")
    page.fill("#email", "lukasz.navigateur@example.org")
    page.fill("#organisation", "ITEP La Houssaye")
    page.check("#profile-1")
    page.check("#lunch-1")
    page.select_option("select[name$='_1']", label="Atelier n° 2 : Handicap adulte")
    page.check("#privacy")
    page.click("button.primary")
    assert page.url.endswith("/register/done")
    assert page.get_by_text("Merci, votre demande d’inscription est bien reçue.").is_visible()
    assert horizontal_overflow(page) <= 0
    page_js = page_factory(width=360)
    page_js.goto(page.url)
    assert axe_violations(page_js) == []
    # Then the link in the confirmation e-mail.
    page_js.goto(self_service_link(live_server, "lukasz.navigateur@example.org"))
    assert page_js.get_by_text("Confirmée").first.is_visible()
    assert axe_violations(page_js) == []
    page_js.click("text=Modifier mon inscription")
    assert axe_violations(page_js) == []
    assert horizontal_overflow(page_js) <= 0


def test_error_summary_links_move_to_the_field(page_factory, live_server):
    page = page_factory()
    page.goto(f"{live_server.base_url}/e/{SLUG}/register")
    page.click("button.primary")
    page.click(".error-summary a[href='#first_name']")
    assert page.evaluate("document.activeElement.id") == "first_name"


def _tab_to(page, element_id: str, limit: int = 150) -> None:
    """Press Tab until the element has the focus: it must be reachable by keyboard."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} not reachable with the Tab key")


def test_register_with_the_keyboard_only(page_factory, live_server):
    page = page_factory(width=360, javascript=False)
    page.goto(f"{live_server.base_url}/e/{SLUG}/register")
    for field, text in (("first_name", "Zoé"), ("last_name", "d’Arc-Lévy"),
                        ("email", "zoe.clavier@example.org"), ("organisation", "ETSUP")):
        _tab_to(page, field)
        page.keyboard.type(text)
    _tab_to(page, "profile-0")
    page.keyboard.press("ArrowDown")  # moves to and selects the second profile
    assert page.evaluate("document.activeElement.id") == "profile-1"
    _tab_to(page, "lunch-0")
    page.keyboard.press("Space")
    first_choice = page.locator("select[name$='_1']").first.get_attribute("id")
    _tab_to(page, first_choice)
    page.keyboard.press("ArrowDown")
    _tab_to(page, "privacy")
    page.keyboard.press("Space")
    _tab_to(page, "envoyer-inscription")
    page.keyboard.press("Enter")
    page.wait_for_url("**/register/done")
    assert page.get_by_text("Merci, votre demande d’inscription est bien reçue.").is_visible()
    page.goto(self_service_link(live_server, "zoe.clavier@example.org"))
    assert page.get_by_text("d’Arc-Lévy").first.is_visible()


@pytest.mark.parametrize("width", [360, 1280])
def test_failed_emails_are_shown_accessibly_to_the_organiser(page_factory, live_server,
                                                              width):
    from sqlalchemy import select
    from support.browsing import login

    from journee.extensions import db
    from journee.mail import queue_failed
    from journee.programme.models import Event
    from journee.registration.services import Attendee, register

    with live_server.app.app_context():
        event = db.session.scalar(select(Event).filter_by(slug=SLUG))
        registration = register(event.id, Attendee(
            first_name="Noémie", last_name=f"Échec{width}", profile="professional",
            email=f"noemie.{width}@example.org"), today=date(2018, 2, 1))
        queue_failed("confirmation", registration.email, "Inscription confirmée",
                     ValueError("Header values may not contain linefeed or carriage "
                                "return characters"), registration.id)
        db.session.commit()
        event_id, registration_id = event.id, registration.id
    page = page_factory(width=width)
    login(page, live_server.base_url)
    for path, shown in ((f"/admin/journees/{event_id}/inscriptions/",
                         "ne seront pas réessayés"),
                        (f"/admin/journees/{event_id}/inscriptions/{registration_id}/",
                         "ne sera pas réessayé")):
        page.goto(live_server.base_url + path)
        assert page.get_by_text(shown).first.is_visible()
        assert axe_violations(page) == []
        assert horizontal_overflow(page) <= 0
