"""The messages of an event as the organiser follows them, and the opt-outs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..mail_models import OutboxMessage, OutboxStatus
from ..programme.models import Event
from .models import Mailing, OptOut


@dataclass
class SentMessage:
    mailing: Mailing
    statuses: Counter

    @property
    def pending(self) -> int:
        return self.statuses[OutboxStatus.PENDING]

    @property
    def sent(self) -> int:
        return self.statuses[OutboxStatus.SENT]

    @property
    def failed(self) -> int:
        return self.statuses[OutboxStatus.FAILED]

    @property
    def skipped(self) -> int:
        return self.statuses[OutboxStatus.SKIPPED]


def sent_messages(event: Event) -> list[SentMessage]:
    """The event's messages, newest first, with their e-mails counted by status."""
    mailings = db.session.scalars(select(Mailing).where(Mailing.event_id == event.id)
                                  .order_by(Mailing.created_at.desc(), Mailing.id.desc())).all()
    counts: dict[int, Counter] = {mailing.id: Counter() for mailing in mailings}
    for mailing_id, status, count in db.session.execute(
            select(OutboxMessage.mailing_id, OutboxMessage.status, func.count())
            .where(OutboxMessage.mailing_id.in_(list(counts)))
            .group_by(OutboxMessage.mailing_id, OutboxMessage.status)):
        counts[mailing_id][status] = count
    return [SentMessage(mailing, counts[mailing.id]) for mailing in mailings]


def opt_out(registration_id: int) -> bool:
    """Record that this person wants no more messages; ``False`` if they had already
    said so (nothing changes). Commits."""
    if db.session.get(OptOut, registration_id) is not None:
        return False
    db.session.add(OptOut(registration_id=registration_id))
    try:
        db.session.commit()
    except IntegrityError:  # the one-click request and the page at the same time
        db.session.rollback()
        return False
    return True
