"""Public registration: the form, the attendee's self-service page, their calendar."""

from __future__ import annotations

import json
from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from .. import data_owners as personal_data
from .. import ratelimit, secret_links
from ..database import reads_only
from ..expired_forms import keeps_input_when_expired
from ..extensions import db
from ..mail import leave_to_worker
from ..programme.loaders import visible_event_or_404
from ..programme.models import Event, Workshop
from ..programme.queries import (
    event_alone,
    event_with_programme_by_id,
    event_with_workshops,
    event_with_workshops_by_id,
)
from ..programme.schedule import registration_status
from ..security import as_id, client_address
from ..util.clock import today_in
from ..web.downloads import private_download
from ..web.urls import external_url, public_base_url
from . import after_publication, operations, places, services
from .address import MAX_AGE_SECONDS, change_for_token
from .calendar import DayLinks, attendee_day_links, build_attendee_ics
from .emails import (
    queue_address_change,
    queue_already_registered,
    queue_link_request,
)
from .forms import (
    ResendLinkForm,
    WorkshopPlaceForm,
    build_form,
    initial_data,
    keep_frozen_choices,
    mark_popular,
)
from .models import Registration, RegistrationStatus
from .privacy import PRIVACY_VERSION, purge_date

bp = Blueprint("registration", __name__)

LINK_SENT = ("Si cette adresse est inscrite à cette journée, un e-mail contenant le lien "
             "vers votre inscription vient de lui être envoyé. Pensez à regarder dans vos "
             "courriers indésirables.")
TOO_MANY = ("Trop de demandes ont été envoyées depuis votre connexion internet en peu de "
            "temps\u202f: rien n’a été enregistré. Vos réponses sont conservées ci-dessous\u202f: "
            "envoyez à nouveau le formulaire dans une heure.")

# Rate-limit buckets, counted per client address (journee.ratelimit).
REGISTRATIONS = "registration-client"
LINK_REQUESTS = "link-request-client"
HOUR = timedelta(hours=1)


def _over_limit(bucket: str, setting: str) -> bool:
    return ratelimit.exceeded(bucket, client_address(), current_app.config[setting], HOUR)


def _too_many(template: str, **context):
    """The form again, with what was typed, answered 429."""
    return (render_template(template, **context), 429,
            {"Retry-After": str(int(HOUR.total_seconds()))})


# Registration form --------------------------------------------------------------------

@bp.route("/e/<slug>/register", methods=["GET", "POST"])
@keeps_input_when_expired
@reads_only
def form(slug: str):
    event = visible_event_or_404(slug, load=event_with_workshops)
    today = today_in(event.timezone)
    status = registration_status(event, today)
    if not (status.is_open and event.is_published):
        return _closed(event, status.message)
    counts = services.form_counts(event) if request.method == "GET" else None
    if counts is not None and counts.places_left == 0 and not event.waitlist_enabled:
        return _closed(event, "Cette journée est complète.")
    if request.method == "POST" and request.form.get("website"):
        # A robot filled the hidden field: pretend it worked, write nothing.
        return redirect(url_for(".done", slug=event.slug))

    form = build_form(event)
    problems = []
    if form.validate_on_submit():
        if _over_limit(REGISTRATIONS, "REGISTRATIONS_PER_CLIENT_PER_HOUR"):
            return _too_many("registration/form.html", **_form_context(event, form, status,
                                                                       [TOO_MANY]))
        attendee = services.Attendee(**form.details(), choices=form.workshop_choices(),
                                     privacy_version=PRIVACY_VERSION)
        try:
            operations.register(event, attendee, today, base_url=public_base_url())
        except services.RegistrationClosed as closed:
            return _closed(event, str(closed))
        except services.AlreadyRegistered:
            # Nothing changes. Whoever typed the address sees what a new registration
            # sees; the address's owner gets their own link.
            queue_already_registered(event.id, attendee.email)
            return _accepted(event)
        except services.EventFull as full:
            problems.append(str(full))
        except (services.WorkshopFull, services.InvalidChoice) as refused:
            form.field_for(refused.session_id, refused.workshop_id).errors.append(str(refused))
        else:
            return _accepted(event)
    return render_template("registration/form.html",
                           **_form_context(event, form, status, problems, counts))


