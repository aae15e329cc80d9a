"""What the questionnaires hold about a person: that they were invited and whether they
answered (see :mod:`journee.data_owners`). Their answers name nobody and stay; the
invitations go with an erasure and with the event's purge."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import delete, select

from ..data_owners import DataOwner, Erasure, PurgeRun, register
from ..extensions import db
from ..programme.models import Event
from ..registration.models import Registration
from ..registration.privacy import purge_date
from .models import WAVE_LABELS, SurveyInvitation


class SurveysData(DataOwner):
    name = "surveys"
    depends_on = ("registration",)
    purge_counts = (("survey_invitations", "invitations au questionnaire supprimées"),)

    def export(self, registration) -> dict:
        invitations = db.session.scalars(
            select(SurveyInvitation)
            .where(SurveyInvitation.registration_id == registration.id)
            .order_by(SurveyInvitation.id)).all()
        return {"questionnaire_de_satisfaction": [
            {"envoi": WAVE_LABELS[i.wave], "invitation_le": i.invited_on.isoformat(),
             "repondu": i.answered, "relance": i.reminded} for i in invitations]}

    def erase(self, erasure: Erasure) -> None:
        db.session.execute(
            delete(SurveyInvitation)
            .where(SurveyInvitation.registration_id.in_([r.id for r in erasure.subjects]))
            .execution_options(synchronize_session=False))

    def purge_event(self, event_id: int, run: PurgeRun) -> None:
        if purge_date(db.session.get(Event, event_id)) >= run.today:
            return
        deleted = db.session.execute(
            delete(SurveyInvitation)
            .where(SurveyInvitation.registration_id.in_(
                select(Registration.id).where(Registration.event_id == event_id)))
            .execution_options(synchronize_session=False)).rowcount
        run.report.add("survey_invitations", deleted)


def init_app(app: Flask) -> None:
    register(app, SurveysData())
