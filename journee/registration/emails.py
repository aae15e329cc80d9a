"""The e-mails an attendee receives about their registration.

Each one is queued in the outbox (:mod:`journee.mail`) in the caller's transaction. Bodies
come from ``templates/emails/<name>.txt`` (sent as is) and ``.html`` (autoescaped). The
accommodation needs are never written in an e-mail: they are sensitive, and an e-mail is
copied to servers and devices the institute does not control.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby

from flask import Flask, current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from .. import ratelimit
from ..extensions import db
from ..formatting import NBSP, format_date, format_time, format_time_range
from ..mail import (
    Attachment,
    NothingToSend,
    build_message,
    build_message_and_copy,
    keep_copy,
    queue_email,
    queue_failed,
    queue_to_compose,
    register_composer,
    shared_in_round,
)
from ..mail_models import OutboxMessage, OutboxStatus
from ..programme.models import Event, Session, Workshop, WorkshopMode
from ..programme.queries import event_with_workshops_by_id
from .address import MAX_AGE_SECONDS, make_change_token
from .calendar import attendee_day_links, build_attendee_ics
from .email_texts import opening, self_service_url, text_kind
from .models import Registration, RegistrationStatus, WorkshopChoice
from .services import first_come_workshops

COLON = NBSP + ":"


@dataclass
class DayHours:
    day: date
    start: datetime | None
    end: datetime | None


@dataclass
class SlotChoices:
    session: Session
    when: str
    """« 10 h 45 – 12 h 30 », with the day first when the event lasts several days."""
    choices: list[WorkshopChoice]


KIND_LABELS = {
    "confirmation": "Confirmation d’inscription",
    "promotion": "Place libérée",
    "reminder": "Rappel avant la journée",
    "self_service_link": "Lien personnel renvoyé",
    "assignment": "Atelier attribué",
    "no_workshop": "Sans atelier après la répartition",
    "workshop_place": "Atelier obtenu après la répartition",
    "certificate": "Attestation de présence",
    "completion_certificate": "Certificat de réalisation",
    "address_change": "Confirmation d’une nouvelle adresse",
    "address_replaced": "Avis à l’ancienne adresse",
    "programme_change": "Programme modifié",
    "change": "Modifications enregistrées",
    "cancellation": "Annulation",
}
"""What each kind of message a registration receives is, for the organiser's pages."""


def messages_of(registration: Registration) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.registration_id == registration.id).order_by(OutboxMessage.id)))


def failed_messages(event: Event) -> list[tuple[OutboxMessage, Registration]]:
    """The messages of the event's registrations that could not be written."""
    return list(db.session.execute(
        select(OutboxMessage, Registration)
        .join(Registration, OutboxMessage.registration_id == Registration.id)
        .where(Registration.event_id == event.id,
               OutboxMessage.status == OutboxStatus.FAILED)
        .order_by(OutboxMessage.id)).all())


def queue_registration_confirmation(registration: Registration,
                                    base_url: str) -> OutboxMessage | None:
    """Confirm a registration (or its place on the waiting list), with the day attached.

    Returns ``None`` when the registration has no e-mail address (entered by staff for
    someone without one). The caller commits.
    """
    workshops = new_registration_workshops(registration)
    subject, attachments = _confirmation_subject(registration, base_url, workshops)
    return queue_to_attendee("confirmation", "emails/confirmation", subject, registration,
                             base_url, attachments, assigned=workshops)


def _confirmation_subject(registration: Registration, base_url: str,
                          workshops: dict[int, Workshop] | None = None
                          ) -> tuple[str, Attachments]:
    """The waiting list gets no calendar: they have no place yet."""
    title = registration.event.title
    if registration.status == RegistrationStatus.WAITLISTED:
        return f"Liste d’attente{COLON} {title}", lambda: ()
    return (f"Inscription confirmée{COLON} {title}",
            lambda: (calendar_attachment(registration, base_url, workshops),))


def new_registration_workshops(registration: Registration) -> dict[int, Workshop]:
    """The workshops of someone who has just registered or been promoted, per slot: in
    first-come mode the one whose place they took; in preferences mode none, since
    nothing is published to them yet. Their calendar and its links both show these."""
    if registration.event.workshop_mode == WorkshopMode.FIRST_COME:
        return first_come_workshops(registration)
    return {}