def _form_context(event: Event, form, status, problems: list[str],
                  counts: services.FormCounts | None = None) -> dict:
    """What the form page shows; *counts*, if counted already in this request."""
    if counts is None:
        counts = services.form_counts(event)
    left, chosen = counts.places_left, counts.first_choices
    _mark_popular(event, form, chosen)
    return {"event": event, "form": form, "status": status, "problems": problems,
            "places": services.workshop_places_left(event, chosen),
            "waitlist": left == 0 and event.waitlist_enabled,
            "day_places": places.day_places_text(event, left),
            "purge_date": purge_date(event)}


def _mark_popular(event: Event, form, chosen: dict[int, int]) -> None:
    """Preference mode: say which workshops are « très demandé » in their options
    (*chosen*: :func:`services.workshop_first_choices`)."""
    if form.first_come:
        return
    popular = {w.id for s in event.workshop_sessions for w in s.workshops
               if places.is_popular(w.capacity, chosen.get(w.id, 0))}
    mark_popular(form, popular, places.POPULAR)
    form.has_popular = bool(popular)


bp.add_app_template_global(places.workshop_places_text, "workshop_places_text")


@bp.app_template_global("day_calendar_links")
def day_calendar_links(registration: Registration,
                       assigned: dict[int, Workshop] | None = None) -> DayLinks | None:
    """« Google Agenda » and « Outlook » links for a confirmed person's day (the page and
    the e-mails that do not give them in ``day_calendars``)."""
    return attendee_day_links(registration, public_base_url(), assigned)


@bp.app_template_global("places_notice")
def places_notice(event: Event) -> str | None:
    """The event page's « Plus que 12 places » or « Complet… », counted now."""
    return places.day_places_text(event, services.places_left(event))


def _accepted(event: Event):
    """Count the registration against the client address, commit it with its queued
    e-mail, and say so. A new address and one already registered both come here with
    one outbox row queued: the same cost, the same answer."""
    done = url_for(".done", slug=event.slug)  # before the commit expires the event
    ratelimit.record(REGISTRATIONS, client_address())
    leave_to_worker()  # the answer does not wait for the e-mail
    db.session.commit()
    return redirect(done)


def _closed(event: Event, message: str):
    return render_template("registration/closed.html", event=event, message=message)


@bp.get("/e/<slug>/register/done")
@reads_only
def done(slug: str):
    """What every accepted registration leads to, new or not (and the honeypot): it
    says an e-mail is on its way, which reveals nothing about the address."""
    event = visible_event_or_404(slug, load=event_alone)
    return render_template("registration/done.html", event=event)


@bp.route("/e/<slug>/register/lien", methods=["GET", "POST"])
@keeps_input_when_expired
def resend_link(slug: str):
    """Send the self-service link again; the answer is the same whether or not the
    address is registered."""
    event = visible_event_or_404(slug, load=event_alone)
    form = ResendLinkForm()
    if form.validate_on_submit():
        if _over_limit(LINK_REQUESTS, "LINK_REQUESTS_PER_CLIENT_PER_HOUR"):
            return _too_many("registration/resend.html", event=event, form=form,
                             problems=[TOO_MANY])
        # One outbox row whatever the address: the sender looks it up, not the request.
        queue_link_request(form.email.data)
        ratelimit.record(LINK_REQUESTS, client_address())
        leave_to_worker()
        db.session.commit()
        flash(LINK_SENT, "success")
        return redirect(url_for(".resend_link", slug=event.slug))
    return render_template("registration/resend.html", event=event, form=form, problems=[])


# Self-service ---------------------------------------------------------------------------

LIVE = (Registration.anonymised_at.is_(None),)
"""What a personal link opens: a registration not anonymised (one object, so that the
look-up's statement is built once, see :func:`secret_links.find`)."""


