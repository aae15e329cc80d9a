"""The organiser's registrations list in a browser: sorting, selection, actions; accessible
at 360 and 1280 px, and never wider than a phone."""

from support.browsing import axe_violations, horizontal_overflow, login, submit

from journee.extensions import db
from journee.programme.models import Event
from journee.registration.models import Profile, Registration, RegistrationStatus

SLUG = "travail-social-epreuve-numerique-2018"


def _registrations(live_server) -> int:
    """Sixty people with long names and organisations, some waiting."""
    with live_server.app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug=SLUG))
        for n in range(60):
            db.session.add(Registration(
                event=event, first_name=f"Zoé-Marguerite{n}",
                last_name=f"Durand-Lefèvre-Montgomery{n:02d}",
                status=RegistrationStatus.WAITLISTED if n % 7 == 0
                else RegistrationStatus.CONFIRMED,
                email=f"liste{n}@example.org", profile=list(Profile)[n % len(Profile)],
                organisation="Maison d’enfants à caractère social des Hauts-de-Rouen"))
        db.session.commit()
        return event.id


def test_registrations_list(page_factory, live_server):
    event_id = _registrations(live_server)
    url = f"{live_server.base_url}/admin/journees/{event_id}/inscriptions/"
    for width in (360, 1280):
        page = page_factory(width=width)
        login(page, live_server.base_url)
        page.goto(url)
        assert "1–50 sur" in page.locator('[role="status"]').first.inner_text()
        assert horizontal_overflow(page) <= 0, width
        assert axe_violations(page) == [], width
        # The table scrolls inside its own region, which the keyboard can reach.
        region = page.get_by_role("region", name="Inscriptions")
        assert region.get_attribute("tabindex") == "0"

    # Sorting by date, then the other way round: the header says which.
    with page.expect_navigation():
        page.get_by_role("link", name="Date d’inscription").click()
    header = page.locator("th[aria-sort]")
    assert header.get_attribute("aria-sort") == "ascending"
    with page.expect_navigation():
        page.get_by_role("link", name="Date d’inscription").click()
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
    assert "ordre=desc" in page.url

    # « Tout sélectionner » (script) ticks the page's rows.
    select_all = page.get_by_label("Tout sélectionner sur cette page")
    select_all.check()
    boxes = page.locator('input[name="registration_ids"]')
    assert boxes.count() == 50
    assert boxes.evaluate_all("boxes => boxes.every(b => b.checked)")

    # Cancelling asks first, in a page of its own.
    submit(page, page.get_by_role("button", name="Annuler les inscriptions…"))
    assert page.locator("h1").inner_text().startswith("Annuler 50")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 360, "height": 900})
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("link", name="Revenir à la liste sans rien annuler").click()
    assert "ordre=desc" in page.url

    # Without JavaScript: no « tout sélectionner », one box ticked, confirmed from the
    # waiting list.
    plain = page_factory(width=360, javascript=False)
    login(plain, live_server.base_url)
    plain.goto(url + "?statut=waitlisted")
    assert not plain.get_by_label("Tout sélectionner sur cette page").is_visible()
    plain.locator('input[name="registration_ids"]').first.check()
    submit(plain, plain.get_by_role("button", name="Confirmer depuis la liste d’attente"))
    assert "statut=waitlisted" in plain.url
    said = plain.locator(".flashes").inner_text().replace("\u00a0", " ")
    assert "1 inscription confirmée." in said or "1 restée sur la liste d’attente" in said
