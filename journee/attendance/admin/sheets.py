"""Sign-in sheets and attendance certificates for the organiser."""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...audit.log import actor_for_user, record
from ...documents.signin_pdf import build_signin_sheet
from ...extensions import db
from ...formatting import NBSP, plural
from ...programme.loaders import event_or_404
from ...programme.models import Event, Workshop
from ...registration.listing import local_time
from ...registration.models import Registration
from ...security import as_id
from ...web.downloads import private_download
from ...web.forms import Form
from ...web.loaders import owned_or_404
from ..forms import SignatoryForm, ToleranceForm
from ..operations import tick_presences
from ..roster import confirmed_attendees, workshop_members, workshops_by_registration
from ..services import half_day_signatures, signed_sheets, signing_corrections
from ..services.certificates import (
    MAX_SIGNATURE_BYTES,
    BadSignature,
    CertificatesNotYet,
    certificate_filename,
    certificates_pdf,
    checked_signature,
    day_is_over,
    has_certificate,
    is_present,
    present_attendees,
    queue_certificates,
    signature_mimetype,
)
from ..services.presence import door_days, presence_days
from ..services.signin import day_sheet, workshop_sheet

bp = Blueprint("sheets", __name__)


PDF = "application/pdf"
ANONYMISED = ("Cette inscription est anonymisée (sa durée de conservation est écoulée)\u202f: "
              "son attestation de présence ne peut plus être produite.")


def event_workshop_or_404(event: Event, workshop_id: int) -> Workshop:
    """One of this event's workshops; another event's is a 404 like a missing one."""
    workshop = owned_or_404(Workshop, workshop_id)
    if workshop.session.event_id != event.id:
        abort(404)
    return workshop


# Sign-in sheets --------------------------------------------------------------------------

@bp.get("/journees/<int:event_id>/emargement")
def signin_sheets(event_id: int):
    event = event_or_404(event_id)
    return _sheets_page(event, ToleranceForm(data={
        "minutes": event.signin_tolerance_minutes}))


def _sheets_page(event: Event, tolerance_form: ToleranceForm):
    counts = Counter(workshop.id for workshops in workshops_by_registration(event).values()
                     for workshop in workshops)
    slots = [slot for slot in event.workshop_sessions if slot.workshops]
    records = signing_corrections.record_counts(event)
    halves = [(half_day_signatures.half_day_name(half), signing_corrections.half_day_slug(half),
               records.get(half.key, 0))
              for half in half_day_signatures.signable_half_days(event)]
    return render_template("attendance/sheets.html", event=event, slots=slots, counts=counts,
                           attendees=len(confirmed_attendees(event)),
                           tolerance_form=tolerance_form, halves=halves)


@bp.post("/journees/<int:event_id>/emargement/tolerance")
def tolerance(event_id: int):
    event = event_or_404(event_id)
    form = ToleranceForm()
    if not form.validate_on_submit():
        return _sheets_page(event, form)
    event.signin_tolerance_minutes = form.minutes.data
    db.session.commit()
    flash(f"La tolérance de l’émargement numérique est de {plural(form.minutes.data, 'minute')} "
          "avant et après chaque demi-journée.", "success")
    return redirect(url_for(".signin_sheets", event_id=event.id) + "#emargement-numerique")


@bp.get("/journees/<int:event_id>/emargement/journee-signee.pdf")
def signed_day_pdf(event_id: int):
    event = event_or_404(event_id)
    data = signed_sheets.signed_day_sheet_pdf(event, actor_for_user(current_user))
    db.session.commit()
    return private_download(data, f"emargement-signe-{event.slug}.pdf", PDF)


@bp.get("/journees/<int:event_id>/emargement/ateliers/<int:workshop_id>/signee.pdf")
def signed_workshop_pdf(event_id: int, workshop_id: int):
    event = event_or_404(event_id)
    workshop = event_workshop_or_404(event, workshop_id)
    data = signed_sheets.signed_workshop_sheet_pdf(workshop, actor_for_user(current_user))
    db.session.commit()
    return private_download(
        data, f"emargement-signe-{event.slug}-atelier-{workshop.number}.pdf", PDF)


