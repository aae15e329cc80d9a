"""The organiser reviews and publishes syntheses and writes the day's synthesis."""

from flask import Blueprint

from ..auth.access import require_login

bp = Blueprint("syntheses_admin", __name__, url_prefix="/admin")

bp.before_request(require_login)
