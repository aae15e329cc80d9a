"""Whom an organiser's message goes to: the registrations of one event that match what
the organiser chose, with an address, minus those who asked for no more messages."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from sqlalchemy import Select, exists, func, select

from ..extensions import db
from ..formatting import NBSP
from ..programme.models import Event, Workshop, WorkshopMode
from ..registration.models import (
    PROFILE_LABELS,
    Assignment,
    NoWorkshopNotice,
    Profile,
    Registration,
    RegistrationStatus,
    WorkshopChoice,
)
from .models import OptOut


class Presence(enum.StrEnum):
    ANY = ""
    PRESENT = "present"
    ABSENT = "absent"


@dataclass(frozen=True)
class Audience:
    """The filters, all of which a recipient matches. ``registration_ids`` narrows the
    set to people picked in the list of registrations."""

    statuses: frozenset[RegistrationStatus] = frozenset({RegistrationStatus.CONFIRMED})
    workshop_id: int | None = None
    presence: Presence = Presence.ANY
    profile: Profile | None = None
    without_workshop: bool = False
    registration_ids: tuple[int, ...] | None = field(default=None)


@dataclass(frozen=True)
class Recipients:
    rows: list  # (registration id, e-mail address)
    opted_out: int
    """Matching people left out because they asked for no more messages."""

    @property
    def count(self) -> int:
        return len(self.rows)


def matching(event: Event, audience: Audience) -> Select:
    """The registrations matching *audience* that can receive an e-mail."""
    query = select(Registration.id).where(
        Registration.event_id == event.id,
        Registration.status.in_(audience.statuses or [RegistrationStatus.CONFIRMED]),
        Registration.email.is_not(None), Registration.email != "",
        Registration.anonymised_at.is_(None))
    if audience.registration_ids is not None:
        query = query.where(Registration.id.in_(audience.registration_ids))
    if audience.profile is not None:
        query = query.where(Registration.profile == audience.profile)
    if audience.presence == Presence.PRESENT:
        query = query.where(Registration.checked_in_at.is_not(None))
    elif audience.presence == Presence.ABSENT:
        query = query.where(Registration.status == RegistrationStatus.CONFIRMED,
                            Registration.checked_in_at.is_(None))
    if audience.workshop_id is not None:
        query = query.where(Registration.status == RegistrationStatus.CONFIRMED,
                            Registration.id.in_(_members(event, audience.workshop_id)))
    if audience.without_workshop:
        query = query.where(Registration.status == RegistrationStatus.CONFIRMED,
                            exists().where(NoWorkshopNotice.registration_id == Registration.id))
    return query


def _members(event: Event, workshop_id: int) -> Select:
    """The people in a workshop as they know it: the place they took in first-come mode,
    the workshop published to them otherwise."""
    if event.workshop_mode == WorkshopMode.FIRST_COME:
        return select(WorkshopChoice.registration_id).where(
            WorkshopChoice.workshop_id == workshop_id, WorkshopChoice.rank == 1)
    return select(Assignment.registration_id).where(
        Assignment.published_workshop_id == workshop_id)


def recipients(event: Event, audience: Audience) -> Recipients:
    """The recipients of a message, in the order they registered, in two queries."""
    chosen = matching(event, audience).subquery()
    opted_out = exists().where(OptOut.registration_id == Registration.id)
    rows = db.session.execute(
        select(Registration.id, Registration.email)
        .where(Registration.id.in_(select(chosen.c.id)), ~opted_out)
        .order_by(Registration.id)).all()
    left_out = db.session.scalar(
        select(func.count()).select_from(OptOut)
        .where(OptOut.registration_id.in_(select(chosen.c.id))))
    return Recipients([tuple(row) for row in rows], left_out)


STATUS_WORDS = {RegistrationStatus.CONFIRMED: "inscrit·es confirmé·es",
                RegistrationStatus.WAITLISTED: "liste d’attente"}


def describe(audience: Audience, workshop: Workshop | None) -> str:
    """The audience in words, for the list of messages sent."""
    parts = [" et ".join(STATUS_WORDS[s] for s in STATUS_WORDS if s in audience.statuses)]
    if audience.registration_ids is not None:
        parts.append(f"{len(audience.registration_ids)}{NBSP}personne(s) choisie(s) dans "
                     "la liste")
    if workshop is not None:
        parts.append(workshop.label)
    if audience.presence == Presence.PRESENT:
        parts.append("présent·es le jour même")
    elif audience.presence == Presence.ABSENT:
        parts.append("absent·es le jour même")
    if audience.profile is not None:
        parts.append(f"profil «{NBSP}{PROFILE_LABELS[audience.profile]}{NBSP}»")
    if audience.without_workshop:
        parts.append("sans atelier après la publication")
    return " ; ".join(part for part in parts if part)