def _registration_or_404(token: str, load=event_with_programme_by_id
                         ) -> tuple[Registration, Event]:
    registration = secret_links.find(Registration, token, *LIVE)
    if registration is None:
        abort(404)
    return registration, load(registration.event_id)


def can_edit(event: Event, registration: Registration, today: date) -> bool:
    """Details and choices can change until the deadline (included)."""
    last_day = event.registration_deadline or event.starts_on
    return registration.status != RegistrationStatus.CANCELLED and today <= last_day


def can_cancel(event: Event, registration: Registration, today: date) -> bool:
    return registration.status != RegistrationStatus.CANCELLED and today <= event.ends_on


def self_service_url(registration: Registration) -> str:
    return external_url("registration.self_service", token=registration.token)


@bp.get("/r/<token>")
@reads_only
def self_service(token: str):
    # The link of every confirmation e-mail: the page needs the workshops, not the
    # whole programme with its people.
    registration, event = _registration_or_404(token, load=event_with_workshops_by_id)
    return _self_service_page(registration, event)


def _self_service_page(registration: Registration, event: Event, posted=None):
    """The person's page; *posted*: the form of a place or waiting list just refused,
    ``(slot id, "prendre" or "attendre", form)``, shown again with its error."""
    today = today_in(event.timezone)
    published = services.published_slots(event.id)
    offers = (after_publication.offers(registration, event, published)
              if today <= event.ends_on else {})
    forms = {}
    for slot_id, offer in offers.items():
        for kind, workshops in (("prendre", offer.open), ("attendre", offer.full)):
            form = (posted[2] if posted is not None and posted[:2] == (slot_id, kind)
                    else WorkshopPlaceForm(prefix=f"{kind}-{slot_id}", formdata=None))
            form.workshop.choices = [(str(p.workshop.id), _place_label(p, kind))
                                     for p in workshops]
            forms[slot_id, kind] = form
    return render_template(
        "registration/self_service.html", event=event, registration=registration,
        link=self_service_url(registration),
        position=services.waitlist_position(registration),
        editable=can_edit(event, registration, today),
        cancellable=can_cancel(event, registration, today),
        workshops={w.id: w for s in event.workshop_sessions for w in s.workshops},
        assigned=services.attendee_workshops(registration, published),
        published=published, offers=offers, place_forms=forms,
        told=after_publication.told_slots(registration, published))


def _place_label(places: after_publication.WorkshopPlaces, kind: str) -> str:
    label = places.workshop.label
    if places.workshop.room is not None:
        label += f", {places.workshop.room.name}"
    if kind == "prendre":
        if places.left is None:
            return label
        return f"{label} ({places.left} place{'s' if places.left > 1 else ''} libre" \
               f"{'s' if places.left > 1 else ''})"
    if not places.waiting:
        return f"{label} (complet, personne en attente)"
    return (f"{label} (complet, {places.waiting} personne{'s' if places.waiting > 1 else ''}"
            " en attente)")


def _posted_place_form(event: Event, slot_id: int, kind: str) -> WorkshopPlaceForm:
    """The posted form, validated against every workshop of the slot: one that became
    full (or free) meanwhile gets the service's message, not « choose an option »."""
    form = WorkshopPlaceForm(prefix=f"{kind}-{slot_id}")
    form.workshop.choices = [(str(w.id), w.label) for s in event.workshop_sessions
                             if s.id == slot_id for w in s.workshops]
    return form


@bp.post("/r/<token>/ateliers/<int:slot_id>/prendre")
def take_workshop_place(token: str, slot_id: int):
    """Take a place left in a workshop of a published slot, first come, first served."""
    return _workshop_place_action(
        token, slot_id, "prendre",
        lambda registration, workshop_id: operations.take_workshop_place(
            registration, slot_id, workshop_id, base_url=public_base_url()),
        after_publication.NoPlaceLeft,
        lambda workshop: (f"C’est noté\u202f: vous avez une place dans l’atelier n°\u00a0"
                          f"{workshop.number}. Un e-mail de confirmation vous est envoyé."))


