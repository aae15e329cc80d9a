"""The organiser's space (« Espace organisateur »): events, rooms, people and programme.

One blueprint, split by subject: ``events``, ``places`` (rooms and people), ``sessions``
and ``people_in_sessions`` (participants, contributions, workshops).
"""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from ...extensions import db
from .. import event_home
from ..models import Event
from ..permissions import RECEPTION, is_organiser, managed_events_query

bp = Blueprint("programme", __name__)


@bp.before_request
def organisers_only_outside_events():
    """Creating events and the people directory are for organisers of some event and for
    accounts an administrator allowed to create events; others (reception staff, accounts
    with no role) get a 403 there. Event pages check the role on their event."""
    if request.endpoint == "admin.programme.index" or "event_id" in (request.view_args or {}):
        return None
    if not is_organiser(current_user):
        abort(403)
    return None


@bp.get("/")
def index():
    managed = db.session.scalars(
        managed_events_query(current_user).order_by(Event.starts_on.desc(), Event.id)
    ).unique().all()
    welcomed = [] if current_user.is_admin else db.session.scalars(
        managed_events_query(current_user, roles=(RECEPTION,))
        .order_by(Event.starts_on.desc(), Event.id)).unique().all()
    columns = [(c.heading, c.lines(managed)) for c in event_home.contributions()]
    return render_template("admin/index.html", events=managed, welcomed=welcomed,
                           organiser=is_organiser(current_user), columns=columns)


from . import (  # noqa: E402,F401
    events,
    people_in_sessions,
    places,
    session_form,
    sessions,
    timetable,
)
