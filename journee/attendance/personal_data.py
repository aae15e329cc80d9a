"""Presence's personal data: who checked a person in (see :mod:`journee.data_owners`).

The dates (present, badge printed, certificate sent) name nobody once the registration
is anonymised; they are exported with it and kept for the counts.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import or_, update

from ..data_owners import DataOwner, PurgeRun, iso, register
from ..extensions import db
from ..programme.models import Event
from ..registration.models import Registration
from ..registration.privacy import purge_date


class AttendanceData(DataOwner):
    """Who checked the person in, and the code their badge carries: exported with the
    registration, erased with it, cleared when it is anonymised."""

    name = "attendance"
    columns = ("registration.checked_in_by",)

    def export(self, registration: Registration) -> dict:
        return {"inscription": {
            "presence_notee_le": iso(registration.checked_in_at),
            "badge_imprime_le": iso(registration.badge_printed_at),
            "attestation_envoyee_le": iso(registration.certificate_sent_at),
            "certificat_realisation_envoye_le": iso(
                registration.completion_certificate_sent_at)}}

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


def init_app(app: Flask) -> None:
    register(app, AttendanceData())
