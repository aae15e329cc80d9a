"""Signed sign-in sheets: the day's and each workshop's sheet with every signature image,
its time or the attested presence, and a seal.

The seal is the SHA-256 of a canonical serialisation of what the sheet says (names,
half-days, times, the SHA-256 of each image, attested presences), not of the PDF bytes:
the same records always give the same seal, which :func:`seal_matches` recomputes. Each
generation writes the seal to the audit log with the sheet it belongs to, so a later
change to a record is detectable. The caller commits.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

from sqlalchemy import select

from ...audit.log import record
from ...documents.signin_pdf import CellSignature, SigninSheet, build_signin_sheet
from ...extensions import db
from ...formatting import NBSP, format_time
from ...programme.models import Event, Workshop
from ..models import HalfDaySignature
from ..roster import confirmed_attendees, workshop_members
from . import half_day_signatures as signing
from .signin import day_sheet, half_days, workshop_sheet

SYSTEM = "Journée (document produit)"
"""The actor of a sheet generated with nobody named (an evidence pack)."""


def _cell(event: Event, found: HalfDaySignature | None) -> CellSignature | None:
    if found is None:
        return None
    signed_at = signing.local_now(event, found.signed_at)
    time = format_time(signed_at)
    if found.is_attested and found.attested_late:
        # Dated in full, so that an auditor sees it was not taken live.
        return CellSignature(attested=f"Présence attestée par {found.attested_by} "
                                      f"(après coup, {signing.at_moment(signed_at)})")
    if found.is_attested:
        # Not the reason staff typed (it may say something of the person's health).
        return CellSignature(time=time, attested=f"Présence attestée par {found.attested_by}"
                                                 f" — {signing.DEFAULT_REASON}")
    return CellSignature(time=time, image=found.image, prepared=found.print_image)


def _records(event: Event) -> list[HalfDaySignature]:
    return list(db.session.scalars(select(HalfDaySignature).filter_by(event_id=event.id)))


def signed_day_sheet(event: Event) -> SigninSheet:
    """The day's sheet with each attendee's signature per half-day, and its seal."""
    attendees = confirmed_attendees(event)
    starts = [half.key for half in half_days(event)]
    by_key = {(r.registration_id, r.half_day_start): r for r in _records(event)
              if r.registration_id is not None}
    sheet = day_sheet(event, attendees, blank_rows=0)
    rows = [replace(row, signatures=tuple(_cell(event, by_key.get((person.id, start)))
                                          for start in starts))
            for row, person in zip(sheet.rows, attendees)]
    sheet = replace(sheet, rows=rows)
    return replace(sheet, seal=sheet_seal(sheet))


def signed_workshop_sheet(workshop: Workshop) -> SigninSheet:
    """A workshop's sheet with its members' and facilitators' signatures for the
    half-day of its slot, and its seal."""
    event = workshop.session.event
    members = workshop_members(workshop)
    half = signing.half_day_of(event, workshop.session.starts_at)
    start = half.key if half else None
    records = _records(event) if half else []
    by_member = {r.registration_id: r for r in records
                 if r.half_day_start == start and r.registration_id is not None}
    by_person = {r.person_id: r for r in records
                 if r.half_day_start == start and r.person_id is not None}
    sheet = workshop_sheet(workshop, members, blank_rows=0)
    rows = [replace(row, signatures=(_cell(event, by_member.get(person.id)),))
            for row, person in zip(sheet.rows, members)]
    facilitators = sorted(workshop.facilitators, key=lambda p: p.position)
    sheet = replace(sheet, rows=rows, facilitator_signatures=tuple(
        _cell(event, by_person.get(p.person_id)) for p in facilitators))
    return replace(sheet, seal=sheet_seal(sheet))


def canonical_content(sheet: SigninSheet) -> bytes:
    """What the sheet says, as canonical JSON (sorted keys, no spaces, UTF-8)."""
    def cell(signature: CellSignature | None):
        if signature is None:
            return None
        return {"heure": signature.time, "attestation": signature.attested,
                "image_sha256": hashlib.sha256(signature.image).hexdigest()
                if signature.image else None}

    content = {
        "journee": sheet.event_title, "edition": sheet.edition, "dates": sheet.dates,
        "horaires": sheet.hours, "lieu": sheet.place, "organisation": sheet.organiser,
        "atelier": sheet.workshop, "salle": sheet.room,
        "colonnes": [[c.label, c.hours, c.day] for c in sheet.columns],
        "lignes": [[r.last_name, r.first_name, r.organisation,
                    [cell(s) for s in r.signatures]] for r in sheet.rows],
        "animation": [[name, cell(s)] for name, s in zip(
            sheet.facilitators, list(sheet.facilitator_signatures)
            + [None] * (len(sheet.facilitators) - len(sheet.facilitator_signatures)))],
    }
    return json.dumps(content, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def sheet_seal(sheet: SigninSheet) -> str:
    return hashlib.sha256(canonical_content(replace(sheet, seal=""))).hexdigest()


def seal_matches(sheet: SigninSheet, seal: str) -> bool:
    """Whether ``seal`` (from a printed sheet or the audit log) is that of ``sheet`` as
    the records now give it."""
    return sheet_seal(sheet) == seal.strip().lower()


def day_sheet_name() -> str:
    return "Feuille d’émargement signée de la journée"


def workshop_sheet_name(workshop: Workshop) -> str:
    return f"Feuille d’émargement signée de l’atelier n°{NBSP}{workshop.number}"


def _log_seal(event: Event, sheet: SigninSheet, name: str, actor: str,
              workshop: Workshop | None = None) -> None:
    record("signin.seal", actor=actor, event=event, workshop=workshop,
           target=f"{name} — SHA-256 {sheet.seal}", rows=len(sheet.rows))


def signed_day_sheet_pdf(event: Event, actor: str = SYSTEM) -> bytes:
    """The signed day sheet as PDF bytes; its seal goes to the audit log."""
    sheet = signed_day_sheet(event)
    _log_seal(event, sheet, day_sheet_name(), actor)
    return build_signin_sheet(sheet)


def signed_workshop_sheet_pdf(workshop: Workshop, actor: str = SYSTEM) -> bytes:
    """A workshop's signed sheet as PDF bytes; its seal goes to the audit log."""
    sheet = signed_workshop_sheet(workshop)
    _log_seal(workshop.session.event, sheet, workshop_sheet_name(workshop), actor, workshop)
    return build_signin_sheet(sheet)
