"""Every automatic e-mail, as a real SMTP server receives it, is set in French typography:
its subject, its text and its HTML (see :mod:`journee.typography`)."""

from datetime import date, datetime

import pytest
from flask import current_app
from support.registration import add, slot_of
from support.smtp import sending_to
from support.typography import html_text

from journee.extensions import db
from journee.mail import deliver_pending
from journee.programme.models import Person, WorkshopMode
from journee.programme.updates import ItemChange
from journee.registration.changes import Changed
from journee.registration.models import RegistrationStatus
from journee.typography import slips

BASE = "http://journee.test"
DAY_OVER = datetime(2018, 3, 15, 18, 0)
NAME = ("Inès", "N’Diaye <script>alert(1)</script>")
"""A name as typed: it comes out as it is, the typography is set around it."""


@pytest.fixture
def world(app_factory, smtp):
    app = app_factory(**sending_to(smtp, after_commit=False))
    with app.app_context():
        from journee.demo import load_demo

        irts = load_demo(original_dates=True)[0]
        irts.workshop_mode = WorkshopMode.FIRST_COME
        db.session.commit()
        yield irts, smtp


def received(smtp) -> dict[str, list[tuple[str, str]]]:
    """The slips of each e-mail received, by its subject."""
    deliver_pending()
    found = {}
    for message in smtp.messages:
        text = message.get_body(("plain",)).get_content()
        html = html_text(message.get_body(("html",)).get_content())
        found[message["Subject"]] = slips(message["Subject"]) + slips(text) + slips(html)
    return found


def test_every_automatic_email_is_typeset(world):
    from journee.attendance.services.certificates import queue_certificates
    from journee.auth.models import User
    from journee.auth.reset import queue_password_email
    from journee.facilitation.services import give_link
    from journee.registration import emails, notices
    from journee.registration.after_publication_emails import queue_workshop_place_notice
    from journee.registration.reminders import queue_reminder
    from journee.surveys import jobs, services
    from journee.workshops.emails import queue_assignment_notice, queue_no_workshop_notice

    event, smtp = world
    slot = slot_of(event)
    first, second = slot.workshops[0], slot.workshops[1]
    ines = add(event, *NAME, "ines@example.org", choices=[first])
    waiting = add(event, "Élodie", "L’Hôte", "elodie@example.org", choices=[second])
    waiting.status = RegistrationStatus.WAITLISTED
    ines.checked_in_at = datetime(2018, 3, 15, 8, 30)
    db.session.commit()

    emails.queue_registration_confirmation(ines, BASE)
    emails.queue_registration_confirmation(waiting, BASE)
    emails.queue_promotion_notice(ines, BASE)
    emails.queue_change_confirmation(ines, BASE, [Changed("Structure", "A", "B")],
                                     {slot.id: first}, [])
    emails.queue_cancellation_notice(waiting, BASE, None)
    emails.queue_link_request("ines@example.org")
    emails.queue_address_change(ines, "nouvelle@example.org")
    notices.queue_address_replaced(ines, "ancienne@example.org")
    notices.queue_programme_notice(ines, [ItemChange(
        slot, first, slot.starts_at, slot.ends_at, "Salle 1", "Salle 2", True, True)], BASE)
    queue_reminder(ines, BASE)
    queue_workshop_place_notice(ines, first, BASE, from_waitlist=True)
    queue_workshop_place_notice(ines, first, BASE, from_waitlist=False)
    queue_assignment_notice(ines, first, BASE, {slot.id: first})
    queue_no_workshop_notice(ines, slot, BASE, choices_full=True, open_workshops=[second],
                             full_workshops=[first])
    organiser = User(email="orga@example.org", name="Orga", password_hash="x")
    db.session.add(organiser)
    db.session.flush()
    with current_app.test_request_context(base_url=BASE):
        queue_password_email(organiser, welcome=True)
        queue_password_email(organiser)
    facilitator = db.session.get(Person, first.facilitators[0].person_id)
    facilitator.email = "animation@example.org"
    give_link(event, facilitator, BASE, "test")
    assert queue_certificates(event, today=date(2018, 3, 16)) == 1
    services.ensure_survey(event)
    db.session.commit()
    assert jobs.queue_invitations(DAY_OVER)[0] == 1
    db.session.commit()

    found = received(smtp)
    assert len(found) >= 18, sorted(found)
    assert {subject: problems for subject, problems in found.items() if problems} == {}


def test_a_team_message_is_typeset_around_the_person_s_values(world):
    from journee.auth.models import User
    from journee.messages import operations

    event, smtp = world
    ines = add(event, *NAME, "ines@example.org", choices=[slot_of(event).workshops[0]])
    organiser = User(email="orga@example.org", name="Orga", password_hash="x")
    db.session.add(organiser)
    db.session.commit()
    operations.send_test("Rappel : l'atelier {prénom} !",
                         "Bonjour {prénom} {nom} !\n\nVotre lien : {lien personnel} ; à bientôt ?",
                         ines, by=organiser)
    db.session.commit()

    found = received(smtp)
    assert list(found.values()) == [[]]
    [message] = smtp.messages
    text = message.get_body(("plain",)).get_content()
    assert "Bonjour Inès N’Diaye <script>alert(1)</script>\u202f!" in text
    assert "Votre lien\u202f: http://journee.test/r/…\u202f; à bientôt\u202f?" in text
    assert message["Subject"] == "[Test] Rappel\u202f: l’atelier Inès\u202f!"
    assert "<script>" not in message.get_body(("html",)).get_content()
