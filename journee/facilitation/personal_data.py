"""The facilitator links' personal data (see :mod:`journee.data_owners`)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import delete, select

from ..data_owners import DataOwner, PurgeRun, register
from ..database import rowcount
from ..extensions import db
from ..mail_models import OutboxMessage
from ..mail_personal_data import purge_messages
from ..programme.models import Event
from ..registration.privacy import purge_date
from .models import FacilitatorLink


class FacilitationData(DataOwner):
    """Who created a facilitator's link: the links go with their e-mails and files when
    the event's registrations are anonymised (the facilitators themselves are the
    programme's people)."""

    name = "facilitation"
    columns = ("facilitator_link.created_by",)
    purge_counts = (("links_deleted", "Liens d’animateur·rice supprimés"),)

    def purge_event(self, event_id: int, run: PurgeRun) -> None:
        if purge_date(db.session.get(Event, event_id)) >= run.today:
            return
        of_event = FacilitatorLink.event_id == event_id
        # The messages first: deleting a link only unties its messages from it.
        purge_messages(run, OutboxMessage.facilitator_link_id.in_(
            select(FacilitatorLink.id).where(of_event)))
        run.report.add("links_deleted", rowcount(db.session.execute(
            delete(FacilitatorLink).where(of_event))))


def init_app(app: Flask) -> None:
    register(app, FacilitationData())
