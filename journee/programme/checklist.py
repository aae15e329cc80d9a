"""What to check before publishing a day: what blocks publication, and what is worth a
look. Pure: reads the event and its programme, never the request.

Each item says where to fix it as an endpoint of the organiser's space and its arguments
(plus the anchor of the field), so that the page can link to it and this module stays
free of URLs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..formatting import format_date
from .clashes import person_clashes
from .models import Event, SessionKind

#: Sessions where people do not need a room on the programme: they stay where they are.
ROOMLESS_KINDS = (SessionKind.BREAK, SessionKind.LUNCH, SessionKind.WELCOME,
                  SessionKind.SOCIAL)


@dataclass(frozen=True)
class Item:
    message: str
    endpoint: str
    """Where to fix it, an endpoint of ``admin.programme``."""
    arguments: tuple[tuple[str, int], ...] = ()
    anchor: str = ""
    fix_label: str = "Corriger"


@dataclass
class Checklist:
    blockers: list[Item] = field(default_factory=list)
    warnings: list[Item] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.blockers


def _event_field(event: Event, message: str, anchor: str) -> Item:
    return Item(message, "admin.programme.event_edit", (("event_id", event.id),),
                anchor=anchor, fix_label="Modifier les informations")


def check_event(event: Event, today: date) -> Checklist:
    """Everything a real day needs before people can see it and register."""
    checks = Checklist()
    block, warn = checks.blockers.append, checks.warnings.append

    def edit(message: str, anchor: str) -> Item:
        return _event_field(event, message, anchor)

    deadline, opens = event.registration_deadline, event.registration_opens_on
    if deadline is None:
        block(edit("Aucune date limite d’inscription\u202f: personne ne pourrait s’inscrire "
                    "en ligne.", "registration_deadline"))
    elif deadline > event.ends_on:
        block(edit(f"La date limite d’inscription ({format_date(deadline)}) tombe après "
                    "la journée.", "registration_deadline"))
    elif deadline < today:
        warn(edit(f"Les inscriptions sont déjà closes depuis le {format_date(deadline)}.",
                   "registration_deadline"))
    if opens and deadline and opens > deadline:
        block(edit("L’ouverture des inscriptions tombe après leur date limite.",
                    "registration_opens_on"))
    if not (event.venue_address.strip() and event.venue_city.strip()):
        block(edit("L’adresse du lieu (rue et ville) manque\u202f: les personnes ne sauraient "
                    "pas où venir.", "venue_address"))
    if not event.sessions:
        block(Item("Le programme n’a aucune séance.", "admin.programme.session_form",
                   (("event_id", event.id),), fix_label="Ajouter une séance"))
    if event.ends_on < today:
        warn(edit(f"La journée a déjà eu lieu ({format_date(event.starts_on)}).",
                   "starts_on"))
    if event.capacity is None:
        warn(edit("La journée n’a pas de nombre de places\u202f: les inscriptions ne seront "
                   "jamais closes faute de place.", "capacity"))
    if not event.contact_email:
        warn(edit("Aucune adresse de contact\u202f: les personnes ne sauront pas à qui "
                   "écrire.", "contact_email"))
    if not (event.presentation.strip() or event.context.strip()):
        warn(edit("La journée n’a ni présentation ni contexte.", "presentation"))
    missing = [what for what, told in (
        ("les conditions d’accessibilité du lieu",
         event.accessibility_labels or (event.accessibility_notes or "").strip()),
        ("le contact du ou de la référent·e handicap", event.has_referent)) if not told]
    if missing:
        warn(edit(f"La page de la journée n’indique pas {' ni '.join(missing)} : les "
                  "personnes en situation de handicap ne sauront pas si elles pourront "
                  "venir ni à qui s’adresser.", "accessibilite"))
    _check_sessions(event, checks)
    _check_people(event, checks)
    return checks


def _check_sessions(event: Event, checks: Checklist) -> None:
    for session in event.sessions:
        where = (("event_id", event.id), ("session_id", session.id))
        name = f"« {session.display_title} »"
        if session.kind == SessionKind.WORKSHOPS:
            if not session.workshops:
                checks.blockers.append(Item(
                    f"La séance d’ateliers {name} n’a aucun atelier.",
                    "admin.programme.session", where, fix_label="Ajouter des ateliers"))
            for workshop in session.workshops:
                _check_workshop(workshop, where, checks)
        elif session.room is None and session.kind not in ROOMLESS_KINDS:
            checks.warnings.append(Item(
                f"La séance {name} n’a pas de salle.", "admin.programme.session_form",
                where, anchor="room_id", fix_label="Choisir une salle"))
        if session.ends_at is None and session.kind not in ROOMLESS_KINDS + (
                SessionKind.CLOSING,):
            checks.warnings.append(Item(
                f"La séance {name} n’a pas d’heure de fin.", "admin.programme.session_form",
                where, anchor="end", fix_label="Indiquer l’heure de fin"))


def _check_workshop(workshop, where, checks: Checklist) -> None:
    fix = ("admin.programme.workshop_form", where + (("workshop_id", workshop.id),))
    name = f"L’atelier n°\u00a0{workshop.number} «\u202f{workshop.title}\u202f»"
    if workshop.room is None:
        checks.blockers.append(Item(f"{name} n’a pas de salle.", *fix, anchor="room_id",
                                    fix_label="Choisir une salle"))
    if workshop.capacity is None:
        checks.blockers.append(Item(
            f"{name} n’a pas de nombre de places\u202f: la répartition ne saurait pas "
            "combien de personnes y mettre.", *fix, anchor="capacity",
            fix_label="Indiquer le nombre de places"))
    elif workshop.room is not None and workshop.room.capacity is not None \
            and workshop.capacity > workshop.room.capacity:
        checks.warnings.append(Item(
            f"{name} a plus de places ({workshop.capacity}) que sa salle "
            f"«\u202f{workshop.room.name}\u202f» ({workshop.room.capacity}).", *fix,
            anchor="capacity", fix_label="Revoir le nombre de places"))
    if not workshop.facilitators:
        checks.warnings.append(Item(f"{name} n’a pas d’animateur·rice.",
                                    "admin.programme.workshop", fix[1],
                                    fix_label="Ajouter un·e animateur·rice"))


def _check_people(event: Event, checks: Checklist) -> None:
    """A person in two things at once is worth a look, not a refusal: the editor warns
    and lets the organiser confirm it (someone may leave a workshop early)."""
    for clash in person_clashes(event):
        checks.warnings.append(Item(
            clash.message, "admin.programme.timetable", (("event_id", event.id),),
            anchor=f"personnes-{clash.day.isoformat()}", fix_label="Voir la grille horaire"))
