"""After publication, as a periodic job (see :mod:`journee.tasks`): places freed where no
one freed them through the app (a capacity raised, an erasure) go to those waiting, and
people who have no workshop in a published slot without having been told (registered or
promoted from the day's waiting list after the publication, or who lost their place) get
the no-workshop e-mail, once, with what they can do.

A cancellation and an organiser's move fill the places they free themselves, in their
own transaction: the job is the net under everything else, every minute by default.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask, current_app
from sqlalchemy import exists, select

from .. import tasks
from ..database import insert_once
from ..extensions import db
from ..programme.models import Event, EventStatus, Session, WorkshopMode
from ..registration import operations
from ..registration.models import (
    Assignment,
    NoWorkshopNotice,
    Registration,
    RegistrationStatus,
    WorkshopWaitlistEntry,
)
from ..util.clock import utcnow
from .services import load_slot, publication, tell_no_workshop

WORKSHOP_PLACES_JOB = "workshop-places"


def _events_ahead(today: date) -> list[Event]:
    """Published events in preferences mode, not over yet, with a published slot."""
    published = select(NoWorkshopNotice.session_id).union(
        select(Assignment.session_id).where(Assignment.published_workshop_id.is_not(None)))
    return list(db.session.scalars(
        select(Event).where(Event.status == EventStatus.PUBLISHED,
                            Event.workshop_mode == WorkshopMode.PREFERENCES,
                            Event.ends_on >= today - timedelta(days=1),
                            exists().where(Session.event_id == Event.id,
                                           Session.id.in_(published)))
        .order_by(Event.id)))


def fill_waiting_lists(base_url: str) -> int:
    """Give the places free to those waiting, event by event; how many got one."""
    count = 0
    waiting = select(Session.event_id).join(
        WorkshopWaitlistEntry, WorkshopWaitlistEntry.session_id == Session.id)
    for event_id in db.session.scalars(waiting.distinct()).all():
        count += len(operations.fill_workshop_places(event_id, base_url=base_url))
        db.session.commit()
    return count


def tell_late_people(base_url: str, today: date) -> int:
    """E-mail once each confirmed person who has no workshop in a published slot of an
    event not over by *today* and was never told; how many e-mails were queued."""
    told = 0
    for event in _events_ahead(today):
        for slot in event.workshop_sessions:
            if not slot.workshops or publication(slot) is None:
                continue
            untold = _untold(slot)
            # The places left, read once per slot: the e-mail lists them.
            data = load_slot(slot) if untold else None
            for registration_id in untold:
                if not _claim(registration_id, slot.id):
                    db.session.rollback()
                    continue
                registration = db.session.get(Registration, registration_id,
                                              populate_existing=True)
                if registration.status != RegistrationStatus.CONFIRMED:
                    db.session.rollback()
                    continue
                if tell_no_workshop(data, registration, base_url):
                    told += 1
                # Without an address the notice is kept too: their page says it.
                db.session.commit()
    return told


def _untold(slot: Session) -> list[int]:
    return list(db.session.scalars(
        select(Registration.id)
        .where(Registration.event_id == slot.event_id,
               Registration.status == RegistrationStatus.CONFIRMED,
               Registration.anonymised_at.is_(None),
               ~exists().where(Assignment.registration_id == Registration.id,
                               Assignment.session_id == slot.id),
               ~exists().where(NoWorkshopNotice.registration_id == Registration.id,
                               NoWorkshopNotice.session_id == slot.id))
        .order_by(Registration.id)))


def _claim(registration_id: int, session_id: int) -> bool:
    """Insert the notice's row unless someone has; ``True`` when this runner did."""
    return insert_once(NoWorkshopNotice, ("registration_id", "session_id"),
                       registration_id=registration_id, session_id=session_id,
                       published_at=utcnow())


def update_workshop_places(today: date | None = None) -> tuple[int, int]:
    """Fill the waiting lists, then tell the people without a workshop; how many of
    each."""
    base_url = current_app.config["PUBLIC_BASE_URL"]
    placed = fill_waiting_lists(base_url)
    return placed, tell_late_people(base_url, today or utcnow().date())


def workshop_places_job() -> str:
    placed, told = update_workshop_places()
    return (f"{placed}\u00a0place(s) libérée(s) donnée(s) depuis les listes d’attente, "
            f"{told}\u00a0personne(s) sans atelier prévenue(s).")


def init_app(app: Flask) -> None:
    """Run every ``WORKSHOP_PLACES_INTERVAL_SECONDS`` (a minute by default; 0: never)."""
    interval = app.config["WORKSHOP_PLACES_INTERVAL_SECONDS"]
    if interval and interval > 0:
        tasks.register(app, tasks.PeriodicJob(
            WORKSHOP_PLACES_JOB, "Places libérées dans les ateliers et personnes sans atelier",
            timedelta(seconds=interval), workshop_places_job))
