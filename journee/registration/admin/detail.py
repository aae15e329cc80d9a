"""One registration, as the organiser sees it: details, edits, cancel, restore, promote;
and the assisted registration, entered by staff for someone who has no e-mail or computer.

The forms are the public form (:func:`forms.build_form`) with three staff changes: the
e-mail is optional, the privacy acknowledgement says that the person was informed, and
there is no honeypot. Deadlines do not apply to staff (:func:`services.register` checks
them only for online registrations).
"""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.validators import DataRequired, Optional

from ...audit.log import actor_for_user, record
from ...extensions import db
from ...programme.loaders import event_or_404
from ...programme.models import Event
from ...typography import of_name
from ...util.clock import today_in
from ...web.urls import public_base_url
from .. import operations, services
from ..emails import KIND_LABELS, messages_of, slot_choices
from ..forms import build_form, initial_data
from ..listing import local_time
from ..loaders import registration_or_404
from ..models import Registration, RegistrationStatus, Source
from ..privacy import INFORMED, PRIVACY_VERSION
from . import bp

ALREADY_REGISTERED = ("Cette adresse e-mail est déjà inscrite à cette journée\u202f: "
                      "cherchez-la dans la liste des inscriptions.")


def staff_form(event: Event, editing: bool = False, **kwargs):
    """The public registration form, adapted for staff (see the module's docstring)."""
    form = build_form(event, editing=editing, **kwargs)
    if "website" in form:
        del form["website"]
    # Fields share their validator lists with the class: replace them, never mutate.
    form.email.validators = [Optional()] + [v for v in form.email.validators
                                            if not isinstance(v, DataRequired)]
    form.email.flags.required = False
    form.email.label.text = "Adresse e-mail (facultatif)"
    form.email.description = ("Si la personne en a une\u202f: elle y recevra la confirmation "
                              "et le lien pour modifier ou annuler son inscription.")
    if "privacy" in form:
        form.privacy.label.text = INFORMED
        form.privacy.validators = [DataRequired(
            "Cochez cette case après avoir informé la personne de la notice de "
            "confidentialité.")]
    return form


bp.add_app_template_global(of_name, "of_name")


def staff_name() -> str:
    return current_user.name or current_user.email


def _details(form) -> dict:
    details = form.details()
    # No address is NULL, never "": the unique (event, e-mail) pair ignores NULLs.
    details["email"] = details["email"] or None
    return details


def _back(event: Event, registration: Registration):
    return redirect(url_for(".registration", event_id=event.id,
                            registration_id=registration.id))


@bp.get("/journees/<int:event_id>/inscriptions/<int:registration_id>/")
def registration(event_id: int, registration_id: int):
    event = event_or_404(event_id)
    registration = registration_or_404(event, registration_id)
    html = render_template(
        "admin/registrations/detail.html", event=event, registration=registration,
        position=services.waitlist_position(registration),
        places_left=services.places_left(event), slots=slot_choices(registration),
        messages=messages_of(registration), kind_labels=KIND_LABELS,
        Status=RegistrationStatus, Source=Source, local_time=local_time)
    record("organiser.view_registration", actor=actor_for_user(current_user),
           event=event, target=f"Inscription n°\u00a0{registration.id}")
    db.session.commit()
    return html


@bp.route("/journees/<int:event_id>/inscriptions/nouvelle", methods=["GET", "POST"])
def registration_new(event_id: int):
    event = event_or_404(event_id)
    form = staff_form(event)
    problems = []
    if form.validate_on_submit():
        attendee = services.Attendee(**_details(form), choices=form.workshop_choices(),
                                     privacy_version=PRIVACY_VERSION)
        try:
            registration = operations.register(event, attendee, today_in(event.timezone),
                                               base_url=public_base_url(), by=current_user)
        except services.AlreadyRegistered:
            form.email.errors.append(ALREADY_REGISTERED)
        except services.EventFull as full:
            problems.append(str(full))
        except (services.WorkshopFull, services.InvalidChoice) as refused:
            form.field_for(refused.session_id, refused.workshop_id).errors.append(str(refused))
        else:
            db.session.commit()
            flash(_registered_message(registration), "success")
            return _back(event, registration)
    return render_template("admin/registrations/form.html", event=event, form=form,
                           registration=None, problems=problems,
                           places=services.workshop_places_left(event))


