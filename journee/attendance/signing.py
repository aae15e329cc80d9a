"""What the « émargement » pages show and do, shared by the reception desk and the
facilitators' space: each person's record for a half-day, and the two forms handled.

The views choose who may be shown, for which half-day, and where to go next; this module
turns a posted form into a record or a French refusal. The caller commits.
"""

from __future__ import annotations

from datetime import datetime

from ..errors import JourneeError
from ..extensions import db
from ..formatting import format_time
from ..programme.models import Event, Person
from ..registration.models import Registration
from . import operations
from .forms import AttestForm, SignatureForm
from .models import HalfDaySignature
from .services import half_day_signatures as signing
from .services.half_day_signatures import Signer
from .services.signin import HalfDay


def records_by_registration(event: Event, half: HalfDay) -> dict[int, HalfDaySignature]:
    return {r.registration_id: r for r in signing.records_of(event, half)
            if r.registration_id is not None}


def person_record(event: Event, half: HalfDay, person: Person) -> HalfDaySignature | None:
    return signing.existing(event, half, Signer(person=person))


def registration_record(event: Event, half: HalfDay,
                        registration: Registration) -> HalfDaySignature | None:
    return signing.existing(event, half, Signer(registration=registration))


def describe(event: Event, record: HalfDaySignature) -> str:
    """« Signé à 9 h 12 », or « Présence attestée par Paul Martin — signature impossible ».

    The reason staff typed is not shown: it may say something of the person's health.
    It stays in the record and the person's export."""
    if record.is_attested:
        return f"Présence attestée par {record.attested_by} — {signing.DEFAULT_REASON}"
    return f"Signé à {format_time(signing.local_now(event, record.signed_at))}"


def half_day_key(half: HalfDay) -> str:
    return half.key.isoformat(timespec="minutes")


def posted_half_day(event: Event, value: str | None) -> HalfDay | None:
    """The half-day a page was shown for (a hidden field), if it is one of the event's."""
    try:
        start = datetime.fromisoformat(value or "")
    except ValueError:
        return None
    return signing.half_day_starting(event, start)


def save_signature(event: Event, half: HalfDay, signer: Signer, form: SignatureForm, *,
                   collected_by: str, actor: str) -> list[str]:
    """Record the drawn signature; the refusals to show (none when it is recorded)."""
    if not form.validate_on_submit():
        return [error for errors in form.errors.values() for error in errors]
    try:
        image = signing.image_from_data_url(form.signature.data)
        operations.sign_half_day(event, half, signer, image, collected_by=collected_by,
                                 actor=actor)
    except JourneeError as refused:
        db.session.rollback()
        return [str(refused)]
    return []


def save_attested(event: Event, half: HalfDay, signer: Signer, form: AttestForm, *,
                  collected_by: str, actor: str) -> list[str]:
    """Record a presence attested by staff; page-level refusals (field errors stay on
    the form)."""
    if not form.validate_on_submit():
        return []
    try:
        operations.attest_half_day(event, half, signer, attested_by=form.attested_by.data,
                                   reason=form.reason.data, collected_by=collected_by,
                                   actor=actor)
    except JourneeError as refused:
        db.session.rollback()
        return [str(refused)]
    return []


def confirmation(event: Event, half: HalfDay, name: str, record: HalfDaySignature) -> str:
    when = format_time(signing.local_now(event, record.signed_at))
    if record.is_attested:
        return (f"La présence de {name} est attestée pour {signing.this_half_day(half)}, "
                f"à {when}.")
    return f"{name} a signé pour {signing.this_half_day(half)} à {when}. Merci."
