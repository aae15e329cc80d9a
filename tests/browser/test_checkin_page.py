"""The check-in page on a phone: accessible, usable with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from support.browsing import axe_violations, horizontal_overflow, login, submit

from journee.extensions import db
from journee.programme.models import Event
from journee.registration.models import (
    Assignment,
    AssignmentSource,
    Profile,
    Registration,
    RegistrationStatus,
    WorkshopChoice,
)

SLUG = "travail-social-epreuve-numerique-2018"
LONG_ORGANISATION = ("Maison d’enfants à caractère social des Hauts-de-Rouen et de la "
                     "Métropole Rouen Normandie")
PEOPLE = {
    # key: first name, last name, organisation, status, workshop index
    "zoe": ("Zoé", "Lefèvre", "MECS Les Tilleuls", RegistrationStatus.CONFIRMED, 0),
    "lukasz": ("Łukasz", "Żółć", LONG_ORGANISATION, RegistrationStatus.CONFIRMED, 1),
    "sean": ("Seán", "O'Brien-Lefèvre", "IRTS-IDS Normandie", RegistrationStatus.CONFIRMED, 0),
    "kbd": ("Clavier", "Seulement", "ITS Tours", RegistrationStatus.CONFIRMED, 2),
    "scan": ("Dmitri", "Дмитрий", "Foyer de l’Enfance", RegistrationStatus.CONFIRMED, 3),
    "waiting": ("Anne", "Attente-Lefèvre", "CHRS", RegistrationStatus.WAITLISTED, None),
    "cancelled": ("Ἀλέξανδρος", "Lefebvre", "ETSUP", RegistrationStatus.CANCELLED, None),
}


@pytest.fixture(scope="module")
def day(live_server) -> dict:
    """The IRTS-IDS day with a few people placed in its workshops; their badge codes."""
    with live_server.app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug=SLUG))
        workshops = [s for s in event.workshop_sessions if s.workshops][0].workshops
        codes = {}
        for key, (first, last, organisation, status, index) in PEOPLE.items():
            registration = Registration(event=event, status=status, first_name=first,
                                        last_name=last, organisation=organisation,
                                        profile=Profile.PROFESSIONAL)
            db.session.add(registration)
            db.session.flush()
            if index is not None:
                workshop = workshops[index]
                db.session.add_all([
                    WorkshopChoice(registration_id=registration.id, session_id=workshop.session_id,
                                   workshop_id=workshop.id, rank=1),
                    Assignment(registration_id=registration.id, session_id=workshop.session_id,
                               workshop_id=workshop.id, source=AssignmentSource.SOLVER, rank=1)])
            codes[key] = registration.badge_code
        db.session.commit()
        return {"desk": f"{live_server.base_url}/admin/journees/{event.id}/accueil",
                "badge_path": f"/admin/journees/{event.id}/accueil/badge/", "codes": codes}


def script_errors(page) -> list[str]:
    """Errors of the page's scripts and refusals of the content security policy."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    return errors


def present_count(page) -> int:
    return int(page.locator("[data-count=present]").inner_text())


def test_without_javascript_the_search_form_and_the_button_work(page_factory, live_server, day):
    page = page_factory(width=360, height=740, javascript=False)
    login(page, live_server.base_url)
    page.goto(day["desk"])
    assert page.locator("#scanner-ouvrir").is_hidden()
    before = present_count(page)
    page.fill("#q", "LEFEVRE")
    with page.expect_navigation():
        page.get_by_role("button", name="Chercher").click()
    assert page.url.endswith("?q=LEFEVRE")
    names = page.locator(".checkin-name").all_inner_texts()
    assert names == ["Zoé Lefèvre", "Anne Attente-Lefèvre", "Seán O'Brien-Lefèvre"]
    assert page.locator("#resultats-statut").inner_text() == "3\u00a0personnes trouvées."
    assert horizontal_overflow(page) <= 0

    with page.expect_navigation():
        page.get_by_role("button", name="Marquer présent·e – Zoé Lefèvre").click()
    assert page.url.endswith("?q=LEFEVRE")
    assert page.locator(".flash[role=status]").last.inner_text() == \
        "Zoé Lefèvre est marqué·e présent·e."
    assert present_count(page) == before + 1
    zoe = page.locator(".checkin-person", has=page.get_by_role("heading", name="Zoé Lefèvre"))
    assert zoe.locator(".checkin-state").inner_text().startswith("Présent·e depuis ")
    assert horizontal_overflow(page) <= 0
    # axe needs JavaScript (its timers do not run in a page without): check the same page
    # as served, with the page's own script blocked.
    plain = page_factory(width=360, height=740)
    plain.route("**/checkin.js", lambda route: route.abort())
    login(plain, live_server.base_url)
    plain.goto(page.url)
    assert plain.locator(".checkin-person.is-present").count() == 1
    assert axe_violations(plain) == []


