"""Public registration: the form, the attendee's self-service page, their calendar."""

from __future__ import annotations

from datetime import date

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template,
                   request, url_for)
from sqlalchemy import select

from .. import secret_links
from ..expired_forms import keeps_input_when_expired
from ..extensions import db
from ..programme.models import Event
from ..programme.queries import event_with_workshops, programme_options, today_in
from ..programme.schedule import registration_status
from ..programme.views import visible_event_or_404
from ..workshops.services import attendee_workshops
from . import services
from .changes import ALREADY_REGISTERED, save_changes
from .emails import queue_registration_confirmation_later
from .forms import ResendLinkForm, build_form, initial_data
from .models import Registration, RegistrationStatus
from .privacy import PRIVACY_VERSION, purge_date

bp = Blueprint("registration", __name__)

LINK_SENT = ("Si cette adresse est inscrite à cette journée, un e-mail contenant le lien "
             "vers votre inscription vient de lui être envoyé. Pensez à regarder dans vos "
             "courriers indésirables.")


def _base_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"]


def _send_queued_mail() -> None:
    from ..mail import deliver_after_commit
    deliver_after_commit()


# Registration form --------------------------------------------------------------------

@bp.route("/e/<slug>/register", methods=["GET", "POST"])
@keeps_input_when_expired
def form(slug: str):
    event = visible_event_or_404(slug, load=event_with_workshops)
    today = today_in(event.timezone)
    status = registration_status(event, today)
    if not (status.is_open and event.is_published):
        return _closed(event, status.message)
    if request.method == "GET" and services.places_left(event) == 0 \
            and not event.waitlist_enabled:
        return _closed(event, "Cette journée est complète.")
    if request.method == "POST" and request.form.get("website"):
        # A robot filled the hidden field: pretend it worked, write nothing.
        return redirect(url_for(".done", slug=event.slug))

    form = build_form(event)
    problems, duplicate = [], False
    if form.validate_on_submit():
        attendee = services.Attendee(**form.details(), choices=form.workshop_choices(),
                                     privacy_version=PRIVACY_VERSION)
        try:
            registration = services.register(event.id, attendee, today)
        except services.RegistrationClosed as closed:
            return _closed(event, str(closed))
        except services.AlreadyRegistered:
            form.email.errors.append(ALREADY_REGISTERED)
            duplicate = True
        except services.EventFull as full:
            problems.append(str(full))
        except (services.WorkshopFull, services.InvalidChoice) as refused:
            form.field_for(refused.session_id, refused.workshop_id).errors.append(str(refused))
        else:
            # The confirmation is queued with the registration and written by the sender:
            # the request stays short, which is what keeps a rush from piling up.
            queue_registration_confirmation_later(registration)
            token = registration.token  # read before the commit expires it
            db.session.commit()
            _send_queued_mail()
            return redirect(url_for(".self_service", token=token, nouveau=1))
    left = services.places_left(event)
    return render_template("registration/form.html", event=event, form=form, status=status,
                           problems=problems, duplicate=duplicate,
                           places=services.workshop_places_left(event),
                           waitlist=left == 0 and event.waitlist_enabled,
                           purge_date=purge_date(event))


def _closed(event: Event, message: str):
    return render_template("registration/closed.html", event=event, message=message)


@bp.get("/e/<slug>/register/done")
def done(slug: str):
    """Where the honeypot leads: a thank-you that reveals nothing."""
    event = visible_event_or_404(slug)
    return render_template("registration/done.html", event=event)


@bp.route("/e/<slug>/register/lien", methods=["GET", "POST"])
@keeps_input_when_expired
def resend_link(slug: str):
    """Send the self-service link again; the answer is the same whether or not the
    address is registered."""
    event = visible_event_or_404(slug)
    form = ResendLinkForm()
    if form.validate_on_submit():
        registration = db.session.scalar(
            select(Registration).where(Registration.event_id == event.id,
                                       Registration.email == form.email.data))
        if registration is not None:
            from .emails import queue_self_service_link
            queue_self_service_link(registration, _base_url())
            db.session.commit()
            _send_queued_mail()
        flash(LINK_SENT, "success")
        return redirect(url_for(".resend_link", slug=event.slug))
    return render_template("registration/resend.html", event=event, form=form)