def queue_promotion_notice(registration: Registration, base_url: str) -> OutboxMessage | None:
    """Tell someone promoted from the waiting list that their place is confirmed."""
    subject = f"Une place s’est libérée{COLON} {registration.event.title}"
    workshops = new_registration_workshops(registration)
    return queue_to_attendee("promotion", "emails/promotion", subject, registration,
                             base_url, lambda: (calendar_attachment(registration, base_url,
                                                                    workshops),),
                             assigned=workshops)


def queue_change_confirmation(registration: Registration, base_url: str, changes: list,
                              workshops: dict[int, Workshop] | None,
                              withdrawn: list[Workshop]) -> OutboxMessage | None:
    """Confirm the changes just saved (:class:`.changes.Changed` rows), with the day as
    it now stands when the person has a place (*workshops*: theirs per slot; the
    *withdrawn* ones, which they left, cancelled in it)."""
    subject = (f"Vos modifications pour «{NBSP}{registration.event.title}{NBSP}» sont "
               "enregistrées")
    attachments = ((lambda: (calendar_attachment(registration, base_url, workshops,
                                                 withdrawn=withdrawn),))
                   if workshops is not None else lambda: ())
    return queue_to_attendee("change", "emails/change", subject, registration, base_url,
                             attachments, {"changes": changes,
                                           "with_calendar": workshops is not None})


def queue_cancellation_notice(registration: Registration, base_url: str,
                              workshops: dict[int, Workshop] | None) -> OutboxMessage | None:
    """Confirm a cancellation; someone who had a place (*workshops*: theirs per slot, as
    their last calendar showed them) gets the calendar that removes the day from theirs."""
    subject = f"Inscription annulée{COLON} {registration.event.title}"
    attachments = ((lambda: (calendar_attachment(registration, base_url, workshops,
                                                 cancelled=True),))
                   if workshops is not None else lambda: ())
    return queue_to_attendee("cancellation", "emails/cancellation", subject, registration,
                             base_url, attachments, {"with_calendar": workshops is not None})


Attachments = Callable[[], tuple[Attachment, ...]]
"""The attachments of a message, made while it is written (so that one that cannot be
made marks the message failed rather than breaking the request that queues it)."""


def queue_to_attendee(kind: str, template: str, subject: str, registration: Registration,
                      base_url: str, attachments: Attachments = lambda: (),
                      extra: dict | None = None,
                      assigned: dict[int, Workshop] | None = None) -> OutboxMessage | None:
    """Queue a message written from *template* (``.txt`` and ``.html``) with the
    registration's context and *extra*; ``None`` when the person has no address, a
    failed row when it cannot be written. *assigned*: the workshops its calendar
    shows, when the caller has them (see :func:`_context`)."""
    if not registration.email:
        return None
    try:
        subject, parts = _render(kind, template, subject, registration, base_url,
                                 attachments, extra, assigned)
    except Exception as error:
        return queue_failed(kind, registration.email, subject, error, registration.id)
    return queue_email(kind, registration.email, subject, registration_id=registration.id,
                       **parts)


def _render(kind: str, template: str, subject: str, registration: Registration,
            base_url: str, attachments: Attachments = lambda: (),
            extra: dict | None = None,
            assigned: dict[int, Workshop] | None = None) -> tuple[str, dict]:
    """The subject and the parts of the message: the event's own text of this kind of
    message, if it has one (see :mod:`.email_texts`), replaces the default subject and
    opening words; the rest comes from the templates."""
    words = opening(text_kind(kind, registration), registration, base_url)
    if words is not None and words.subject:
        subject = words.subject
    context = (_context(registration, base_url, assigned)
               | {"subject": subject, "opening": words}
               | (extra or {}))
    return subject, {"text_body": _tidy(render_template(f"{template}.txt", **context)),
                     "html_body": render_template(f"{template}.html", **context),
                     "attachments": attachments(),
                     "reply_to": registration.event.contact_email or None}


def queue_registration_confirmation_later(registration: Registration) -> OutboxMessage | None:
    """Queue the confirmation for the sender to write (see :func:`mail.queue_to_compose`):
    the public form must stay quick under a rush."""
    if not registration.email:
        return None
    return queue_to_compose("confirmation", registration.email, registration.id)


