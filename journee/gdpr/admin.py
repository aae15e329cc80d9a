"""The organiser's side of a person's rights: export their data, erase them on request."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from .. import data_owners as personal_data
from ..audit.log import actor_for_user, record
from ..extensions import db
from ..programme.loaders import event_or_404
from ..programme.permissions import managed_events_query
from ..registration import operations
from ..registration.loaders import registration_or_404
from ..registration.personal_data import same_person
from ..web.downloads import private_download
from ..web.urls import public_base_url
from .forms import PrivacySettingsForm
from .models import PrivacySettings
from .settings import current_settings

bp = Blueprint("gdpr", __name__)


@bp.get("/journees/<int:event_id>/inscriptions/<int:registration_id>/donnees.json")
def export(event_id: int, registration_id: int):
    """The person's data as JSON, to answer a request for access or portability."""
    event = event_or_404(event_id)
    registration = registration_or_404(event, registration_id)
    data = personal_data.person_data(registration)
    record("organiser.export_person", actor=actor_for_user(current_user), event=event,
           target=f"Inscription n°\u00a0{registration.id}", rows=1)
    db.session.commit()
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return private_download(body, f"donnees-inscription-{registration.id}.json",
                            "application/json")


@bp.route("/journees/<int:event_id>/inscriptions/<int:registration_id>/effacer",
          methods=["GET", "POST"])
def erase(event_id: int, registration_id: int):
    """Erase a person on request, in every event this account manages."""
    event = event_or_404(event_id)
    registration = registration_or_404(event, registration_id)
    events = db.session.scalars(managed_events_query(current_user)).all()
    registrations = same_person(registration, events)
    if request.method == "GET":
        return render_template("gdpr/erase.html", event=event, registration=registration,
                               registrations=registrations,
                               kept=personal_data.KEPT_AFTER_ERASURE)
    result = operations.erase(registrations, base_url=public_base_url(), by=current_user)
    db.session.commit()
    flash(f"Effacement fait\u202f: {result.registrations}\u00a0inscription(s) et "
          f"{result.messages}\u00a0e-mail(s) supprimés. {personal_data.KEPT_AFTER_ERASURE}",
          "success")
    return redirect(url_for("admin.registration.registrations", event_id=event.id))


@bp.route("/donnees-personnelles", methods=["GET", "POST"])
def privacy_settings():
    """The institute's part of every privacy notice (administrators only)."""
    if not current_user.is_admin:
        abort(403)
    settings = current_settings() or PrivacySettings()
    form = PrivacySettingsForm(obj=settings)
    if request.method == "POST" and form.validate_on_submit():
        form.populate_obj(settings)
        settings.updated_by = current_user.email
        db.session.add(settings)
        db.session.commit()
        flash("Les informations sur les données personnelles sont enregistrées.", "success")
        return redirect(url_for(".privacy_settings"))
    return render_template("gdpr/settings.html", form=form)
