"""Writing, reviewing and publishing syntheses, and gathering what the booklet prints.

Facilitators write a workshop's synthesis (draft, then submitted); they may correct it
until the organiser publishes it, after which only the organiser edits it. The organiser
writes the day's synthesis and its reading list. Nothing here reads the request.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from ..documents.booklet_pdf import (
    Booklet,
    BookletDaySynthesis,
    BookletPerson,
    BookletSession,
    BookletWorkshop,
)
from ..errors import JourneeError
from ..extensions import db
from ..programme.models import Event, Participation, Session, SessionKind, Workshop
from ..programme.queries import programme_options
from ..util.clock import utcnow
from .models import DaySynthesis, SynthesisStatus, WorkshopSynthesis

#: The four parts of a workshop's synthesis: attribute, form label, heading when printed.
PARTS = (
    ("key_points", "Points clés", "Points clés"),
    ("questions", "Questions soulevées", "Questions soulevées"),
    ("proposals", "Propositions", "Propositions"),
    ("free_text", "Texte libre", "Compte rendu"),
)

DEFAULT_DAY_TITLE = "Restitution des ateliers"

#: What the organiser's list and the working booklet say of each state.
STATUS_NOTES = {
    None: "",
    SynthesisStatus.DRAFT: "Brouillon : texte en cours de rédaction, non relu.",
    SynthesisStatus.SUBMITTED: "Remise aux organisateurs, pas encore publiée.",
    SynthesisStatus.PUBLISHED: "",
}


class SynthesisPublished(JourneeError):
    """A facilitator tried to change a synthesis the organiser has published."""


class NothingToPublish(JourneeError):
    """Publishing or submitting an empty synthesis."""


@dataclass(frozen=True)
class SynthesisText:
    key_points: str = ""
    questions: str = ""
    proposals: str = ""
    free_text: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name, _, _ in PARTS)

    @classmethod
    def of(cls, synthesis: WorkshopSynthesis | None) -> SynthesisText:
        if synthesis is None:
            return cls()
        return cls(**{name: getattr(synthesis, name) or "" for name, _, _ in PARTS})


@dataclass(frozen=True)
class WorkshopRow:
    """A workshop and its synthesis (if any) on the organiser's list."""

    workshop: Workshop
    synthesis: WorkshopSynthesis | None

    @property
    def status_label(self) -> str:
        return self.synthesis.status_label if self.synthesis else "Pas encore écrite"


def is_empty(synthesis: WorkshopSynthesis | None) -> bool:
    return SynthesisText.of(synthesis).is_empty


def synthesis_of(workshop: Workshop) -> WorkshopSynthesis | None:
    return db.session.scalar(db.select(WorkshopSynthesis).filter_by(workshop_id=workshop.id))


def _write(workshop: Workshop, text: SynthesisText, by: str) -> WorkshopSynthesis:
    synthesis = synthesis_of(workshop)
    if synthesis is None:
        synthesis = WorkshopSynthesis(workshop=workshop, status=SynthesisStatus.DRAFT)
        db.session.add(synthesis)
    for name, _, _ in PARTS:
        setattr(synthesis, name, getattr(text, name))
    synthesis.updated_by = by[:300]
    synthesis.updated_at = utcnow()
    return synthesis


def save_by_facilitator(workshop: Workshop, text: SynthesisText, *, by: str,
                        submit: bool = False) -> WorkshopSynthesis:
    """Save a facilitator's text; ``submit`` hands it to the organisers.

    A submitted synthesis stays submitted when corrected; a published one is no longer
    the facilitators' to change.
    """
    current = synthesis_of(workshop)
    if current is not None and current.status == SynthesisStatus.PUBLISHED:
        raise SynthesisPublished(
            "Les organisateurs ont publié cette synthèse : elle ne peut plus être modifiée "
            "ici. Écrivez-leur pour toute correction.")
    if submit and text.is_empty:
        raise NothingToPublish("Écrivez au moins une des quatre parties avant de remettre "
                               "la synthèse aux organisateurs.")
    synthesis = _write(workshop, text, by)
    if submit:
        synthesis.status = SynthesisStatus.SUBMITTED
        synthesis.submitted_at = utcnow()
    return synthesis


def save_by_organiser(workshop: Workshop, text: SynthesisText, *, by: str) -> WorkshopSynthesis:
    """The organiser's edit keeps the state: a published synthesis changes at once."""
    return _write(workshop, text, by)


def publish(synthesis: WorkshopSynthesis) -> None:
    if is_empty(synthesis):
        raise NothingToPublish("Cette synthèse est vide : rien à publier.")
    synthesis.status = SynthesisStatus.PUBLISHED
    synthesis.published_at = utcnow()


def unpublish(synthesis: WorkshopSynthesis) -> None:
    """Back to where it stood before: submitted if the facilitators handed it in."""
    synthesis.status = (SynthesisStatus.SUBMITTED if synthesis.submitted_at
                        else SynthesisStatus.DRAFT)
    synthesis.published_at = None


def day_synthesis_of(event: Event) -> DaySynthesis | None:
    return db.session.scalar(db.select(DaySynthesis).filter_by(event_id=event.id))


def save_day_synthesis(event: Event, *, title: str, authors: str, body: str,
                       reading_list: str, by: str) -> DaySynthesis:
    day = day_synthesis_of(event)
    if day is None:
        day = DaySynthesis(event=event)
        db.session.add(day)
    day.title = title or DEFAULT_DAY_TITLE
    day.authors = authors
    day.body = body
    day.reading_list = reading_list
    day.updated_by = by[:300]
    day.updated_at = utcnow()
    return day


