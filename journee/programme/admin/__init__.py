"""The organiser's space (« Espace organisateur »): events, rooms, people and programme.

One blueprint, split by subject: ``events``, ``places`` (rooms and people), ``sessions``
and ``people_in_sessions`` (participants, contributions, workshops).
"""

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from ...extensions import db
from ..permissions import managed_events_query
from ..models import Event

bp = Blueprint("programme_admin", __name__, url_prefix="/admin")


@bp.before_request
def require_login():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


@bp.get("/")
def index():
    managed = db.session.scalars(
        managed_events_query(current_user).order_by(Event.starts_on.desc(), Event.id)
    ).unique().all()
    return render_template("admin/index.html", events=managed)


from . import events, people_in_sessions, places, sessions  # noqa: E402,F401
