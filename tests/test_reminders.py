"""Reminders before a day: which are due, queued once whoever runs the job, and the
e-mail as an SMTP server receives it."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import datetime

import pytest
from icalendar import Calendar
from sqlalchemy import func, select
from support.registration import add, field_error, slot_of
from support.runners import run_twice_at_once
from support.smtp import sending_to

from journee import tasks
from journee.extensions import db
from journee.mail import deliver_pending
from journee.mail_models import OutboxMessage
from journee.programme.models import EventStatus, WorkshopMode
from journee.registration import reminders
from journee.registration.models import Registration, RegistrationStatus, ReminderSent

WEEK_BEFORE = datetime(2018, 3, 8, 8, 0)
"""UTC, a week before the IRTS-IDS day (Thursday 15 March 2018, Europe/Paris)."""
EVE = datetime(2018, 3, 14, 8, 0)
REGISTERED = datetime(2018, 2, 1, 9, 0)
"""When the people of these tests registered (UTC), well before any reminder."""


@pytest.fixture
def first_come(irts):
    """The IRTS-IDS day in first-come mode, so that each person has their workshop."""
    irts.workshop_mode = WorkshopMode.FIRST_COME
    db.session.commit()
    return irts


def workshop_with_room(event):
    return next(w for w in slot_of(event).workshops if w.room is not None)


def register_people(event):
    workshop = workshop_with_room(event)
    people = {
        "aicha": add(event, "Aïcha", "N’Diaye", "aicha@example.org", choices=[workshop],
                     lunch=True, created_at=REGISTERED),
        "bruno": add(event, "Bruno", "Petit", "bruno@example.org", choices=[workshop],
                     created_at=REGISTERED),
        "paper": add(event, "Chloé", "Sans-Adresse", None, choices=[workshop],
                     created_at=REGISTERED),
        "gone": add(event, "Denis", "Annulé", "denis@example.org", choices=[workshop],
                    created_at=REGISTERED),
        "waiting": add(event, "Eve", "Attente", "eve@example.org", choices=[workshop],
                       created_at=REGISTERED),
    }
    people["gone"].status = RegistrationStatus.CANCELLED
    people["waiting"].status = RegistrationStatus.WAITLISTED
    db.session.commit()
    return people


def reminders_sent() -> list[tuple[str, int]]:
    return sorted(db.session.execute(
        select(Registration.email, ReminderSent.days_before)
        .join(Registration, Registration.id == ReminderSent.registration_id)).all())


def reminder_count() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id))
                             .where(OutboxMessage.kind == "reminder"))


def test_the_due_reminder_follows_the_event_timezone(irts):
    assert irts.reminder_offsets == [7, 1]
    due = [reminders.due_reminder(irts, datetime(2018, 3, day).date())
           for day in (1, 7, 8, 10, 13, 14, 15, 16)]
    # Caught up while the day is ahead; the week's reminder is skipped from the eve on.
    assert due == [None, None, 7, 7, 7, 1, None, None]
    # 23 h 30 UTC on the 13th is already the 14th in Paris: the eve.
    reminders.queue_reminders(datetime(2018, 3, 13, 23, 30))
    assert reminders_sent() == []  # nobody yet; see below for people


def test_each_reminder_is_queued_once_for_the_confirmed_with_an_address(first_come):
    register_people(first_come)

    assert reminders.queue_reminders(datetime(2018, 3, 1, 8, 0)) == 0
    assert reminders.queue_reminders(WEEK_BEFORE) == 2
    assert reminders.queue_reminders(WEEK_BEFORE) == 0
    assert reminders.queue_reminders(datetime(2018, 3, 10, 8, 0)) == 0
    assert reminders_sent() == [("aicha@example.org", 7), ("bruno@example.org", 7)]

    assert reminders.queue_reminders(datetime(2018, 3, 13, 23, 30)) == 2  # the 14th in Paris
    assert reminders.queue_reminders(EVE) == 0
    assert reminders.queue_reminders(datetime(2018, 3, 15, 8, 0)) == 0
    assert reminder_count() == 4
    assert len(reminders_sent()) == 4


def test_a_missed_week_reminder_is_caught_up_but_not_after_the_eve(first_come):
    register_people(first_come)
    assert reminders.queue_reminders(datetime(2018, 3, 12, 8, 0)) == 2
    assert {days for _, days in reminders_sent()} == {7}

    other = add(first_come, "Fanny", "Tardive", "fanny@example.org",
                choices=[workshop_with_room(first_come)], created_at=REGISTERED)
    assert reminders.queue_reminders(EVE) == 3
    assert ("fanny@example.org", 7) not in reminders_sent()
    assert ("fanny@example.org", 1) in reminders_sent()
    assert other.id


def test_a_late_registrant_gets_no_caught_up_reminder_but_the_next_one(first_come):
    """Registered three days before the day, when the week's reminder was due: their
    confirmation has just told them everything; the eve's reminder still goes."""
    register_people(first_come)
    workshop = workshop_with_room(first_come)
    three_days_before = datetime(2018, 3, 12, 10, 0)
    add(first_come, "Gaëlle", "Tardive", "gaelle@example.org", choices=[workshop],
        created_at=three_days_before)

    assert reminders.queue_reminders(datetime(2018, 3, 12, 11, 0)) == 2
    assert ("gaelle@example.org", 7) not in reminders_sent()
    assert reminders.queue_reminders(datetime(2018, 3, 12, 12, 0)) == 0

    assert reminders.queue_reminders(EVE) == 3
    assert ("gaelle@example.org", 1) in reminders_sent()
    assert ("gaelle@example.org", 7) not in reminders_sent()
    # Registered on the eve itself, after its reminder was due: nothing more.
    add(first_come, "Hugo", "Dernier", "hugo@example.org", choices=[workshop],
        created_at=datetime(2018, 3, 14, 9, 0))
    assert reminders.queue_reminders(datetime(2018, 3, 14, 10, 0)) == 0
    assert [email for email, _ in reminders_sent()].count("gaelle@example.org") == 1
    assert "hugo@example.org" not in [email for email, _ in reminders_sent()]


