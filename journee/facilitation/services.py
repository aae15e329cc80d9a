"""Facilitator links and what the facilitator space shows.

No request here: views pass the acting account or link as a readable ``actor`` and the
public base URL; every change is added to the session for the caller to commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, defer, joinedload, selectinload

from ..audit.log import record
from ..audit.models import AuditEntry
from ..documents.workshop_list_xlsx import ListedPerson, WorkshopList
from ..extensions import db
from ..formatting import NBSP, format_date, format_datetime, format_time_range
from ..mail import queue_email, queue_failed
from ..mail_models import OutboxMessage, OutboxStatus
from ..programme.models import Event, Participation, Person, Session, Workshop
from ..registration.models import Registration
from ..util.clock import utcnow
from .links import workshops_of
from .models import FacilitatorLink

AUDIT_PER_PAGE = 100


# The organiser's overview -------------------------------------------------------------

@dataclass
class FacilitatorRow:
    """A person facilitating one workshop, with the state of their link for the event."""

    person: Person
    roles: list[str]
    link: FacilitatorLink | None
    """Their active link, if any."""
    revoked: FacilitatorLink | None = None
    """Their last revoked link, when they have no active one."""
    last_email: OutboxMessage | None = None
    """The last e-mail of their active link still in the outbox (without its body)."""


@dataclass
class WorkshopTeam:
    workshop: Workshop
    facilitators: list[FacilitatorRow] = field(default_factory=list)


@dataclass
class Overview:
    teams: list[WorkshopTeam]
    waiting: int
    """People « Envoyer les liens à tous » would send their link to (:func:`is_waiting`)."""
    without_email: int
    sent: int = 0
    """People whose active link was e-mailed to them (the server accepted it)."""
    pending: int = 0
    """People whose link's e-mail waits for the mail server."""
    failed: int = 0
    """People whose link's e-mail could not be written."""


def overview(event: Event) -> Overview:
    """Every workshop facilitator of the event, by workshop in programme order, with their
    link: two queries whatever the number of people."""
    participations = db.session.scalars(
        _workshop_participations(event)
        .options(contains_eager(Participation.workshop).options(
                     contains_eager(Workshop.session), joinedload(Workshop.room)),
                 joinedload(Participation.person))
        .order_by(Session.starts_at, Workshop.number, Participation.position,
                  Participation.id)).unique().all()
    active, revoked, emails = _links_by_person(event)

    teams: dict[int, WorkshopTeam] = {}
    rows: dict[tuple[int, int], FacilitatorRow] = {}
    for participation in participations:
        team = teams.setdefault(participation.workshop_id,
                                WorkshopTeam(participation.workshop))
        key = (participation.workshop_id, participation.person_id)
        row = rows.get(key)
        if row is None:
            person_id = participation.person_id
            link = active.get(person_id)
            row = rows[key] = FacilitatorRow(
                participation.person, [], link,
                None if link else revoked.get(person_id),
                emails.get(link.id) if link else None)
            team.facilitators.append(row)
        if participation.role_label not in row.roles:
            row.roles.append(participation.role_label)

    people = {row.person.id: row for row in rows.values()}.values()
    waiting = sum(1 for row in people if is_waiting(row))
    without_email = sum(1 for row in people if not row.person.email)
    states = [email_state(row) for row in people]
    return Overview(list(teams.values()), waiting, without_email, sent=states.count("sent"),
                    pending=states.count("pending"), failed=states.count("failed"))


def email_state(row: FacilitatorRow) -> str | None:
    """What became of the e-mail of someone's active link: ``sent``, ``pending``,
    ``failed``, or ``None`` (no link, or never e-mailed). A link e-mailed long ago whose
    message has left the outbox counts as sent."""
    if row.link is None:
        return None
    if row.last_email is None:
        return "sent" if row.link.sent_at is not None else None
    return {OutboxStatus.SENT: "sent", OutboxStatus.PENDING: "pending",
            OutboxStatus.FAILED: "failed"}.get(row.last_email.status)


