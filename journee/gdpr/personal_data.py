"""One person's data: everything we hold, as JSON on request; erasure everywhere.

Each package's data owner (see :mod:`journee.gdpr.owners`) gives its part.
"""

from __future__ import annotations

from . import owners
from .owners import Erasure

#: What is kept after an erasure, said to the organiser (and so to the person).
KEPT_AFTER_ERASURE = (
    "Une ligne du journal d’accès indique qu’une inscription (son numéro seulement) a été "
    "effacée, quand et par qui : elle prouve que la demande a été traitée et ne contient "
    "aucune donnée sur la personne. Les chiffres globaux de la journée ne comptent plus "
    "cette inscription.")


def person_data(registration) -> dict:
    """Everything held about the person through this registration (right of access)."""
    data: dict = {}
    for owner in owners.registered():
        for key, part in owner.export(registration).items():
            if isinstance(part, dict) and isinstance(data.get(key), dict):
                data[key].update(part)  # e.g. presence dates within « inscription »
            else:
                data[key] = part
    return data


def erase(registrations: list) -> Erasure:
    """Delete these registrations and everything attached (choices, placements, presence,
    e-mails, and, once the erasure is committed, the files the file backend wrote for
    them). A confirmed place is first released to the waiting list, as a
    cancellation would. The caller records the erasure in the audit log and commits."""
    erasure = Erasure(subjects=list(registrations))
    ordered = owners.erasure_order(owners.registered())
    for owner in ordered:
        owner.before_erase(erasure)
    for owner in ordered:
        owner.erase(erasure)
    return erasure
