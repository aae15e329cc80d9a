"""Finding a facilitator's link and the workshops it opens."""

from __future__ import annotations

import hmac

from flask import abort

from .. import secret_links
from ..extensions import db
from ..programme.models import Participation, Session, Workshop
from ..util.clock import utcnow
from .models import FacilitatorLink


def active_link_or_404(token: str) -> FacilitatorLink:
    """The link for this token, or 404 alike for a wrong, revoked or malformed one."""
    link = secret_links.find(FacilitatorLink, token)
    if link is None or not link.is_active:
        abort(404)
    link.last_used_at = utcnow()
    return link


def workshops_of(link: FacilitatorLink) -> list[Workshop]:
    """The workshops of the link's event that its person facilitates, in programme order."""
    return list(db.session.scalars(
        db.select(Workshop)
        .join(Session, Workshop.session_id == Session.id)
        .where(Session.event_id == link.event_id,
               Workshop.id.in_(db.select(Participation.workshop_id)
                               .where(Participation.person_id == link.person_id)))
        .order_by(Session.starts_at, Workshop.number)))


def workshop_of_link_or_404(link: FacilitatorLink, workshop_uid: str) -> Workshop:
    """One of the link's workshops by its public uid; any other workshop is a 404."""
    for workshop in workshops_of(link):
        if hmac.compare_digest(workshop.uid, workshop_uid):
            return workshop
    abort(404)


def active_link_for(event_id: int, person_id: int) -> FacilitatorLink | None:
    return db.session.scalar(db.select(FacilitatorLink).filter_by(
        event_id=event_id, person_id=person_id, revoked_at=None))
