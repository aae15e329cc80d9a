"""Correcting the digital sign-in, for organisers only: the records of a half-day, the
cancelling of one recorded by mistake, with its reason, and a presence attested after the
fact for whom the live sign-in missed."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ...errors import JourneeError
from ...extensions import db
from ...programme.loaders import event_or_404
from ...programme.models import Event
from ...registration.models import Registration
from ...security import as_id
from ...web.loaders import owned_or_404
from ..forms import CancelRecordForm, LateAttestForm
from ..models import HalfDaySignature
from ..operations import attest_half_day_late, cancel_half_day_record
from ..services import half_day_signatures as signing
from ..services import signing_corrections as corrections

bp = Blueprint("signing_corrections", __name__)


def _half_day_or_404(event: Event, slug: str):
    half = corrections.half_day_from_slug(event, slug)
    if half is None:
        abort(404)
    return half


def _page(event: Event, half, form: LateAttestForm | None = None, problems=()):
    if form is None:
        form = LateAttestForm(attested_by=current_user.name or None)
    candidates = corrections.unrecorded(event, half)
    form.registration.choices = [("", "— Choisissez une personne —")] + [
        (str(person.id), _choice(person)) for person in candidates]
    started = signing.local_now(event) >= half.starts_at
    return render_template(
        "attendance/signing_corrections.html", event=event, half=half,
        half_name=signing.half_day_name(half), lines=corrections.lines(event, half),
        describe=lambda record: corrections.describe(event, record), form=form,
        started=started, starts_at=signing.at_moment(half.starts_at).removeprefix("le "),
        paper=not signing.has_participant_records(event, half), candidates=candidates,
        half_slug=corrections.half_day_slug(half), problems=list(problems))


def _choice(person) -> str:
    name = f"{person.last_name.upper()} {person.first_name}".strip()
    return f"{name} – {person.organisation}" if person.organisation else name


@bp.get("/journees/<int:event_id>/emargement/corrections/<half_day>")
def half_day(event_id: int, half_day: str):
    event = event_or_404(event_id)
    return _page(event, _half_day_or_404(event, half_day))


@bp.post("/journees/<int:event_id>/emargement/corrections/<half_day>/attester")
def attest_late(event_id: int, half_day: str):
    event = event_or_404(event_id)
    half = _half_day_or_404(event, half_day)
    form = LateAttestForm()
    chosen = form.registration.data
    if chosen:
        if as_id(chosen) is None:
            abort(404)
        registration = owned_or_404(Registration, as_id(chosen), event_id=event.id)
    if not form.validate_on_submit():
        return _page(event, half, form)
    try:
        done = attest_half_day_late(event, half, registration,
                                    attested_by=form.attested_by.data,
                                    reason=form.reason.data, by=current_user)
    except JourneeError as refused:
        db.session.rollback()
        return _page(event, half, form, problems=[str(refused)])
    name = registration.full_name
    db.session.commit()
    flash(f"La présence de {name} est attestée après coup pour "
          f"{signing.half_day_name(half)}.{_resent(done)}", "success")
    return redirect(url_for(".half_day", event_id=event.id, half_day=half_day))


def _record_or_404(event: Event, record_id: int):
    record = owned_or_404(HalfDaySignature, record_id, event_id=event.id)
    half = signing.half_day_starting(event, record.half_day_start)
    if half is None:
        abort(404)  # A half-day the programme no longer holds: nothing lists it.
    return record, half


@bp.route("/journees/<int:event_id>/emargement/enregistrements/<int:record_id>/annuler",
          methods=["GET", "POST"])
def cancel(event_id: int, record_id: int):
    event = event_or_404(event_id)
    record, half = _record_or_404(event, record_id)
    form = CancelRecordForm()
    back = url_for(".half_day", event_id=event.id, half_day=corrections.half_day_slug(half))
    name = corrections.signer_of(record).name
    if form.validate_on_submit():
        half_name = signing.half_day_name(half)
        done = cancel_half_day_record(event, record, reason=form.reason.data,
                                      by=current_user)
        if done is not None:
            flash(f"L’émargement de {name} pour {half_name} est annulé.{_resent(done)}",
                  "success")
        else:
            flash(f"L’émargement de {name} pour {half_name} était déjà annulé.", "info")
        db.session.commit()
        return redirect(back)
    return render_template(
        "attendance/signing_cancel.html", event=event, half=half, form=form, back=back,
        name=name, record=record, half_name=signing.half_day_name(half),
        facilitator=record.person_id is not None,
        description=corrections.describe(event, record),
        consequences=corrections.consequences(event, record, half))


def _resent(done) -> str:
    return (" Son certificat de réalisation, déjà envoyé, lui est renvoyé corrigé par "
            "e-mail." if done.certificate_resent else "")
