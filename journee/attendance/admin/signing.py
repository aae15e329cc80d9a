"""The « émargement » at the reception desk: find one's name, sign for the half-day in
progress on the phone or tablet held by staff, or have staff attest one's presence.

Organisers and reception staff open it (as the check-in desk). The canvas is added by
``static/signature.js``; without JavaScript the page offers the attested presence only.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...audit.log import actor_for_user, record
from ...extensions import db
from ...programme.loaders import welcome_event_or_404
from ...programme.models import Event
from ...registration.models import Registration, RegistrationStatus
from ...web.loaders import owned_or_404
from .. import signing
from ..forms import AttestForm, SignatureForm
from ..services import half_day_signatures, presence
from ..services.half_day_signatures import Signer
from .checkin import _query, _since, door_state

bp = Blueprint("signing", __name__)


def _closed_notice(event: Event) -> str:
    upcoming = half_day_signatures.next_half_day(event)
    if upcoming is None:
        return "Aucune demi-journée n’est ouverte à l’émargement, et aucune n’est à venir."
    opens = half_day_signatures.window(event, upcoming)[0]
    return (f"Aucune demi-journée n’est ouverte à l’émargement pour le moment\u202f: "
            f"l’émargement pour {half_day_signatures.half_day_name(upcoming)} ouvre "
            f"{half_day_signatures.at_moment(opens)}.")


@bp.get("/journees/<int:event_id>/accueil/emargement")
def desk(event_id: int):
    event = welcome_event_or_404(event_id)
    half = half_day_signatures.open_half_day(event)
    query = _query(request.args)
    result = presence.search(event, query) if half else None
    records = signing.records_by_registration(event, half) if half else {}
    html = render_template(
        "attendance/signing_desk.html", event=event, half=half, query=query, result=result,
        records=records, closed=None if half else _closed_notice(event),
        describe=lambda record: signing.describe(event, record),
        since=door_state(event, result.registrations, half.day)[0] if result else None,
        Status=RegistrationStatus)
    if result is not None and result.query:
        # As at the check-in desk: who searched, how many people were shown, not the name.
        record("checkin.search", actor=actor_for_user(current_user), event=event,
               rows=len(result.registrations))
        db.session.commit()
    return html


def _open(event_id: int, registration_id: int):
    event = welcome_event_or_404(event_id)
    registration = owned_or_404(Registration, registration_id, event_id=event.id)
    return event, registration


def _page(event: Event, registration: Registration, half, sign_form=None, attest_form=None,
          problems=()):
    found = signing.registration_record(event, half, registration) if half else None
    return render_template(
        "attendance/signing_sign.html", event=event, person=registration.full_name,
        organisation=registration.organisation, half=half, record=found,
        half_key=signing.half_day_key(half) if half else "",
        sign_form=sign_form or SignatureForm(), attest_form=attest_form or AttestForm(),
        problems=list(problems), closed=None if half else _closed_notice(event),
        describe=lambda item: signing.describe(event, item),
        present_since=_since(event, registration, half.day) if half else "",
        back_url=url_for(".desk", event_id=event.id),
        sign_url=url_for(".sign", event_id=event.id, registration_id=registration.id),
        attest_url=url_for(".attest", event_id=event.id, registration_id=registration.id),
        confirmed=registration.status == RegistrationStatus.CONFIRMED)


@bp.get("/journees/<int:event_id>/accueil/emargement/<int:registration_id>")
def person(event_id: int, registration_id: int):
    event, registration = _open(event_id, registration_id)
    return _page(event, registration, half_day_signatures.open_half_day(event))


def _half_day(event: Event, value: str | None):
    return signing.posted_half_day(event, value) or half_day_signatures.open_half_day(event)


def _done(event: Event, registration: Registration, half):
    found = signing.registration_record(event, half, registration)
    db.session.commit()
    flash(signing.confirmation(event, half, registration.full_name, found), "success")
    return redirect(url_for(".person", event_id=event.id, registration_id=registration.id))


@bp.post("/journees/<int:event_id>/accueil/emargement/<int:registration_id>/signer")
def sign(event_id: int, registration_id: int):
    event, registration = _open(event_id, registration_id)
    form = SignatureForm()
    half = _half_day(event, form.half_day.data)
    if half is None:
        return _page(event, registration, None, sign_form=form)
    problems = signing.save_signature(event, half, Signer(registration=registration), form,
                                      collected_by=current_user.email,
                                      actor=actor_for_user(current_user))
    if problems:
        return _page(event, registration, half, sign_form=form, problems=problems)
    return _done(event, registration, half)


@bp.post("/journees/<int:event_id>/accueil/emargement/<int:registration_id>/attester")
def attest(event_id: int, registration_id: int):
    event, registration = _open(event_id, registration_id)
    form = AttestForm()
    half = _half_day(event, form.half_day.data)
    if half is None:
        return _page(event, registration, None, attest_form=form)
    problems = signing.save_attested(event, half, Signer(registration=registration), form,
                                     collected_by=current_user.email,
                                     actor=actor_for_user(current_user))
    if problems or form.errors:
        return _page(event, registration, half, attest_form=form, problems=problems)
    return _done(event, registration, half)
