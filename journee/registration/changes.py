"""Saving an edited registration, for the attendee's own page and the organisers' one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from . import services
from .models import Profile, Registration

ALREADY_REGISTERED = "Cette adresse e-mail est déjà inscrite à cette journée."


def save_changes(registration: Registration, form, details: dict):
    """Apply the edited details and choices; on a refusal, return ``(field, message)``
    with nothing written. ``details`` are the form's values (e-mail may be ``None`` when
    staff edit someone without one)."""
    if details["email"] is not None and details["email"] != registration.email:
        taken = db.session.scalar(
            select(Registration.id).where(Registration.event_id == registration.event_id,
                                          Registration.email == details["email"],
                                          Registration.id != registration.id))
        if taken is not None:
            return form.email, ALREADY_REGISTERED
    details["profile"] = Profile(details["profile"])
    for name, value in details.items():
        setattr(registration, name, value)
    try:
        services.update_choices(registration, form.workshop_choices())
        db.session.flush()
    except (services.WorkshopFull, services.InvalidChoice) as refused:
        return form.field_for(refused.session_id, refused.workshop_id), str(refused)
    except IntegrityError:
        db.session.rollback()
        return form.email, ALREADY_REGISTERED
    return None
