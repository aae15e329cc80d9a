"""All the registrations of an event as a spreadsheet for its organisers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..documents.xlsx import DATETIME, NUMBER, Column, build_table_xlsx
from ..extensions import db
from ..formatting import NBSP, format_dates
from ..programme.models import Event, Workshop, WorkshopMode
from .forms import slot_legend
from .models import (
    PROFILE_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    Assignment,
    Registration,
    RegistrationStatus,
    WorkshopChoice,
)

YES, NO = "Oui", "Non"


def registrations_for_export(event: Event) -> list[Registration]:
    """Every registration of the event with its choices and their workshops: two queries
    for the choices, whatever the number of people."""
    return list(db.session.scalars(
        select(Registration).where(Registration.event_id == event.id)
        .options(selectinload(Registration.choices).selectinload(WorkshopChoice.workshop))
        .order_by(Registration.created_at, Registration.id)))


def placed_workshops(event: Event, registrations: Sequence[Registration]
                     ) -> dict[tuple[int, int], Workshop]:
    """The workshop each confirmed person has per slot, by ``(registration id, slot id)``:
    their first choice when places go first come, first served, else their assignment
    (published or not: the organisers see their draft too). One query at most."""
    workshops = {w.id: w for slot in event.workshop_sessions for w in slot.workshops}
    confirmed = {r.id: r for r in registrations if r.status == RegistrationStatus.CONFIRMED}
    if event.workshop_mode == WorkshopMode.FIRST_COME:
        return {(r.id, c.session_id): workshops[c.workshop_id] for r in confirmed.values()
                for c in r.choices if c.rank == 1 and c.workshop_id in workshops}
    rows = db.session.execute(
        select(Assignment.registration_id, Assignment.session_id, Assignment.workshop_id)
        .join(Registration, Registration.id == Assignment.registration_id)
        .where(Registration.event_id == event.id))
    return {(registration_id, slot_id): workshops[workshop_id]
            for registration_id, slot_id, workshop_id in rows
            if registration_id in confirmed and workshop_id in workshops}


def build_registrations_xlsx(event: Event, registrations: Sequence[Registration]) -> bytes:
    """One row per registration with every field an organiser needs, cancelled ones
    included (their status says so): their choices, the workshop they have in each slot,
    whether they came, and how the registration was entered. Never the accommodation
    needs: health data, read on the « Besoins d’aménagement » page only, since a file
    kept on someone's disk would outlive their erasure after the day."""
    slots = [session for session in event.workshop_sessions if session.workshops]
    asked = _asked_questions(event, registrations)
    columns = [Column("Statut"), Column("Prénom"), Column("Nom"), Column("E-mail"),
               Column("Téléphone"), Column("Établissement"), Column("Fonction"),
               Column("Profil"), Column("Formation"), Column("Année", NUMBER),
               Column("Secteur")]
    if asked["lunch"]:
        columns.append(Column("Repas"))
    if asked["photos"]:
        columns.append(Column("Accord photos"))
    if asked["future_events"]:
        columns.append(Column("Informé·e des prochaines journées"))
    columns += [Column(f"Ateliers – {slot_legend(event, slot)}", width=30) for slot in slots]
    columns += [Column(f"Atelier attribué – {slot_legend(event, slot)}", width=30)
                for slot in slots]
    columns += [Column("Présence"), Column("Arrivée notée le", DATETIME),
                Column("Source"), Column("Saisie par"), Column("Inscrit·e le", DATETIME),
                Column("Annulée le", DATETIME)]
    placed = placed_workshops(event, registrations)

    local = ZoneInfo(event.timezone or "Europe/Paris")
    slot_ids = [slot.id for slot in slots]

    def row(registration: Registration) -> list:
        values = [STATUS_LABELS[registration.status], registration.first_name,
                  registration.last_name, registration.email, registration.phone,
                  registration.organisation, registration.function,
                  PROFILE_LABELS[registration.profile], registration.course,
                  registration.course_year, registration.sector]
        if asked["lunch"]:
            values.append(_yes_no(registration.lunch))
        if asked["photos"]:
            values.append(_yes_no(registration.consent_photos))
        if asked["future_events"]:
            values.append(_yes_no(registration.consent_future_events))
        values += _choices(registration, slot_ids)
        values += [_workshop(placed.get((registration.id, slot_id))) for slot_id in slot_ids]
        values += [_presence(registration), _local(registration.checked_in_at, local),
                   SOURCE_LABELS[registration.source], registration.entered_by,
                   _local(registration.created_at, local),
                   _local(registration.cancelled_at, local)]
        return values

    title = [event.title, f"Inscriptions – {_dates(event)} – "
                          f"{len(registrations)}{NBSP}inscription"
                          f"{'s' if len(registrations) > 1 else ''}"]
    return build_table_xlsx("Inscriptions", columns, map(row, registrations), title)


def _asked_questions(event: Event, registrations: Sequence[Registration]) -> dict[str, bool]:
    """The optional questions whose column is useful: those the event asks, and those
    some registration answered before the question was turned off."""
    return {
        "lunch": event.ask_lunch or any(r.lunch is not None for r in registrations),
        "photos": event.ask_photo_consent or any(r.consent_photos for r in registrations),
        "future_events": event.ask_future_events
        or any(r.consent_future_events for r in registrations),
    }


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else (YES if value else NO)


def _choices(registration: Registration, slot_ids: list[int]) -> list[str]:
    """« 1. Atelier n° 3 ; 2. Atelier n° 1 » per slot (choices come ordered by slot, rank)."""
    by_slot: dict[int, list[str]] = {slot_id: [] for slot_id in slot_ids}
    for choice in registration.choices:
        ranked = by_slot.get(choice.session_id)
        if ranked is not None:
            ranked.append(f"{choice.rank}. Atelier n°{NBSP}{choice.workshop.number}")
    return [" ; ".join(by_slot[slot_id]) for slot_id in slot_ids]


def _workshop(workshop: Workshop | None) -> str | None:
    return None if workshop is None else f"Atelier n°{NBSP}{workshop.number} – {workshop.title}"


def _presence(registration: Registration) -> str | None:
    """« Présent·e » once marked at the door; « Absent·e » is not known before the day
    ends, so a confirmed person not marked is « Non pointé·e »."""
    if registration.checked_in_at is not None:
        return "Présent·e"
    if registration.status == RegistrationStatus.CONFIRMED:
        return "Non pointé·e"
    return None


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """A stored naive UTC time as the event's local wall-clock time (Excel has no zones)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=timezone.utc).astimezone(zone).replace(tzinfo=None)


def _dates(event: Event) -> str:
    return format_dates(event.starts_on, event.ends_on)


def download_name(event: Event) -> str:
    return f"inscriptions-{event.slug}.xlsx"
