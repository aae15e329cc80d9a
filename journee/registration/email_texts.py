"""The texts of the automatic e-mails that organisers may change for their event, and
what the placeholders of their texts (:mod:`journee.placeholders`) become for one
registration.

Only the subject and the opening words are theirs to write: the facts that make each
e-mail useful (the summary of the registration, the practical information, the personal
link, the workshop, the list of changes, the calendar attached) stay written by the
templates, so that an edited text can never lose them.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import select

from ..extensions import db
from ..formatting import NBSP, format_date
from ..mail import shared_in_round
from ..placeholders import PlaceholderError, parse
from ..typography import one_line
from .models import EmailText, Registration, RegistrationStatus
from .services import attendee_workshops

COLON = NBSP + ":"


@dataclass(frozen=True)
class DefaultText:
    label: str
    subject: str
    body: str
    kept: str
    """What the app adds whatever the text, as the edit page says it."""


_LINK_AND_INFO = ("le lien personnel, les informations pratiques (date, horaires, lieu, "
                  "accès, contact)")

DEFAULT_TEXTS: dict[str, DefaultText] = {
    "confirmation": DefaultText(
        "Confirmation d’inscription",
        f"Inscription confirmée{COLON} {{journée}}",
        "Votre inscription à la journée d’étude «\u00a0{journée}\u00a0» est confirmée. "
        "Nous serons heureux de vous accueillir.",
        f"le fichier d’agenda (.ics), le récapitulatif de l’inscription, {_LINK_AND_INFO}"),
    "waitlist": DefaultText(
        "Inscription sur la liste d’attente",
        f"Liste d’attente{COLON} {{journée}}",
        "Nous avons bien reçu votre demande d’inscription à la journée d’étude "
        "«\u00a0{journée}\u00a0».\n\nLa journée est complète\u00a0: vous êtes sur la liste "
        "d’attente. Si une place se libère, elle sera proposée dans l’ordre d’arrivée des "
        "demandes et nous vous écrirons aussitôt.",
        f"le récapitulatif de l’inscription, {_LINK_AND_INFO}"),
    "promotion": DefaultText(
        "Place libérée (sortie de la liste d’attente)",
        f"Une place s’est libérée{COLON} {{journée}}",
        "Une place s’est libérée\u00a0: votre inscription à la journée d’étude "
        "«\u00a0{journée}\u00a0» est confirmée. Nous serons heureux de vous accueillir.\n\n"
        "Si vous ne pouvez plus venir, merci d’annuler votre inscription avec le lien "
        "ci-dessous\u00a0: la place reviendra à la personne suivante sur la liste d’attente.",
        f"le fichier d’agenda (.ics), le récapitulatif de l’inscription, {_LINK_AND_INFO}"),
    "assignment": DefaultText(
        "Atelier attribué (publication de la répartition)",
        f"Votre atelier{COLON} {{journée}}",
        "La répartition dans les ateliers de la journée d’étude «\u00a0{journée}\u00a0» "
        "est faite. Vous participerez à l’atelier suivant\u00a0:",
        f"l’atelier, son horaire, sa salle, ses animateur·rices, le fichier d’agenda (.ics), "
        f"{_LINK_AND_INFO}"),
    "no_workshop": DefaultText(
        "Sans atelier après la répartition",
        f"Pas d’atelier pour vous{COLON} {{journée}}",
        "La répartition dans les ateliers de la journée d’étude «\u00a0{journée}\u00a0» "
        "est faite.",
        "la séance sans atelier et pourquoi, les ateliers qui ont encore de la place, "
        f"comment joindre l’équipe, {_LINK_AND_INFO}"),
    "reminder": DefaultText(
        "Rappel avant la journée",
        f"Rappel{COLON} {{journée}} le {{date}}",
        "Nous vous rappelons que la journée d’étude «\u00a0{journée}\u00a0» a lieu le "
        "{date}. Nous serons heureux de vous accueillir.",
        "le plan d’accès, l’atelier et sa salle, le déjeuner, le fichier d’agenda (.ics), "
        f"comment annuler, {_LINK_AND_INFO}"),
    "change": DefaultText(
        "Confirmation des modifications",
        f"Vos modifications pour «{NBSP}{{journée}}{NBSP}» sont enregistrées",
        "Les modifications de votre inscription à la journée d’étude "
        "«\u00a0{journée}\u00a0» sont enregistrées.",
        "la liste de ce qui a changé, le fichier d’agenda à jour (.ics), l’avertissement "
        f"si la personne n’est pas à l’origine des modifications, {_LINK_AND_INFO}"),
    "cancellation": DefaultText(
        "Annulation",
        f"Inscription annulée{COLON} {{journée}}",
        "Votre inscription à la journée d’étude «\u00a0{journée}\u00a0» est annulée.",
        "le fichier d’agenda qui retire la journée (.ics), l’avertissement si la personne "
        f"n’est pas à l’origine de l’annulation, {_LINK_AND_INFO}"),
    "programme_change": DefaultText(
        "Changement de programme",
        f"Changement de programme{COLON} {{journée}}",
        "Le programme de la journée d’étude «\u00a0{journée}\u00a0» du {date} a changé "
        "pour vous\u00a0:",
        "la liste de ce qui a changé (horaires, salles, ancien → nouveau), le fichier "
        f"d’agenda à jour (.ics), {_LINK_AND_INFO}"),
}
"""Every automatic e-mail whose text an event may change, by kind of text."""


def register_text(kind: str, text: DefaultText) -> None:
    """Add an automatic e-mail of a package above this one (the questionnaires' invitation,
    say) to those whose text an event may change: it then appears on the page of the
    texts. Called from that package's ``init_app``; registering twice changes nothing."""
    DEFAULT_TEXTS.setdefault(kind, text)


