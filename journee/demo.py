"""Load the demo days into an empty database."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from .demo_data import ETSUP_EVENT, IRTS_EVENT
from .extensions import db
from .programme.models import (
    Contribution,
    Event,
    EventStatus,
    Participation,
    Person,
    Role,
    Room,
    Session,
    SessionKind,
    Workshop,
)
from .syntheses.models import DaySynthesis
from .util.clock import utcnow


def shift_to_coming_year(original: date, today: date, lead: timedelta) -> timedelta:
    """Whole weeks that move ``original`` to the next year where it is still ``lead`` away.

    Whole weeks keep the weekday: the Thursday 15 March 2018 stays a Thursday in March.
    """
    year = today.year
    while True:
        anniversary = original.replace(year=year)
        if anniversary - lead > today:
            break
        year += 1
    weeks = round((anniversary - original).days / 7)
    return timedelta(weeks=weeks)


class _People:
    """Find or create people by name, so one person appears once across the demo."""

    def __init__(self) -> None:
        self._by_name: dict[tuple[str, str], Person] = {}

    def get(self, first: str, last: str, function: str, organisation: str) -> Person:
        key = (first, last)
        person = self._by_name.get(key)
        if person is None:
            person = Person(first_name=first, last_name=last, function=function,
                            organisation=organisation)
            db.session.add(person)
            self._by_name[key] = person
        return person

    def participation(self, row, position: int, **parents) -> Participation:
        role, first, last, function, organisation = row
        person = self.get(first, last, function, organisation)
        return Participation(
            person=person, role=Role(role), position=position,
            function=None if function == person.function else function,
            organisation=None if organisation == person.organisation else organisation,
            **parents)


def _at(day: date, clock: str | None) -> datetime | None:
    if clock is None:
        return None
    return datetime.combine(day, time.fromisoformat(clock))


def load_event(spec: dict, people: _People, shift: timedelta = timedelta(0),
               status: EventStatus = EventStatus.PUBLISHED) -> Event:
    """Create one event, its rooms, sessions, workshops and people from a demo spec."""
    original = date.fromisoformat(spec["date"])
    day = original + shift
    years = day.year - original.year

    def in_its_year(text: str) -> str:
        """The slug, the edition line and a student's class (« DEIS 2019 ») move with
        the day's year."""
        return re.sub(r"\b20\d\d\b", lambda m: str(int(m.group()) + years), text)

    def moved(row: tuple) -> tuple:
        return (*row[:4], in_its_year(row[4]))

    def shifted(value: str | None) -> date | None:
        return date.fromisoformat(value) + shift if value else None

    event = Event(
        slug=in_its_year(spec["slug"]), title=spec["title"],
        edition=in_its_year(spec["edition"]),
        starts_on=day, ends_on=day, status=status,
        venue_name=spec["venue_name"], venue_address=spec["venue_address"],
        venue_postcode=spec["venue_postcode"], venue_city=spec["venue_city"],
        host_organisation=spec["host_organisation"], audiences=spec["audiences"],
        contact_email=spec["contact_email"], capacity=spec["capacity"],
        context=spec["context"], presentation=spec["presentation"],
        registration_deadline=shifted(spec["registration_deadline"]),
        registration_opens_on=shifted(spec["registration_opens_on"]),
    )
    db.session.add(event)
    rooms = {name: Room(name=name, capacity=capacity) for name, capacity in spec["rooms"]}
    event.rooms.extend(rooms.values())
    for position, (kind, start, end, title, participants, extras) in enumerate(spec["sessions"]):
        session = Session(kind=SessionKind(kind), title=title,
                          starts_at=_at(day, start), ends_at=_at(day, end),
                          position=position, room=rooms.get(extras.get("room")))
        event.sessions.append(session)
        for index, row in enumerate(participants):
            session.participations.append(people.participation(moved(row), index))
        for index, (title_, presenters) in enumerate(extras.get("contributions", [])):
            contribution = Contribution(title=title_, position=index)
            session.contributions.append(contribution)
            for rank, row in enumerate(presenters):
                contribution.presenters.append(
                    people.participation(moved(row), rank, session=session))
        for number, title_, sector, facilitators in extras.get("workshops", []):
            workshop = Workshop(number=number, title=title_, sector=sector, theme=sector,
                                capacity=spec["workshop_capacity"],
                                room=rooms.get(spec["workshop_rooms"].get(number)))
            session.workshops.append(workshop)
            for rank, row in enumerate(facilitators):
                workshop.facilitators.append(people.participation(moved(row), rank,
                                                                  session=session))
    if "day_synthesis" in spec:
        _add_day_synthesis(event, spec["day_synthesis"])
    return event


def _add_day_synthesis(event: Event, spec: dict) -> None:
    """The day's published synthesis (for ETSUP, a summary of the grand témoin's report)."""
    db.session.add(DaySynthesis(event=event, published_at=utcnow(), **spec))


def load_demo(today: date | None = None, original_dates: bool = False) -> list[Event]:
    """Load the IRTS-IDS day (moved to the coming year unless ``original_dates``) and
    the ETSUP day of 20 March 2018 as a past day."""
    today = today or date.today()
    people = _People()
    irts_date = date.fromisoformat(IRTS_EVENT["date"])
    shift = (timedelta(0) if original_dates
             else shift_to_coming_year(irts_date, today, lead=timedelta(days=30)))
    irts = load_event(IRTS_EVENT, people, shift)
    if not original_dates and irts.registration_opens_on > today:
        irts.registration_opens_on = today
    events = [irts, load_event(ETSUP_EVENT, people)]
    db.session.flush()
    return events
