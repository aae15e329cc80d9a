"""One person's data: everything we hold, as JSON on request; erasure everywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, or_, select

from ..extensions import db
from ..mail import delete_files
from ..mail_models import OutboxMessage, OutboxStatus
from ..programme.models import Event
from ..registration import services
from ..registration.models import Registration, RegistrationStatus, WorkshopChoice
from ..workshops.models import Assignment

#: What is kept after an erasure, said to the organiser (and so to the person).
KEPT_AFTER_ERASURE = (
    "Une ligne du journal d’accès indique qu’une inscription (son numéro seulement) a été "
    "effacée, quand et par qui : elle prouve que la demande a été traitée et ne contient "
    "aucune donnée sur la personne. Les chiffres globaux de la journée ne comptent plus "
    "cette inscription.")


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def person_data(registration: Registration) -> dict:
    """Everything held about the person through this registration (right of access)."""
    event = registration.event
    choices = db.session.scalars(select(WorkshopChoice).filter_by(
        registration_id=registration.id).order_by(WorkshopChoice.session_id,
                                                  WorkshopChoice.rank)).all()
    assignments = db.session.scalars(select(Assignment).filter_by(
        registration_id=registration.id)).all()
    messages = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.registration_id == registration.id).order_by(OutboxMessage.id)).all()
    return {
        "journee": {"titre": event.title, "date": _iso(event.starts_on),
                    "organisateur": event.host_organisation},
        "inscription": {
            "numero": registration.id,
            "statut": registration.status_label,
            "prenom": registration.first_name, "nom": registration.last_name,
            "email": registration.email, "telephone": registration.phone,
            "etablissement": registration.organisation, "fonction": registration.function,
            "profil": registration.profile_label, "formation": registration.course,
            "annee_de_formation": registration.course_year, "secteur": registration.sector,
            "dejeuner": registration.lunch,
            "besoin_d_amenagement": registration.accommodation_needed,
            "precisions_amenagement": registration.accommodation_details,
            "information_donnees_lue_le": _iso(registration.privacy_acknowledged_at),
            "version_de_l_information": registration.privacy_version,
            "accord_photos": registration.consent_photos,
            "accord_prochaines_journees": registration.consent_future_events,
            "saisie": registration.source.value, "saisie_par": registration.entered_by,
            "creee_le": _iso(registration.created_at),
            "modifiee_le": _iso(registration.updated_at),
            "annulee_le": _iso(registration.cancelled_at),
            "presence_notee_le": _iso(registration.checked_in_at),
            "badge_imprime_le": _iso(registration.badge_printed_at),
            "attestation_envoyee_le": _iso(registration.certificate_sent_at),
        },
        "choix_d_ateliers": [
            {"creneau": choice.session.display_title, "rang": choice.rank,
             "atelier": choice.workshop.label} for choice in choices],
        "ateliers_attribues": [
            {"creneau": a.session.display_title, "atelier": a.workshop.label,
             "place_par": a.source_label} for a in assignments],
        "e_mails": [
            {"objet": m.subject, "type": m.kind, "a": m.to_address,
             "cree_le": _iso(m.created_at), "envoye_le": _iso(m.sent_at),
             "etat": m.status.value} for m in messages],
    }


@dataclass
class Erasure:
    registrations: int = 0
    messages: int = 0
    promoted: list[Registration] = field(default_factory=list)


def same_person(registration: Registration, events: list[Event]) -> list[Registration]:
    """This registration and the ones with the same e-mail in the given events."""
    found = [registration]
    if registration.email:
        found += db.session.scalars(select(Registration).where(
            Registration.email == registration.email, Registration.id != registration.id,
            Registration.event_id.in_([e.id for e in events]))
            .order_by(Registration.created_at)).all()
    return found


def erase(registrations: list[Registration]) -> Erasure:
    """Delete these registrations and everything attached (choices, placements, presence,
    e-mails, and the files the file backend wrote for them). A confirmed place is first
    released to the waiting list, as a cancellation would. The caller records the
    erasure in the audit log and commits."""
    result = Erasure()
    addresses = {r.email for r in registrations if r.email}
    ids = [r.id for r in registrations]
    for registration in registrations:
        if registration.status == RegistrationStatus.CONFIRMED:
            promoted = services.cancel(registration)
            if promoted is not None:
                result.promoted.append(promoted)
    conditions = [OutboxMessage.registration_id.in_(ids)]
    if addresses:
        # Messages about the registration sent without a link to it (e.g. a resent
        # self-service link); pending messages of other kinds are left to be sent.
        conditions.append(OutboxMessage.to_address.in_(addresses)
                          & (OutboxMessage.status != OutboxStatus.PENDING)
                          & OutboxMessage.registration_id.is_(None))
    message_ids = list(db.session.scalars(select(OutboxMessage.id).where(or_(*conditions))))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(message_ids))
                       .execution_options(synchronize_session=False))
    result.messages = len(message_ids)
    db.session.execute(delete(Assignment).where(Assignment.registration_id.in_(ids))
                       .execution_options(synchronize_session=False))
    for registration in registrations:  # the ORM deletes their choices with them
        db.session.delete(registration)
    result.registrations = len(registrations)
    db.session.flush()
    # Not undone if the transaction is: the person asked for everything to go.
    delete_files(message_ids)
    return result