def text_kind(kind: str, registration: Registration) -> str:
    """The text of a message: a confirmation to someone on the waiting list has its own."""
    if kind == "confirmation" and registration.status == RegistrationStatus.WAITLISTED:
        return "waitlist"
    return kind


def custom_text(event_id: int, kind: str) -> EmailText | None:
    return db.session.scalar(select(EmailText).where(EmailText.event_id == event_id,
                                                     EmailText.kind == kind))


def texts_of(event_id: int) -> dict[str, EmailText]:
    return {text.kind: text for text in db.session.scalars(
        select(EmailText).where(EmailText.event_id == event_id))}


@dataclass(frozen=True)
class Opening:
    subject: str | None
    """The event's own subject, filled; ``None``: the default subject."""
    text: str

    @property
    def paragraphs(self) -> list[Markup]:
        return [Markup("<br>\n").join(escape(line) for line in block.strip().splitlines())
                for block in self.text.split("\n\n") if block.strip()]


def opening(kind: str, registration: Registration, base_url: str) -> Opening | None:
    """The subject and opening words of this e-mail for this person, from the event's
    text or the default; ``None`` for a message whose text cannot be changed."""
    default = DEFAULT_TEXTS.get(kind)
    if default is None:
        return None
    custom = shared_in_round(("email-text", registration.event_id, kind),
                             lambda: custom_text(registration.event_id, kind))
    if custom is not None:
        try:
            subject, body = parse(custom.subject), parse(custom.body)
        except PlaceholderError:
            pass  # checked when saved; a text from an older version falls back
        else:
            values = placeholder_values(registration, base_url, subject.names | body.names)
            return Opening(one_line(subject.fill(values, typeset=True)),
                           body.fill(values, typeset=True).strip())
    body = parse(default.body)
    return Opening(None, body.fill(placeholder_values(registration, base_url, body.names),
                                   typeset=True))


def self_service_url(registration: Registration, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/r/{registration.token}"


def placeholder_values(registration: Registration, base_url: str,
                       names: set[str] | None = None) -> dict[str, str]:
    """The value of each placeholder for this person (of *names* at least: their
    workshops are only looked up if needed): their workshops and rooms are those they
    may see, in the order of the day when there are several."""
    event = registration.event
    workshops = []
    if names is None or names & {"atelier", "salle"}:
        workshops = sorted(attendee_workshops(registration).values(),
                           key=lambda w: (w.session.starts_at, w.number))
    rooms = [w.room.name for w in workshops if w.room is not None]
    return {
        "prénom": registration.first_name,
        "nom": registration.last_name,
        "lien personnel": self_service_url(registration, base_url),
        "atelier": " ; ".join(w.label for w in workshops),
        "salle": " ; ".join(dict.fromkeys(rooms)),
        "journée": event.title,
        "date": format_date(event.starts_on),
    }