def test_with_javascript_search_as_you_type_and_one_tap(page_factory, live_server, day):
    page = page_factory(width=360, height=740)
    errors = script_errors(page)
    login(page, live_server.base_url)
    page.goto(day["desk"])
    before = present_count(page)
    page.evaluate("window.sameDocument = true")
    page.locator("#q").press_sequentially("zolc", delay=30)
    person = page.locator(".checkin-person", has=page.get_by_role("heading", name="Łukasz Żółć"))
    person.wait_for()
    assert page.evaluate("window.sameDocument") is True  # no page load: fetched
    assert page.locator("#resultats-statut").inner_text() == "1\u00a0personne trouvée."
    assert "q=zolc" in page.url
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []

    person.get_by_role("button", name="Marquer présent·e").click()
    page.locator("#accueil-message", has_text="Łukasz Żółć est marqué·e présent·e.").wait_for()
    page.locator("[data-count=present]", has_text=str(before + 1)).wait_for()
    person.locator(".checkin-state", has_text="Présent·e depuis").wait_for()
    assert page.evaluate("window.sameDocument") is True
    # The keyboard stays on the same person: on their new « Annuler » button.
    assert page.evaluate("document.activeElement.textContent").startswith("Annuler")
    assert axe_violations(page) == []
    assert errors == []


def test_keyboard_only(page_factory, live_server, day):
    page = page_factory()
    login(page, live_server.base_url)
    page.goto(day["desk"])
    page.focus("#q")
    page.keyboard.type("seulement")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Clavier Seulement").wait_for()
    for _ in range(30):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.textContent || ''")
        if label.startswith("Marquer présent·e"):
            break
    else:
        pytest.fail("the « Marquer présent·e » button is not reachable with Tab")
    page.keyboard.press("Enter")
    page.locator("#accueil-message", has_text="Clavier Seulement est marqué·e présent·e.") \
        .wait_for()


def test_badge_and_on_site_pages_on_a_phone(page_factory, live_server, day):
    page = page_factory(width=360, height=740)
    login(page, live_server.base_url)
    page.goto(live_server.base_url + day["badge_path"] + day["codes"]["sean"])
    assert page.locator("h1").inner_text() == "Seán O'Brien-Lefèvre"
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []
    page.get_by_role("button", name="Marquer présent·e").click()
    expect(page.locator(".checkin-state")).to_have_text(re.compile(r"^\s*Présent·e depuis "))
    assert axe_violations(page) == []

    page.goto(day["desk"] + "/sur-place")
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []
    page.get_by_role("button", name="Inscrire et marquer présent·e").click()
    page.locator(".error-summary").wait_for()
    page.wait_for_load_state("load")  # its stylesheet applied before measuring the width
    assert page.locator(".error-summary").is_visible()
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []


FAKE_CAMERA = """
window.BarcodeDetector = class {
  detect() { return Promise.resolve(window.scannedCodes || []); }
};
navigator.mediaDevices.getUserMedia = function () {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  const context = canvas.getContext("2d");
  let shade = 0;
  window.fakeCameraTimer = setInterval(() => {
    shade = (shade + 40) % 256;
    context.fillStyle = `rgb(${shade}, ${shade}, ${shade})`;
    context.fillRect(0, 0, 64, 64);
  }, 50);
  return Promise.resolve(canvas.captureStream(10));
};
"""


def test_scanner_opens_the_badge_of_this_event_only(page_factory, live_server, day):
    page = page_factory(width=360, height=740)
    errors = script_errors(page)
    page.add_init_script(FAKE_CAMERA)
    login(page, live_server.base_url)
    page.goto(day["desk"])
    page.get_by_role("button", name="Scanner un badge").click()
    page.locator("#scanner-message", has_text="Caméra ouverte").wait_for()
    page.evaluate("window.scannedCodes = [{rawValue: 'https://exemple.fr/autre/chose'}]")
    page.locator("#scanner-message", has_text="pas un badge de cette journée").wait_for()
    # The QR code carries the public address; the scanner stays on this site.
    badge = "http://journee.exemple" + day["badge_path"] + day["codes"]["scan"]
    page.evaluate("code => { window.scannedCodes = [{rawValue: code}]; }", badge)
    page.wait_for_url(live_server.base_url + day["badge_path"] + day["codes"]["scan"])
    assert page.locator("h1").inner_text() == "Dmitri Дмитрий"
    assert errors == []