@bp.get("/journees/<int:event_id>/emargement/journee.pdf")
def day_signin_pdf(event_id: int):
    event = event_or_404(event_id)
    sheet = day_sheet(event)
    data = build_signin_sheet(sheet)
    record("organiser.download_signin", actor=actor_for_user(current_user), event=event,
           target="Feuille d’émargement de la journée", rows=len(sheet.rows))
    db.session.commit()
    return private_download(data, f"emargement-{event.slug}.pdf", PDF)


@bp.get("/journees/<int:event_id>/emargement/ateliers/<int:workshop_id>.pdf")
def workshop_signin_pdf(event_id: int, workshop_id: int):
    event = event_or_404(event_id)
    workshop = event_workshop_or_404(event, workshop_id)
    sheet = workshop_sheet(workshop, workshop_members(workshop))
    data = build_signin_sheet(sheet)
    record("organiser.download_signin", actor=actor_for_user(current_user), event=event,
           workshop=workshop, rows=len(sheet.rows),
           target=f"Feuille d’émargement de l’atelier n°{NBSP}{workshop.number}")
    db.session.commit()
    return private_download(data, f"emargement-{event.slug}-atelier-{workshop.number}.pdf", PDF)


# Attendance certificates ------------------------------------------------------------------

@bp.route("/journees/<int:event_id>/attestations", methods=["GET", "POST"])
def certificates(event_id: int):
    event = event_or_404(event_id)
    form = SignatoryForm(data={"signatory": event.certificate_signatory})
    if form.validate_on_submit():
        try:
            signature = _uploaded_signature(form.signature.data)
        except BadSignature as error:
            form.signature.errors.append(str(error))
        else:
            event.certificate_signatory = form.signatory.data
            if signature is not None:
                event.certificate_signature = signature
            db.session.commit()
            flash("Le signataire des attestations est enregistré."
                  + (" La nouvelle signature est enregistrée." if signature else ""), "success")
            return redirect(url_for(".certificates", event_id=event.id))
    return _certificates_page(event, form)


def _uploaded_signature(upload) -> bytes | None:
    """The checked bytes of the uploaded image, or ``None`` when no file was chosen."""
    if not upload:
        return None
    try:
        # One byte more than allowed is enough to tell a file is too big.
        return checked_signature(upload.read(MAX_SIGNATURE_BYTES + 1))
    finally:
        upload.close()


def _certificates_page(event: Event, form: SignatoryForm):
    attendees = confirmed_attendees(event)
    present = sum(1 for r in attendees if r.checked_in_at is not None)
    certificates = sum(1 for r in attendees if has_certificate(r))
    waiting = sum(1 for r in attendees
                  if has_certificate(r) and r.email and r.certificate_sent_at is None)
    days = presence_days(event)
    return render_template(
        "attendance/certificates.html", event=event, form=form, attendees=attendees,
        days=days, came=door_days(event, [r.id for r in attendees]) if days else {},
        present=present, certificates=certificates, anonymised=present - certificates,
        waiting=waiting, day_over=day_is_over(event),
        local=lambda moment: local_time(moment, event.timezone))


@bp.get("/journees/<int:event_id>/attestations/signature")
def signature_image(event_id: int):
    event = event_or_404(event_id)
    if not event.certificate_signature:
        abort(404)
    data = event.certificate_signature
    mimetype = signature_mimetype(data)
    return private_download(data, f"signature-{event.slug}.{mimetype.split('/')[-1]}",
                            mimetype, inline=True)


@bp.post("/journees/<int:event_id>/attestations/signature/supprimer")
def remove_signature(event_id: int):
    event = event_or_404(event_id)
    if Form().validate_on_submit():
        event.certificate_signature = None
        db.session.commit()
        flash("L’image de la signature est supprimée.", "success")
    return redirect(url_for(".certificates", event_id=event.id))


