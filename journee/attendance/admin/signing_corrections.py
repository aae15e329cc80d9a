"""Correcting the digital sign-in, for organisers only: the records of a half-day, and
the cancelling of one recorded by mistake, with its reason."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ...extensions import db
from ...programme.loaders import event_or_404
from ...programme.models import Event
from ...web.loaders import owned_or_404
from ..forms import CancelRecordForm
from ..models import HalfDaySignature
from ..operations import cancel_half_day_record
from ..services import half_day_signatures as signing
from ..services import signing_corrections as corrections

bp = Blueprint("signing_corrections", __name__)


@bp.get("/journees/<int:event_id>/emargement/corrections/<half_day>")
def half_day(event_id: int, half_day: str):
    event = event_or_404(event_id)
    half = corrections.half_day_from_slug(event, half_day)
    if half is None:
        abort(404)
    return render_template(
        "attendance/signing_corrections.html", event=event, half=half,
        half_name=signing.half_day_name(half), lines=corrections.lines(event, half),
        describe=lambda record: corrections.describe(event, record))


def _record_or_404(event: Event, record_id: int):
    record = owned_or_404(HalfDaySignature, record_id, event_id=event.id)
    half = corrections.half_day_of_record(event, record)
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
        if cancel_half_day_record(event, record, reason=form.reason.data, by=current_user):
            flash(f"L’émargement de {name} pour {half_name} est annulé.", "success")
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
