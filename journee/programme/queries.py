"""Loading events with everything their programme shows, in a fixed number of queries."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import bindparam
from sqlalchemy.orm import joinedload, selectinload, undefer_group

from ..extensions import db
from .models import Contribution, Event, EventStatus, Participation, Session, Workshop

PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.ARCHIVED)


def programme_options():
    """Eager-load a whole programme: sessions, rooms, workshops and every person.

    Rooms come with the event and every participation (presenters and facilitators too)
    with its session, so a session's or workshop's ``room`` and a participation's
    ``person`` are then found in the session's identity map, without a query.
    """
    return (
        selectinload(Event.rooms),
        selectinload(Event.sessions).selectinload(Session.participations)
        .selectinload(Participation.person),
        selectinload(Event.sessions).selectinload(Session.contributions)
        .selectinload(Contribution.presenters),
        selectinload(Event.sessions).selectinload(Session.workshops)
        .selectinload(Workshop.facilitators),
    )


def event_alone(slug: str) -> Event | None:
    """The event's row only (its programme is loaded when needed)."""
    return db.session.scalar(db.select(Event).filter_by(slug=slug))


def event_with_workshops(slug: str) -> Event | None:
    """What the registration form needs: the event, its sessions and their workshops,
    and its accessibility settings (the accommodation question names the referent), in
    one joined query (every registration POST loads it)."""
    return db.session.execute(_with_workshops("slug", True),
                              {"key": slug}).unique().scalar_one_or_none()


def event_with_workshops_by_id(event_id: int) -> Event | None:
    """The event, its sessions and their workshops in one query: what an attendee's own
    page shows of the programme (it loads their assigned workshops itself)."""
    return db.session.execute(_with_workshops("id", False),
                              {"key": event_id}).unique().scalar_one_or_none()


@lru_cache(maxsize=2)
def _with_workshops(key: str, accessibility: bool):
    """The statements of the two loaders above, built once: the public registration
    runs them on every visit, and building a statement with its loader options costs
    SQLAlchemy more than running it."""
    options = [joinedload(Event.sessions).joinedload(Session.workshops)]
    if accessibility:
        options.append(undefer_group("accessibility"))
    return db.select(Event).where(getattr(Event, key) == bindparam("key")).options(*options)


def event_with_programme(slug: str) -> Event | None:
    return db.session.scalar(
        db.select(Event).filter_by(slug=slug).options(*programme_options()))


def event_with_programme_by_id(event_id: int) -> Event | None:
    return db.session.scalar(
        db.select(Event).filter_by(id=event_id).options(*programme_options()))


def fresh_programme(event_id: int) -> Event:
    """The whole programme as it is in the database now, even where the session holds
    it already (what is drawn must be no older than the version it is kept under, see
    :mod:`.versions`)."""
    return db.session.scalar(
        db.select(Event).filter_by(id=event_id).options(*programme_options())
        .execution_options(populate_existing=True))


def event_titles() -> list[tuple[int, str]]:
    """Every event's id and title, by id: only those columns, so that an event whose
    dates Python cannot read is still listed (and reported by whoever then loads it)."""
    return [tuple(row) for row in db.session.execute(
        db.select(Event.id, Event.title).order_by(Event.id))]


def public_events(today: date) -> tuple[list[Event], list[Event]]:
    """Upcoming and past public days: upcoming soonest first, past latest first."""
    events = db.session.scalars(
        db.select(Event).where(Event.status.in_(PUBLIC_STATUSES)).order_by(Event.starts_on)
    ).all()
    upcoming = [e for e in events if e.ends_on >= today and e.status == EventStatus.PUBLISHED]
    past = [e for e in reversed(events) if e not in upcoming]
    return upcoming, past
