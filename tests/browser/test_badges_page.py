"""The badge printing page: accessible, usable at 360 px, errors announced, a PDF download."""

from __future__ import annotations

import pytest
from support.browsing import axe_violations, horizontal_overflow, login

from journee.extensions import db
from journee.programme.models import Event

SLUG = "travail-social-epreuve-numerique-2018"


@pytest.fixture(scope="module")
def badges_url(live_server) -> str:
    with live_server.app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug=SLUG))
        return f"{live_server.base_url}/admin/journees/{event.id}/badges"


@pytest.mark.parametrize("width", [1280, 360])
def test_the_form_and_its_errors_are_accessible(live_server, page_factory, badges_url, width):
    page = page_factory(width=width)
    login(page, live_server.base_url)
    page.goto(badges_url)
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
    # Choice groups are fieldsets with a legend.
    for legend in ("Badges à imprimer", "Format des planches d’étiquettes"):
        assert page.locator(f"fieldset:has(> legend:text-is('{legend}')) input[type=radio]"
                            ).count() >= 4
    submit_with_errors(page)
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0


def test_the_form_works_without_javascript_on_a_phone(live_server, page_factory, badges_url):
    page = page_factory(width=360, height=740, javascript=False)
    login(page, live_server.base_url)
    page.goto(badges_url)
    submit_with_errors(page)
    assert horizontal_overflow(page) <= 0


def submit_with_errors(page) -> None:
    page.check("text=Les membres de l’équipe d’organisation")
    page.fill("#offset_x", "vingt")
    with page.expect_navigation():
        page.click("text=Télécharger les badges (PDF)")
    summary = page.locator(".error-summary").inner_text()
    assert "Indiquez au moins une personne, une par ligne." in summary
    assert "Saisissez un nombre de millimètres" in summary
    assert page.input_value("#offset_x") == "vingt"
    assert page.is_checked("text=Les membres de l’équipe d’organisation")


def test_printing_downloads_a_pdf(live_server, page_factory, badges_url):
    page = page_factory()
    login(page, live_server.base_url)
    page.goto(badges_url)
    page.check("text=Les intervenant·es et animateur·rices du programme")
    with page.expect_download() as download:
        page.click("text=Télécharger les badges (PDF)")
    assert download.value.suggested_filename == (
        "badges-travail-social-epreuve-numerique-2018-programme.pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
