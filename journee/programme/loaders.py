"""The events and sessions a URL names, or 404: a missing event and one the visitor may
not see answer alike (see :mod:`journee.web.loaders`). The back-office loaders check the
current account's role on the event; :func:`visible_event_or_404` serves the public pages.
"""

from flask import abort
from flask_login import current_user

from ..extensions import db
from ..web.loaders import owned_or_404
from .models import Event, Session
from .permissions import ORGANISER, RECEPTION, can_manage, can_see_needs, role_on
from .queries import PUBLIC_STATUSES, event_with_programme


def visible_event_or_404(slug: str, load=event_with_programme) -> Event:
    """A published or archived event; drafts only for the staff who may edit them.

    :param load: how much of the event to load with it (the whole programme by default).
    """
    event = load(slug)
    if event is None:
        abort(404)
    if event.status not in PUBLIC_STATUSES and not can_manage(current_user, event):
        abort(404)
    return event


def event_or_404(event_id: int, load=None) -> Event:
    """The event, or 404 alike for a missing event and one managed by others; 403 for
    reception staff of this event (the organiser's pages are not theirs).

    :param load: how to load the event by its id, with what it needs (its row alone by
        default; :func:`.queries.event_with_programme_by_id` for the whole programme).
    """
    event = db.session.get(Event, event_id) if load is None else load(event_id)
    role = role_on(current_user, event) if event is not None else None
    if role is None:
        abort(404)
    if role not in ("admin", ORGANISER):
        abort(403)
    return event


def welcome_event_or_404(event_id: int) -> Event:
    """The event for check-in and assisted registration: organisers and reception."""
    event = db.session.get(Event, event_id)
    if event is None or role_on(current_user, event) not in ("admin", ORGANISER, RECEPTION):
        abort(404)
    return event


def needs_event_or_404(event_id: int) -> Event:
    """The event for its accommodation needs: its organisers and its disability referent;
    403 for its reception staff, 404 alike for everyone else and a missing event."""
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    if not can_see_needs(current_user, event):
        abort(403 if role_on(current_user, event) == RECEPTION else 404)
    return event


def session_or_404(event: Event, session_id: int) -> Session:
    return owned_or_404(Session, session_id, event_id=event.id)