def _prepare_confirmations(batch: list[OutboxMessage]) -> list[Registration]:
    """The registrations of a batch of confirmations and their choices, in two queries
    rather than two per message (see :func:`mail.register_composer`)."""
    return list(db.session.scalars(
        select(Registration)
        .where(Registration.id.in_({outbox.registration_id for outbox in batch}))
        .options(selectinload(Registration.choices))))


def _compose_confirmation(outbox: OutboxMessage) -> None:
    registration = db.session.get(Registration, outbox.registration_id)
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        raise NothingToSend("inscription annulée ou supprimée avant l’envoi")
    # The sessions and workshops the message names, in one query rather than one per
    # session; once for all the confirmations of a round. The calendar attached is drawn
    # from the whole programme only when it has changed (see .calendar).
    shared_in_round(("programme", registration.event_id),
                    lambda: event_with_workshops_by_id(registration.event_id))
    base_url = current_app.config["PUBLIC_BASE_URL"]
    workshops = new_registration_workshops(registration)
    subject, attachments = _confirmation_subject(registration, base_url, workshops)
    subject, parts = _render("confirmation", "emails/confirmation", subject, registration,
                             base_url, attachments, assigned=workshops)
    outbox.subject = subject[:300]
    keep_copy(outbox, *build_message_and_copy(outbox.to_address, subject, **parts))



# What anyone can have sent to an address by typing it in a public form -----------------
#
# Queued with one outbox row whatever the address, and written by the sender: the request
# costs the same for an address registered or not, and only the sender looks it up.

UNASKED_EMAILS = "unasked-email"
HOUR = timedelta(hours=1)


def _spend_unasked_budget(address: str) -> None:
    """Count one e-mail sent to this address on anyone's request; beyond
    ``EMAILS_PER_ADDRESS_PER_HOUR`` in the last hour, nothing more is sent."""
    limit = current_app.config["EMAILS_PER_ADDRESS_PER_HOUR"]
    if ratelimit.exceeded(UNASKED_EMAILS, address, limit, HOUR):
        raise NothingToSend("limite horaire d’e-mails atteinte pour cette adresse")
    ratelimit.record(UNASKED_EMAILS, address)


def queue_link_request(address: str) -> OutboxMessage:
    """Send the self-service links of every registration of this address, if any."""
    return queue_to_compose("link_request", address, None)


def _compose_link_request(outbox: OutboxMessage) -> None:
    registrations = db.session.scalars(
        select(Registration).where(Registration.email == outbox.to_address,
                                   Registration.anonymised_at.is_(None))
        .options(joinedload(Registration.event)).order_by(Registration.created_at)).all()
    if not registrations:
        # An address registered nowhere is kept nowhere either.
        outbox.to_address = ""
        raise NothingToSend("aucune inscription à cette adresse")
    _spend_unasked_budget(outbox.to_address)
    base_url = current_app.config["PUBLIC_BASE_URL"]
    subject = (f"Votre lien personnel{COLON} {registrations[0].event.title}"
               if len(registrations) == 1 else "Vos liens personnels d’inscription")
    context = {"subject": subject, "sender": current_app.config["INSTITUTE_NAME"],
               "registrations": [(r, self_service_url(r, base_url)) for r in registrations]}
    contacts = {r.event.contact_email for r in registrations}
    outbox.subject = subject[:300]
    outbox.message = build_message(
        outbox.to_address, subject,
        _tidy(render_template("emails/link_request.txt", **context)),
        render_template("emails/link_request.html", **context),
        reply_to=contacts.pop() if len(contacts) == 1 else None)


def queue_already_registered(event_id: int, address: str) -> OutboxMessage | None:
    """Someone tried to register this address again: its owner gets their link, and
    nothing else changes."""
    owner = db.session.scalar(select(Registration.id).where(
        Registration.event_id == event_id, Registration.email == address))
    if owner is None:  # erased meanwhile
        return None
    return queue_to_compose("self_service_link", address, owner)