# Self-service ---------------------------------------------------------------------------

def _registration_or_404(token: str) -> tuple[Registration, Event]:
    digest = secret_links.digest(token)
    event = db.session.scalar(
        select(Event).join(Registration, Registration.event_id == Event.id)
        .where(Registration.token_digest == digest, Registration.anonymised_at.is_(None))
        .options(*programme_options()))
    if event is None:
        abort(404)
    registration = db.session.scalar(
        select(Registration).where(Registration.token_digest == digest))
    if not registration.opened_with(token):
        abort(404)
    return registration, event


def can_edit(event: Event, registration: Registration, today: date) -> bool:
    """Details and choices can change until the deadline (included)."""
    last_day = event.registration_deadline or event.starts_on
    return registration.status != RegistrationStatus.CANCELLED and today <= last_day


def can_cancel(event: Event, registration: Registration, today: date) -> bool:
    return registration.status != RegistrationStatus.CANCELLED and today <= event.ends_on


def self_service_url(registration: Registration) -> str:
    return _base_url().rstrip("/") + url_for(".self_service", token=registration.token)


@bp.get("/r/<token>")
def self_service(token: str):
    registration, event = _registration_or_404(token)
    today = today_in(event.timezone)
    return render_template(
        "registration/self_service.html", event=event, registration=registration,
        new=request.args.get("nouveau") == "1", link=self_service_url(registration),
        position=services.waitlist_position(registration),
        editable=can_edit(event, registration, today),
        cancellable=can_cancel(event, registration, today),
        workshops={w.id: w for s in event.workshop_sessions for w in s.workshops},
        assigned=attendee_workshops(registration))


@bp.route("/r/<token>/modifier", methods=["GET", "POST"])
@keeps_input_when_expired
def edit(token: str):
    registration, event = _registration_or_404(token)
    if not can_edit(event, registration, today_in(event.timezone)):
        flash("La date limite est passée\u202f: votre inscription ne peut plus être modifiée. "
              "Pour tout changement, écrivez à l’équipe organisatrice."
              if registration.status != RegistrationStatus.CANCELLED
              else "Cette inscription est annulée\u202f: elle ne peut plus être modifiée.", "error")
        return redirect(url_for(".self_service", token=token))
    places = services.workshop_places_left(event)
    if request.method == "POST":
        form = build_form(event, editing=True)
    else:
        form = build_form(event, editing=True, data=initial_data(registration))
    if form.validate_on_submit():
        error = save_changes(registration, form, form.details())
        if error is None:
            db.session.commit()
            flash("Vos modifications sont enregistrées.", "success")
            return redirect(url_for(".self_service", token=token))
        field, message = error
        field.errors.append(message)
        registration, event = _registration_or_404(token)
        places = services.workshop_places_left(event)
    current = {c.workshop_id for c in registration.choices if c.rank == 1}
    return render_template(
        "registration/edit.html", event=event, form=form, registration=registration,
        places=places, current=current, purge_date=purge_date(event))


@bp.route("/r/<token>/annuler", methods=["GET", "POST"])
def cancel(token: str):
    registration, event = _registration_or_404(token)
    if not can_cancel(event, registration, today_in(event.timezone)):
        flash("Cette inscription ne peut plus être annulée en ligne.", "error")
        return redirect(url_for(".self_service", token=token))
    if request.method == "POST":
        promoted = services.cancel(registration)
        if promoted is not None:
            from .emails import queue_promotion_notice
            queue_promotion_notice(promoted, _base_url())
        db.session.commit()
        _send_queued_mail()
        flash("Votre inscription est annulée. Merci de nous avoir prévenus\u202f: votre place "
              "peut revenir à quelqu’un d’autre.", "success")
        return redirect(url_for(".self_service", token=token))
    return render_template("registration/cancel.html", event=event,
                           registration=registration)


@bp.get("/r/<token>/calendar.ics")
def calendar(token: str):
    registration, event = _registration_or_404(token)
    from .calendar import build_attendee_ics
    data = build_attendee_ics(event, _base_url(),
                              assigned_workshops=attendee_workshops(registration))
    response = Response(data, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{event.slug}.ics"'})
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    return response