def _ids(name: str) -> list[int]:
    return [number for number in map(as_id, request.form.getlist(name)) if number is not None]


@bp.post("/journees/<int:event_id>/attestations/presences")
def presence(event_id: int):
    event = event_or_404(event_id)
    if Form().validate_on_submit():
        listed, days = _ids("listed"), presence_days(event)
        # One box per person and day on an event of several days, else one per person.
        boxes = []
        for day, suffix in [(day, f"-{day.isoformat()}") for day in days] or [(None, "")]:
            was_present = set(_ids("was_present" + suffix))
            boxes.append((day, {rid: rid in was_present for rid in listed},
                          set(_ids("present" + suffix))))
        ticks = tick_presences(event, boxes, by=current_user)
        marked, unmarked = ticks.marked, ticks.unmarked
        db.session.commit()
        if (marked or unmarked) and days:
            flash(f"Présences enregistrées{NBSP}: {plural(marked, 'journée')} de présence "
                  f"ajoutée{'s' if marked > 1 else ''}, {plural(unmarked, 'journée')} "
                  f"retirée{'s' if unmarked > 1 else ''}.", "success")
        elif marked or unmarked:
            flash(f"Présences enregistrées{NBSP}: {plural(marked, 'personne')} marquée"
                  f"{'s' if marked > 1 else ''} présente{'s' if marked > 1 else ''}, "
                  f"{plural(unmarked, 'personne')} marquée{'s' if unmarked > 1 else ''} "
                  f"absente{'s' if unmarked > 1 else ''}.", "success")
        else:
            flash("Aucune présence n’a changé.", "info")
        if ticks.certificates_resent:
            flash(f"Certificat de réalisation déjà envoyé{NBSP}: la version corrigée est "
                  f"renvoyée par e-mail à {plural(ticks.certificates_resent, 'personne')}.",
                  "info")
    return redirect(url_for(".certificates", event_id=event.id) + "#presences")


@bp.get("/journees/<int:event_id>/attestations/toutes.pdf")
def all_certificates_pdf(event_id: int):
    event = event_or_404(event_id)
    present = present_attendees(event)
    data = certificates_pdf(event, present)
    record("organiser.download_certificates", actor=actor_for_user(current_user),
           event=event, target="Attestations de présence (toutes)", rows=len(present))
    db.session.commit()
    return private_download(data, certificate_filename(event), PDF)


@bp.get("/journees/<int:event_id>/attestations/<int:registration_id>.pdf")
def certificate_pdf(event_id: int, registration_id: int):
    event = event_or_404(event_id)
    registration = owned_or_404(Registration, registration_id, event_id=event.id)
    if not is_present(registration):
        abort(404)
    if not has_certificate(registration):
        flash(ANONYMISED, "error")
        return redirect(url_for(".certificates", event_id=event.id) + "#presences")
    data = certificates_pdf(event, [registration])
    record("organiser.download_certificates", actor=actor_for_user(current_user),
           event=event, target=f"Attestation de présence de l’inscription n°{NBSP}"
                               f"{registration.id}", rows=1)
    db.session.commit()
    return private_download(data, certificate_filename(event, registration), PDF)


@bp.post("/journees/<int:event_id>/attestations/envoyer")
def send_certificates(event_id: int):
    event = event_or_404(event_id)
    if Form().validate_on_submit():
        try:
            count = queue_certificates(event)
        except CertificatesNotYet as error:
            flash(str(error), "error")
        else:
            if count:
                record("organiser.send_certificates", actor=actor_for_user(current_user),
                       event=event, target="Attestations de présence envoyées par e-mail",
                       rows=count)
            db.session.commit()
            flash(f"{plural(count, 'attestation')} mise{'s' if count > 1 else ''} en "
                  "envoi par e-mail." if count else
                  "Toutes les personnes présentes ayant une adresse e-mail ont déjà reçu "
                  "leur attestation.", "success" if count else "info")
    return redirect(url_for(".certificates", event_id=event.id))
