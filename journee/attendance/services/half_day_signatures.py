"""Signing for a half-day: the time window, the signature image, one record per person.

A participant signs with a finger or a stylus (the image is a PNG), or, when they cannot
sign, staff attest their presence with a reason. Either one also marks the participant
present at the door. A half-day is signed once: the record is inserted only if none
exists for that person and half-day (a unique index), so a double tap leaves one row.
Pure services: the caller commits.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

from PIL import Image
from sqlalchemy import select

from ...database import insert_once
from ...documents.signin_pdf import prepare_signature
from ...errors import JourneeError
from ...extensions import db
from ...formatting import NNBSP, format_date, format_time
from ...programme.models import Event, Person
from ...registration.models import Registration, RegistrationStatus
from ...util.clock import utcnow
from ..models import HalfDaySignature
from .certificates import BadSignature, checked_signature
from .presence import NotConfirmed, mark_present
from .signin import MORNING, HalfDay, half_days

DEFAULT_TOLERANCE = 30
"""Minutes before a half-day starts and after it ends during which people may sign."""
DEFAULT_REASON = "signature impossible"
DATA_URL_PREFIX = "data:image/png;base64,"
#: A data URL of at most 1 Mo of PNG (base64 adds a third).
MAX_DATA_URL = DATA_URL_PREFIX.__len__() + 4 * (1024 * 1024) // 3 + 4


class SigningRefused(JourneeError):
    """A signature or attested presence that cannot be recorded; the message says why."""


class OutsideWindow(SigningRefused):
    """Too early or too late to sign for this half-day."""


class AlreadySigned(SigningRefused):
    """This person already has a record for this half-day."""


class BadSignatureImage(SigningRefused):
    """The image sent is not a readable, non-blank PNG."""


class NotStarted(SigningRefused):
    """A presence attested after the fact for a half-day that has not started yet."""


class PaperHalfDay(SigningRefused):
    """No participant has a digital record for the half-day: it went on paper."""


# The time window ------------------------------------------------------------------------

def tolerance(event: Event) -> timedelta:
    minutes = event.signin_tolerance_minutes
    return timedelta(minutes=DEFAULT_TOLERANCE if minutes is None else minutes)


def window(event: Event, half: HalfDay) -> tuple[datetime, datetime]:
    """When signing for ``half`` opens and closes, wall-clock times in the event's zone."""
    margin = tolerance(event)
    return half.starts_at - margin, half.ends_at + margin


def local_now(event: Event, now: datetime | None = None) -> datetime:
    """``now`` (naive UTC, as stored) as a naive wall-clock time in the event's zone."""
    moment = (now or utcnow()).replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(ZoneInfo(event.timezone)).replace(tzinfo=None)


def signable_half_days(event: Event) -> list[HalfDay]:
    """The half-days with hours: one without sessions has no window to sign in."""
    return [half for half in half_days(event) if half.starts_at is not None]


def half_day_starting(event: Event, start: datetime) -> HalfDay | None:
    return next((half for half in signable_half_days(event) if half.key == start), None)


def open_half_day(event: Event, now: datetime | None = None) -> HalfDay | None:
    """The half-day people may sign for now, if any."""
    moment = local_now(event, now)
    opened = [half for half in signable_half_days(event)
              if window(event, half)[0] <= moment <= window(event, half)[1]]
    # Windows widened by the tolerance may overlap over a short lunch: the half-day
    # under way, else the nearest to start.
    return min(opened, default=None, key=lambda half: (
        not half.starts_at <= moment <= half.ends_at, abs(half.starts_at - moment)))


def next_half_day(event: Event, now: datetime | None = None) -> HalfDay | None:
    """The next half-day whose signing has not opened yet."""
    moment = local_now(event, now)
    return next((half for half in signable_half_days(event)
                 if window(event, half)[0] > moment), None)


def half_day_name(half: HalfDay) -> str:
    """« le matin du jeudi 15 mars 2018 », « l’après-midi du … »."""
    part = "le matin" if half.label == MORNING else "l’après-midi"
    return f"{part} du {format_date(half.day)}"


def this_half_day(half: HalfDay) -> str:
    return "ce matin" if half.label == MORNING else "cet après-midi"


