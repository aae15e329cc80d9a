"""The organiser's registration files: the XLSX export, the group import (with its
template) and the blank paper form."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from ...audit.log import actor_for_user, record
from ...extensions import db
from ...formatting import NBSP, NNBSP
from ...programme.loaders import event_or_404
from ...programme.models import Event
from ...security import as_id
from ...util.clock import today_in
from ...web.downloads import private_download
from .. import services
from ..exporting import build_registrations_xlsx, download_name, registrations_for_export
from ..form_pdf import build_blank_registration_form
from ..forms import ConfirmImportForm, ImportUploadForm
from ..import_template import build_import_template
from ..importing import (
    MAX_FILE_BYTES,
    ImportFailed,
    ImportPreview,
    ImportRefused,
    import_columns,
    import_registrations,
    parse_import,
)
from ..models import PROFILE_LABELS
from ..upload_store import UploadStore
from . import bp

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/journees/<int:event_id>/inscriptions/export.xlsx")
def export_xlsx(event_id: int):
    event = event_or_404(event_id)
    registrations = registrations_for_export(event)
    data = build_registrations_xlsx(event, registrations)
    record("organiser.download_registrations", actor=actor_for_user(current_user),
           event=event, rows=len(registrations))
    db.session.commit()
    return private_download(data, download_name(event), XLSX)


@bp.get("/journees/<int:event_id>/inscriptions/formulaire-papier.pdf")
def blank_form_pdf(event_id: int):
    event = event_or_404(event_id)
    return private_download(build_blank_registration_form(event),
                            f"formulaire-inscription-{event.slug}.pdf", "application/pdf")


# Import ---------------------------------------------------------------------------------

def _store() -> UploadStore:
    return UploadStore(current_app.config["IMPORT_DIR"])


@bp.get("/journees/<int:event_id>/inscriptions/modele-import.xlsx")
def import_template(event_id: int):
    event = event_or_404(event_id)
    return private_download(build_import_template(event), f"modele-import-{event.slug}.xlsx",
                            XLSX)


@bp.route("/journees/<int:event_id>/inscriptions/import", methods=["GET", "POST"])
def import_form(event_id: int):
    """Upload a list, then see what would be registered: nothing is written yet."""
    event = event_or_404(event_id)
    form = ImportUploadForm()
    if form.validate_on_submit():
        data = form.file.data.read(MAX_FILE_BYTES + 1)
        try:
            preview = parse_import(event, data)
        except ImportRefused as refused:
            form.file.errors.append(str(refused))
        else:
            token = _store().save(event.id, current_user.id, data)
            return _preview(event, preview, _confirm_form(token, preview))
    return render_template("admin/imports/upload.html", event=event, form=form,
                           columns=import_columns(event))


@bp.post("/journees/<int:event_id>/inscriptions/import/confirmer")
def import_confirm(event_id: int):
    """Write every accepted row of the stored file in one transaction, or none."""
    event = event_or_404(event_id)
    form = ConfirmImportForm()
    store = _store()
    data = store.load(event.id, current_user.id, form.token.data or "")
    if data is None:
        flash("Le fichier déposé a expiré ou est introuvable (il est gardé une heure)"
              f"{NNBSP}: déposez-le à nouveau.", "error")
        return redirect(url_for(".import_form", event_id=event.id))
    try:
        # Addresses registered since the preview are left to the insert: the whole
        # import must then fail, not silently skip a row.
        preview = parse_import(event, data, check_registered=False)
    except ImportRefused as refused:
        store.delete(event.id, current_user.id, form.token.data)
        flash(str(refused), "error")
        return redirect(url_for(".import_form", event_id=event.id))
    if not form.validate():
        return _preview(event, parse_import(event, data), form)
    wanted = _row_numbers(form.rows.data)
    rows = [row for row in preview.rows if row.number in wanted]
    if not wanted or len(rows) != len(wanted) or not all(row.accepted for row in rows):
        fresh = parse_import(event, data)
        return _preview(event, fresh, _confirm_form(form.token.data, fresh),
                        problem="La liste a changé depuis l’aperçu (le programme de la "
                                f"journée a été modifié){NNBSP}: vérifiez-la puis confirmez "
                                "à nouveau.")
    try:
        count = import_registrations(event, rows, current_user.email,
                                     today_in(event.timezone))
    except ImportFailed as failed:
        fresh = parse_import(event, data)
        return _preview(event, fresh, _confirm_form(form.token.data, fresh),
                        problem=f"Aucune inscription n’a été enregistrée. {failed}")
    record("organiser.import_registrations", actor=actor_for_user(current_user),
           event=event, rows=count)
    db.session.commit()
    store.delete(event.id, current_user.id, form.token.data)
    flash(f"{count}{NBSP}inscription{'s' if count > 1 else ''} importée"
          f"{'s' if count > 1 else ''}.", "success")
    return redirect(url_for("admin.registration.registrations", event_id=event.id))


def _row_numbers(text: str | None) -> set[int]:
    return {number for part in (text or "").split(",")
            if (number := as_id(part.strip())) is not None}


def _confirm_form(token: str, preview: ImportPreview) -> ConfirmImportForm:
    return ConfirmImportForm(formdata=None, token=token,
                             rows=",".join(str(row.number) for row in preview.accepted))


def _preview(event: Event, preview: ImportPreview, confirm: ConfirmImportForm,
             problem: str | None = None):
    left = services.places_left(event)
    return render_template("admin/imports/preview.html", event=event, preview=preview,
                           confirm=confirm, problem=problem, places_left=left,
                           profile_labels=PROFILE_LABELS)
