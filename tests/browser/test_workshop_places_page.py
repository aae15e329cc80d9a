"""The form with a full first-come workshop, at 360 px: axe-core and the width."""

import pytest
from support.browsing import axe_violations, horizontal_overflow
from support.registration import OPEN_DAY, slot_of

from journee.extensions import db
from journee.programme.models import Event, WorkshopMode
from journee.registration import services

SLUG = "travail-social-epreuve-numerique-2018"

pytestmark = pytest.mark.usefixtures("registration_open")


@pytest.fixture(scope="module")
def full_workshop(live_server):
    """First come, first served; workshop n° 1 has one place, taken; the day has 1 left."""
    with live_server.app.app_context():
        event = db.session.execute(db.select(Event).filter_by(slug=SLUG)).scalar_one()
        event.workshop_mode = WorkshopMode.FIRST_COME
        event.capacity = 2
        slot = slot_of(event)
        slot.workshops[0].capacity = 1
        db.session.commit()
        attendee = services.Attendee(
            first_name="Ana", last_name="Pleine", email="ana@example.org",
            profile="professional", privacy_version="test",
            choices={slot.id: [slot.workshops[0].id]})
        services.register(event.id, attendee, OPEN_DAY)
        db.session.commit()
        return f"atelier_{slot.id}-0"


def test_a_full_workshop_at_360_px(page_factory, live_server, full_workshop):
    page = page_factory(width=360)
    page.goto(f"{live_server.base_url}/e/{SLUG}/register")

    assert page.locator(".places-left").inner_text() == "Plus qu’une place"
    radio = page.locator(f"#{full_workshop}")
    assert radio.is_disabled()
    reason = page.locator(f"#{radio.get_attribute('aria-describedby')}")
    assert reason.inner_text() == "(Complet\u202f: plus aucune place dans cet atelier.)"
    assert reason.is_visible()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
