"""Completion certificates (« certificats de réalisation ») for the organiser: who gets
one and their hours, the PDFs, and their e-mail after the day."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ...audit.log import actor_for_user, record
from ...extensions import db
from ...formatting import NBSP, format_duration, plural
from ...programme.loaders import event_or_404
from ...programme.models import ACTION_NATURE_LABELS
from ...registration.models import Registration
from ...web.downloads import private_download
from ...web.forms import Form
from ...web.loaders import owned_or_404
from ..operations import send_completion_certificates
from ..services.certificates import CertificatesNotYet, day_is_over
from ..services.completion import (
    action_minutes,
    completion_certificates_pdf,
    completion_filename,
    completion_recipients,
    missing_identity,
    recipient,
)

bp = Blueprint("completion", __name__)

PDF = "application/pdf"


@bp.get("/journees/<int:event_id>/certificats-realisation")
def certificates(event_id: int):
    event = event_or_404(event_id)
    recipients = completion_recipients(event)
    waiting = sum(1 for r in recipients
                  if r.registration.email and r.registration.completion_certificate_sent_at is None)
    return render_template(
        "attendance/completion.html", event=event, recipients=recipients, waiting=waiting,
        duration=format_duration(action_minutes(event)), day_over=day_is_over(event),
        missing=missing_identity(), nature=ACTION_NATURE_LABELS[event.action_nature],
        format_duration=format_duration)


@bp.get("/journees/<int:event_id>/certificats-realisation/tous.pdf")
def all_pdf(event_id: int):
    event = event_or_404(event_id)
    recipients = completion_recipients(event)
    data = completion_certificates_pdf(event, recipients)
    record("organiser.download_completion_certificates", actor=actor_for_user(current_user),
           event=event, target="Certificats de réalisation (tous)", rows=len(recipients))
    db.session.commit()
    return private_download(data, completion_filename(event), PDF)


@bp.get("/journees/<int:event_id>/certificats-realisation/<int:registration_id>.pdf")
def one_pdf(event_id: int, registration_id: int):
    event = event_or_404(event_id)
    registration = owned_or_404(Registration, registration_id, event_id=event.id)
    found = recipient(registration)
    if found is None:
        abort(404)
    data = completion_certificates_pdf(event, [found])
    record("organiser.download_completion_certificates", actor=actor_for_user(current_user),
           event=event, target=f"Certificat de réalisation de l’inscription n°{NBSP}"
                               f"{registration.id}", rows=1)
    db.session.commit()
    return private_download(data, completion_filename(event, registration), PDF)


@bp.post("/journees/<int:event_id>/certificats-realisation/envoyer")
def send(event_id: int):
    event = event_or_404(event_id)
    if Form().validate_on_submit():
        try:
            count = send_completion_certificates(event, by=current_user)
        except CertificatesNotYet as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(f"{plural(count, 'certificat')} de réalisation mis en envoi par e-mail."
                  if count else
                  "Toutes les personnes concernées ayant une adresse e-mail ont déjà reçu "
                  "leur certificat de réalisation.", "success" if count else "info")
    return redirect(url_for(".certificates", event_id=event.id))