def is_waiting(row: FacilitatorRow) -> bool:
    """Whether « send to all » sends this person their link: they have an address and no
    link sent yet. A revoked link is not replaced behind the organiser's back."""
    if not row.person.email:
        return False
    if row.link is None:
        return row.revoked is None
    return row.link.sent_at is None


def _workshop_participations(event: Event):
    return (select(Participation)
            .join(Workshop, Participation.workshop_id == Workshop.id)
            .join(Session, Workshop.session_id == Session.id)
            .where(Session.event_id == event.id))


def _links_by_person(event: Event) -> tuple[dict[int, FacilitatorLink],
                                             dict[int, FacilitatorLink],
                                             dict[int, OutboxMessage]]:
    """The active and the revoked links by person, and each link's last e-mail."""
    active: dict[int, FacilitatorLink] = {}
    revoked: dict[int, FacilitatorLink] = {}
    emails: dict[int, OutboxMessage] = {}
    last_email = (select(func.max(OutboxMessage.id))
                  .where(OutboxMessage.facilitator_link_id == FacilitatorLink.id)
                  .correlate(FacilitatorLink).scalar_subquery())
    for link, email in db.session.execute(
            select(FacilitatorLink, OutboxMessage).filter_by(event_id=event.id)
            .outerjoin(OutboxMessage, OutboxMessage.id == last_email)
            .options(defer(OutboxMessage.message))
            .order_by(FacilitatorLink.created_at, FacilitatorLink.id)):
        # Later rows win: the newest active link, the most recently revoked one.
        (active if link.is_active else revoked)[link.person_id] = link
        if email is not None:
            emails[link.id] = email
    return active, revoked, emails


def facilitator_of(event: Event, person_id: int) -> Person | None:
    """The person if they facilitate a workshop of this event, else ``None``."""
    found = db.session.scalar(_workshop_participations(event)
                              .where(Participation.person_id == person_id).limit(1))
    return found.person if found is not None else None


# Creating, sending, revoking ------------------------------------------------------------

def active_link(event: Event, person: Person) -> FacilitatorLink | None:
    return db.session.scalar(
        select(FacilitatorLink).filter_by(event_id=event.id, person_id=person.id,
                                          revoked_at=None)
        .order_by(FacilitatorLink.created_at.desc(), FacilitatorLink.id.desc()).limit(1))


def create_link(event: Event, person: Person, actor: str) -> tuple[FacilitatorLink, bool]:
    """The person's active link for the event, created if they have none.

    Returns the link and whether it was created: one link per person and event, which
    opens all their workshops of that event.
    """
    existing = active_link(event, person)
    if existing is not None:
        return existing, False
    link = FacilitatorLink(event=event, person=person, created_by=actor[:200])
    db.session.add(link)
    db.session.flush()
    record("facilitator_link.create", actor=actor, event=event, target=person.full_name,
           link=link)
    return link, True


def revoke_link(link: FacilitatorLink, actor: str) -> None:
    """Stop the link from opening anything, at once and for good."""
    link.revoked_at = utcnow()
    record("facilitator_link.revoke", actor=actor, event=link.event,
           target=link.person.full_name, link=link)


def regenerate_link(event: Event, person: Person, actor: str) -> FacilitatorLink:
    """Revoke the person's active link(s) and give them a new one."""
    for old in db.session.scalars(select(FacilitatorLink).filter_by(
            event_id=event.id, person_id=person.id, revoked_at=None)):
        old.revoked_at = utcnow()
    link = FacilitatorLink(event=event, person=person, created_by=actor[:200])
    db.session.add(link)
    db.session.flush()
    record("facilitator_link.regenerate", actor=actor, event=event,
           target=person.full_name, link=link)
    return link


def link_url(link: FacilitatorLink, base_url: str) -> str:
    """The link to e-mail: a new one if it cannot be derived again (the caller commits)."""
    return f"{base_url.rstrip('/')}/f/{link.token}"


def shown_link_url(link: FacilitatorLink, base_url: str) -> str | None:
    """The link to show the organiser, if it can be derived again; never a new one, so
    that displaying a page does not replace a link already given."""
    token = link.derived_token()
    return f"{base_url.rstrip('/')}/f/{token}" if token else None


