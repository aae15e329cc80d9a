"""What the programme page and documents show: the day split by date, registration words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from ..formatting import format_date
from .models import Event, Participation, Role, Session, Workshop

ROLE_GROUP_LABELS = {
    Role.MODERATOR: ("Animateur·rice", "Animation"),
    Role.SPEAKER: ("Intervenant·e", "Intervenant·es"),
    Role.PANELIST: ("Intervenant·e", "Intervenant·es"),
    Role.WITNESS: ("Grand témoin", "Grands témoins"),
    Role.RAPPORTEUR: ("Restitution", "Restitution"),
    Role.PRESENTER: ("Présentation", "Présentation"),
    Role.FACILITATOR: ("Animation", "Animation"),
    Role.PRACTITIONER: ("Animation", "Animation"),
    Role.TRAINER: ("Animation", "Animation"),
    Role.STUDENT_PRESENTER: ("Étudiant·es", "Étudiant·es"),
}

PLENARY_SPEAKER_LABEL = ("Conférencier·ère", "Conférencier·ères")


@dataclass(frozen=True)
class RoleGroup:
    label: str
    people: list[Participation]


def role_groups(session: Session) -> list[RoleGroup]:
    """The session's own people grouped by role, moderators first, in programme order."""
    order = list(Role)
    participants = sorted(session.participants, key=lambda p: (order.index(p.role), p.position))
    groups = []
    for role, members in groupby(participants, key=lambda p: p.role):
        members = list(members)
        singular, plural_ = ROLE_GROUP_LABELS[role]
        if role == Role.SPEAKER and session.kind == "plenary":
            singular, plural_ = PLENARY_SPEAKER_LABEL
        groups.append(RoleGroup(singular if len(members) == 1 else plural_, members))
    return groups


def workshop_role_groups(workshop: Workshop) -> list[RoleGroup]:
    """A workshop's people grouped like :func:`schedule.role_groups` groups a session's:
    trainers and practitioners share « Animation » and keep the order they were given."""
    order = list(Role)
    groups: dict[tuple[str, str], list[Participation]] = {}
    for participation in sorted(workshop.facilitators, key=lambda p: p.position):
        groups.setdefault(ROLE_GROUP_LABELS[participation.role], []).append(participation)
    ranked = sorted(groups.items(), key=lambda item: min(order.index(p.role) for p in item[1]))
    return [RoleGroup(singular if len(members) == 1 else plural_, members)
            for (singular, plural_), members in ranked]


def sessions_by_day(event: Event) -> list[tuple[date, list[Session]]]:
    return [(day, list(sessions))
            for day, sessions in groupby(event.sessions, key=lambda s: s.starts_at.date())]


@dataclass(frozen=True)
class RegistrationStatus:
    is_open: bool
    message: str


def registration_status(event: Event, today: date) -> RegistrationStatus:
    """The registration line of the programme, e.g. « Inscription gratuite et obligatoire
    jusqu'au jeudi 1er mars 2018 ». The deadline day is included."""
    deadline = event.registration_deadline
    if event.ends_on < today:
        return RegistrationStatus(False, "Cette journée a eu lieu le "
                                  f"{format_date(event.starts_on)}.")
    if deadline is None:
        return RegistrationStatus(False, "Pas d’inscription en ligne pour cette journée.")
    if event.registration_opens_on and today < event.registration_opens_on:
        return RegistrationStatus(
            False, "Inscription gratuite et obligatoire, ouverte à partir du "
                   f"{format_date(event.registration_opens_on)} et jusqu’au "
                   f"{format_date(deadline)}.")
    if today > deadline:
        return RegistrationStatus(False, "Les inscriptions sont closes depuis le "
                                  f"{format_date(deadline)}.")
    return RegistrationStatus(True, "Inscription gratuite et obligatoire jusqu’au "
                              f"{format_date(deadline)}.")
