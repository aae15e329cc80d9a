"""Check-in at the door: scan a badge or find a name, mark present, register on the spot."""

from flask import Blueprint

from ..auth.access import require_login

bp = Blueprint("checkin", __name__, url_prefix="/admin")

bp.before_request(require_login)
