"""An attendee's own day as an iCalendar file: the programme, with their workshops."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from icalendar import Event as VEvent

from ..programme.ics import UID_DOMAIN, calendar_for, session_vevent
from ..programme.models import Event, SessionKind, Workshop


def build_attendee_ics(event: Event, base_url: str,
                       assigned_workshops: dict[int, Workshop] | None = None, *,
                       sequence: int = 0, cancelled: bool = False,
                       withdrawn: Sequence[Workshop] = (),
                       uid_domain: str = UID_DOMAIN) -> bytes:
    """Every session of the day; a workshops slot becomes the attendee's workshop once
    they have one, and stays the slot (listing its workshops) until then.

    The VEVENTs are those of the programme calendar, UIDs included, so that someone who
    imported both sees each item once.

    :param assigned_workshops: the attendee's workshop per workshops session id.
    :param sequence: the registration's ``calendar_sequence``, added to each VEVENT's own
        SEQUENCE, so that an update sent to the person outranks the calendars they have.
    :param cancelled: the calendar of a cancellation (METHOD:CANCEL, each VEVENT
        CANCELLED): calendar apps remove the events they had under these UIDs.
    :param withdrawn: workshops the person held and no longer does (a first-come choice
        changed), added as CANCELLED so that calendar apps drop them.
    """
    assigned = assigned_workshops or {}
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    components = []
    for session in event.sessions:
        item = assigned.get(session.id) if session.kind == SessionKind.WORKSHOPS else None
        vevent = session_vevent(event, item or session, base_url, stamp, uid_domain)
        if sequence or cancelled:
            _update(vevent, sequence, cancelled)
        components.append(vevent)
    for workshop in withdrawn:
        vevent = session_vevent(event, workshop, base_url, stamp, uid_domain)
        _update(vevent, sequence, cancelled=True)
        components.append(vevent)
    calendar = calendar_for(event, components)
    if cancelled:
        calendar.pop("method")
        calendar.add("method", "CANCEL")
    return calendar.to_ical()


def _update(vevent: VEvent, sequence: int, cancelled: bool) -> None:
    vevent.add("sequence", vevent.pop("sequence") + sequence)
    if cancelled:
        vevent.pop("status")
        vevent.add("status", "CANCELLED")
