"""Who may manage which event."""

from ..extensions import db
from .models import Event, EventMembership


def can_manage(user, event: Event) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    return db.session.scalar(
        db.select(EventMembership.id).filter_by(event_id=event.id, user_id=user.id)
    ) is not None


def managed_events_query(user):
    """The events a staff account may manage, as a select to order or filter further."""
    query = db.select(Event)
    if not user.is_admin:
        query = query.join(EventMembership).where(EventMembership.user_id == user.id)
    return query