def test_no_reminder_for_a_draft_or_without_reminders(first_come):
    register_people(first_come)
    first_come.status = EventStatus.DRAFT
    db.session.commit()
    assert reminders.queue_reminders(WEEK_BEFORE) == 0

    first_come.status = EventStatus.PUBLISHED
    first_come.reminder_days = "1"
    db.session.commit()
    assert reminders.queue_reminders(WEEK_BEFORE) == 0
    first_come.reminder_days = ""
    db.session.commit()
    assert reminders.queue_reminders(EVE) == 0
    assert reminder_count() == 0


def test_a_crash_between_claim_and_commit_leaves_it_for_the_next_run(first_come, monkeypatch):
    register_people(first_come)
    original = reminders.queue_reminder

    def crash(*args):
        original(*args)
        raise RuntimeError("worker killed")

    monkeypatch.setattr(reminders, "queue_reminder", crash)
    with pytest.raises(RuntimeError):
        reminders.queue_reminders(WEEK_BEFORE)
    db.session.rollback()
    assert reminders_sent() == [] and reminder_count() == 0

    monkeypatch.setattr(reminders, "queue_reminder", original)
    assert reminders.queue_reminders(WEEK_BEFORE) == 2
    assert reminder_count() == 2


def test_two_runners_at_once_queue_each_reminder_once(app, first_come, monkeypatch):
    """Two apps on the same database, each in its own thread, both past the query of who
    awaits the reminder before either claims anything."""
    register_people(first_come)
    counts = run_twice_at_once(app, monkeypatch, reminders, "_awaiting",
                               lambda: reminders.queue_reminders(WEEK_BEFORE))
    assert len(counts) == 2 and sum(counts) == 2
    db.session.expire_all()
    assert reminder_count() == 2
    assert reminders_sent() == [("aicha@example.org", 7), ("bruno@example.org", 7)]