def _compose_self_service_link(outbox: OutboxMessage) -> None:
    registration = db.session.get(Registration, outbox.registration_id)
    if registration is None or registration.email != outbox.to_address:
        raise NothingToSend("inscription supprimée ou adresse changée avant l’envoi")
    _spend_unasked_budget(outbox.to_address)
    base_url = current_app.config["PUBLIC_BASE_URL"]
    subject = f"Votre inscription{COLON} {registration.event.title}"
    subject, parts = _render("self_service_link", "emails/self_service_link", subject,
                             registration, base_url)
    outbox.subject = subject[:300]
    outbox.message = build_message(outbox.to_address, subject, **parts)


def queue_address_change(registration: Registration, address: str) -> OutboxMessage:
    """Ask the new address to confirm itself; if another registration of the event has
    it already, its owner gets their own link instead and nothing changes. Either way
    one row is queued, after the same lookup."""
    owner = db.session.scalar(select(Registration.id).where(
        Registration.event_id == registration.event_id, Registration.email == address,
        Registration.id != registration.id))
    if owner is not None:
        return queue_to_compose("self_service_link", address, owner)
    return queue_to_compose("address_change", address, registration.id)


def _compose_address_change(outbox: OutboxMessage) -> None:
    registration = db.session.get(Registration, outbox.registration_id)
    if registration is None or registration.email == outbox.to_address:
        raise NothingToSend("inscription supprimée ou adresse déjà changée")
    _spend_unasked_budget(outbox.to_address)
    event = registration.event
    # Written by the sender, outside any request: no url_for.
    link = (f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/r/adresse/"
            f"{make_change_token(registration, outbox.to_address)}")
    subject = f"Confirmez votre adresse e-mail{COLON} {event.title}"
    context = {"subject": subject, "event": event, "address": outbox.to_address,
               "link": link, "hours": MAX_AGE_SECONDS // 3600,
               "sender": event.host_organisation or current_app.config["INSTITUTE_NAME"]}
    outbox.subject = subject[:300]
    outbox.message = build_message(
        outbox.to_address, subject,
        _tidy(render_template("emails/address_change.txt", **context)),
        render_template("emails/address_change.html", **context),
        reply_to=event.contact_email or None)


def init_app(app: Flask) -> None:
    """The messages of this module that the sender writes (see :func:`queue_to_compose`)."""
    register_composer(app, "confirmation", _compose_confirmation, _prepare_confirmations)
    register_composer(app, "link_request", _compose_link_request)
    register_composer(app, "self_service_link", _compose_self_service_link)
    register_composer(app, "address_change", _compose_address_change)


def _tidy(text: str) -> str:
    """At most one blank line in a row: the conditional parts of the plain-text
    templates leave their line breaks behind."""
    return re.sub(r"\n{3,}", "\n\n", text.strip()) + "\n"


def calendar_attachment(registration: Registration, base_url: str,
                         workshops: dict[int, Workshop] | None = None, *,
                         cancelled: bool = False,
                         withdrawn: list[Workshop] | tuple = ()) -> Attachment:
    """The person's day as it stands, with *workshops* (their workshop per slot). By
    default: in first-come mode the workshop they took; in preferences mode none, since
    nothing is published to someone who has just registered or been promoted. Drawn
    once per delivery round for each combination of workshops and calendar sequence (in
    preferences mode, one file for everyone who has had no update).

    Its SEQUENCEs carry the registration's ``calendar_sequence`` (the caller raises it
    for an update); *cancelled* makes it the calendar that cancels the day; the
    *withdrawn* workshops are cancelled in it (see :func:`.calendar.build_attendee_ics`)."""
    event = registration.event
    if workshops is None:
        workshops = new_registration_workshops(registration)
    sequence = registration.calendar_sequence or 0
    key = ("day-calendar", event.id, base_url, sequence, cancelled,
           tuple(sorted((slot_id, workshop.id) for slot_id, workshop in workshops.items())),
           tuple(sorted(workshop.id for workshop in withdrawn)))
    content = shared_in_round(key, lambda: build_attendee_ics(
        event, base_url, workshops, sequence=sequence, cancelled=cancelled,
        withdrawn=withdrawn))
    return Attachment(filename=f"journee-{event.slug}.ics", content=content,
                      mimetype="text/calendar",
                      params={"method": "CANCEL" if cancelled else "PUBLISH",
                              "charset": "utf-8"})