def publish_day(day: DaySynthesis) -> None:
    if not (day.body.strip() or day.reading_list.strip()):
        raise NothingToPublish("La synthèse de la journée est vide : rien à publier.")
    day.published_at = utcnow()


def unpublish_day(day: DaySynthesis) -> None:
    day.published_at = None


# Reading ------------------------------------------------------------------------------

def workshop_slots(event: Event) -> list[tuple[Session, list[WorkshopRow]]]:
    """Every workshop slot of the event with its workshops and their syntheses, in
    programme order (three queries whatever the number of workshops)."""
    slots = list(db.session.scalars(
        db.select(Session)
        .where(Session.event_id == event.id, Session.kind == SessionKind.WORKSHOPS)
        .order_by(Session.starts_at, Session.position, Session.id)
        .options(selectinload(Session.workshops))))
    workshop_ids = [w.id for slot in slots for w in slot.workshops]
    syntheses = {s.workshop_id: s for s in db.session.scalars(
        db.select(WorkshopSynthesis).where(WorkshopSynthesis.workshop_id.in_(workshop_ids)))}
    return [(slot, [WorkshopRow(w, syntheses.get(w.id)) for w in slot.workshops])
            for slot in slots]


def has_published(event: Event) -> bool:
    """Whether the public syntheses page has anything to show (one query)."""
    workshop = (db.select(WorkshopSynthesis.id)
                .join(Workshop, WorkshopSynthesis.workshop_id == Workshop.id)
                .join(Session, Workshop.session_id == Session.id)
                .where(Session.event_id == event.id,
                       WorkshopSynthesis.status == SynthesisStatus.PUBLISHED))
    day = db.select(DaySynthesis.id).where(DaySynthesis.event_id == event.id,
                                           DaySynthesis.published_at.is_not(None))
    return bool(db.session.scalar(db.select(or_(workshop.exists(), day.exists()))))


@dataclass(frozen=True)
class PublicSyntheses:
    """What the public page shows: published workshop syntheses and day synthesis."""

    workshops: list[tuple[Workshop, WorkshopSynthesis]]
    day: DaySynthesis | None

    @property
    def is_empty(self) -> bool:
        return not self.workshops and self.day is None


def syntheses_of(event: Event, published_only: bool) -> PublicSyntheses:
    """Workshops (of an event loaded with its programme) and their syntheses; with
    ``published_only``, the published ones and the day synthesis if published."""
    workshops = [w for s in event.sessions for w in s.workshops]
    syntheses = {s.workshop_id: s for s in db.session.scalars(
        db.select(WorkshopSynthesis).where(
            WorkshopSynthesis.workshop_id.in_([w.id for w in workshops])))}
    day = day_synthesis_of(event)
    if published_only:
        workshops = [w for w in workshops if w.id in syntheses
                     and syntheses[w.id].status == SynthesisStatus.PUBLISHED
                     and not is_empty(syntheses[w.id])]
        if day is not None and (day.published_at is None
                                or not (day.body.strip() or day.reading_list.strip())):
            day = None
    return PublicSyntheses([(w, syntheses.get(w.id)) for w in workshops], day)


def event_with_programme_by_id(event_id: int) -> Event:
    """The event with its whole programme, refreshed from the database in a few queries."""
    return db.session.scalar(
        db.select(Event).filter_by(id=event_id).options(*programme_options())
        .execution_options(populate_existing=True))


def role_of(participation: Participation) -> str:
    """« Praticien·ne », « Formateur·rice »: the programme's role without « (atelier) »."""
    return participation.role_label.removesuffix(" (atelier)")


def booklet_for(event: Event, published_only: bool) -> Booklet:
    """The booklet's data: the public one (``published_only``) or the organiser's working
    copy with every text written so far, unpublished ones marked."""
    event = event_with_programme_by_id(event.id)
    found = syntheses_of(event, published_only)
    workshops = []
    for workshop, synthesis in found.workshops:
        text = SynthesisText.of(synthesis)
        status = synthesis.status if synthesis is not None else None
        workshops.append(BookletWorkshop(
            number=workshop.number, title=workshop.title, sector=workshop.sector,
            room=workshop.room.name if workshop.room else "",
            facilitators=[BookletPerson(p.person.full_name, role_of(p), p.affiliation)
                          for p in workshop.facilitators],
            parts=[(heading, getattr(text, name)) for name, _, heading in PARTS],
            status_note=STATUS_NOTES[status]))
    day_part = None
    reading_list = ""
    if found.day is not None:
        reading_list = found.day.reading_list
        if found.day.body.strip():
            day_part = BookletDaySynthesis(
                title=found.day.title, authors=found.day.authors, body=found.day.body,
                status_note="" if found.day.published_at else
                "Brouillon : pas encore publiée.")
    sessions = [BookletSession(s.starts_at, s.ends_at, s.kind_label, s.title)
                for s in event.sessions]
    return Booklet(
        event_title=event.title, edition=event.edition, starts_on=event.starts_on,
        ends_on=event.ends_on, place=event.full_address,
        host_organisation=event.host_organisation, partners=event.partners,
        sessions=sessions, workshops=workshops, day_synthesis=day_part,
        reading_list=reading_list, working_copy=not published_only)

