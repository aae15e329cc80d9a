"""The attendee's page after the assignment is published, on a phone: accessible."""

import pytest
from support.browsing import axe_violations, horizontal_overflow

from journee.auth.models import User
from journee.extensions import db
from journee.programme.models import Event
from journee.registration.models import Profile, Registration, RegistrationStatus, WorkshopChoice
from journee.workshops import services

SLUG = "travail-social-epreuve-numerique-2018"

pytestmark = pytest.mark.usefixtures("registration_open")


def _published(live_server) -> tuple[str, str]:
    """Two people wanting only workshop 1 (one place), published: the self-service links
    of the one placed and of the one left without a workshop."""
    with live_server.app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug=SLUG))
        slot = event.workshop_sessions[0]
        first = min(slot.workshops, key=lambda w: w.number)
        first.capacity = 1
        people = [Registration(
            event=event, status=RegistrationStatus.CONFIRMED, first_name=f"Alix{n}",
            last_name=f"Durand-Lefèvre-Montgomery{n}", email=f"publiee{n}@example.org",
            organisation=f"Service n°{n}", profile=Profile.PROFESSIONAL, lunch=False,
            choices=[WorkshopChoice(session_id=slot.id, workshop_id=first.id, rank=1)])
            for n in range(2)]
        db.session.add_all(people)
        db.session.commit()
        services.run_assignment([slot], services.RunOptions(seed=3))
        organiser = db.session.scalar(db.select(User).filter_by(email="orga@exemple.fr"))
        services.publish(slot, live_server.base_url, by=organiser)
        db.session.commit()
        placed = {a.registration_id for a in services.load_slot(slot).assignments.values()}
        [lucky] = [p for p in people if p.id in placed]
        [left_out] = [p for p in people if p.id not in placed]
        return f"/r/{lucky.token}", f"/r/{left_out.token}"


def test_self_service_after_publication_on_a_phone(page_factory, live_server):
    lucky, left_out = _published(live_server)
    page = page_factory(width=360)
    page.goto(live_server.base_url + left_out)
    assert page.get_by_text("Vous n’avez pas de place dans un atelier de cette séance."
                            ).is_visible()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
    page.goto(live_server.base_url + lucky)
    assert page.get_by_text("Votre atelier").first.is_visible()
    assert axe_violations(page) == []
    page.click("text=Modifier mon inscription")
    assert page.get_by_text("vos choix ne peuvent plus être modifiés").first.is_visible()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
