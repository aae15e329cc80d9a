"""Placeholder: registration imports, exports and the paper form are being written."""

from flask import Blueprint, current_app
from flask_login import current_user

from ..programme.admin.common import event_or_404

bp = Blueprint("registration_files", __name__, url_prefix="/admin")


@bp.before_request
def require_login():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


@bp.get("/journees/<int:event_id>/inscriptions/export.xlsx")
def export_xlsx(event_id: int):
    event_or_404(event_id)
    return "Export"


@bp.route("/journees/<int:event_id>/inscriptions/import", methods=["GET", "POST"])
def import_form(event_id: int):
    event_or_404(event_id)
    return "Import"


@bp.get("/journees/<int:event_id>/inscriptions/formulaire-papier.pdf")
def blank_form_pdf(event_id: int):
    event_or_404(event_id)
    return "Formulaire"
