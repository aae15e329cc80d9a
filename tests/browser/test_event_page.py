import pytest
from support.browsing import axe_violations, horizontal_overflow

SLUG = "travail-social-epreuve-numerique-2018"


@pytest.mark.parametrize("width", [360, 1280])
def test_event_page_has_no_axe_violation_and_fits(page_factory, live_server, width):
    page = page_factory(width=width)
    page.goto(f"{live_server.base_url}/e/{SLUG}/")
    assert page.title().startswith("Le travail social à l’épreuve du numérique")
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0


def test_event_page_without_javascript_at_360px(page_factory, live_server):
    page = page_factory(width=360, javascript=False)
    page.goto(f"{live_server.base_url}/e/{SLUG}/")
    workshops = page.locator(".workshop h4")
    assert workshops.count() == 6
    assert workshops.nth(0).inner_text().replace("\u202f", " ") == "Atelier n° 1 : Handicap enfant"
    assert page.get_by_text("Vincent MEYER").is_visible()
    assert horizontal_overflow(page) <= 0


def test_keyboard_reaches_the_skip_link_first(page_factory, live_server):
    page = page_factory()
    page.goto(f"{live_server.base_url}/e/{SLUG}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"
    assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"


def test_print_stylesheet_hides_navigation(page_factory, live_server):
    page = page_factory()
    page.goto(f"{live_server.base_url}/e/{SLUG}/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator(".workshop").first.is_visible()


def test_index_page_has_no_axe_violation(page_factory, live_server):
    page = page_factory(width=360)
    page.goto(f"{live_server.base_url}/")
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
