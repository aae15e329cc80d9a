"""The organiser's side of facilitator links: send, revoke, regenerate; the access log."""

from flask import Blueprint

from ..auth.access import require_login

bp = Blueprint("facilitation_admin", __name__, url_prefix="/admin")

bp.before_request(require_login)
