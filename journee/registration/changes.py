"""Saving an edited registration, for the attendee's own page and the organisers' one,
and telling what it changed, for the confirmation e-mail."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..formatting import NBSP
from . import services
from .emails import slot_choices, summary_rows
from .models import Profile, Registration

ALREADY_REGISTERED = "Cette adresse e-mail est déjà inscrite à cette journée."

HIDDEN = None
"""The value of a row whose content no e-mail repeats (the accommodation needs)."""
_ACCOMMODATION = "Besoins d’aménagement"


@dataclass(frozen=True)
class Changed:
    """One thing a change altered, as the confirmation says it: « Structure : A → B »."""
    label: str
    old: str | None
    new: str | None


def snapshot(registration: Registration) -> dict[str, str | None]:
    """What the person can change, by French label, as their e-mails show it: the
    summary rows, the consents, the workshop choices per slot; the accommodation needs
    only as ``HIDDEN``, compared but never written out."""
    rows: dict[str, str | None] = dict(summary_rows(registration))
    rows["Accord pour les photos"] = "oui" if registration.consent_photos else "non"
    rows["Informations sur les prochaines journées"] = (
        "oui" if registration.consent_future_events else "non")
    for slot in slot_choices(registration):
        rows[f"{slot.session.display_title} ({slot.when})"] = f"{NBSP}; ".join(
            f"{choice.rank}. {choice.workshop.label}" if len(slot.choices) > 1
            else choice.workshop.label for choice in slot.choices)
    rows[_ACCOMMODATION] = HIDDEN
    return rows


def accommodation_key(registration: Registration) -> tuple:
    return (registration.accommodation_needed, registration.accommodation_details)


def differences(before: dict[str, str | None], after: dict[str, str | None],
                accommodation_changed: bool) -> list[Changed]:
    """The rows that differ, in the order of *after* (then those that went)."""
    changed = []
    for label in [*after, *(label for label in before if label not in after)]:
        if label == _ACCOMMODATION:
            if accommodation_changed:
                changed.append(Changed(label, HIDDEN, HIDDEN))
        elif before.get(label) != after.get(label):
            changed.append(Changed(label, before.get(label) or "", after.get(label) or ""))
    return changed


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
    if details.get("accommodation_consent_at") and registration.accommodation_consent_at:
        # Still consented: the time kept is when the consent was first given.
        details["accommodation_consent_at"] = registration.accommodation_consent_at
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
