"""Placeholder: the organiser's programme editor is being written."""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("programme_admin", __name__, url_prefix="/admin")


@bp.get("/")
@login_required
def index():
    return "Espace organisateur"
