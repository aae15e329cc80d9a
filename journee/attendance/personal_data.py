"""Presence's personal data: who checked a person in (each day), and the signed half-days (see
:mod:`journee.data_owners`).

The dates (present, badge printed, certificate sent) name nobody once the registration
is anonymised; they are exported with it and kept for the counts. Signature images and
attested presences name or show the person: they go with an erasure and with the event's
purge (the seal of a signed sheet stays in the audit log).
"""

from __future__ import annotations

import base64

from flask import Flask
from sqlalchemy import delete, or_, select, update

from ..data_owners import DataOwner, Erasure, PurgeRun, iso, register
from ..extensions import db
from ..programme.models import Event
from ..registration.models import Registration
from ..registration.privacy import purge_date
from .models import DoorCheckIn, HalfDaySignature


class AttendanceData(DataOwner):
    """Who checked the person in, the code their badge carries, and their half-day
    signatures: exported with the registration, erased with it, cleared when it is
    anonymised."""

    name = "attendance"
    depends_on = ("registration",)
    columns = ("registration.checked_in_by", "door_check_in.by", "half_day_signature.image",
               "half_day_signature.print_image",
               "half_day_signature.collected_by", "half_day_signature.attested_by",
               "half_day_signature.reason")
    purge_counts = (("half_day_signatures", "Signatures de demi-journées supprimées"),)

    def export(self, registration: Registration) -> dict:
        signatures = db.session.scalars(
            select(HalfDaySignature)
            .where(HalfDaySignature.registration_id == registration.id)
            .order_by(HalfDaySignature.half_day_start)).all()
        door = db.session.scalars(
            select(DoorCheckIn).where(DoorCheckIn.registration_id == registration.id)
            .order_by(DoorCheckIn.day)).all()
        return {"inscription": {
            "presence_notee_le": iso(registration.checked_in_at),
            "presences_a_l_accueil": [{"jour": iso(c.day), "notee_le": iso(c.at)}
                                      for c in door],
            "badge_imprime_le": iso(registration.badge_printed_at),
            "attestation_envoyee_le": iso(registration.certificate_sent_at),
            "certificat_realisation_envoye_le": iso(
                registration.completion_certificate_sent_at)},
            "emargement": [{
                "demi_journee_debut": iso(s.half_day_start), "signe_le": iso(s.signed_at),
                "recueilli_par": _collector(s.collected_by),
                "presence_attestee_par": s.attested_by,
                "motif": s.reason,
                "signature_png_base64": (base64.b64encode(s.image).decode("ascii")
                                         if s.image else None)} for s in signatures]}

    def erase(self, erasure: Erasure) -> None:
        db.session.execute(
            delete(DoorCheckIn)
            .where(DoorCheckIn.registration_id.in_([r.id for r in erasure.subjects]))
            .execution_options(synchronize_session=False))
        db.session.execute(
            delete(HalfDaySignature)
            .where(HalfDaySignature.registration_id.in_([r.id for r in erasure.subjects]))
            .execution_options(synchronize_session=False))

    def purge_event(self, event_id: int, run: PurgeRun) -> None:
        if purge_date(db.session.get(Event, event_id)) >= run.today:
            return
        db.session.execute(
            update(Registration)
            .where(Registration.event_id == event_id,
                   or_(Registration.checked_in_by.is_not(None),
                       Registration.badge_code.is_not(None)))
            .values(checked_in_by=None, badge_code=None)
            .execution_options(synchronize_session=False))
        db.session.execute(
            update(DoorCheckIn)
            .where(DoorCheckIn.by.is_not(None), DoorCheckIn.registration_id.in_(
                select(Registration.id).where(Registration.event_id == event_id)))
            .values(by=None)
            .execution_options(synchronize_session=False))
        deleted = db.session.execute(
            delete(HalfDaySignature).where(HalfDaySignature.event_id == event_id)
            .execution_options(synchronize_session=False)).rowcount
        run.report.add("half_day_signatures", max(deleted or 0, 0))


def init_app(app: Flask) -> None:
    register(app, AttendanceData())


def _collector(collected_by: str) -> str:
    """Who collected a signature, as the person's export says it: a facilitator by name
    (the programme names them); the staff (reception at the desk, an organiser attesting
    after the fact) as the day's team, not by their own account's address."""
    return "l’équipe de la journée" if "@" in collected_by else collected_by
