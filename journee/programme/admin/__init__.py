"""The organiser's space (« Espace organisateur »): events, rooms, people and programme.

One blueprint, split by subject: ``events``, ``places`` (rooms and people), ``sessions``
and ``people_in_sessions`` (participants, contributions, workshops).
"""

from flask import Blueprint, render_template
from flask_login import current_user

from ...auth.access import require_login
from ...extensions import db
from ..permissions import managed_events_query
from ..models import Event

bp = Blueprint("programme_admin", __name__, url_prefix="/admin")


bp.before_request(require_login)


@bp.get("/")
def index():
    managed = db.session.scalars(
        managed_events_query(current_user).order_by(Event.starts_on.desc(), Event.id)
    ).unique().all()
    return render_template("admin/index.html", events=managed)


from . import events, people_in_sessions, places, sessions  # noqa: E402,F401