def _context(registration: Registration, base_url: str,
             assigned: dict[int, Workshop] | None = None) -> dict:
    """What every attendee e-mail's templates read. *assigned*: the person's workshops
    as the message's calendar shows them (by default: as their page shows them)."""
    event = registration.event
    return {
        "registration": registration,
        "event": event,
        "waitlisted": registration.status == RegistrationStatus.WAITLISTED,
        "cancelled": registration.status == RegistrationStatus.CANCELLED,
        "self_service_url": self_service_url(registration, base_url),
        # Once for both bodies (see emails/_link.*).
        "day_calendars": attendee_day_links(registration, base_url, assigned),
        "programme_url": f"{base_url.rstrip('/')}/e/{event.slug}/",
        "summary": summary_rows(registration),
        "practical": practical_rows(event),
        "slots": slot_choices(registration),
        "preferences": event.workshop_mode == WorkshopMode.PREFERENCES,
        "deadline": event.registration_deadline,
        "sender": event.host_organisation or current_app.config["INSTITUTE_NAME"],
    }


def summary_rows(registration: Registration) -> list[tuple[str, str]]:
    """What the person gave, as (label, value) rows; never the accommodation needs."""
    event = registration.event
    rows = [("Nom", registration.full_name), ("Adresse e-mail", registration.email or "")]
    if registration.phone:
        rows.append(("Téléphone", registration.phone))
    rows.append(("Structure", registration.organisation))
    rows.append(("Fonction", registration.function))
    rows.append(("Profil", registration.profile_label))
    if registration.course:
        year = _ordinal(registration.course_year)
        rows.append(("Formation", f"{registration.course}, {year} année" if year
                     else registration.course))
    if registration.sector:
        rows.append(("Secteur", registration.sector))
    if event.ask_lunch and registration.lunch is not None:
        rows.append(("Déjeuner sur place", "oui" if registration.lunch else "non"))
    return [(label, value) for label, value in rows if value]


def practical_rows(event: Event) -> list[tuple[str, str]]:
    """Date, hours, venue and contact of the day, as (label, value) rows."""
    days = day_hours(event)
    if len(days) == 1:
        rows = [("Date", format_date(event.starts_on))]
    else:
        rows = [("Dates", f"du {format_date(event.starts_on)} au {format_date(event.ends_on)}")]
    hours = [(day.day, _hours(day)) for day in days if day.start is not None]
    if len(hours) == 1:
        rows.append(("Horaires", hours[0][1]))
    elif hours:
        rows.append(("Horaires", f"{NBSP}; ".join(f"{format_date(day)}, {text}"
                                                  for day, text in hours)))
    rows.append(("Lieu", event.full_address))
    rows.append(("Accès", event.venue_access.strip()))
    rows.append(("Contact", event.contact_email))
    return [(label, value) for label, value in rows if value]


def _hours(day: DayHours) -> str:
    if day.end is None or day.end == day.start:
        return f"à partir de {format_time(day.start)}"
    return f"de {format_time(day.start)} à {format_time(day.end)}"


def day_hours(event: Event) -> list[DayHours]:
    """Each day of the event with the start of its first session and the end of its last."""
    hours = []
    for day in event.days:
        sessions = [s for s in event.sessions if s.starts_at.date() == day]
        start = min((s.starts_at for s in sessions), default=None)
        end = max((s.ends_at or s.starts_at for s in sessions), default=None)
        hours.append(DayHours(day, start, end))
    return hours


def slot_choices(registration: Registration) -> list[SlotChoices]:
    """The ranked choices grouped by workshops slot, in the order of the day."""
    several_days = registration.event.starts_on != registration.event.ends_on
    choices = sorted(registration.choices,
                     key=lambda c: (c.session.starts_at, c.session_id, c.rank))
    slots = []
    for _, group in groupby(choices, key=lambda c: c.session_id):
        group = list(group)
        session = group[0].session
        when = format_time_range(session.starts_at, session.ends_at)
        if several_days:
            when = f"{format_date(session.starts_at.date())}, {when}"
        slots.append(SlotChoices(session=session, when=when, choices=group))
    return slots


def _ordinal(number: int | None) -> str:
    """« 1re », « 2e »: French ordinals as written in « 2e année »."""
    if number is None:
        return ""
    return "1re" if number == 1 else f"{number}e"
