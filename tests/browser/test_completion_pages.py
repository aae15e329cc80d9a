"""Completion certificates in Chromium: the organisation's identity page (a wrong SIRET
refused, then saved), the event form's « Certificat de réalisation » block and the
organiser's page of certificates, checked by axe-core at 360 and 1280 px; the identity
page without JavaScript."""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from support.browsing import axe_violations, horizontal_overflow, login, submit

from journee.extensions import db
from journee.programme.models import Event
from journee.registration.models import Profile, Registration, RegistrationStatus

SLUG = "travail-social-epreuve-numerique-2018"


@pytest.fixture(scope="module")
def event_id(live_server) -> int:
    """The IRTS-IDS day, with one person checked in at the door."""
    with live_server.app.app_context():
        event = db.session.scalars(select(Event).where(Event.slug == SLUG)).one()
        db.session.add(Registration(
            event_id=event.id, status=RegistrationStatus.CONFIRMED, first_name="Zoé",
            last_name="N’Diaye <b>", email="zoe.ndiaye@example.org",
            organisation="CCAS d’Évreux", profile=Profile.PROFESSIONAL,
            checked_in_at=datetime(2018, 3, 15, 8, 40)))
        db.session.commit()
        found = event.id
        db.session.remove()
    return found


@pytest.mark.parametrize("width", [360, 1280])
def test_identity_page_has_no_axe_violation_and_fits(page_factory, live_server, width):
    page = page_factory(width=width)
    login(page, live_server.base_url)
    page.goto(f"{live_server.base_url}/admin/identite/organisme")
    assert page.title().startswith("Organisme de formation")
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0


def test_a_wrong_siret_is_refused_then_the_identity_saved(page_factory, live_server):
    page = page_factory(width=360)
    login(page, live_server.base_url)
    page.goto(f"{live_server.base_url}/admin")
    submit(page, page.get_by_role("link", name="Organisme de formation (certificats de "
                                               "réalisation)"))
    page.get_by_label("Raison sociale").fill("IRTS-IDS Normandie")
    page.get_by_label("Numéro SIRET").fill("732 829 320 00075")
    page.get_by_label("Numéro de déclaration d’activité (NDA)").fill("28 76 01234 76")
    page.get_by_label("Région de la déclaration d’activité").fill("Normandie")
    page.get_by_label("Nom du ou de la représentant·e légal·e").fill("Marie Durand")
    submit(page, page.get_by_role("button", name="Enregistrer"))
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Le formulaire contient 1\u00a0erreur")
    expect(summary).to_contain_text("Ce numéro SIRET n’existe pas")
    assert page.get_by_label("Numéro SIRET").input_value() == "732 829 320 00075"
    assert page.get_by_label("Raison sociale").input_value() == "IRTS-IDS Normandie"
    assert axe_violations(page) == []
    # The summary's link leads to the field.
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Numéro SIRET")).to_be_focused()
    page.get_by_label("Numéro SIRET").fill("732 829 320 00074")
    submit(page, page.get_by_role("button", name="Enregistrer"))
    expect(page.locator(".flashes")).to_contain_text(
        "L’identité de l’organisme de formation est enregistrée.")
    assert page.get_by_label("Numéro SIRET").input_value() == "73282932000074"


@pytest.mark.parametrize("width", [360, 1280])
def test_event_form_block_and_certificates_page(page_factory, live_server, event_id, width):
    page = page_factory(width=width)
    login(page, live_server.base_url)
    page.goto(f"{live_server.base_url}/admin/journees/{event_id}/modifier")
    block = page.locator("fieldset", has=page.get_by_text("Certificat de réalisation",
                                                          exact=True))
    expect(block.get_by_role("group", name="Nature de l’action concourant au "
                                           "développement des compétences")).to_be_visible()
    block.get_by_label("Objectifs de l’action").fill("Repérer les usages du numérique.")
    block.get_by_label("Bilan de compétences", exact=True).check()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
    submit(page, page.get_by_role("button", name="Enregistrer les modifications"))
    expect(page.locator(".flashes")).to_contain_text("Les informations de la journée sont "
                                                     "enregistrées.")
    submit(page, page.get_by_role("link", name="Certificats de réalisation"))
    expect(page.locator("h1")).to_have_text("Certificats de réalisation")
    main = page.locator("main")
    expect(main).to_contain_text("Bilan de compétences")
    expect(main).to_contain_text("Repérer les usages du numérique.")
    expect(main).to_contain_text("N’Diaye <b> Zoé")
    expect(main).to_contain_text("7\u00a0h\u00a015")
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0


def test_identity_page_works_without_javascript(page_factory, live_server):
    page = page_factory(width=360, javascript=False)
    login(page, live_server.base_url)
    page.goto(f"{live_server.base_url}/admin/identite/organisme")
    page.get_by_label("Numéro de déclaration d’activité (NDA)").fill("12")
    submit(page, page.get_by_role("button", name="Enregistrer"))
    expect(page.locator(".error-summary")).to_contain_text(
        "Le numéro de déclaration d’activité compte 11\u00a0chiffres")
    assert page.get_by_label("Numéro de déclaration d’activité (NDA)").input_value() == "12"
    assert horizontal_overflow(page) <= 0
