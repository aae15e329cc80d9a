"""Printing badges on label sheets."""

from flask import Blueprint

from ..auth.access import require_login

bp = Blueprint("badges_admin", __name__, url_prefix="/admin")

bp.before_request(require_login)
