"""Sign-in sheets and attendance certificates for the organiser."""

from flask import Blueprint

from ..auth.access import require_login

bp = Blueprint("sheets_admin", __name__, url_prefix="/admin")

bp.before_request(require_login)
