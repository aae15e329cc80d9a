"""What the public pages say about places left: for the day, and per workshop.

The counts come from the database at each render (:mod:`.services`), never from a cache:
a page says what is true when it is shown, the registration itself checks again.
"""

from __future__ import annotations

from ..formatting import NBSP, NNBSP
from ..programme.models import Event

# A workshop is « très demandé » once its first choices reach this many times its places.
POPULAR_FACTOR = 2
WORKSHOP_FULL = "complet"
WORKSHOP_FULL_REASON = f"Complet{NNBSP}: plus aucune place dans cet atelier."
POPULAR = "très demandé"


def few_left(capacity: int, left: int) -> bool:
    """Whether « Plus que N places » is worth saying: once no more than a fifth of the
    places are left, or no more than 20 once half the places are taken (a small day of
    30 does not announce « Plus que 20 places » before anyone has registered)."""
    return left <= max(capacity / 5, min(20, capacity / 2))


def day_places_text(event: Event, left: int | None) -> str | None:
    """« Plus que 12 places », « Plus qu’une place », « Complet : inscription sur liste
    d’attente », « Complet » ; nothing when there is no limit or plenty of room.

    :param left: :func:`.services.places_left` for this event.
    """
    if left is None or event.capacity is None:
        return None
    if left == 0:
        return (f"Complet{NNBSP}: inscription sur liste d’attente" if event.waitlist_enabled
                else "Complet")
    if not few_left(event.capacity, left):
        return None
    return "Plus qu’une place" if left == 1 else f"Plus que {left}{NBSP}places"


def workshop_places_text(left: int | None, held: bool = False) -> str:
    """« 3 places restantes », « 1 place restante », nothing without a limit; a full
    workshop says why it cannot be chosen, unless the person already holds a place in it
    (the edit page), where it is just « complet »."""
    if left is None:
        return ""
    if left == 0:
        return WORKSHOP_FULL if held else WORKSHOP_FULL_REASON
    return f"{left}{NBSP}{'place restante' if left == 1 else 'places restantes'}"


def is_popular(capacity: int | None, first_choices: int) -> bool:
    """Preference mode: a workshop is « très demandé » when the people who put it first
    are at least :data:`POPULAR_FACTOR` times its places, so that most of them will have
    to go elsewhere. A workshop without a limit never is."""
    return capacity is not None and first_choices >= POPULAR_FACTOR * capacity
