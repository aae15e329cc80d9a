"""The organiser's messages in a browser: the composer (errors, preview, sending), the
texts of the automatic e-mails and the page that stops the messages, accessible at 360
and 1280 px, and usable without JavaScript."""

from __future__ import annotations

import pytest
from support.browsing import axe_violations, horizontal_overflow, login
from support.registration import add

from journee.extensions import db
from journee.messages.emails import unsubscribe_url
from journee.programme.models import Event

SLUG = "travail-social-epreuve-numerique-2018"


@pytest.fixture(scope="module")
def event_urls(live_server) -> dict:
    with live_server.app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug=SLUG))
        first = add(event, "Aïcha", "N’Diaye-<script>", "aicha@example.org")
        add(event, "Bruno", "=Petit", "bruno@example.org")
        base = f"{live_server.base_url}/admin/journees/{event.id}/messages"
        urls = {"compose": f"{base}/nouveau", "index": f"{base}/",
                "texts": f"{base}/automatiques/", "text": f"{base}/automatiques/reminder",
                "stop": unsubscribe_url(first.id, live_server.base_url)}
        db.session.remove()
        return urls


def write_with_a_mistake_then_preview(page) -> None:
    page.fill("#subject", "Informations pour {prénom}")
    page.fill("#body", "Bonjour {prénom},\n\nRendez-vous en {lieu}.")
    with page.expect_navigation():
        page.click("button:text('Prévisualiser')")
    summary = page.locator(".error-summary").inner_text()
    assert "« {lieu} » n’est pas un champ connu." in summary.replace("\u202f", " ")
    assert page.input_value("#body") == "Bonjour {prénom},\n\nRendez-vous en {lieu}."
    page.fill("#body", "Bonjour {prénom},\n\nRendez-vous salle {salle}.")
    with page.expect_navigation():
        page.click("button:text('Prévisualiser')")
    assert page.locator(".error-summary").count() == 0
    assert "Aperçu pour Aïcha N’Diaye-<script>" in page.locator("#apercu").inner_text()


@pytest.mark.parametrize("width", [1280, 360])
def test_the_composer_is_accessible(live_server, page_factory, event_urls, width):
    page = page_factory(width=width)
    login(page, live_server.base_url)
    page.goto(event_urls["compose"])
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
    assert page.locator("fieldset:has(> legend:text-is('Inscriptions')) "
                        "input[type=checkbox]").count() == 2
    assert page.locator("fieldset:has(> legend:text-is('Présence le jour même')) "
                        "input[type=radio]").count() == 3
    write_with_a_mistake_then_preview(page)
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
    for name in ("index", "texts", "text", "stop"):
        page.goto(event_urls[name])
        assert axe_violations(page) == [], name
        assert horizontal_overflow(page) <= 0, name


def test_the_composer_works_without_javascript_on_a_phone(live_server, page_factory,
                                                          event_urls):
    page = page_factory(width=360, height=740, javascript=False)
    login(page, live_server.base_url)
    page.goto(event_urls["compose"])
    write_with_a_mistake_then_preview(page)
    with page.expect_navigation():
        page.click("button:text('Envoyer à 2 personnes')")
    assert page.url == event_urls["index"]
    text = page.locator("main").inner_text()
    assert "Message mis en file d’attente pour 2 personnes" in text.replace("\u00a0", " ")
    assert "Informations pour {prénom}" in text
    assert horizontal_overflow(page) <= 0
