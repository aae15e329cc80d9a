"""What the placeholders of the texts organisers write (:mod:`journee.placeholders`)
become for one registration."""

from __future__ import annotations

from ..formatting import format_date
from .models import Registration
from .services import attendee_workshops


def self_service_url(registration: Registration, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/r/{registration.token}"


def placeholder_values(registration: Registration, base_url: str) -> dict[str, str]:
    """The value of each placeholder for this person: their workshops (and rooms) are
    those they may see, joined in the order of the day when there are several."""
    event = registration.event
    workshops = sorted(attendee_workshops(registration).values(),
                       key=lambda w: (w.session.starts_at, w.number))
    rooms = [w.room.name for w in workshops if w.room is not None]
    return {
        "prénom": registration.first_name,
        "nom": registration.last_name,
        "lien personnel": self_service_url(registration, base_url),
        "atelier": " ; ".join(w.label for w in workshops),
        "salle": " ; ".join(dict.fromkeys(rooms)),
        "journée": event.title,
        "date": format_date(event.starts_on),
    }
