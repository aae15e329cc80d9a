"""What the questionnaires hold about a person (see :mod:`journee.data_owners`): that
they were invited to a wave and when; whether they answered and were reminded, only as
long as a reminder may still leave (:data:`.jobs.ANSWERED_KEPT_DAYS` days after the
invitation; then the survey job clears it, with any unused link). Their answers name
nobody and stay; the invitations go with an erasure and with the event's purge."""

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
    columns = ("survey_invitation.answered", "survey_invitation.reminded")
    depends_on = ("registration",)
    purge_counts = (("survey_invitations", "invitations au questionnaire supprimées"),)

    def export(self, registration) -> dict:
        invitations = db.session.scalars(
            select(SurveyInvitation)
            .where(SurveyInvitation.registration_id == registration.id)
            .order_by(SurveyInvitation.id)).all()
        # Neither answered nor holding its link: cleared by jobs.forget_who_answered.
        return {"questionnaire_de_satisfaction": [
            {"envoi": WAVE_LABELS[i.wave], "invitation_le": i.invited_on.isoformat()}
            | ({"repondu": "non conservé", "relance": "non conservé"}
               if not i.answered and i.token_digest is None else
               {"repondu": i.answered, "relance": i.reminded})
            for i in invitations]}

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
