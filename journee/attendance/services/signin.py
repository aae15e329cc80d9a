"""Sign-in sheets from the database: who signs, for which half-days, and the header facts.

The half-days come from the programme: a session starting before 13 h belongs to the
morning, the others to the afternoon; each half-day runs from its first session's start to
its last session's end, the lunch break left out (nobody signs for lunch).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from ...documents.signin_pdf import SignatureColumn, SigninRow, SigninSheet, build_signin_sheet
from ...formatting import NBSP, format_date, format_dates, format_time_range
from ...programme.models import Event, Session, SessionKind, Workshop
from ...registration.models import Registration
from ..roster import confirmed_attendees, workshop_members

NOON = time(13, 0)
MORNING, AFTERNOON = "Matin", "Après-midi"
#: Empty rows at the end of each sheet, for people registered on the spot.
BLANK_ROWS = 5


@dataclass(frozen=True)
class HalfDay:
    day: date
    label: str
    starts_at: datetime | None
    ends_at: datetime | None

    @property
    def hours(self) -> str:
        return format_time_range(self.starts_at, self.ends_at) if self.starts_at else ""

    @property
    def key(self) -> datetime:
        """What a signature is kept under: the day at 0 h for the morning, at 13 h for the
        afternoon. Not the first session's start, which an organiser may still move."""
        return datetime.combine(self.day, time(0) if self.label == MORNING else NOON)


def half_day_label(moment: datetime) -> str:
    return MORNING if moment.time() < NOON else AFTERNOON


def _span(sessions: list[Session]) -> tuple[datetime, datetime]:
    start = min(s.starts_at for s in sessions)
    end = max(s.ends_at or s.starts_at for s in sessions)
    return start, end


def half_days(event: Event) -> list[HalfDay]:
    """Each day's morning and afternoon that hold sessions, in order; a day without any
    session keeps both half-days, without hours."""
    found = []
    for day in event.days:
        sessions = [s for s in event.sessions if s.starts_at.date() == day]
        if not sessions:
            found += [HalfDay(day, MORNING, None, None), HalfDay(day, AFTERNOON, None, None)]
            continue
        for label in (MORNING, AFTERNOON):
            part = [s for s in sessions if half_day_label(s.starts_at) == label]
            part = [s for s in part if s.kind != SessionKind.LUNCH] or part
            if part:
                found.append(HalfDay(day, label, *_span(part)))
    return found


def day_spans(event: Event) -> list[tuple[date, datetime | None, datetime | None]]:
    """Each day with its first session's start and last session's end (``None`` when the
    programme is empty that day)."""
    spans = []
    for day in event.days:
        sessions = [s for s in event.sessions if s.starts_at.date() == day]
        spans.append((day, *_span(sessions)) if sessions else (day, None, None))
    return spans


def event_dates(event: Event) -> str:
    return format_dates(event.starts_on, event.ends_on)


def event_hours(event: Event) -> str:
    """« 8 h 30 – 17 h », or one range per day: « jeudi 15 mars 2018 : 9 h – 17 h ; … »."""
    spans = [(day, start, end) for day, start, end in day_spans(event) if start]
    if len(event.days) == 1:
        return format_time_range(spans[0][1], spans[0][2]) if spans else ""
    return " ; ".join(f"{format_date(day, weekday=False)}{NBSP}: {format_time_range(start, end)}"
                      for day, start, end in spans)


def workshop_title(workshop: Workshop) -> str:
    """« Atelier n° 3 : Le numérique et la protection de l’enfance »."""
    return f"Atelier n°{NBSP}{workshop.number}{NBSP}: {workshop.title}"


def facilitator_names(workshop: Workshop) -> list[str]:
    return [p.person.full_name for p in sorted(workshop.facilitators, key=lambda p: p.position)]


def _rows(registrations: list[Registration]) -> list[SigninRow]:
    return [SigninRow(r.last_name, r.first_name, r.organisation) for r in registrations]


def _base(event: Event) -> dict:
    return {"event_title": event.title, "edition": event.edition,
            "place": event.full_address, "organiser": event.host_organisation}


def workshop_sheet(workshop: Workshop, members: list[Registration] | None = None,
                   blank_rows: int = BLANK_ROWS) -> SigninSheet:
    """The sheet of one workshop: its members, one column for the half-day of its slot."""
    slot = workshop.session
    event = slot.event
    if members is None:
        members = workshop_members(workshop)
    hours = format_time_range(slot.starts_at, slot.ends_at)
    column = SignatureColumn(half_day_label(slot.starts_at), hours)
    return SigninSheet(
        **_base(event), dates=format_date(slot.starts_at.date()), hours=hours,
        columns=[column], rows=_rows(members), workshop=workshop_title(workshop),
        room=workshop.room.name if workshop.room else "",
        facilitators=facilitator_names(workshop), blank_rows=blank_rows)


def day_sheet(event: Event, attendees: list[Registration] | None = None,
              blank_rows: int = BLANK_ROWS) -> SigninSheet:
    """The whole day's sheet: every confirmed attendee, one column per half-day."""
    if attendees is None:
        attendees = confirmed_attendees(event)
    several_days = len(event.days) > 1
    columns = [SignatureColumn(half.label, half.hours,
                               format_date(half.day).rsplit(" ", 1)[0] if several_days else "")
               for half in half_days(event)]
    return SigninSheet(**_base(event), dates=event_dates(event), hours=event_hours(event),
                       columns=columns, rows=_rows(attendees), blank_rows=blank_rows)


def workshop_signin_pdf(workshop: Workshop) -> bytes:
    """The sign-in sheet of one workshop, as PDF bytes."""
    return build_signin_sheet(workshop_sheet(workshop))


def day_signin_pdf(event: Event) -> bytes:
    """The sign-in sheet of the whole day, alphabetical, as PDF bytes."""
    return build_signin_sheet(day_sheet(event))