def test_the_job_is_registered_and_runs_from_the_runner(app_factory, monkeypatch):
    from journee.demo import load_demo

    assert reminders.REMINDER_JOB not in {job.name for job in tasks.registered(app_factory())}
    app = app_factory(REMINDER_INTERVAL_SECONDS=3600)
    assert reminders.REMINDER_JOB in {job.name for job in tasks.registered(app)}
    monkeypatch.setattr(reminders, "utcnow", lambda: WEEK_BEFORE)
    with app.app_context():
        event = next(e for e in load_demo(original_dates=True)
                     if e.slug == "travail-social-epreuve-numerique-2018")
        event.workshop_mode = WorkshopMode.FIRST_COME
        db.session.commit()
        register_people(event)
        outcome = tasks.run_now(reminders.REMINDER_JOB)
        assert not outcome.failed and outcome.summary == "2 rappels mis en file."
        assert tasks.run_now(reminders.REMINDER_JOB).summary == "aucun rappel à envoyer."
        db.session.remove()


# The e-mail, through a real SMTP server --------------------------------------------------

@pytest.fixture
def smtp_irts(app_factory, smtp):
    collector = smtp.handler
    app = app_factory(**sending_to(smtp, after_commit=False))
    with app.app_context():
        from journee.demo import load_demo

        event = next(e for e in load_demo(original_dates=True)
                     if e.slug == "travail-social-epreuve-numerique-2018")
        event.workshop_mode = WorkshopMode.FIRST_COME
        event.venue_access = "Bus F1, arrêt « Flore »."
        db.session.commit()
        yield event, collector


def flat(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_the_reminder_as_delivered(smtp_irts):
    event, collector = smtp_irts
    workshop = workshop_with_room(event)
    registration = add(event, "Aïcha", "N’Diaye", "aicha@example.org", choices=[workshop],
                       lunch=True, created_at=REGISTERED)
    assert reminders.queue_reminders(EVE) == 1
    deliver_pending()

    [envelope] = collector.envelopes
    assert envelope.rcpt_tos == ["aicha@example.org"]
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert flat(message["Subject"]) == f"Rappel : {flat(event.title)} le jeudi 15 mars 2018"
    text = flat(message.get_body(("plain",)).get_content())
    html = message.get_body(("html",)).get_content()
    assert "a lieu le jeudi 15 mars 2018" in text
    assert "Allée de Flore" in text and "Bus F1, arrêt « Flore »." in text
    assert "https://www.openstreetmap.org/search?query=All%C3%A9e+de+Flore" in text
    assert f"{workshop.label.replace(chr(0xa0), ' ')} (salle : {workshop.room.name})" in text
    assert "Pause déjeuner : 12 h 30 – 14 h" in text
    assert "Vous avez indiqué déjeuner sur place." in text
    [link] = re.findall(r"http://journee\.test/r/[A-Za-z0-9_-]+", text)
    assert link in html and "Votre atelier" in html and "OpenStreetMap" in html
    assert registration.token and link.endswith(registration.token)

    [part] = [p for p in message.iter_attachments()
              if p.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(part.get_content())
    summaries = [str(item["SUMMARY"]) for item in calendar.walk("VEVENT")]
    assert any(workshop.title in summary for summary in summaries)


# The event form -------------------------------------------------------------------------

def test_the_event_form_validates_the_reminder_days(organiser_client, irts):
    url = f"/admin/journees/{irts.id}/modifier"
    page = organiser_client.get(url).get_data(as_text=True)
    assert 'name="reminder_days"' in page and 'value="7,1"' in page

    data = {"title": irts.title, "starts_on": "2018-03-15", "ends_on": "2018-03-15",
            "registration_deadline": "2018-03-01", "workshop_mode": "preferences",
            "workshop_choices": "3", "retention_days": "90", "waitlist_enabled": "oui"}
    for wrong in ("0", "61", "7, 3, 2, 1", "demain", "7,-1", "²"):
        response = organiser_client.post(url, data={**data, "reminder_days": wrong})
        assert response.status_code == 200, wrong
        assert flat(field_error(response.get_data(as_text=True), "reminder_days")) == (
            "Indiquez au plus 3 nombres de jours entre 1 et 60, séparés par des virgules "
            "(par exemple « 7, 1 »).")
    response = organiser_client.post(url, data={**data, "reminder_days": " 1 ; 14,3 "})
    assert response.status_code == 302
    db.session.expire_all()
    assert irts.reminder_days == "14,3,1" and irts.reminder_offsets == [14, 3, 1]
    organiser_client.post(url, data={**data, "reminder_days": ""})
    db.session.expire_all()
    assert irts.reminder_days == "" and irts.reminder_offsets == []
