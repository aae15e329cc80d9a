"""The dashboard, the publish checklist and the summary in a real browser: no axe-core
violation at 360 and 1280 px, no sideways scrolling on a phone, charts readable without
a mouse."""

import pytest
from support.browsing import axe_violations, horizontal_overflow, login
from support.registration import build_known_set

from journee.extensions import db
from journee.programme.models import Event

IRTS = "travail-social-epreuve-numerique-2018"
ETSUP = "travail-social-2-0-etsup-2018"


@pytest.fixture(scope="module")
def ids(live_server):
    with live_server.app.app_context():
        irts = db.session.scalar(db.select(Event).filter_by(slug=IRTS))
        build_known_set(irts)
        etsup = db.session.scalar(db.select(Event).filter_by(slug=ETSUP))
        ids = irts.id, etsup.id, irts.rooms[0].id
        db.session.remove()
    return ids


@pytest.mark.parametrize("width", [360, 1280])
def test_pages_have_no_axe_violation_nor_sideways_scroll(page_factory, live_server, ids,
                                                         width):
    irts_id, etsup_id, room_id = ids
    page = page_factory(width=width)
    login(page, live_server.base_url)
    admin = f"{live_server.base_url}/admin"
    for path in ("/", f"/journees/{irts_id}/", f"/journees/{irts_id}/publier",
                 f"/journees/{etsup_id}/publier", f"/journees/{irts_id}/inscriptions/bilan",
                 f"/journees/{irts_id}/salles/{room_id}/supprimer"):
        page.goto(admin + path)
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], (width, path)
        assert horizontal_overflow(page) <= 0, (width, path)
    page.goto(f"{admin}/journees/{irts_id}/")
    assert page.locator("svg[role=img]").count() == 2
    page.goto(f"{admin}/journees/{irts_id}/inscriptions/bilan")
    assert page.locator("svg[role=img]").count() == 5


def test_chart_figures_open_from_the_keyboard(page_factory, live_server, ids):
    irts_id = ids[0]
    page = page_factory(width=360, javascript=False)
    login(page, live_server.base_url)
    page.goto(f"{live_server.base_url}/admin/journees/{irts_id}/")
    table = page.locator("#tableau-de-bord-jours")
    assert not table.is_visible()
    page.locator("details summary").focus()
    page.keyboard.press("Enter")
    assert table.is_visible()
    assert "samedi 3\u00a0février 2018\t3\t5" in table.inner_text()
    # The chart is named by its title for screen readers.
    chart = page.get_by_role("img", name="Inscriptions reçues au fil du temps")
    assert chart.count() == 1


def test_the_checklist_lists_blockers_and_offers_no_button(page_factory, live_server, ids):
    etsup_id = ids[1]
    page = page_factory(width=360)
    login(page, live_server.base_url)
    page.goto(f"{live_server.base_url}/admin/journees/{etsup_id}/publier")
    blockers = page.locator(".blockers")
    assert "Aucune date limite d’inscription" in blockers.inner_text()
    assert page.get_by_role("button", name="Publier la journée").count() == 0
    with page.expect_navigation():
        blockers.get_by_role("link").first.click()
    assert page.url.endswith("/modifier#registration_deadline")
