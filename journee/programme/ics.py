"""iCalendar exports of a programme: the whole day, or one session or workshop.

Every session is a VEVENT, the workshops slot included (« Ateliers », listing the parallel
workshops), and every workshop is a VEVENT of its own at the slot's times, so that a
participant can keep just the workshop they attend. Session times are naive wall-clock
times in ``event.timezone``; they are written with that TZID and a VTIMEZONE.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar, Timezone
from icalendar import Event as VEvent

from ..formatting import NBSP
from ..typography import one_line
from .models import Event, Participation, Room, Session, SessionKind, Workshop, days_after
from .schedule import RoleGroup, role_groups, workshop_role_groups

PRODID = "-//Journée//Programme des journées d’étude//FR"
UID_DOMAIN = "journee"
COLON = NBSP + ":"


def session_summary(session: Session) -> str:
    """« Conférence plénière : Technologies numériques et travail social »."""
    kind = session.kind_label
    if not session.title:
        return kind
    if session.title.casefold() in kind.casefold():
        return session.title
    return f"{kind}{COLON} {session.title}"


def build_programme_ics(event: Event, base_url: str, *, uid_domain: str = UID_DOMAIN) -> bytes:
    """The whole programme as one calendar: every session, then each slot's workshops.

    :param uid_domain: the right-hand side of every UID; changing it makes calendar
        clients see new events, so it must stay the same once a programme is published.
    """
    stamp = _now()
    events = []
    for session in event.sessions:
        events.append(session_vevent(event, session, base_url, stamp, uid_domain))
        events.extend(session_vevent(event, workshop, base_url, stamp, uid_domain)
                      for workshop in session.workshops)
    return calendar_for(event, events).to_ical()


def build_session_ics(event: Event, item: Session | Workshop, base_url: str, *,
                      uid_domain: str = UID_DOMAIN) -> bytes:
    """One session or one workshop alone in its calendar, with the same VEVENT as in
    the whole programme."""
    vevent = session_vevent(event, item, base_url, uid_domain=uid_domain)
    return calendar_for(event, [vevent]).to_ical()


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def calendar_for(event: Event, components: list[VEvent]) -> Calendar:
    """A calendar of the event's VEVENTs, with the VTIMEZONE they refer to."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # An X- property is written as is, unlike the text of a VEVENT: a line break in
    # the title (an old row) would end the line and break the whole file.
    calendar.add("x-wr-calname", one_line(event.title))
    calendar.add("x-wr-timezone", event.timezone)
    calendar.add_component(Timezone.from_tzinfo(
        ZoneInfo(event.timezone), tzid=event.timezone, **_timezone_window(event)))
    for component in components:
        calendar.add_component(component)
    return calendar


# icalendar's search for the changes of offset steps up to a year past the window: keep it
# clear of the last date Python can represent (an event dated 9999 by mistake).
_TIMEZONE_LIMITS = (date(1900, 1, 1), date(9900, 1, 1))


def _timezone_window(event: Event) -> dict[str, date]:
    """A VTIMEZONE covering the year around the event keeps the file small; the full
    1970–2038 rule set would add hundreds of lines for nothing."""
    low, high = _TIMEZONE_LIMITS
    first = min(max(days_after(event.starts_on, -366), low), high)
    last = max(min(days_after(event.ends_on, 366), high), days_after(first, 732))
    return {"first_date": first, "last_date": last}


def session_vevent(event: Event, item: Session | Workshop, base_url: str,
                   stamp: datetime | None = None, uid_domain: str = UID_DOMAIN,
                   summary: str | None = None) -> VEvent:
    """The VEVENT of a session or a workshop; a workshop takes its slot's times.

    :param summary: instead of the item's own title (an attendee's calendar says
        « Ateliers (répartition à venir) » for a slot whose workshop is not known yet).

    A workshop's SEQUENCE and LAST-MODIFIED also follow its slot, so that moving the
    slot updates the workshops already in someone's calendar. Every calendar built from
    it (programme, one session, an attendee's day) gives the same UID to the same item,
    so that calendar apps update it rather than show it twice.
    """
    stamp = stamp or _now()
    if isinstance(item, Workshop):
        session = item.session
        title = item.label
        sequence = item.sequence + session.sequence
        modified = max(item.updated_at, session.updated_at)
        room = item.room
        description = _workshop_description(item)
    else:
        session = item
        title = session_summary(session)
        sequence = session.sequence
        modified = session.updated_at
        room = session.room
        description = _session_description(session)
    url = f"{base_url.rstrip('/')}/e/{event.slug}/"
    tz = ZoneInfo(event.timezone)

    vevent = VEvent()
    vevent.add("uid", f"{item.uid}@{uid_domain}")
    vevent.add("dtstamp", stamp)
    vevent.add("sequence", sequence)
    vevent.add("last-modified", modified.replace(tzinfo=timezone.utc))
    vevent.add("dtstart", session.starts_at.replace(tzinfo=tz))
    if session.ends_at is not None:
        vevent.add("dtend", session.ends_at.replace(tzinfo=tz))
    vevent.add("summary", summary or title)
    vevent.add("location", _location(event, room))
    vevent.add("description", "\n\n".join(
        part for part in (description, f"Programme complet{COLON} {url}") if part))
    vevent.add("url", url)
    vevent.add("status", "CONFIRMED")
    return vevent


def _location(event: Event, room: Room | None) -> str:
    return ", ".join(part for part in (room.name if room else "", event.full_address) if part)


def _person(participation: Participation) -> str:
    name = participation.person.full_name
    affiliation = participation.affiliation
    return f"{name} ({affiliation})" if affiliation else name


def _groups_text(groups: list[RoleGroup]) -> list[str]:
    lines = []
    for group in groups:
        if len(group.people) == 1:
            lines.append(f"{group.label}{COLON} {_person(group.people[0])}")
        else:
            lines.append(f"{group.label}{COLON}")
            lines.extend(f"– {_person(p)}" for p in group.people)
    return lines


def _session_description(session: Session) -> str:
    blocks = []
    if session.title:
        blocks.append(session.kind_label)
    if session.description:
        blocks.append(session.description.strip())
    people = _groups_text(role_groups(session))
    if people:
        blocks.append("\n".join(people))
    for contribution in session.contributions:
        lines = [contribution.title]
        lines.extend(f"– {_person(p)}" for p in contribution.presenters)
        blocks.append("\n".join(lines))
    if session.kind == SessionKind.WORKSHOPS and session.workshops:
        blocks.append("\n".join(
            w.label + (f" ({w.room.name})" if w.room else "") for w in session.workshops))
    return "\n\n".join(blocks)


def _workshop_description(workshop: Workshop) -> str:
    blocks = []
    if workshop.sector:
        blocks.append(f"Secteur{COLON} {workshop.sector}")
    if workshop.description:
        blocks.append(workshop.description.strip())
    people = _groups_text(workshop_role_groups(workshop))
    if people:
        blocks.append("\n".join(people))
    return "\n\n".join(blocks)

