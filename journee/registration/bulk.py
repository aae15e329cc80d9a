"""The organiser's actions on a selection of registrations: confirm from the waiting list,
cancel. Each person goes through the same operation as on their own page (its e-mail,
its line in the audit log); the result is a count per outcome, said in French.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from ..formatting import NNBSP, plural
from ..programme.models import Event
from . import operations, services
from .listing import Filters, conditions
from .models import Registration, RegistrationStatus

#: A selection larger than this is refused: a typing mistake, not a day's list.
MAX_SELECTION = 20_000


def parse_ids(values: Iterable[str]) -> list[int]:
    """Registration ids from form values (each one id, or several joined by commas);
    anything that is not a positive number is ignored."""
    ids: list[int] = []
    for value in values:
        for part in (value or "").split(","):
            part = part.strip()
            if part.isdigit() and 0 < int(part) < 2**63:
                ids.append(int(part))
    return list(dict.fromkeys(ids))[:MAX_SELECTION]


def chosen(event: Event, ids: list[int], filters: Filters | None = None) -> list[Registration]:
    """The event's registrations named by ``ids``, or all those that match ``filters``
    (the « whole filtered selection »); another event's ids are ignored. In the order
    of the waiting list, so that confirming out of it keeps its order."""
    query = select(Registration).order_by(Registration.created_at, Registration.id)
    if filters is not None:
        query = query.where(*conditions(event.id, filters))
    elif ids:
        query = query.where(Registration.event_id == event.id, Registration.id.in_(ids))
    else:
        return []
    return list(db.session.scalars(query))


@dataclass
class Outcome:
    done: int = 0
    already: int = 0
    refused: int = 0
    """Not waitlisted (cancelled) for a confirmation."""
    full: int = 0
    """Left on the waiting list: no place free."""
    promoted: int = 0
    """People of the waiting list who took a place freed by the cancellations."""


def promote_all(registrations: list[Registration], *, base_url: str, by: User) -> Outcome:
    """Confirm the waitlisted ones while places are free (see :func:`operations.promote`)."""
    outcome = Outcome()
    for registration in registrations:
        if registration.status == RegistrationStatus.CONFIRMED:
            outcome.already += 1
        elif registration.status != RegistrationStatus.WAITLISTED:
            outcome.refused += 1
        else:
            try:
                operations.promote(registration, base_url=base_url, by=by)
            except services.EventFull:
                outcome.full += 1
            else:
                outcome.done += 1
    return outcome


def cancel_all(registrations: list[Registration], *, base_url: str, by: User) -> Outcome:
    """Cancel each one (see :func:`operations.cancel_registration`). The waitlisted ones
    go first: a place freed by the others then never goes to someone about to be cancelled."""
    outcome = Outcome()
    ids = {registration.id for registration in registrations}
    waiting_first = sorted(registrations,
                           key=lambda r: r.status != RegistrationStatus.WAITLISTED)
    for registration in waiting_first:
        if registration.status == RegistrationStatus.CANCELLED:
            outcome.already += 1
            continue
        promoted = operations.cancel_registration(registration, base_url=base_url, by=by)
        outcome.done += 1
        if promoted is not None and promoted.id not in ids:
            outcome.promoted += 1
    return outcome


def promotion_message(outcome: Outcome) -> str:
    """« 3 inscriptions confirmées ; 1 déjà confirmée »."""
    parts = [plural(outcome.done, "inscription confirmée", "inscriptions confirmées")]
    if outcome.already:
        parts.append(plural(outcome.already, "déjà confirmée", "déjà confirmées"))
    if outcome.full:
        parts.append(plural(outcome.full, "restée sur la liste d’attente faute de place",
                            "restées sur la liste d’attente faute de place"))
    if outcome.refused:
        parts.append(plural(outcome.refused, "annulée, non confirmée", "annulées, non confirmées"))
    return f"{NNBSP}; ".join(parts) + "."


def cancellation_message(outcome: Outcome) -> str:
    """« 2 inscriptions annulées ; 1 déjà annulée ; 1 personne de la liste d’attente… »."""
    parts = [plural(outcome.done, "inscription annulée", "inscriptions annulées")]
    if outcome.already:
        parts.append(plural(outcome.already, "déjà annulée", "déjà annulées"))
    if outcome.promoted:
        many = outcome.promoted > 1
        parts.append(plural(outcome.promoted, "personne", "personnes")
                     + " de la liste d’attente "
                     + ("prennent les places libérées" if many else "prend la place libérée"))
    return f"{NNBSP}; ".join(parts) + "."
