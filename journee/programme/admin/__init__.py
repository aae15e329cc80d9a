"""The organiser's space (« Espace organisateur »): events, rooms, people and programme.

One blueprint, split by subject: ``events``, ``places`` (rooms and people), ``sessions``
and ``people_in_sessions`` (participants, contributions, workshops).
"""

from flask import Blueprint, abort, flash, render_template, request
from flask_login import current_user

from ...extensions import db
from ...formatting import NBSP, NNBSP
from .. import event_home
from ..models import Event
from ..permissions import RECEPTION, is_organiser, managed_events_query, referent_events_query
from ..updates import committed_events, people_to_tell

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


@bp.after_request
def announce_change_notices(response):
    """Whatever page changed times or rooms of a published programme, say who will be
    told and when (the notices gather the edits of the hour, see :mod:`..updates`)."""
    for event_id in committed_events():
        told = people_to_tell(event_id)
        if told is None:
            continue
        count, anything = told
        if not anything:
            flash(f"Les horaires et les salles sont revenus à leur état précédent{NNBSP}: aucun "
                  "e-mail ne sera envoyé aux personnes inscrites.", "info")
        elif count:
            s = "s" if count > 1 else ""
            flash(f"{count}{NBSP}personne{s} inscrite{s} concernée{s} par ce changement "
                  f"d’horaire ou de salle {'seront' if s else 'sera'} prévenue{s} par "
                  "e-mail dans l’heure.", "info")
    return response


@bp.get("/")
def index():
    managed = db.session.scalars(
        managed_events_query(current_user).order_by(Event.starts_on.desc(), Event.id)
    ).unique().all()
    welcomed = [] if current_user.is_admin else db.session.scalars(
        managed_events_query(current_user, roles=(RECEPTION,))
        .order_by(Event.starts_on.desc(), Event.id)).unique().all()
    referent_of = db.session.scalars(
        referent_events_query(current_user).order_by(Event.starts_on.desc(), Event.id)).all()
    columns = [(c.heading, c.lines(managed)) for c in event_home.contributions()]
    return render_template("admin/index.html", events=managed, welcomed=welcomed,
                           referent_of=referent_of, organiser=is_organiser(current_user),
                           columns=columns)


from . import (  # noqa: E402,F401
    events,
    people_in_sessions,
    places,
    session_form,
    sessions,
    timetable,
)
