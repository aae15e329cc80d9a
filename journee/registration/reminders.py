"""Reminders before an event, as a periodic job (see :mod:`journee.tasks`).

Each event says how many days before it its reminders leave (``Event.reminder_days``,
« 7,1 » by default). Every round, the job looks at the published events ahead and, for
the reminder due today in the event's timezone, queues one e-mail per confirmed
registration with an address. A row of ``reminder_sent`` (unique per registration and
reminder) is inserted in the same transaction as the message: whichever runner inserts
it first queues the message, the others insert nothing and move on, and a runner that
dies before its commit leaves neither, so the next round sends it.

A round missed on the reminder's day is caught up later, until the eve of the event;
once a nearer reminder is due, the further one is skipped. Someone who registered after a
reminder's day began does not get it: their confirmation has just told them all of it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from sqlalchemy import exists, select

from .. import tasks
from ..database import insert_once
from ..extensions import db
from ..formatting import format_date, format_time_range
from ..mail import sharing_round
from ..programme.models import MAX_REMINDER_DAYS, Event, EventStatus, SessionKind
from ..util.clock import utcnow
from .emails import COLON, calendar_attachment, queue_to_attendee
from .models import Registration, RegistrationStatus, ReminderSent
from .services import attendee_workshops

REMINDER_JOB = "event-reminders"


def due_reminder(event: Event, today: date) -> int | None:
    """The reminder (its days before the event) due *today* in the event's timezone: the
    nearest one whose day has come, while the event is still ahead."""
    days_ahead = (event.starts_on - today).days
    if days_ahead < 1:
        return None
    due = [days for days in event.reminder_offsets if days >= days_ahead]
    return min(due, default=None)


def due_since(event: Event, days: int) -> datetime:
    """When the reminder *days* before the event became due: the start of its day in the
    event's timezone, as a naive UTC time like the stored ones."""
    day = datetime.combine(event.starts_on - timedelta(days=days), time(),
                           ZoneInfo(event.timezone))
    return day.astimezone(UTC).replace(tzinfo=None)


def queue_reminders(now: datetime | None = None) -> int:
    """Queue the reminders due at *now* (UTC) that no one has queued yet; return how many.

    Each reminder is committed with its ``reminder_sent`` row, one registration at a time;
    the calendars are drawn once for all (see :func:`mail.sharing_round`).
    """
    now = (now or utcnow()).replace(tzinfo=UTC)
    # Every timezone's today lies within a day of UTC's.
    horizon = now.date() + timedelta(days=MAX_REMINDER_DAYS + 1)
    events = db.session.scalars(
        select(Event).where(Event.status == EventStatus.PUBLISHED,
                            Event.starts_on > now.date() - timedelta(days=1),
                            Event.starts_on <= horizon, Event.reminder_days != "")
        .order_by(Event.starts_on, Event.id)).all()
    base_url = current_app.config["PUBLIC_BASE_URL"]
    with sharing_round():
        return sum(_queue_event_reminders(event, now, base_url) for event in events)


def _queue_event_reminders(event: Event, now: datetime, base_url: str) -> int:
    days = due_reminder(event, now.astimezone(ZoneInfo(event.timezone)).date())
    if days is None:
        return 0
    queued = 0
    for registration_id in _awaiting(event, days):
        if not _claim(registration_id, days):
            db.session.rollback()
            continue
        # Read after the claim: someone cancelled meanwhile gets nothing.
        registration = db.session.get(Registration, registration_id, populate_existing=True)
        if registration is None or registration.status != RegistrationStatus.CONFIRMED:
            db.session.rollback()
            continue
        queue_reminder(registration, base_url)
        db.session.commit()
        queued += 1
    return queued


def _awaiting(event: Event, days: int) -> list[int]:
    """The confirmed registrations with an address that have not had this reminder,
    made before it was due."""
    return list(db.session.scalars(
        select(Registration.id)
        .where(Registration.event_id == event.id,
               Registration.created_at < due_since(event, days),
               Registration.status == RegistrationStatus.CONFIRMED,
               Registration.email.is_not(None), Registration.email != "",
               Registration.anonymised_at.is_(None),
               ~exists().where(ReminderSent.registration_id == Registration.id,
                               ReminderSent.days_before == days))
        .order_by(Registration.id)))


def _claim(registration_id: int, days: int) -> bool:
    """Insert the reminder's row unless someone has; ``True`` when this runner did."""
    return insert_once(ReminderSent, ("registration_id", "days_before"),
                       registration_id=registration_id, days_before=days,
                       queued_at=utcnow())


def queue_reminder(registration: Registration, base_url: str):
    """Queue the reminder e-mail: the practical information, their workshops and rooms,
    lunch, their link, and their day as an .ics file."""
    event = registration.event
    subject = f"Rappel{COLON} {event.title} le {format_date(event.starts_on)}"
    workshops = attendee_workshops(registration)
    slots = [(session, workshops[session.id]) for session in event.workshop_sessions
             if session.id in workshops]
    several_days = event.starts_on != event.ends_on
    extra = {
        "map_url": map_url(event),
        "workshops": [(_when(session, several_days), workshop)
                      for session, workshop in slots],
        "lunch_sessions": [_when(session, several_days) for session in event.sessions
                           if session.kind == SessionKind.LUNCH],
    }
    return queue_to_attendee(
        "reminder", "emails/reminder", subject, registration, base_url,
        lambda: (calendar_attachment(registration, base_url, workshops),), extra)


def map_url(event: Event) -> str | None:
    """An OpenStreetMap search for the venue's address."""
    city = " ".join(part for part in (event.venue_postcode, event.venue_city) if part)
    address = ", ".join(part for part in (event.venue_address, city) if part)
    if not address:
        return None
    return f"https://www.openstreetmap.org/search?query={quote_plus(address)}"


def _when(session, several_days: bool) -> str:
    when = format_time_range(session.starts_at, session.ends_at)
    return f"{format_date(session.starts_at.date())}, {when}" if several_days else when


def reminder_job() -> str:
    count = queue_reminders()
    if not count:
        return "aucun rappel à envoyer."
    return f"{count} rappel{'s' if count > 1 else ''} mis en file."


def init_app(app: Flask) -> None:
    """Look for due reminders every ``REMINDER_INTERVAL_SECONDS`` (an hour by default;
    0: never)."""
    interval = app.config["REMINDER_INTERVAL_SECONDS"]
    if interval and interval > 0:
        tasks.register(app, tasks.PeriodicJob(
            REMINDER_JOB, "Rappels avant les journées", timedelta(seconds=interval),
            reminder_job))
