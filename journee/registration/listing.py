"""The organiser's list of registrations: search, filters, sorting and pages, all in SQL.

Pure services: they take an event and plain filter values (read from a query string by
:meth:`Filters.from_args`), never the request. A page costs a fixed number of queries
whatever the number of registrations: the count per status, one page (``LIMIT``/``OFFSET``)
with its choices loaded by ``selectinload``, and the waiting-list positions of that page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import String, case, exists, func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..programme.models import Event, Session, Workshop
from ..util.text import fold
from .forms import NO, YES
from .models import (
    PROFILE_LABELS,
    STATUS_LABELS,
    Profile,
    Registration,
    RegistrationStatus,
    Source,
    WorkshopChoice,
)

PER_PAGE = 50
MAX_QUERY = 200

#: The columns the list sorts by (query-string value → label); the first is the default.
SORTS = {"nom": "Nom", "organisation": "Organisation", "profil": "Profil",
         "statut": "Statut", "date": "Date d’inscription"}
DEFAULT_SORT = "nom"


@dataclass(frozen=True)
class Filters:
    """What the organiser looks for; empty values filter nothing.

    ``workshop`` keeps registrations that ranked that workshop at any rank; ``lunch`` is
    ``oui`` or ``non`` (the form's values).
    """

    q: str = ""
    status: str = ""
    profile: str = ""
    course: str = ""
    sector: str = ""
    workshop: int | None = None
    lunch: str = ""
    source: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str], workshop_ids=()) -> Filters:
        """Read filters from a query string; an unknown value is ignored, never an error.

        :param workshop_ids: the event's workshops; any other workshop id is ignored.
        """
        def pick(name, allowed):
            value = (args.get(name) or "").strip()
            return value if value in allowed else ""

        try:
            workshop = int(args.get("atelier") or 0) or None
        except ValueError:
            workshop = None
        try:
            page = max(int(args.get("page") or 1), 1)
        except ValueError:
            page = 1
        return cls(
            q=" ".join((args.get("q") or "").split())[:MAX_QUERY],
            status=pick("statut", {s.value for s in RegistrationStatus}),
            profile=pick("profil", {p.value for p in Profile}),
            course=(args.get("formation") or "").strip()[:20],
            sector=(args.get("secteur") or "").strip()[:120],
            workshop=workshop if workshop in set(workshop_ids) else None,
            lunch=pick("dejeuner", {YES, NO}),
            source=pick("origine", {s.value for s in Source}),
            sort=pick("tri", SORTS) or DEFAULT_SORT,
            descending=args.get("ordre") == "desc",
            page=page)

    def query_args(self, **changes) -> dict:
        """The filters as query-string arguments (only those set), for ``url_for``."""
        current = replace(self, **changes)
        names = {"q": "q", "status": "statut", "profile": "profil", "course": "formation",
                 "sector": "secteur", "workshop": "atelier", "lunch": "dejeuner",
                 "source": "origine", "page": "page", "sort": "tri", "descending": "ordre"}
        args = {names[f.name]: getattr(current, f.name) for f in fields(current)}
        if args["page"] == 1:
            del args["page"]
        if args["tri"] == DEFAULT_SORT:
            del args["tri"]
        args["ordre"] = "desc" if args["ordre"] else ""
        return {key: value for key, value in args.items() if value}

    def sorted_by(self, column: str) -> dict:
        """Query-string arguments to sort by ``column``: ascending first, then the other
        way round when it is already the sort; back to the first page."""
        descending = column == self.sort and not self.descending
        return self.query_args(sort=column, descending=descending, page=1)

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self)
                   if f.name not in ("page", "sort", "descending"))

    @property
    def more_active(self) -> bool:
        """A filter folded under « Plus de filtres » is set (the fold opens)."""
        return bool(self.course or self.sector or self.workshop or self.lunch or self.source)


@dataclass
class Page:
    """One page of the list, and the counts for the whole filtered list."""

    registrations: list[Registration]
    total: int
    """Registrations matching every filter."""
    by_status: dict[RegistrationStatus, int]
    """Registrations matching every filter but the status one, per status."""
    page: int
    pages: int
    per_page: int = PER_PAGE
    positions: dict[int, int] = field(default_factory=dict)
    """Waiting-list position per waitlisted registration id of this page."""
    workshops: dict[int, Workshop] = field(default_factory=dict)
    """The event's workshops by id, to name the choices."""

    @property
    def first(self) -> int:
        """Rank of the page's first row in the whole list (0 when it is empty)."""
        return (self.page - 1) * self.per_page + 1 if self.registrations else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * self.per_page + len(self.registrations)


def _accent_table() -> tuple[str, str]:
    """Lower-case letters with accents and their plain letter (« é » → « e », « ł » → « l »),
    for PostgreSQL's ``translate()``: no extension to install."""
    sources, targets = [], []
    for code in range(0xC0, 0x250):
        letter = chr(code)
        plain = fold(letter)
        if letter == letter.lower() and len(plain) == 1 and plain != letter:
            sources.append(letter)
            targets.append(plain)
    return "".join(sources), "".join(targets)


_ACCENTED, _PLAIN = _accent_table()
_UNACCENT = str.maketrans(_ACCENTED, _PLAIN)


def folded(column):
    """A column compared without case or accents."""
    if db.session.get_bind().dialect.name == "sqlite":
        # journee_fold is registered on every SQLite connection (journee.database).
        return func.journee_fold(column, type_=String)
    return func.translate(func.lower(column), _ACCENTED, _PLAIN, type_=String)


def fold_term(text: str) -> str:
    """The search word as :func:`folded` columns hold it."""
    if db.session.get_bind().dialect.name == "sqlite":
        return fold(text)
    return text.lower().translate(_UNACCENT)


def conditions(event_id: int, filters: Filters, with_status: bool = True) -> list:
    """The ``WHERE`` clauses of a filtered list (the status one only ``with_status``)."""
    where = [Registration.event_id == event_id]
    for word in filters.q.split():
        term = fold_term(word)
        where.append(or_(*(folded(column).contains(term, autoescape=True)
                           for column in (Registration.first_name, Registration.last_name,
                                          Registration.organisation, Registration.email))))
    if with_status and filters.status:
        where.append(Registration.status == RegistrationStatus(filters.status))
    if filters.profile:
        where.append(Registration.profile == Profile(filters.profile))
    if filters.course:
        where.append(Registration.course == filters.course)
    if filters.sector:
        where.append(Registration.sector == filters.sector)
    if filters.workshop:
        where.append(exists().where(WorkshopChoice.registration_id == Registration.id,
                                    WorkshopChoice.workshop_id == filters.workshop))
    if filters.lunch:
        where.append(Registration.lunch.is_(filters.lunch == YES))
    if filters.source:
        where.append(Registration.source == Source(filters.source))
    return where


def event_workshops(event_id: int) -> dict[int, Workshop]:
    """The event's workshops by id, in the order of the day, with their slot."""
    workshops = db.session.scalars(
        select(Workshop).join(Session, Session.id == Workshop.session_id)
        .where(Session.event_id == event_id)
        .order_by(Session.starts_at, Session.position, Session.id, Workshop.number)
        .options(selectinload(Workshop.session), selectinload(Workshop.room))).all()
    return {workshop.id: workshop for workshop in workshops}


def ordering(filters: Filters) -> list:
    """The ``ORDER BY`` of the list: the chosen column, then the name, then the id so that
    pages never overlap."""
    name = [folded(Registration.last_name), folded(Registration.first_name)]
    first = {"nom": name, "organisation": [folded(func.coalesce(Registration.organisation, ""))],
             "profil": [_label_order(Registration.profile, PROFILE_LABELS,
                                     alphabetical=True)],
             "statut": [_label_order(Registration.status, STATUS_LABELS)],
             "date": [Registration.created_at]}[filters.sort]
    if filters.descending:
        first = [column.desc() for column in first]
    return [*first, *name, Registration.id]


def _label_order(column, labels: Mapping, alphabetical: bool = False):
    """Sort codes as the page shows them: by their French label (profiles), or in the
    labels' own order (statuses: confirmed, waiting, cancelled)."""
    ordered = (sorted(labels, key=lambda code: fold(labels[code])) if alphabetical
               else list(labels))
    return case({code: rank for rank, code in enumerate(ordered)}, value=column,
                else_=len(ordered))


def search(event: Event, filters: Filters, per_page: int = PER_PAGE) -> Page:
    """One page of the filtered list, in the order the filters ask."""
    counts = dict(db.session.execute(
        select(Registration.status, func.count(Registration.id))
        .where(*conditions(event.id, filters, with_status=False))
        .group_by(Registration.status)).all())
    by_status = {status: counts.get(status, 0) for status in RegistrationStatus}
    total = (by_status[RegistrationStatus(filters.status)] if filters.status
             else sum(by_status.values()))
    pages = max(1, -(-total // per_page))
    page = min(filters.page, pages)
    registrations = db.session.scalars(
        select(Registration).where(*conditions(event.id, filters))
        .order_by(*ordering(filters))
        .limit(per_page).offset((page - 1) * per_page)
        .options(selectinload(Registration.choices))).all()
    waiting = [r.id for r in registrations if r.status == RegistrationStatus.WAITLISTED]
    return Page(registrations=list(registrations), total=total, by_status=by_status,
                page=page, pages=pages, per_page=per_page, positions=waitlist_positions(event.id, waiting),
                workshops=event_workshops(event.id))


def waitlist_positions(event_id: int, registration_ids: list[int]) -> dict[int, int]:
    """Positions on the waiting list (1 is promoted next) of these registrations, in
    one query; the order is that of :func:`services.waitlist_position`."""
    if not registration_ids:
        return {}
    ranked = (select(Registration.id,
                     func.row_number().over(order_by=(Registration.created_at,
                                                       Registration.id)).label("position"))
              .where(Registration.event_id == event_id,
                     Registration.status == RegistrationStatus.WAITLISTED)
              .subquery())
    return dict(db.session.execute(
        select(ranked.c.id, ranked.c.position)
        .where(ranked.c.id.in_(registration_ids))).all())


def filter_options(event_id: int) -> dict[str, list[str]]:
    """Courses and sectors that occur in this event's registrations, for the filters."""
    def distinct(column):
        return [value for value in db.session.scalars(
            select(column).where(Registration.event_id == event_id, column.is_not(None),
                                 column != "").distinct().order_by(column))]

    return {"courses": distinct(Registration.course), "sectors": distinct(Registration.sector)}


def choices_summary(registration: Registration, workshops: Mapping[int, Workshop]) -> str:
    """« n°3, n°1, n°5 » per slot, slots separated by « ; »."""
    slots: dict[int, list[str]] = {}
    for choice in sorted(registration.choices, key=lambda c: (c.session_id, c.rank)):
        workshop = workshops.get(choice.workshop_id)
        if workshop is not None:
            slots.setdefault(choice.session_id, []).append(f"n°\u00a0{workshop.number}")
    return "\u202f; ".join(", ".join(numbers) for numbers in slots.values())


def local_time(moment: datetime, zone: str) -> datetime:
    """A stored (naive UTC) time in the event's time zone."""
    return moment.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(zone))