@bp.post("/r/<token>/ateliers/<int:slot_id>/attendre")
def join_workshop_waitlist(token: str, slot_id: int):
    """Wait for a place in a full workshop of a published slot."""
    return _workshop_place_action(
        token, slot_id, "attendre",
        lambda registration, workshop_id: operations.join_workshop_waitlist(
            registration, slot_id, workshop_id),
        after_publication.PlaceLeft,
        lambda workshop: (f"Vous êtes sur la liste d’attente de l’atelier n°\u00a0"
                          f"{workshop.number}\u202f: si une place s’y libère, elle vous sera "
                          "donnée et vous serez prévenu·e par e-mail."))


def _workshop_place_action(token: str, slot_id: int, kind: str, act, changed_meanwhile,
                           done):
    """What taking a place and joining a workshop's waiting list share: nothing once the
    day is over; the posted workshop checked; a workshop that filled (or freed) meanwhile
    (*changed_meanwhile*) explained in the form; *act* then *done* (the message)."""
    registration, event = _registration_or_404(token)
    if today_in(event.timezone) > event.ends_on:
        flash("La journée est passée\u202f: les ateliers ne peuvent plus changer.", "error")
        return redirect(url_for(".self_service", token=token))
    form = _posted_place_form(event, slot_id, kind)
    if form.validate_on_submit():
        try:
            workshop = act(registration, as_id(form.workshop.data))
        except after_publication.NotOffered as refused:
            db.session.rollback()
            flash(str(refused), "error")
            return redirect(url_for(".self_service", token=token))
        except changed_meanwhile as refused:
            db.session.rollback()
            form.workshop.errors.append(str(refused))
        else:
            db.session.commit()
            flash(done(workshop), "success")
            return redirect(url_for(".self_service", token=token,
                                    _anchor=f"mon-atelier-{slot_id}"))
    registration, event = _registration_or_404(token)
    return _self_service_page(registration, event, (slot_id, kind, form))


@bp.post("/r/<token>/ateliers/<int:slot_id>/ne-plus-attendre")
def leave_workshop_waitlist(token: str, slot_id: int):
    registration, _ = _registration_or_404(token)
    workshop = operations.leave_workshop_waitlist(registration, slot_id)
    db.session.commit()
    if workshop is not None:
        flash(f"Vous n’êtes plus sur la liste d’attente de l’atelier n° "
              f"{workshop.number}.", "success")
    return redirect(url_for(".self_service", token=token, _anchor=f"mon-atelier-{slot_id}"))


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
    frozen = services.published_slots(event.id)
    problems = []
    if request.method == "POST":
        form = build_form(event, editing=True)
        # Once a slot's assignment is published, its choices no longer count: a request
        # changing them (a page opened before the publication) saves nothing.
        problems = [_frozen_refusal(event, legend)
                    for legend in keep_frozen_choices(form, registration, frozen)]
    else:
        form = build_form(event, editing=True, data=initial_data(registration))
    form.email.description = ("Une nouvelle adresse remplace l’actuelle une fois confirmée "
                              "depuis l’e-mail que nous y envoyons.")
    if form.validate_on_submit() and not problems:
        details = form.details()
        # A new address takes effect once confirmed from the link sent to it.
        new_address = details["email"] if details["email"] != registration.email else None
        details["email"] = registration.email
        error = operations.change(registration, form, details, base_url=public_base_url())
        if error is None:
            message = "Vos modifications sont enregistrées."
            if new_address:
                # The same answer whether or not the address is taken: see the e-mails.
                queue_address_change(registration, new_address)
                message += (f" Un e-mail a été envoyé à {new_address} pour confirmer la "
                            "nouvelle adresse\u202f: elle remplacera l’actuelle dès que vous "
                            "aurez ouvert le lien qu’il contient.")
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".self_service", token=token))
        field, message = error
        field.errors.append(message)
        registration, event = _registration_or_404(token)
        places = services.workshop_places_left(event)
    current = {c.workshop_id for c in registration.choices if c.rank == 1}
    return render_template(
        "registration/edit.html", event=event, form=form, registration=registration,
        places=places, current=current, purge_date=purge_date(event), problems=problems,
        frozen=frozen, assigned=services.attendee_workshops(registration),
        workshops={w.id: w for s in event.workshop_sessions for w in s.workshops})


