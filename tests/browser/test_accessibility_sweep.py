"""Every page a person can reach, in Chromium with axe-core: public pages, an attendee's
and a facilitator's pages, check-in and the whole back office, at 360 px and 1280 px.

Each page: no WCAG 2.1 A/AA violation, no horizontal scrolling, ``lang="fr"``, a unique
title, a skip link that is the first thing the keyboard reaches and shows its focus. The
registration and a workshop synthesis are then completed with the keyboard alone.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from support.browsing import axe_violations, horizontal_overflow, self_service_link
from support.world import World, build, routes, url_params

from journee.auth.models import User
from journee.extensions import db
from journee.programme.models import Event
from journee.syntheses.models import SynthesisStatus, WorkshopSynthesis

SKIPPED = (".pdf", ".xlsx", ".ics", ".json", ".png", ".zip")
#: Pages that are not HTML pages for people (a JSON feed, an image).
NOT_PAGES = {"admin.checkin.counts", "admin.checkin.results", "admin.sheets.signature_image",
             "admin.programme.people_search", "branding.stylesheet", "branding.logo",
             "branding.favicon"}


#: Today is 1 February 2018 for the registration views (``registration_open``).
pytestmark = pytest.mark.usefixtures("registration_open")


@pytest.fixture(scope="module")
def world(live_server):
    app = live_server.app

    def make_user(email, admin=False, events=()):
        from journee.programme.models import EventMembership
        user = User(email=email, name=email.split("@")[0], is_admin=admin)
        user.set_password("mot-de-passe-solide")
        db.session.add(user)
        for event in events:
            db.session.add(EventMembership(event=event, user=user))
        db.session.commit()
        return user

    with app.app_context():
        demo = {event.slug: event for event in db.session.scalars(select(Event))}
        world = World(demo, make_user)
        pages = []
        for rule, method in routes(app):
            if method != "GET" or rule.rule.endswith(SKIPPED) \
                    or rule.endpoint in NOT_PAGES or rule.endpoint == "auth.reset_password":
                continue
            pages.append((rule.endpoint, build(rule, url_params(rule, world))))
        world.pages = sorted(set(pages))
        world.link_token = world.link.token
        world.workshop_uid = world.workshop.uid
    return world


def _signed_in(page_factory, base_url, width):
    page = page_factory(width=width)
    page.goto(f"{base_url}/connexion")
    page.fill("#email", "admin@example.org")
    page.fill("#password", "mot-de-passe-solide")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")
    return page


@pytest.mark.parametrize("width", [360, 1280])
def test_every_page_is_accessible(page_factory, live_server, world, width):
    page = _signed_in(page_factory, live_server.base_url, width)
    problems, titles = [], {}
    for _endpoint, path in world.pages:
        response = page.goto(live_server.base_url + path)
        if response.status != 200 or "text/html" not in response.headers["content-type"]:
            problems.append(f"{path}: {response.status}")
            continue
        violations = axe_violations(page)
        if violations:
            problems.append(f"{path}: {violations}")
        if horizontal_overflow(page) > 0:
            wide = page.evaluate(
                "[...document.querySelectorAll('body *')].filter(e => "
                "e.getBoundingClientRect().right > window.innerWidth + 1 && "
                "!(e.parentElement && e.parentElement.closest('.table-wrap, .admin-table')))"
                ".slice(0, 4).map(e => e.tagName + '.' + "
                "e.className + ' ' + (e.textContent || '').trim().slice(0, 40))")
            problems.append(f"{path}: défilement horizontal à {width} px {wide}")
        if page.get_attribute("html", "lang") != "fr":
            problems.append(f"{path}: lang")
        titles.setdefault(page.title(), []).append(path)
        if width == 1280:
            page.keyboard.press("Tab")
            focused = page.evaluate(
                "(() => { const e = document.activeElement; const s = getComputedStyle(e);"
                " return [e.getAttribute('href'), e.getBoundingClientRect().height > 0,"
                " s.outlineStyle !== 'none' || s.boxShadow !== 'none'] })()")
            if focused != ["#contenu", True, True]:
                problems.append(f"{path}: lien d’évitement ou focus visible {focused}")
    assert len(world.pages) >= 40, world.pages
    duplicated = {title: paths for title, paths in titles.items() if len(paths) > 1
                  and len({p.split("?")[0] for p in paths}) > 1}
    assert not problems, "\n".join(problems)
    assert not duplicated, "\n".join(f"{title}: {paths}" for title, paths in duplicated.items())


def _tab_to(page, selector: str, limit: int = 250) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} never reached with Tab")


def test_registration_with_the_keyboard_alone(page_factory, live_server, world):
    page = page_factory(width=360)
    page.goto(f"{live_server.base_url}/e/travail-social-epreuve-numerique-2018/register")
    for selector, text in (("#first_name", "Awa"), ("#last_name", "Diallo"),
                           ("#email", "awa.clavier@example.org"),
                           ("#organisation", "CHRS La Boussole")):
        _tab_to(page, selector)
        page.keyboard.type(text)
    _tab_to(page, "input[name=profile]")
    page.keyboard.press("ArrowDown")  # from the first profile to the second, checked
    _tab_to(page, "input[name=lunch]")
    page.keyboard.press("Space")
    _tab_to(page, "select[name$='_1']")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "#privacy")
    page.keyboard.press("Space")
    _tab_to(page, "button.primary")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/register/done"), \
        page.locator(".error-summary").all_inner_texts()
    assert page.get_by_text("Merci, votre demande d’inscription est bien reçue.").is_visible()
    page.goto(self_service_link(live_server, "awa.clavier@example.org"))
    assert page.get_by_text("Diallo").first.is_visible()


def test_workshop_synthesis_with_the_keyboard_alone(page_factory, live_server, world):
    with live_server.app.app_context():
        # The world's synthesis is published (read-only): back to a draft to write it.
        db.session.execute(db.update(WorkshopSynthesis).values(
            status=SynthesisStatus.DRAFT, published_at=None, key_points=""))
        db.session.commit()
    page = page_factory(width=1280)
    page.goto(f"{live_server.base_url}/f/{world.link_token}/ateliers/"
              f"{world.workshop_uid}/synthese")
    _tab_to(page, "textarea")
    page.keyboard.type("Les écrans ne remplacent pas la rencontre.")
    _tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with live_server.app.app_context():
        synthesis = db.session.scalar(select(WorkshopSynthesis))
        assert synthesis is not None
        assert "Les écrans ne remplacent pas la rencontre." in (
            synthesis.key_points + synthesis.questions + synthesis.proposals
            + synthesis.free_text)
