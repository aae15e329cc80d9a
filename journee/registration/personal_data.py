"""The registrations' personal data: what people tell us about themselves, exported on
request, erased on request, anonymised once the event's retention period is over (see
:mod:`journee.data_owners`)."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from sqlalchemy import and_, case, literal, or_, select, update

from ..data_owners import DataOwner, Erasure, PurgeRun, iso, register
from ..database import rowcount
from ..extensions import db
from ..mail_models import OutboxMessage, OutboxStatus
from ..mail_personal_data import purge_messages
from ..programme.models import SECTORS, Event
from . import services
from .forms import OTHER_SECTOR
from .models import Registration, RegistrationStatus, WorkshopChoice
from .privacy import accommodation_purge_date, purge_date

ANONYMOUS_FIRST_NAME = "Personne"
ANONYMOUS_LAST_NAME = "anonymisée"


def same_person(registration: Registration, events: list[Event]) -> list[Registration]:
    """This registration and the ones with the same e-mail in the given events."""
    found = [registration]
    if registration.email:
        found += db.session.scalars(select(Registration).where(
            Registration.email == registration.email, Registration.id != registration.id,
            Registration.event_id.in_([e.id for e in events]))
            .order_by(Registration.created_at)).all()
    return found


class RegistrationData(DataOwner):
    """A registration's answers: exported, erased with the registration (its place
    released first), the accommodation needs cleared ``accommodation_retention_days``
    after the event and the rest anonymised ``retention_days`` after it, with the
    e-mails about it."""

    name = "registration"
    columns = tuple(f"registration.{column}" for column in (
        "first_name", "last_name", "email", "phone", "organisation", "function", "sector",
        "accommodation_needed", "accommodation_details", "accommodation_consent_at",
        "entered_by"))
    purge_counts = (
        ("accommodation_cleared", "Besoins d’aménagement effacés"),
        ("registrations_anonymised", "Inscriptions anonymisées"),
    )

    def export(self, registration: Registration) -> dict:
        event = registration.event
        choices = db.session.scalars(select(WorkshopChoice).filter_by(
            registration_id=registration.id).order_by(WorkshopChoice.session_id,
                                                      WorkshopChoice.rank)).all()
        return {
            "journee": {"titre": event.title, "date": iso(event.starts_on),
                        "organisateur": event.host_organisation},
            "inscription": {
                "numero": registration.id,
                "statut": registration.status_label,
                "prenom": registration.first_name, "nom": registration.last_name,
                "email": registration.email, "telephone": registration.phone,
                "etablissement": registration.organisation,
                "fonction": registration.function,
                "profil": registration.profile_label, "formation": registration.course,
                "annee_de_formation": registration.course_year,
                "secteur": registration.sector,
                "dejeuner": registration.lunch,
                "besoin_d_amenagement": registration.accommodation_needed,
                "precisions_amenagement": registration.accommodation_details,
                "accord_transmission_amenagement_le": iso(registration.accommodation_consent_at),
                "information_donnees_lue_le": iso(registration.privacy_acknowledged_at),
                "version_de_l_information": registration.privacy_version,
                "accord_photos": registration.consent_photos,
                "accord_prochaines_journees": registration.consent_future_events,
                "saisie": registration.source.value, "saisie_par": registration.entered_by,
                "creee_le": iso(registration.created_at),
                "modifiee_le": iso(registration.updated_at),
                "annulee_le": iso(registration.cancelled_at),
            },
            "choix_d_ateliers": [
                {"creneau": choice.session.display_title, "rang": choice.rank,
                 "atelier": choice.workshop.label} for choice in choices],
        }

    def before_erase(self, erasure: Erasure) -> None:
        """Release the confirmed places as a cancellation would: the event is locked
        first, as for every change to its places, before any row goes."""
        for registration in erasure.subjects:
            if registration.status == RegistrationStatus.CONFIRMED:
                promoted = services.cancel(registration)
                if promoted is not None:
                    erasure.promoted.append(promoted)

    def erase(self, erasure: Erasure) -> None:
        """Delete the registrations (the ORM deletes their choices with them), after the
        owners that depend on this one."""
        for registration in erasure.subjects:
            db.session.delete(registration)
        erasure.registrations = len(erasure.subjects)
        db.session.flush()

    def purge_event(self, event_id: int, run: PurgeRun) -> None:
        event = db.session.get(Event, event_id)
        if accommodation_purge_date(event) < run.today:
            run.report.add("accommodation_cleared", _clear_accommodation(event_id))
        if purge_date(event) >= run.today:
            return
        # Before the addresses go: the messages sent to the registrants without a tie to
        # a registration (a link asked for from the form) go too, as erasure does.
        registrants = select(Registration.email).where(Registration.event_id == event_id,
                                                       Registration.email.is_not(None))
        purge_messages(run, or_(
            OutboxMessage.registration_id.in_(
                select(Registration.id).where(Registration.event_id == event_id)),
            and_(OutboxMessage.registration_id.is_(None),
                 OutboxMessage.facilitator_link_id.is_(None),
                 OutboxMessage.status != OutboxStatus.PENDING,
                 OutboxMessage.to_address.in_(registrants))))
        run.report.add("registrations_anonymised", _anonymise(event_id, run.now))


def _clear_accommodation(event_id: int) -> int:
    return rowcount(db.session.execute(
        update(Registration)
        .where(Registration.event_id == event_id,
               or_(Registration.accommodation_needed.is_(True),
                   Registration.accommodation_details.is_not(None),
                   Registration.accommodation_consent_at.is_not(None)))
        .values(accommodation_needed=False, accommodation_details=None,
                accommodation_consent_at=None)
        .execution_options(synchronize_session=False)))


def _anonymise(event_id: int, now: datetime) -> int:
    """Remove what names the person and every secret; keep what counts use."""
    return rowcount(db.session.execute(
        update(Registration)
        .where(Registration.event_id == event_id, Registration.anonymised_at.is_(None))
        .values(first_name=ANONYMOUS_FIRST_NAME, last_name=ANONYMOUS_LAST_NAME,
                email=None, phone=None, organisation=literal(""), function=literal(""),
                # Only the listed sectors count in aggregates; a typed one may name a
                # place or a person.
                sector=case((Registration.sector.in_(SECTORS), Registration.sector),
                            (Registration.sector == "", literal("")),
                            else_=literal(OTHER_SECTOR)),
                accommodation_needed=False, accommodation_details=None,
                accommodation_consent_at=None, entered_by=None, token_nonce=None, token_digest=None, anonymised_at=now)
        .execution_options(synchronize_session=False)))


def init_app(app: Flask) -> None:
    register(app, RegistrationData())
