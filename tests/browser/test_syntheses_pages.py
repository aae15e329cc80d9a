"""The facilitator's synthesis form and the public syntheses page, in a real browser."""

import pytest
from support.browsing import axe_violations, horizontal_overflow, login, submit

from journee.extensions import db
from journee.facilitation.models import FacilitatorLink
from journee.programme.models import Event
from journee.syntheses.models import DaySynthesis, SynthesisStatus, WorkshopSynthesis
from journee.util.clock import utcnow

SLUG = "travail-social-epreuve-numerique-2018"


@pytest.fixture(scope="module")
def form_url(live_server) -> str:
    """A facilitator link of workshop 5's first facilitator, and their form's address."""
    with live_server.app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug=SLUG))
        workshop = event.workshop_sessions[0].workshops[4]
        link = FacilitatorLink(event_id=event.id,
                               person_id=workshop.facilitators[0].person.id)
        db.session.add(link)
        db.session.commit()
        return f"{live_server.base_url}/f/{link.token}/ateliers/{workshop.uid}/synthese"


@pytest.mark.parametrize("width", [360, 1280])
def test_synthesis_form_is_accessible_and_fits(page_factory, form_url, width):
    page = page_factory(width=width)
    page.goto(form_url)
    assert page.locator("h1").inner_text().replace("\u202f", " ") == (
        "Synthèse de l’atelier n° 5 : Intervention socio-urbaine")
    assert page.get_by_label("Points clés").is_visible()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
    if width == 360:  # the same page showing an error, nothing saved
        page.get_by_label("Questions soulevées").fill("x" * 6001)
        submit(page, page.get_by_role("button", name="Enregistrer le brouillon"))
        assert page.locator(".error-summary").is_visible()
        assert axe_violations(page) == []
        assert horizontal_overflow(page) <= 0


def test_synthesis_form_works_without_javascript(page_factory, form_url):
    page = page_factory(width=360, javascript=False)
    page.goto(form_url)
    page.get_by_label("Points clés").fill("- Les jeunes du quartier vivent sur leur téléphone")
    page.get_by_label("Propositions").fill("x" * 6001)
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    summary = page.locator(".error-summary")
    assert "raccourcissez-le à 6\u00a0000 au plus" in summary.inner_text()
    assert page.get_by_label("Points clés").input_value().startswith("- Les jeunes")
    assert horizontal_overflow(page) <= 0

    page.get_by_label("Propositions").fill("Ouvrir un point d’accès numérique")
    submit(page, page.get_by_role("button", name="Remettre aux organisateurs"))
    assert "remise aux organisateurs" in page.locator(".flash-success").inner_text()
    assert page.get_by_role("button", name="Enregistrer les corrections").is_visible()


def _publish_something(live_server) -> None:
    with live_server.app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug=SLUG))
        workshop = event.workshop_sessions[0].workshops[0]
        db.session.add(WorkshopSynthesis(
            workshop_id=workshop.id, status=SynthesisStatus.PUBLISHED, published_at=utcnow(),
            key_points="- Des outils numériques adaptés aux enfants\n- Zoé <Dupont> & Cie",
            questions="Comment **protéger** les données des familles ?",
            proposals="1. Former les équipes\n2. Associer les parents",
            free_text="> Une citation d’un participant.\n\n"
                      "Voir [le site du réseau](https://exemple.fr/un-lien-tres-long-"
                      "qui-ne-doit-pas-deborder-sur-un-petit-ecran-de-telephone).\n\n"
                      "<script>alert(1)</script>"))
        db.session.add(DaySynthesis(
            event_id=event.id, title="Restitution des ateliers",
            authors="Cyril LAC, Manuelle FINN", body="Une synthèse **de la journée**.",
            reading_list="- *Les cahiers de l’inclusion numérique*", published_at=utcnow()))
        db.session.commit()


@pytest.mark.parametrize("javascript", [True, False])
def test_public_syntheses_page(page_factory, live_server, javascript):
    if javascript:
        _publish_something(live_server)
    for width in (360, 1280) if javascript else (360,):
        page = page_factory(width=width, javascript=javascript)
        page.goto(f"{live_server.base_url}/e/{SLUG}/")
        submit(page, page.get_by_role("link", name="Synthèses de la journée"))
        assert page.locator("h1").inner_text() == "Synthèses de la journée"
        assert page.locator("h2", has_text="Handicap enfant").is_visible()
        assert page.get_by_text("Zoé <Dupont> & Cie").is_visible()
        assert page.locator("script").count() == 0
        assert page.get_by_role("heading", name="Pour aller plus loin").is_visible()
        if javascript:  # axe-core runs in the page: it needs JavaScript
            assert axe_violations(page) == []
        assert horizontal_overflow(page) <= 0


def test_organiser_pages_are_accessible(page_factory, live_server, form_url):
    page = page_factory(width=360)
    login(page, live_server.base_url)
    with live_server.app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug=SLUG))
        event_id, workshop_id = event.id, event.workshop_sessions[0].workshops[0].id
    base = f"{live_server.base_url}/admin/journees/{event_id}/syntheses"
    for url in (base, f"{base}/journee", f"{base}/ateliers/{workshop_id}"):
        page.goto(url)
        assert axe_violations(page) == [], url
        assert horizontal_overflow(page) <= 0, url
