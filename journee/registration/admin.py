"""Placeholder: the organiser's registration lists are being written."""

from flask import Blueprint, current_app
from flask_login import current_user

from ..programme.admin.common import event_or_404

bp = Blueprint("registration_admin", __name__, url_prefix="/admin")


@bp.before_request
def require_login():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


@bp.get("/journees/<int:event_id>/inscriptions/")
def registrations(event_id: int):
    event_or_404(event_id)
    return "Inscriptions"


@bp.get("/journees/<int:event_id>/inscriptions/bilan")
def summary(event_id: int):
    event_or_404(event_id)
    return "Bilan"
