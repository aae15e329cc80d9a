"""The placements' personal data (see :mod:`journee.data_owners`)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import delete, select

from ..data_owners import DataOwner, Erasure, register
from ..extensions import db
from ..programme.models import Workshop
from ..registration.models import Assignment, WorkshopWaitlistEntry


class WorkshopsData(DataOwner):
    """Where a person is placed, and the workshops' waiting lists they are on: exported,
    erased with the registration, kept with it for the counts once anonymised. The names of the organisers who ran or published an
    assignment are kept with the event, as its history."""

    name = "workshops"
    columns = ("assignment_run.created_by", "assignment_publication.published_by")
    depends_on = ("registration",)

    def export(self, registration) -> dict:
        assignments = db.session.scalars(select(Assignment).filter_by(
            registration_id=registration.id)).all()
        waiting = db.session.scalars(select(Workshop).join(
            WorkshopWaitlistEntry, WorkshopWaitlistEntry.workshop_id == Workshop.id)
            .where(WorkshopWaitlistEntry.registration_id == registration.id)).all()
        return {"ateliers_attribues": [
            {"creneau": a.session.display_title, "atelier": a.workshop.label,
             "place_par": a.source_label} for a in assignments],
            "listes_d_attente_d_ateliers": [
            {"creneau": w.session.display_title, "atelier": w.label} for w in waiting]}

    def erase(self, erasure: Erasure) -> None:
        db.session.execute(
            delete(WorkshopWaitlistEntry)
            .where(WorkshopWaitlistEntry.registration_id.in_([r.id for r in erasure.subjects]))
            .execution_options(synchronize_session=False))
        db.session.execute(
            delete(Assignment)
            .where(Assignment.registration_id.in_([r.id for r in erasure.subjects]))
            .execution_options(synchronize_session=False))


def init_app(app: Flask) -> None:
    register(app, WorkshopsData())
