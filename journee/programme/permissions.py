"""Who may do what on which event.

Roles per event (``EventMembership.role``): an **organiser** manages the event entirely;
**reception** staff only welcome people on the day (check-in, assisted registration).
Administrators manage every event and the staff accounts.
"""

from __future__ import annotations

from ..extensions import db
from .models import Event, EventMembership

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


def is_organiser(user) -> bool:
    """May create events and use the shared people directory: an administrator, an
    organiser of some event, or a new account that has no role yet (it will organise)."""
    if user.is_admin:
        return True
    roles = set(db.session.scalars(
        db.select(EventMembership.role).filter_by(user_id=user.id)))
    return not roles or ORGANISER in roles


def managed_events_query(user, roles=(ORGANISER,)):
    """The events a staff account may manage (or, with ``roles``, has one of these roles
    on), as a select to order or filter further."""
    query = db.select(Event)
    if not user.is_admin:
        query = query.join(EventMembership).where(EventMembership.user_id == user.id,
                                                  EventMembership.role.in_(roles))
    return query