def _registered_message(registration: Registration) -> str:
    state = ("sur la liste d’attente" if registration.status == RegistrationStatus.WAITLISTED
             else "inscrit·e")
    mail = (" Un e-mail de confirmation lui est envoyé." if registration.email
            else " Sans adresse e-mail, aucun message ne lui est envoyé.")
    return f"{registration.full_name} est {state}.{mail}"


@bp.route("/journees/<int:event_id>/inscriptions/<int:registration_id>/modifier",
          methods=["GET", "POST"])
def registration_edit(event_id: int, registration_id: int):
    """Staff may edit after the deadline, and a cancelled registration too."""
    event = event_or_404(event_id)
    registration = registration_or_404(event, registration_id)
    if request.method == "POST":
        form = staff_form(event, editing=True)
    else:
        form = staff_form(event, editing=True, data=initial_data(registration))
    if form.validate_on_submit():
        error = operations.change(registration, form, _details(form),
                                  base_url=public_base_url(), by=current_user)
        if error is None:
            db.session.commit()
            flash(f"Les modifications de l’inscription {of_name(registration.full_name)} sont "
                  "enregistrées.", "success")
            return _back(event, registration)
        field, message = error
        field.errors.append(message)
        event = event_or_404(event_id)
        registration = registration_or_404(event, registration_id)
    return render_template("admin/registrations/form.html", event=event, form=form,
                           registration=registration, problems=[],
                           places=services.workshop_places_left(event),
                           current={c.workshop_id for c in registration.choices
                                    if c.rank == 1})


@bp.post("/journees/<int:event_id>/inscriptions/<int:registration_id>/annuler")
def registration_cancel(event_id: int, registration_id: int):
    """Cancel; the first person waiting takes the place and is told by e-mail."""
    event = event_or_404(event_id)
    registration = registration_or_404(event, registration_id)
    if registration.status == RegistrationStatus.CANCELLED:
        flash("Cette inscription était déjà annulée.", "info")
        return _back(event, registration)
    promoted = operations.cancel_registration(registration, base_url=public_base_url(),
                                              by=current_user)
    db.session.commit()
    message = f"L’inscription {of_name(registration.full_name)} est annulée."
    if promoted is not None:
        told = (" et en est prévenu·e par e-mail." if promoted.email else
                "\u202f; sans adresse e-mail, cette personne doit être prévenue directement.")
        message += (f" {promoted.full_name}, en tête de la liste d’attente, prend la place "
                    f"libérée{told}")
    flash(message, "success")
    return _back(event, registration)


@bp.post("/journees/<int:event_id>/inscriptions/<int:registration_id>/retablir")
def registration_restore(event_id: int, registration_id: int):
    """Undo a cancellation: confirmed if a place is free, else back on the waiting list
    at the person's original rank. The person gets the confirmation e-mail again."""
    event = event_or_404(event_id)
    registration = registration_or_404(event, registration_id)
    try:
        operations.restore(registration, base_url=public_base_url(), by=current_user)
    except (services.EventFull, services.NotCancelled) as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return _back(event, registration)
    db.session.commit()
    state = ("confirmée" if registration.status == RegistrationStatus.CONFIRMED
             else "rétablie sur la liste d’attente, faute de place libre")
    flash(f"L’inscription {of_name(registration.full_name)} est {state}.", "success")
    return _back(event, registration)


@bp.post("/journees/<int:event_id>/inscriptions/<int:registration_id>/confirmer")
def registration_promote(event_id: int, registration_id: int):
    """Confirm a waitlisted person out of turn; only when a place is free (the capacity
    is the room's: to go beyond it, raise the event's capacity first)."""
    event = event_or_404(event_id)
    registration = registration_or_404(event, registration_id)
    try:
        operations.promote(registration, base_url=public_base_url(), by=current_user)
    except (services.EventFull, services.NotWaitlisted) as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return _back(event, registration)
    db.session.commit()
    flash(f"La place {of_name(registration.full_name)} est confirmée"
          + (" et la personne en est prévenue par e-mail." if registration.email else "."),
          "success")
    return _back(event, registration)
