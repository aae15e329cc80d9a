"""The institute's look in Chromium: the settings page (its refusal of a colour too
light, its upload) and a public page wearing the chosen colour and logo, checked by
axe-core (colour contrast included) at 360 and 1280 px."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from support.browsing import axe_violations, horizontal_overflow, login, submit

SLUG = "travail-social-epreuve-numerique-2018"
#: #1e90ff fails on the light backgrounds; #1770c7 is the darker variant the page offers.
TOO_LIGHT, SUGGESTED = "#1e90ff", "#1770c7"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (160, 60), (23, 112, 199)).save(buffer, "PNG")
    return buffer.getvalue()


def _rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(colour[i:i + 2], 16) for i in (1, 3, 5)))


@pytest.mark.parametrize("width", [360, 1280])
def test_settings_page_has_no_axe_violation_and_fits(page_factory, live_server, width):
    page = page_factory(width=width)
    login(page, live_server.base_url)
    page.goto(f"{live_server.base_url}/admin/identite")
    assert page.title().startswith("Identité de l’institut")
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0


def test_a_colour_too_light_is_refused_then_the_suggestion_applies_everywhere(
        page_factory, live_server, tmp_path):
    page = page_factory(width=360)
    login(page, live_server.base_url)
    page.goto(f"{live_server.base_url}/admin/identite")
    page.get_by_label("Nom de l’institut").fill("IRTS-IDS Normandie")
    page.get_by_label("Couleur principale").fill(TOO_LIGHT)
    page.get_by_role("button", name="Enregistrer").click()
    summary = page.locator(".error-summary")
    assert "Le formulaire contient 1\u00a0erreur" in summary.inner_text()
    assert f"Essayez {SUGGESTED}" in summary.inner_text()
    assert page.get_by_label("Nom de l’institut").input_value() == "IRTS-IDS Normandie"
    assert axe_violations(page) == []

    logo = tmp_path / "logo.png"
    logo.write_bytes(_png())
    page.get_by_label("Couleur principale").fill(SUGGESTED)
    page.locator("#logo").set_input_files(str(logo))
    submit(page, page.get_by_role("button", name="Enregistrer"))
    assert "L’identité de l’institut est enregistrée." in page.locator(".flashes").inner_text()

    for width in (360, 1280):
        public = page_factory(width=width)
        public.goto(f"{live_server.base_url}/e/{SLUG}/")
        assert public.evaluate(
            "getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()"
        ) == SUGGESTED
        assert public.evaluate(
            "getComputedStyle(document.querySelector('main a')).color") == _rgb(SUGGESTED)
        brand = public.locator(".site-header .brand")
        assert brand.inner_text().strip() == "IRTS-IDS Normandie"
        assert public.locator(".brand-logo").evaluate("img => img.naturalWidth") == 160
        assert axe_violations(public) == []
        assert horizontal_overflow(public) <= 0
        icon = public.request.get(f"{live_server.base_url}/favicon.ico")
        assert (icon.status, icon.headers["content-type"]) == (200, "image/png")


def test_settings_page_works_without_javascript(page_factory, live_server):
    page = page_factory(width=360, javascript=False)
    login(page, live_server.base_url)
    page.goto(f"{live_server.base_url}/admin/identite")
    page.get_by_label("Couleur principale").fill("bleu")
    submit(page, page.get_by_role("button", name="Enregistrer"))
    assert "Saisissez une couleur en notation hexadécimale" in page.locator(
        ".error-summary").inner_text()
    assert horizontal_overflow(page) <= 0
