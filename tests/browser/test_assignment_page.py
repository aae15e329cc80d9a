"""The organiser's assignment page, after a run: accessible, and usable on a phone."""

from support.browsing import axe_violations, horizontal_overflow, login, submit

from journee.extensions import db
from journee.programme.models import Event
from journee.registration.models import Profile, Registration, RegistrationStatus, WorkshopChoice

SLUG = "travail-social-epreuve-numerique-2018"


def _slot_with_registrations(live_server) -> tuple[int, int]:
    """Twelve confirmed people ranking three workshops of 2 places each."""
    with live_server.app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug=SLUG))
        slot = event.workshop_sessions[0]
        workshops = slot.workshops
        for workshop in workshops:
            workshop.capacity = 2
        profiles = list(Profile)
        for n in range(12):
            ranks = [workshops[(n + k) % 3] for k in range(3)]
            db.session.add(Registration(
                event=event, status=RegistrationStatus.CONFIRMED, first_name=f"Alix{n}",
                last_name=f"Durand-Lefèvre-Montgomery{n}",
                email=f"navigateur{n}@example.org",
                organisation="Maison d’enfants à caractère social des Hauts-de-Rouen",
                profile=profiles[n % len(profiles)],
                choices=[WorkshopChoice(session_id=slot.id, workshop_id=w.id, rank=rank)
                         for rank, w in enumerate(ranks, start=1)]))
        db.session.commit()
        return event.id, slot.id


def test_assignment_page_after_a_run(page_factory, live_server):
    event_id, slot_id = _slot_with_registrations(live_server)
    url = f"{live_server.base_url}/admin/journees/{event_id}/repartition/{slot_id}/"
    page = page_factory()
    login(page, live_server.base_url)
    page.goto(url)
    # Before the first run: both priorities side by side, in a table with headers.
    comparison = page.locator("table", has=page.locator("caption",
                                                        has_text="selon la priorité"))
    assert comparison.locator("thead th").count() == 3
    assert axe_violations(page) == []
    page.fill("#seed", "11")
    page.get_by_role("button", name="Lancer la répartition").click()
    page.wait_for_url(url + "#rapport")
    assert "calculée (tirage au sort n°\u00a011)" in page.locator(".flashes").inner_text()
    assert page.locator("#sans-atelier").count() == 1  # 12 people, 12 places, 3 choices
    assert page.locator("h1").count() == 1
    assert not page.get_by_text("Détails techniques").locator("..").get_attribute("open")
    assert axe_violations(page) == []

    # Move someone by hand, without JavaScript: one menu and one button per person.
    row = page.locator("tbody tr", has=page.get_by_role("button", name="Déplacer")).first
    assert row.locator("select").count() == 1 and row.locator("input:not([type=hidden])").count() == 0
    row.locator("select").select_option(index=0)
    submit(page, row.get_by_role("button", name="Déplacer"))
    assert page.locator(".flash-success, .flash-error").count() == 1
    assert axe_violations(page) == []

    # Publishing asks first, with the counts.
    submit(page, page.get_by_role("link", name="Publier la répartition…"))
    assert "recevront un e-mail" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    confirm_url = page.url

    small = page_factory(width=360)
    login(small, live_server.base_url)
    small.goto(url)
    assert horizontal_overflow(small) <= 0
    assert axe_violations(small) == []
    small.goto(confirm_url)
    assert horizontal_overflow(small) <= 0
    assert axe_violations(small) == []
    submit(small, small.get_by_role("button", name="Publier et envoyer les e-mails"))
    assert "Répartition publiée" in small.locator(".flashes").inner_text()