def queue_link_email(link: FacilitatorLink, base_url: str, actor: str) -> OutboxMessage | None:
    """E-mail the link to its person; ``None`` when they have no address.

    A message that cannot be written is recorded as failed, tied to the link for the
    organiser to see, and leaves ``sent_at`` as it was.
    """
    person, event = link.person, link.event
    if not person.email:
        return None
    subject = f"Votre espace animateur·rice{NBSP}: {event.title}"
    try:
        context = {
            "subject": subject, "person": person, "event": event,
            "link_url": link_url(link, base_url),
            "workshops": [_workshop_line(workshop, event) for workshop in workshops_of(link)],
            "sender": event.host_organisation or current_app.config["INSTITUTE_NAME"],
        }
        message = queue_email(
            "facilitator_link", person.email, subject,
            text_body=_tidy(render_template("emails/facilitator_link.txt", **context)),
            html_body=render_template("emails/facilitator_link.html", **context),
            reply_to=event.contact_email or None)
    except Exception as error:
        message = queue_failed("facilitator_link", person.email, subject, error)
    message.facilitator_link_id = link.id
    if message.status == OutboxStatus.FAILED:
        return message
    link.sent_at = utcnow()
    record("facilitator_link.send", actor=actor, event=event, target=person.full_name,
           link=link)
    return message


def give_link(event: Event, person: Person, base_url: str, actor: str
              ) -> tuple[FacilitatorLink, OutboxMessage | None] | None:
    """Create the person's link and e-mail it to them (see :func:`queue_link_email`);
    ``None`` when they have an active link already, and nothing changes."""
    link, created = create_link(event, person, actor)
    if not created:
        return None
    return link, queue_link_email(link, base_url, actor)


def replace_link(event: Event, person: Person, base_url: str, actor: str
                 ) -> tuple[FacilitatorLink, OutboxMessage | None]:
    """Revoke the person's link, give them a new one and e-mail it."""
    link = regenerate_link(event, person, actor)
    return link, queue_link_email(link, base_url, actor)


@dataclass
class SendAllResult:
    sent: list[Person]
    without_email: list[Person]
    failed: list[Person] = field(default_factory=list)
    """Those whose e-mail could not be written (see the links page for why)."""
    messages: list[OutboxMessage] = field(default_factory=list)
    """The e-mails queued for ``sent``: once committed, their status says which left."""


def send_all(event: Event, base_url: str, actor: str) -> SendAllResult:
    """Send their link to everyone with an e-mail address who has no sent active link
    (creating the links that are missing), except those whose link was revoked; report
    those who have no address."""
    result = SendAllResult([], [])
    seen: set[int] = set()
    for team in overview(event).teams:
        for row in team.facilitators:
            person = row.person
            if person.id in seen:
                continue
            seen.add(person.id)
            if not person.email:
                result.without_email.append(person)
                continue
            if not is_waiting(row):
                continue
            link = row.link or create_link(event, person, actor)[0]
            message = queue_link_email(link, base_url, actor)
            failed = message.status == OutboxStatus.FAILED
            (result.failed if failed else result.sent).append(person)
            if not failed:
                result.messages.append(message)
    return result


def _workshop_line(workshop: Workshop, event: Event) -> str:
    """« Atelier n° 3 : Protection de l’enfance — jeudi 15 mars 2018, 10 h 45 – 12 h 30,
    salle Europe »."""
    session = workshop.session
    when = f"{format_date(session.starts_at.date())}, " \
           f"{format_time_range(session.starts_at, session.ends_at)}"
    room = f", {room_label(workshop.room.name)}" if workshop.room else ""
    return f"{workshop.label} — {when}{room}"


def room_label(name: str) -> str:
    """« salle Europe », but « Salle 1 » as the room is named."""
    return name if name[:5].casefold() == "salle" else f"salle {name}"


def _tidy(text: str) -> str:
    """At most one blank line in a row in the plain-text body."""
    return re.sub(r"\n{3,}", "\n\n", text.strip()) + "\n"


