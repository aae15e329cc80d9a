"""Placeholder: the workshop assignment pages are being written."""

from flask import Blueprint, current_app
from flask_login import current_user

from ..programme.admin.common import event_or_404

bp = Blueprint("workshops_admin", __name__, url_prefix="/admin")


@bp.before_request
def require_login():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


@bp.get("/journees/<int:event_id>/repartition/<int:slot_id>/")
def assignment(event_id: int, slot_id: int):
    event_or_404(event_id)
    return "Répartition"
