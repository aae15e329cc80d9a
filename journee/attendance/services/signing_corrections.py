"""Correcting the digital sign-in: the records of one half-day with the person each
belongs to, what cancelling one changes, and the cancelling itself.

A record made by mistake (the wrong name picked on the tablet, a presence attested for
someone else) is deleted rather than marked: its signature image belongs to a person who
should not be kept on file. The trace is the audit entry the operation writes. Pure
services: the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import load_only

from ...database import rowcount
from ...extensions import db
from ...formatting import NNBSP, format_duration, format_time
from ...programme.models import Event, Person
from ...registration.models import Registration, RegistrationStatus
from ..models import HalfDaySignature
from ..roster import name_key
from . import half_day_signatures as signing
from .completion import half_day_minutes
from .half_day_signatures import Signer
from .presence import door_days
from .signin import AFTERNOON, MORNING, HalfDay

#: The half-day as URLs name it: « 2018-03-15-matin », « 2018-03-15-apres-midi ».
URL_PARTS = {MORNING: "matin", AFTERNOON: "apres-midi"}


def half_day_slug(half: HalfDay) -> str:
    return f"{half.day.isoformat()}-{URL_PARTS[half.label]}"


def half_day_from_slug(event: Event, slug: str) -> HalfDay | None:
    return next((half for half in signing.signable_half_days(event)
                 if half_day_slug(half) == slug), None)


@dataclass(frozen=True)
class Line:
    """One record of a half-day, with the person it belongs to."""

    record: HalfDaySignature
    signer: Signer

    @property
    def name(self) -> str:
        return self.signer.name

    @property
    def is_facilitator(self) -> bool:
        return self.signer.person is not None

    @property
    def organisation(self) -> str:
        return (self.signer.registration or self.signer.person).organisation or ""


def signer_of(record: HalfDaySignature) -> Signer:
    if record.registration_id is not None:
        return Signer(registration=db.session.get(Registration, record.registration_id))
    return Signer(person=db.session.get(Person, record.person_id))


def lines(event: Event, half: HalfDay) -> list[Line]:
    """Every record of the half-day, participants then facilitators, by name."""
    rows = db.session.execute(
        select(HalfDaySignature, Registration, Person)
        .outerjoin(Registration, HalfDaySignature.registration_id == Registration.id)
        .outerjoin(Person, HalfDaySignature.person_id == Person.id)
        .where(HalfDaySignature.event_id == event.id,
               HalfDaySignature.half_day_start == half.key)).all()
    found = [Line(record, Signer(registration=registration, person=person))
             for record, registration, person in rows]
    return sorted(found, key=lambda line: (line.is_facilitator, name_key(
        line.signer.registration or line.signer.person)))


def unrecorded(event: Event, half: HalfDay) -> list[Registration]:
    """The confirmed participants with no record for the half-day, by name: whom a
    presence can be attested for after the fact. Only what the picker shows is loaded."""
    recorded = select(HalfDaySignature.id).where(
        HalfDaySignature.registration_id == Registration.id,
        HalfDaySignature.half_day_start == half.key)
    found = db.session.scalars(
        select(Registration)
        .options(load_only(Registration.id, Registration.first_name, Registration.last_name,
                           Registration.organisation))
        .where(Registration.event_id == event.id,
               Registration.status == RegistrationStatus.CONFIRMED,
               ~recorded.exists())).all()
    return sorted(found, key=name_key)


def record_counts(event: Event) -> dict[datetime, int]:
    """Half-day key → how many records it holds."""
    return dict(db.session.execute(
        select(HalfDaySignature.half_day_start, func.count())
        .where(HalfDaySignature.event_id == event.id)
        .group_by(HalfDaySignature.half_day_start)).all())


def what_it_was(event: Event, record: HalfDaySignature) -> str:
    """« signature du jeudi 15 mars 2018 à 9 h 12 », « présence attestée le … », as the
    audit log keeps it."""
    moment = signing.at_moment(signing.local_now(event, record.signed_at))
    if record.is_attested and record.attested_late:
        return f"présence attestée après coup {moment}"
    if record.is_attested:
        return f"présence attestée {moment}"
    return f"signature du {moment.removeprefix('le ')}"


def describe(event: Event, record: HalfDaySignature) -> str:
    """« Signé à 9 h 12 », « Présence attestée par Paul Martin à 9 h 40 », « Présence
    attestée après coup par Paul Martin le vendredi 16 mars 2018 à 10 h »."""
    signed_at = signing.local_now(event, record.signed_at)
    at = format_time(signed_at)
    if record.is_attested and record.attested_late:
        return (f"Présence attestée après coup par {record.attested_by} "
                f"{signing.at_moment(signed_at)}")
    if record.is_attested:
        return f"Présence attestée par {record.attested_by} à {at}"
    return f"Signé à {at}"


def consequences(event: Event, record: HalfDaySignature, half: HalfDay,
                 now: datetime | None = None) -> list[str]:
    """What cancelling ``record`` changes, in plain French, for the confirmation page."""
    name = signer_of(record).name
    said = []
    if record.is_attested:
        said.append("La présence attestée disparaît de la feuille d’émargement signée.")
    else:
        said.append("L’image de la signature est supprimée définitivement et disparaît "
                    "de la feuille d’émargement signée.")
    others = (record.registration_id is not None
              and signing.has_participant_records(event, half, besides=record))
    if record.registration_id is None:
        said.append("Les certificats de réalisation ne changent pas (ils ne concernent "
                    "que les personnes inscrites).")
    elif others:
        said.append(f"Le certificat de réalisation de {name} ne comptera plus cette "
                    f"demi-journée ({format_duration(half_day_minutes([half]))} en moins), "
                    "à moins d’une nouvelle signature ou d’une présence attestée par "
                    "l’équipe.")
    else:
        said.append(f"C’est le seul émargement numérique d’une personne inscrite pour "
                    f"cette demi-journée{NNBSP}: elle comptera donc comme émargée sur la "
                    "feuille papier, et les certificats de réalisation y compteront "
                    "présente toute personne passée à l’accueil ce jour-là.")
    registration = db.session.get(Registration, record.registration_id) \
        if record.registration_id is not None else None
    if registration is not None and half.day in door_days(event, [registration.id]).get(
            registration.id, {}):
        # Per day: on another day of the event the door knows nothing of this half-day.
        said.append(f"La présence de {name} à l’accueil reste notée.")
    if registration is not None and registration.completion_certificate_sent_at is not None:
        said.append(f"{name} a déjà reçu son certificat de réalisation par e-mail{NNBSP}: "
                    "le certificat corrigé lui est renvoyé, s’il lui reste une demi-journée "
                    "suivie.")
    closes = signing.window(event, half)[1]
    if signing.local_now(event, now) <= closes:
        said.append(f"{name} pourra signer à nouveau, ou l’équipe attester sa présence, "
                    f"jusqu’à la fermeture de l’émargement, {signing.at_moment(closes)}.")
    else:
        closed = (f"L’émargement de cette demi-journée a fermé {signing.at_moment(closes)}"
                  f"{NNBSP}: {name} ne pourra plus signer pour cette demi-journée.")
        if others:  # a late attestation is for participants of a half-day signed on screen
            closed += (" Un·e organisateur·rice pourra encore attester sa présence après "
                       "coup, depuis la page de correction de la demi-journée.")
        said.append(closed)
    said.append("Les feuilles signées déjà téléchargées ne correspondront plus à leur "
                "empreinte SHA-256. L’annulation et son motif sont inscrits au journal.")
    return said


def remove(record: HalfDaySignature) -> bool:
    """Delete the record; ``False`` if it was already gone (cancelled at the same time by
    someone else)."""
    deleted = rowcount(db.session.execute(
        delete(HalfDaySignature).where(HalfDaySignature.id == record.id)
        .execution_options(synchronize_session=False)))
    if record in db.session:
        db.session.expunge(record)
    return deleted == 1