def test_no_scanner_button_without_barcode_detector(page_factory, live_server, day):
    page = page_factory()
    page.add_init_script("delete window.BarcodeDetector;")
    login(page, live_server.base_url)
    page.goto(day["desk"])
    assert page.locator("#scanner-ouvrir").is_hidden()


@pytest.fixture(scope="module")
def second_day(live_server) -> dict:
    """A two-day event now over (the desk marks its last day, Friday) and someone who came
    on Thursday only."""
    from datetime import date, datetime

    from journee.attendance.services.presence import mark_present
    from journee.programme.models import Session, SessionKind

    with live_server.app.app_context():
        event = Event(slug="deux-jours-accueil", title="Accompagner l’enfance en danger",
                      starts_on=date(2018, 3, 15), ends_on=date(2018, 3, 16),
                      venue_city="Rouen")
        event.sessions += [
            Session(kind=SessionKind.PLENARY, title="Ouverture",
                    starts_at=datetime(2018, 3, 15, 9), ends_at=datetime(2018, 3, 15, 12)),
            Session(kind=SessionKind.PLENARY, title="Clôture",
                    starts_at=datetime(2018, 3, 16, 9), ends_at=datetime(2018, 3, 16, 12))]
        db.session.add(event)
        db.session.flush()
        thursday = Registration(event=event, status=RegistrationStatus.CONFIRMED,
                                first_name="Maëlle", last_name="N’Diaye-Jeudi",
                                organisation="MECS Les Tilleuls", profile=Profile.PROFESSIONAL)
        db.session.add(thursday)
        db.session.flush()
        mark_present(thursday, "orga@exemple.fr", day=date(2018, 3, 15))
        db.session.commit()
        return {"desk": f"{live_server.base_url}/admin/journees/{event.id}/accueil"}


@pytest.mark.parametrize("width", [360, 1280])
def test_on_the_second_day_who_came_the_first_day_is_shown_and_marked_again(
        page_factory, live_server, second_day, width):
    page = page_factory(width=width, height=800)
    # Without the page's script the forms are posted as they are: each click loads a page.
    page.route("**/checkin.js", lambda route: route.abort())
    login(page, live_server.base_url)
    page.goto(second_day["desk"] + "?q=ndiaye")
    person = page.locator(".checkin-person",
                          has=page.get_by_role("heading", name="Maëlle N’Diaye-Jeudi"))
    expect(person.locator(".checkin-state")).to_have_text("Venu·e le jeudi 15 mars 2018")
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0

    mark = person.get_by_role("button", name="Marquer présent·e – Maëlle N’Diaye-Jeudi")
    submit(page, mark)
    person = page.locator(".checkin-person",
                          has=page.get_by_role("heading", name="Maëlle N’Diaye-Jeudi"))
    expect(person.locator(".checkin-state")).to_have_text(re.compile(r"^Présent·e depuis "))
    expect(person.locator(".hint")).to_have_text("Venu·e le jeudi 15 mars 2018")
    expect(page.locator("[data-count=present]")).to_have_text("1")
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0

    # Undo takes Friday back only.
    submit(page, person.get_by_role("button", name="Annuler – Maëlle N’Diaye-Jeudi"))
    expect(person.locator(".checkin-state")).to_have_text("Venu·e le jeudi 15 mars 2018")
    expect(page.locator("[data-count=present]")).to_have_text("0")


@pytest.mark.parametrize("width", [360, 1280])
def test_after_the_event_each_day_is_ticked_apart_on_the_certificates_page(
        page_factory, live_server, second_day, width):
    page = page_factory(width=width, height=800)
    login(page, live_server.base_url)
    page.goto(second_day["desk"].removesuffix("/accueil") + "/attestations")
    thursday = page.get_by_label("Maëlle N’Diaye-Jeudi présent·e le jeudi 15 mars 2018")
    friday = page.get_by_label("Maëlle N’Diaye-Jeudi présent·e le vendredi 16 mars 2018")
    expect(thursday).to_be_checked()
    expect(friday).not_to_be_checked()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0

    friday.check()
    submit(page, page.get_by_role("button", name="Enregistrer les présences"))
    expect(page.locator(".flash-success")).to_have_text(
        "Présences enregistrées\u00a0: 1\u00a0journée de présence ajoutée, "
        "0\u00a0journée retirée.")
    expect(friday).to_be_checked()
    expect(thursday).to_be_checked()
    assert axe_violations(page) == []

    # Back as it was, for the other width.
    friday.uncheck()
    submit(page, page.get_by_role("button", name="Enregistrer les présences"))
    expect(friday).not_to_be_checked()
    expect(thursday).to_be_checked()
