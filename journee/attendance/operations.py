"""Check-in at the door, each action in one function: the change, its e-mail and its
entry in the audit log. The desk's views and the tests call these; the caller commits.

The rules (who may be marked, the capacity) are those of :mod:`.presence`. A plain
marking writes no log entry: the registration keeps who marked it and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..audit.log import actor_for_user, record
from ..auth.models import User
from ..formatting import NNBSP
from ..programme.models import Event
from ..registration.emails import queue_registration_confirmation
from ..registration.models import Registration
from ..registration.services import Attendee
from .models import HalfDaySignature
from .services import completion, half_day_signatures, presence, signing_corrections
from .services.certificates import update_presence
from .services.half_day_signatures import Signer
from .services.signin import HalfDay


def check_in(registration: Registration, *, by: User) -> bool:
    """Mark a confirmed attendee present; ``False`` if they already were."""
    return presence.mark_present(registration, by.email)


def confirm_and_check_in(registration: Registration, *, by: User) -> bool:
    """Confirm a waitlisted person who came, if a place is free, and mark them present."""
    marked = presence.confirm_and_mark_present(registration, by.email)
    _record("checkin.confirm", registration, by)
    return marked


def undo_check_in(registration: Registration, *, by: User) -> bool:
    """Clear a presence marked by mistake; ``False`` (and no entry) if there was none.
    Who had marked the person goes with the mark: the log keeps the undoing."""
    if not presence.undo_presence(registration):
        return False
    _record("checkin.undo", registration, by)
    return True


def register_on_site(event: Event, attendee: Attendee, *, base_url: str,
                     by: User) -> Registration:
    """Register someone who came without registering, present at once, and send them
    the confirmation (with their personal link) if they gave an address."""
    registration = presence.register_on_site(event, attendee, by.email)
    queue_registration_confirmation(registration, base_url)
    _record("checkin.on_site", registration, by)
    return registration


def _record(action: str, registration: Registration, by: User) -> None:
    record(action, actor=actor_for_user(by), event=registration.event,
           target=f"Inscription n°\u00a0{registration.id}")


def send_completion_certificates(event: Event, *, by: User, today=None) -> int:
    """E-mail their completion certificate, once, to each person who gets one and has
    an address; return how many. Refused before the day is over
    (:class:`~.services.certificates.CertificatesNotYet`)."""
    count = completion.queue_completion_certificates(event, today)
    if count:
        record("organiser.send_completion_certificates", actor=actor_for_user(by),
               event=event, target="Certificats de réalisation envoyés par e-mail",
               rows=count)
    return count


def sign_half_day(event: Event, half: HalfDay, signer: Signer, image: bytes, *,
                  collected_by: str, actor: str, now: datetime | None = None
                  ) -> HalfDaySignature:
    """Record a signature for a half-day (and the participant's presence at the door)."""
    signed = half_day_signatures.sign(event, half, signer, image, collected_by, now)
    record("signin.sign", actor=actor, event=event,
           target=f"{_signer_label(signer)} — {half_day_signatures.half_day_name(half)}")
    return signed


def attest_half_day(event: Event, half: HalfDay, signer: Signer, *, attested_by: str,
                    reason: str, collected_by: str, actor: str,
                    now: datetime | None = None) -> HalfDaySignature:
    """Record a presence attested by staff for someone who cannot sign."""
    attested = half_day_signatures.attest(event, half, signer, attested_by, reason,
                                          collected_by, now)
    record("signin.attest", actor=actor, event=event,
           target=f"{_signer_label(signer)} — {half_day_signatures.half_day_name(half)}")
    return attested


@dataclass(frozen=True)
class PresenceTicks:
    """What the organiser's ticks on the presence certificates page changed."""

    marked: int
    unmarked: int
    certificates_resent: int
    """Completion certificates, e-mailed before, that left again corrected."""


def tick_presences(event: Event, boxes: list[tuple[date | None, dict[int, bool], set[int]]],
                   *, by: User) -> PresenceTicks:
    """Apply the presence certificates page's boxes: per day on an event of several days
    (see :func:`.services.presence.presence_days`), else one set (*day* ``None``); each
    ``(day, shown, ticked)`` as :func:`.services.certificates.update_presence` takes it.
    One audit entry; whoever had their completion certificate e-mailed and now attends
    other half-days is sent the corrected one (the hours follow the days ticked)."""
    actor = actor_for_user(by)
    marked = unmarked = 0
    moved: dict[int, Registration] = {}
    for day, shown, ticked in boxes:
        added, removed, changed = update_presence(event, shown, ticked, actor, day)
        marked, unmarked = marked + added, unmarked + removed
        moved.update((registration.id, registration) for registration in changed)
    if marked or unmarked:
        record("organiser.mark_presence", actor=actor, event=event,
               target="Attestations de présence\u202f: présences", rows=marked + unmarked)
    resent = sum(completion.resend_corrected(registration) for registration in moved.values())
    return PresenceTicks(marked, unmarked, resent)


@dataclass(frozen=True)
class Correction:
    """What a correction of the sign-in did beyond the record itself."""

    certificate_resent: bool
    """The person's completion certificate, e-mailed before, left again corrected."""


def attest_half_day_late(event: Event, half: HalfDay, registration: Registration, *,
                         attested_by: str, reason: str, by: User,
                         now: datetime | None = None) -> Correction:
    """Record, after the fact, a presence the live sign-in missed (the wrong person picked
    at the desk, a paper sheet signed while the tablet was down), and the participant's
    presence at the door; the log keeps who, for whom, which half-day and why. A
    completion certificate already e-mailed to them is sent again, corrected."""
    half_day_signatures.attest_late(
        event, half, Signer(registration=registration), attested_by, reason, by.email, now)
    record("signin.attest_late", actor=actor_for_user(by), event=event,
           # The reason before who attested: the entry keeps 300 characters.
           target=f"{_signer_label(Signer(registration=registration))} — "
                  f"{half_day_signatures.half_day_name(half)} — motif{NNBSP}: {reason} — "
                  f"attestée par {attested_by}")
    return Correction(certificate_resent=completion.resend_corrected(registration))


def cancel_half_day_record(event: Event, signature: HalfDaySignature, *, reason: str,
                           by: User) -> Correction | None:
    """Delete a signature or attested presence recorded by mistake, and log who did it,
    for whom, what it was and why; ``None`` (and no entry) if it was already gone.
    Presence at the door is left as it is. A completion certificate already e-mailed to
    the person is sent again, corrected."""
    half = half_day_signatures.half_day_starting(event, signature.half_day_start)
    signer = signing_corrections.signer_of(signature)
    when = (half_day_signatures.half_day_name(half) if half is not None
            else signature.half_day_start.isoformat(timespec="minutes"))
    what = signing_corrections.what_it_was(event, signature)
    if not signing_corrections.remove(signature):
        return None
    record("signin.cancel", actor=actor_for_user(by), event=event,
           target=f"{_signer_label(signer)} — {when} — {what} — motif{NNBSP}: {reason}")
    return Correction(certificate_resent=signer.registration is not None
                      and completion.resend_corrected(signer.registration))


def _signer_label(signer: Signer) -> str:
    if signer.registration is not None:
        return f"Inscription n°\u00a0{signer.registration.id}"
    return f"Animateur·rice n°\u00a0{signer.person.id}"
