"""An attendee's own day as an iCalendar file: the programme, with their workshops."""

from __future__ import annotations

from datetime import datetime, timezone

from ..programme.ics import UID_DOMAIN, calendar_for, session_vevent
from ..programme.models import Event, SessionKind, Workshop


def build_attendee_ics(event: Event, base_url: str,
                       assigned_workshops: dict[int, Workshop] | None = None, *,
                       uid_domain: str = UID_DOMAIN) -> bytes:
    """Every session of the day; a workshops slot becomes the attendee's workshop once
    they have one, and stays the slot (listing its workshops) until then.

    The VEVENTs are those of the programme calendar, UIDs included, so that someone who
    imported both sees each item once.

    :param assigned_workshops: the attendee's workshop per workshops session id.
    """
    assigned = assigned_workshops or {}
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    components = []
    for session in event.sessions:
        item = assigned.get(session.id) if session.kind == SessionKind.WORKSHOPS else None
        components.append(session_vevent(event, item or session, base_url, stamp, uid_domain))
    return calendar_for(event, components).to_ical()