def _frozen_refusal(event: Event, legend: str) -> str:
    message = (f"Ateliers «\u00a0{legend}\u00a0»\u202f: la répartition est publiée, vos "
               "choix ne peuvent plus être modifiés. Rien n’a été enregistré.")
    if event.contact_email:
        message += (" Pour demander un changement d’atelier, écrivez à l’équipe "
                    f"organisatrice\u202f: {event.contact_email}.")
    return message


@bp.route("/r/<token>/annuler", methods=["GET", "POST"])
def cancel(token: str):
    registration, event = _registration_or_404(token)
    if not can_cancel(event, registration, today_in(event.timezone)):
        flash("Cette inscription ne peut plus être annulée en ligne.", "error")
        return redirect(url_for(".self_service", token=token))
    if request.method == "POST":
        operations.cancel_registration(registration, base_url=public_base_url())
        db.session.commit()
        flash("Votre inscription est annulée. Merci de nous avoir prévenus\u202f: votre place "
              "peut revenir à quelqu’un d’autre.", "success")
        return redirect(url_for(".self_service", token=token))
    return render_template("registration/cancel.html", event=event,
                           registration=registration)


@bp.route("/r/adresse/<change>", methods=["GET", "POST"])
def confirm_address(change: str):
    """The link sent to a new address: confirm it (a POST, so that a mail scanner
    opening the link changes nothing)."""
    found = change_for_token(change)
    if found is None:
        return _invalid_address_link()
    registration, address = found
    event = registration.event
    if request.method == "POST":
        registration.email = address
        try:
            db.session.commit()
        except IntegrityError:  # registered meanwhile by someone else
            db.session.rollback()
            return _invalid_address_link()
        flash(f"Votre nouvelle adresse e-mail est confirmée\u202f: {address}.", "success")
        return redirect(url_for(".self_service", token=registration.token))
    return render_template("registration/address_confirm.html", event=event, address=address)


def _invalid_address_link():
    return render_template("registration/address_invalid.html",
                           hours=MAX_AGE_SECONDS // 3600), 404


@bp.get("/r/<token>/donnees.json")
def export_data(token: str):
    """The person's own data, as the organisers would export it for them."""
    registration, event = _registration_or_404(token)
    body = json.dumps(personal_data.person_data(registration), ensure_ascii=False, indent=2)
    return private_download(body, f"mes-donnees-{event.slug}.json", "application/json")


@bp.route("/r/<token>/supprimer", methods=["GET", "POST"])
def erase(token: str):
    """Erase one's own registration for good, as the organisers do on request."""
    registration, event = _registration_or_404(token)
    if request.method == "GET":
        return render_template("registration/erase.html", event=event,
                               registration=registration,
                               kept=personal_data.KEPT_AFTER_ERASURE)
    operations.erase([registration], base_url=public_base_url())
    db.session.commit()
    return redirect(url_for(".erased", slug=event.slug))


@bp.get("/e/<slug>/donnees-supprimees")
def erased(slug: str):
    event = visible_event_or_404(slug, load=event_alone)
    return render_template("registration/erased.html", event=event,
                           kept=personal_data.KEPT_AFTER_ERASURE)


@bp.get("/r/<token>/calendar.ics")
def calendar(token: str):
    registration, event = _registration_or_404(token)
    data = build_attendee_ics(event, public_base_url(),
                              assigned_workshops=services.attendee_workshops(registration),
                              sequence=registration.calendar_sequence)
    return private_download(data, f"{event.slug}.ics", "text/calendar; charset=utf-8")
