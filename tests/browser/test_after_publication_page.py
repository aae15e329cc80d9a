"""The attendee's page after publication, for someone without a workshop: take a place
left or wait for one, on a phone and a desktop, by keyboard, without JavaScript;
axe-core finds nothing."""

import pytest
from support.browsing import axe_violations, horizontal_overflow, submit

from journee.auth.models import User
from journee.extensions import db
from journee.programme.models import Event
from journee.registration.models import (
    Assignment,
    Profile,
    Registration,
    RegistrationStatus,
    WorkshopChoice,
)
from journee.workshops import services

SLUG = "travail-social-epreuve-numerique-2018"

pytestmark = pytest.mark.usefixtures("registration_open")


def _left_out(live_server, batch: str) -> tuple[list[str], str, str]:
    """Three people wanting only workshop 1 (one place), published: the self-service
    links of the two left without a workshop, and the labels of workshops 1 and 2."""
    with live_server.app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug=SLUG))
        slot = event.workshop_sessions[0]
        one, two = sorted(slot.workshops, key=lambda w: w.number)[:2]
        one.capacity, two.capacity = 1, 3
        people = [Registration(
            event=event, status=RegistrationStatus.CONFIRMED, first_name=name,
            last_name=f"Ngô-Lefèvre <script>{n}", email=f"apres{batch}{n}@example.org",
            organisation="=SOMME(A1)", profile=Profile.PROFESSIONAL, lunch=False,
            choices=[WorkshopChoice(session_id=slot.id, workshop_id=one.id, rank=1)])
            for n, name in enumerate(("Zoé", "Noël", "Ляйсан"))]
        db.session.add_all(people)
        db.session.commit()
        services.run_assignment([slot], services.RunOptions(seed=3))
        organiser = db.session.scalar(db.select(User).filter_by(email="orga@exemple.fr"))
        services.publish(slot, live_server.base_url, by=organiser)
        db.session.commit()
        placed = set(db.session.scalars(db.select(Assignment.registration_id)))
        return ([f"/r/{p.token}" for p in people if p.id not in placed],
                one.label, two.label)


def _fieldset_of(page, legend: str):
    return page.locator("fieldset", has=page.locator("legend", has_text=legend))


def test_someone_without_a_workshop_takes_a_place_or_waits(page_factory, live_server):
    (first, second, *_), one, two = _left_out(live_server, "a")

    page = page_factory(width=360)
    page.goto(live_server.base_url + first)
    assert page.get_by_text("Vous n’avez pas de place dans un atelier de cette séance."
                            ).is_visible()
    take = _fieldset_of(page, "Prendre une place maintenant")
    wait = _fieldset_of(page, "Ou attendre une place dans un atelier complet")
    assert take.get_by_role("radio").count() >= 1
    assert wait.get_by_role("radio").count() == 1
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
    # By keyboard: the first radio of the group, then the button.
    take.get_by_role("radio").first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Prendre cette place"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("C’est noté").is_visible()
    assert page.get_by_text("Votre atelier").first.is_visible()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0

    page = page_factory(width=1280)
    page.goto(live_server.base_url + second)
    _fieldset_of(page, "Ou attendre une place dans un atelier complet").get_by_label(
        one, exact=False).check()
    submit(page, page.get_by_role("button", name="M’inscrire sur la liste d’attente"))
    assert page.get_by_text("Vous êtes sur la liste d’attente de l’atelier").first.is_visible()
    assert page.get_by_text("(position n°\u202f1)", exact=False).is_visible()
    assert axe_violations(page) == []
    submit(page, page.get_by_role("button", name="Quitter la liste d’attente"))
    assert page.get_by_text("Vous n’êtes plus sur la liste d’attente").is_visible()
    assert axe_violations(page) == []


def test_without_javascript_a_missing_choice_is_summarised_then_the_place_taken(
        page_factory, live_server):
    (first, *_), _, two = _left_out(live_server, "b")
    page = page_factory(width=360, javascript=False)
    page.goto(live_server.base_url + first)
    submit(page, page.get_by_role("button", name="Prendre cette place"))
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert "Choisissez un atelier." in summary.inner_text()
    _fieldset_of(page, "Prendre une place maintenant").get_by_label(two, exact=False).check()
    submit(page, page.get_by_role("button", name="Prendre cette place"))
    assert page.get_by_text("Votre atelier").first.is_visible()
