"""Who may do what on which event.

Roles per event (``EventMembership.role``): an **organiser** manages the event entirely;
**reception** staff only welcome people on the day (check-in, assisted registration).
The **disability referent** named in the event's settings (``Event.referent_email``) needs
no role: the staff account with that address reads the event's accommodation needs, and
nothing else of it.
Administrators manage every event and the staff accounts. A person (speaker,
facilitator) is seen through the events they take part in, never through the directory
alone.
"""

from __future__ import annotations

from sqlalchemy import and_, func, or_

from ..extensions import db
from .models import Event, EventMembership, Participation, Person, Session

ORGANISER = "organiser"
RECEPTION = "reception"
ROLE_LABELS = {ORGANISER: "Organisateur·rice", RECEPTION: "Accueil"}


def role_on(user, event: Event) -> str | None:
    """``"admin"``, ``"organiser"``, ``"reception"`` or ``None`` (nothing to do here)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_admin:
        return "admin"
    return db.session.scalar(
        db.select(EventMembership.role).filter_by(event_id=event.id, user_id=user.id))


def can_manage(user, event: Event) -> bool:
    return role_on(user, event) in ("admin", ORGANISER)


def can_welcome(user, event: Event) -> bool:
    """Check-in and assisted registration: organisers and reception staff."""
    return role_on(user, event) in ("admin", ORGANISER, RECEPTION)


def is_referent(user, event: Event) -> bool:
    """The account is the event's disability referent (same address, case aside)."""
    return (getattr(user, "is_authenticated", False) and bool(event.referent_email)
            and user.email.lower() == event.referent_email.lower())


def can_see_needs(user, event: Event) -> bool:
    """The accommodation needs (health data): the organisers and the referent only."""
    return can_manage(user, event) or is_referent(user, event)


def referent_events_query(user):
    """The events whose disability referent this account is."""
    return db.select(Event).where(Event.referent_email != "",
                                  func.lower(Event.referent_email) == user.email.lower())


def is_organiser(user) -> bool:
    """May create events and use the people directory: an administrator, an organiser of
    some event, or an account an administrator allowed to create events."""
    if user.is_admin or user.may_create_events:
        return True
    return db.session.scalar(db.select(EventMembership.id).filter_by(
        user_id=user.id, role=ORGANISER).limit(1)) is not None


def managed_events_query(user, roles=(ORGANISER,)):
    """The events a staff account may manage (or, with ``roles``, has one of these roles
    on), as a select to order or filter further."""
    query = db.select(Event)
    if not user.is_admin:
        query = query.join(EventMembership).where(EventMembership.user_id == user.id,
                                                  EventMembership.role.in_(roles))
    return query


def visible_people_query(user):
    """The people an account may see and edit: those who take part in an event it
    organises, and those it created while they take part in no event yet; administrators
    see everyone."""
    query = db.select(Person)
    if user.is_admin:
        return query
    takes_part = db.select(Participation.id).where(Participation.person_id == Person.id)
    in_organised_event = takes_part.join(Session, Participation.session_id == Session.id) \
        .where(Session.event_id.in_(managed_events_query(user).with_only_columns(Event.id)))
    return query.where(or_(in_organised_event.exists(),
                           and_(Person.created_by_id == user.id, ~takes_part.exists())))


def events_of_person(person: Person) -> list[Event]:
    """The events in which a person takes part (in a session, a contribution or a workshop)."""
    return db.session.scalars(db.select(Event).where(Event.id.in_(
        db.select(Session.event_id).join(Participation, Participation.session_id == Session.id)
        .where(Participation.person_id == person.id))).order_by(Event.id)).all()


def may_change_email(user, person: Person, events: list[Event] | None = None) -> bool:
    """Facilitator links are sent to ``Person.email``: only someone who manages every
    event the person takes part in (``events``, when the caller has them) may change it."""
    if user.is_admin:
        return True
    events = events_of_person(person) if events is None else events
    managed = set(db.session.scalars(managed_events_query(user).with_only_columns(Event.id)))
    return all(event.id in managed for event in events)
