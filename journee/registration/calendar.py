"""An attendee's own day in their calendar: an iCalendar file, and « Google Agenda » and
« Outlook » links that open the day in those web calendars."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from icalendar import Event as VEvent

from ..programme.ics import COLON, UID_DOMAIN, calendar_for, session_vevent
from ..programme.models import Event, SessionKind, Workshop, WorkshopMode
from ..programme.queries import fresh_programme
from ..programme.versions import DocumentCache, programme_version
from ..typography import one_line
from .models import Registration, RegistrationStatus
from .services import attendee_workshops

PENDING_SLOT = "Ateliers (répartition à venir)"
GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.live.com/calendar/0/deeplink/compose"


def build_attendee_ics(event: Event, base_url: str,
                       assigned_workshops: dict[int, Workshop] | None = None, *,
                       sequence: int = 0, cancelled: bool = False,
                       withdrawn: Sequence[Workshop] = (),
                       uid_domain: str = UID_DOMAIN) -> bytes:
    """The person's day only: the common sessions and their own workshop in each slot,
    never the workshops running in parallel.

    In preference mode, a slot whose workshop is not published to them yet stays one
    event, « Ateliers (répartition à venir) ». The VEVENTs are those of the programme
    calendar, UIDs included (the slot keeps its UID), so that someone who imported both
    sees each item once.

    :param assigned_workshops: the attendee's workshop per workshops session id
        (:func:`.services.attendee_workshops`).
    :param sequence: the registration's ``calendar_sequence``, added to each VEVENT's own
        SEQUENCE, so that an update sent to the person outranks the calendars they have.
    :param cancelled: the calendar of a cancellation (METHOD:CANCEL, each VEVENT
        CANCELLED): calendar apps remove the events they had under these UIDs.
    :param withdrawn: workshops the person held and no longer does (a first-come choice
        changed), added as CANCELLED so that calendar apps drop them.
    """
    assigned = assigned_workshops or {}
    # The same day is drawn once per version of the programme (every confirmation of a
    # rush is the same file in preferences mode), with its DTSTAMP put right each time.
    version = programme_version(
        event.id, "attendee", base_url, uid_domain, sequence, cancelled,
        sorted((slot_id, workshop.id) for slot_id, workshop in assigned.items()),
        [workshop.id for workshop in withdrawn])
    drawn = _drawn.get(version, lambda: _draw(fresh_programme(event.id), base_url, assigned,
                                              sequence, cancelled, withdrawn, uid_domain))
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    return drawn.replace(_STAMP_LINE, f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}".encode())


_drawn = DocumentCache(size=64)
_STAMP = datetime(2000, 1, 1, tzinfo=timezone.utc)
_STAMP_LINE = b"DTSTAMP:20000101T000000Z"


def _draw(event: Event, base_url: str, assigned: dict[int, Workshop], sequence: int,
          cancelled: bool, withdrawn: Sequence[Workshop], uid_domain: str) -> bytes:
    pending = PENDING_SLOT if event.workshop_mode == WorkshopMode.PREFERENCES else None
    stamp = _STAMP
    components = []
    for session in event.sessions:
        if session.kind == SessionKind.WORKSHOPS and session.workshops:
            mine = assigned.get(session.id)
            vevent = (
                session_vevent(event, mine, base_url, stamp, uid_domain) if mine else
                session_vevent(event, session, base_url, stamp, uid_domain, summary=pending))
        else:
            vevent = session_vevent(event, session, base_url, stamp, uid_domain)
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


@dataclass(frozen=True)
class DayLinks:
    """Addresses that open the day, ready to save, in a web calendar."""

    google: str
    outlook: str


def attendee_day_links(registration: Registration, base_url: str,
                       assigned: dict[int, Workshop] | None = None) -> DayLinks | None:
    """A confirmed person's day in a web calendar, with their workshops; nothing for
    someone waiting or cancelled.

    :param assigned: their workshops (:func:`.services.attendee_workshops`), when the
        caller has them already.
    """
    if registration.status != RegistrationStatus.CONFIRMED:
        return None
    if assigned is None:
        assigned = attendee_workshops(registration)
    return day_links(registration.event, base_url, assigned)


def day_links(event: Event, base_url: str,
              assigned_workshops: dict[int, Workshop] | None = None) -> DayLinks:
    """The whole day as one item, from the first session's start to the last one's end
    (in UTC), with the person's workshops in its text. An event without sessions yet
    is given as whole days."""
    title = one_line(event.title)
    location = event.full_address or ""
    details = _details(event, base_url, assigned_workshops or {})
    span = _span(event)
    if span is None:
        first, after = event.starts_on, event.ends_on + timedelta(days=1)
        google_dates = f"{first:%Y%m%d}/{after:%Y%m%d}"
        outlook_times = {"startdt": first.isoformat(), "enddt": after.isoformat(),
                         "allday": "true"}
    else:
        start, end = span
        google_dates = f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"
        outlook_times = {"startdt": f"{start:%Y-%m-%dT%H:%M:%SZ}",
                         "enddt": f"{end:%Y-%m-%dT%H:%M:%SZ}"}
    google = urlencode({"action": "TEMPLATE", "text": title, "dates": google_dates,
                        "details": details, "location": location})
    outlook = urlencode({"path": "/calendar/action/compose", "rru": "addevent",
                         "subject": title, **outlook_times, "location": location,
                         "body": details})
    return DayLinks(google=f"{GOOGLE}?{google}", outlook=f"{OUTLOOK}?{outlook}")


def _span(event: Event) -> tuple[datetime, datetime] | None:
    sessions = event.sessions
    if not sessions:
        return None
    tz = ZoneInfo(event.timezone)
    start = min(s.starts_at for s in sessions)
    end = max(s.ends_at or s.starts_at for s in sessions)
    return (start.replace(tzinfo=tz).astimezone(timezone.utc),
            end.replace(tzinfo=tz).astimezone(timezone.utc))


def _details(event: Event, base_url: str, assigned: dict[int, Workshop]) -> str:
    lines = []
    for session in event.workshop_sessions:
        workshop = assigned.get(session.id)
        if workshop is not None:
            room = f" ({workshop.room.name})" if workshop.room else ""
            lines.append(f"Votre atelier{COLON} {workshop.label}{room}")
    lines.append(f"Programme{COLON} {base_url.rstrip('/')}/e/{event.slug}/")
    return "\n".join(lines)