def at_moment(moment: datetime) -> str:
    """« le jeudi 15 mars 2018 à 8 h »."""
    return f"le {format_date(moment.date())} à {format_time(moment)}"


def check_window(event: Event, half: HalfDay, now: datetime | None = None) -> None:
    """Raise :class:`OutsideWindow`, saying when signing opens or closed."""
    moment = local_now(event, now)
    opens, closes = window(event, half)
    if moment < opens:
        raise OutsideWindow(f"Il est trop tôt pour signer{NNBSP}: l’émargement pour "
                            f"{half_day_name(half)} ouvre {at_moment(opens)}.")
    if moment > closes:
        raise OutsideWindow(f"Il est trop tard pour signer{NNBSP}: l’émargement pour "
                            f"{half_day_name(half)} a fermé {at_moment(closes)}.")


# The image ------------------------------------------------------------------------------

def image_from_data_url(value: str | None) -> bytes:
    """The PNG bytes of a ``data:image/png;base64,…`` URL, checked and not blank."""
    value = (value or "").strip()
    if not value:
        raise BadSignatureImage(f"Aucune signature n’a été reçue{NNBSP}: signez dans le "
                                "cadre, puis validez.")
    if len(value) > MAX_DATA_URL or not value.startswith(DATA_URL_PREFIX):
        raise BadSignatureImage(f"La signature n’a pas pu être lue{NNBSP}: effacez-la et "
                                "signez à nouveau.")
    try:
        data = base64.b64decode(value[len(DATA_URL_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise BadSignatureImage(f"La signature n’a pas pu être lue{NNBSP}: effacez-la et "
                                "signez à nouveau.") from None
    return checked_png(data)


def checked_png(data: bytes) -> bytes:
    """``data`` if it is a readable PNG of at most 1 Mo with something drawn on it."""
    try:
        checked_signature(data)
    except BadSignature as error:
        raise BadSignatureImage(str(error)) from None
    with Image.open(BytesIO(data)) as image:
        if image.format != "PNG":
            raise BadSignatureImage("La signature doit être une image PNG.")
        if _blank(image):
            raise BadSignatureImage(f"La signature est vide{NNBSP}: signez dans le cadre, "
                                    "puis validez.")
    return data


def _blank(image: Image.Image) -> bool:
    """Nothing drawn: fully transparent, or one single colour."""
    rgba = image.convert("RGBA")
    if rgba.getchannel("A").getbbox() is None:
        return True
    return len(rgba.getcolors(2) or [None, None]) < 2


# Recording ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Signer:
    """Who signs: a participant (``registration``) or a facilitator (``person``)."""

    registration: Registration | None = None
    person: Person | None = None

    @property
    def name(self) -> str:
        return (self.registration or self.person).full_name

    def key(self) -> tuple[tuple[str, ...], dict]:
        if self.registration is not None:
            return ("registration_id", "half_day_start"), {
                "registration_id": self.registration.id}
        return ("event_id", "person_id", "half_day_start"), {"person_id": self.person.id}


def existing(event: Event, half: HalfDay, signer: Signer) -> HalfDaySignature | None:
    _, values = signer.key()
    return db.session.scalar(select(HalfDaySignature).filter_by(
        event_id=event.id, half_day_start=half.key, **values))


def sign(event: Event, half: HalfDay, signer: Signer, image: bytes, collected_by: str,
         now: datetime | None = None) -> HalfDaySignature:
    """Record a signature (PNG bytes, already checked) for ``half``, with the form the
    signed sheet prints, prepared now rather than for every sheet."""
    return _record(event, half, signer, now, image=image,
                   print_image=prepare_signature(image).to_bytes(),
                   collected_by=collected_by[:200])


def attest(event: Event, half: HalfDay, signer: Signer, attested_by: str, reason: str,
           collected_by: str, now: datetime | None = None) -> HalfDaySignature:
    """Record a presence attested by staff for someone who cannot sign."""
    return _record(event, half, signer, now, attested_by=attested_by[:200],
                   reason=(reason or DEFAULT_REASON)[:300], collected_by=collected_by[:200])


def attest_late(event: Event, half: HalfDay, signer: Signer, attested_by: str, reason: str,
                collected_by: str, now: datetime | None = None) -> HalfDaySignature:
    """Record, by an organiser, a presence attested after the fact: at any time once the
    half-day has started, the window closed or not.

    Refused for a half-day without any participant's digital record: one record would
    turn a half-day signed on paper into a digital one, where only the records count,
    and take it from everyone else's certificate (:mod:`.half_day_presence`).
    """
    if local_now(event, now) < half.starts_at:
        name = half_day_name(half)
        raise NotStarted(f"{name[0].upper()}{name[1:]} n’a pas encore commencé{NNBSP}: "
                         "une présence ne peut être attestée qu’à partir du "
                         f"{format_date(half.starts_at.date())} à "
                         f"{format_time(half.starts_at)}.")
    registration = signer.registration
    if registration is not None and registration.status != RegistrationStatus.CONFIRMED:
        name = registration.full_name
        raise NotConfirmed(
            f"{name} est sur la liste d’attente{NNBSP}: confirmez d’abord sa place pour "
            "attester sa présence." if registration.status == RegistrationStatus.WAITLISTED
            else f"L’inscription de {name} est annulée{NNBSP}: sa présence ne peut pas "
                 "être attestée.")
    if not has_participant_records(event, half):
        raise PaperHalfDay(
            f"Personne n’a émargé numériquement pour {half_day_name(half)}{NNBSP}: cette "
            "demi-journée compte sur la feuille papier, où toute personne passée à l’accueil "
            "ce jour-là est présente. Notez plutôt sa présence à l’accueil.")
    return _record(event, half, signer, now, late=True, attested_by=attested_by[:200],
                   reason=reason[:300], collected_by=collected_by[:200], attested_late=True)


def has_participant_records(event: Event, half: HalfDay,
                            besides: HalfDaySignature | None = None) -> bool:
    """Whether some participant has a record for the half-day (*besides* this one): if
    not, it went on the paper sheet (:mod:`.half_day_presence`)."""
    query = select(HalfDaySignature.id).where(
        HalfDaySignature.event_id == event.id, HalfDaySignature.half_day_start == half.key,
        HalfDaySignature.registration_id.is_not(None))
    if besides is not None:
        query = query.where(HalfDaySignature.id != besides.id)
    return db.session.scalar(query.limit(1)) is not None


def _record(event: Event, half: HalfDay, signer: Signer, now: datetime | None, *,
            late: bool = False, **values) -> HalfDaySignature:
    if not late:
        check_window(event, half, now)
    registration = signer.registration
    if registration is not None:
        # Refuses a waitlisted or cancelled registration before anything is written;
        # a refusal below is rolled back with it by the caller.
        mark_present(registration, values["collected_by"], day=half.day)
    key, who = signer.key()
    inserted = insert_once(HalfDaySignature, key, event_id=event.id,
                           half_day_start=half.key, signed_at=now or utcnow(),
                           **who, **values)
    record = existing(event, half, signer)
    if not inserted:
        raise AlreadySigned(_already(event, half, signer, record, late))
    return record


def _already(event: Event, half: HalfDay, signer: Signer, record: HalfDaySignature,
             late: bool) -> str:
    signed_at = local_now(event, record.signed_at)
    if not late:
        return (f"{signer.name} a déjà signé pour {this_half_day(half)} à "
                f"{format_time(signed_at)}.")
    what = ("a déjà une présence attestée" if record.is_attested else "a déjà signé")
    return f"{signer.name} {what} pour {half_day_name(half)}, {at_moment(signed_at)}."


def records_of(event: Event, half: HalfDay) -> list[HalfDaySignature]:
    """Every record of one half-day."""
    return list(db.session.scalars(select(HalfDaySignature).filter_by(
        event_id=event.id, half_day_start=half.key)))


def half_day_of(event: Event, moment: datetime) -> HalfDay | None:
    """The half-day a session starting at ``moment`` belongs to (a workshop's slot)."""
    return next((half for half in signable_half_days(event)
                 if half.day == moment.date() and half.starts_at <= moment <= half.ends_at),
                None)