# The facilitator's space ----------------------------------------------------------------

@dataclass
class TeamMember:
    """A facilitator of a workshop as their co-facilitators see them."""

    person: Person
    roles: list[str]
    affiliation: str
    is_self: bool


@dataclass
class FacilitatorWorkshop:
    workshop: Workshop
    team: list[TeamMember]
    attendees: int


def team_of(workshop: Workshop, self_id: int | None = None) -> list[TeamMember]:
    """The workshop's facilitators, one entry per person with all their roles."""
    members: dict[int, TeamMember] = {}
    for participation in workshop.facilitators:
        member = members.get(participation.person_id)
        if member is None:
            member = members[participation.person_id] = TeamMember(
                participation.person, [], participation.affiliation,
                participation.person_id == self_id)
        if participation.role_label not in member.roles:
            member.roles.append(participation.role_label)
    return list(members.values())


def load_workshops(link: FacilitatorLink) -> list[Workshop]:
    """The link's workshops with their slot, room and facilitators loaded up front."""
    return with_details(workshops_of(link))


def with_details(workshops: list[Workshop]) -> list[Workshop]:
    """Load the slot, room and facilitators (with their person) of these workshops in
    two queries, rather than a few per workshop and per person."""
    if not workshops:
        return []
    loaded = {w.id: w for w in db.session.scalars(
        select(Workshop).where(Workshop.id.in_([w.id for w in workshops]))
        .options(joinedload(Workshop.session), joinedload(Workshop.room),
                 selectinload(Workshop.facilitators).joinedload(Participation.person))
        .execution_options(populate_existing=True))}
    return [loaded[w.id] for w in workshops]


def facilitator_workshops(link: FacilitatorLink, workshops: list[Workshop],
                          attendees: dict[int, int]) -> list[FacilitatorWorkshop]:
    """What the facilitator's home page shows of each of their workshops.

    :param workshops: the link's workshops, from :func:`load_workshops`.
    :param attendees: the number of attendees per workshop id.
    """
    return [FacilitatorWorkshop(workshop, team_of(workshop, link.person_id),
                                attendees.get(workshop.id, 0))
            for workshop in workshops]


def listed_person(registration: Registration, with_contact: bool) -> ListedPerson:
    """What a facilitator may see of an attendee: never the accommodation needs, and the
    e-mail and phone only when the event allows it."""
    return ListedPerson(
        last_name=registration.last_name, first_name=registration.first_name,
        organisation=registration.organisation, function=registration.function,
        profile=registration.profile_label,
        email=registration.email if with_contact else None,
        phone=registration.phone if with_contact else None)


def workshop_list(workshop: Workshop, members: list[Registration]) -> WorkshopList:
    event, session = workshop.session.event, workshop.session
    with_contact = event.facilitators_see_contact
    return WorkshopList(
        workshop=workshop.label, event_title=event.title, day=session.starts_at.date(),
        starts_at=session.starts_at, ends_at=session.ends_at,
        room=workshop.room.name if workshop.room else "",
        people=[listed_person(member, with_contact) for member in members],
        with_contact=with_contact)


# The access log ---------------------------------------------------------------------

@dataclass
class AuditPage:
    entries: list[AuditEntry]
    page: int
    pages: int
    total: int


def audit_page(event: Event, page: int = 1, per_page: int = AUDIT_PER_PAGE) -> AuditPage:
    """One page of the event's audit log, newest first."""
    total = db.session.scalar(select(func.count(AuditEntry.id))
                              .where(AuditEntry.event_id == event.id)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.event_id == event.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(per_page).offset((page - 1) * per_page)).all()
    return AuditPage(list(entries), page, pages, total)


def local_moment(moment: datetime | None, zone: str = "Europe/Paris") -> str:
    """A stored naive UTC time as the event's wall-clock time, in French:
    « jeudi 15 mars 2018 à 10 h 47 »."""
    if moment is None:
        return ""
    local = moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone or "Europe/Paris"))
    return format_datetime(local.replace(tzinfo=None))
