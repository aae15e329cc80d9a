"""The people of a session as one list, edited in the session's own form: each row names
someone already known or someone new (created with their e-mail address), and a role,
by default the one the session's kind calls for."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ValidationProblem
from ..util.text import fold, quoted
from .clashes import Occupation, person_warnings
from .models import Person, Role, Session, SessionKind, Workshop
from .people import save_person
from .sessions import add_participant, remove_participant, siblings


def default_role(kind: SessionKind, index: int, workshop: bool = False) -> Role:
    """The role of the ``index``-th person when none is chosen: a plenary's speakers, a
    round table's moderator then its panelists, a workshop's facilitators."""
    if workshop:
        return Role.FACILITATOR
    if kind == SessionKind.ROUND_TABLE:
        return Role.MODERATOR if index == 0 else Role.PANELIST
    if kind == SessionKind.WORKSHOPS:
        return Role.MODERATOR
    if kind == SessionKind.SYNTHESIS:
        return Role.RAPPORTEUR
    return Role.SPEAKER


def split_name(name: str) -> tuple[str, str]:
    """« Marie-Anne de LA TOUR » → (« Marie-Anne de », « LA TOUR »): the last name is the
    trailing words in capitals, else the last word; a single word is a first name."""
    words = name.split()
    if len(words) < 2:
        return name.strip(), ""
    capitals = 0
    for word in reversed(words):
        if word.isupper() and len(word) > 1:
            capitals += 1
        else:
            break
    cut = len(words) - capitals if 0 < capitals < len(words) else len(words) - 1
    return " ".join(words[:cut]), " ".join(words[cut:])


@dataclass
class PersonRow:
    """One filled row: ``field`` prefixes its form fields (``participants-0``)."""

    field: str
    name: str
    person_id: int | None = None
    role: Role | None = None
    email: str = ""
    organisation: str = ""

    def problem(self, message: str, name: str = "name") -> ValidationProblem:
        return ValidationProblem(message, f"{self.field}-{name}")


class PeopleFinder:
    """Finds the person each row names among those the organiser may see, and creates
    the new ones once (a new name typed in two rows is one person)."""

    def __init__(self, visible: list[Person], editor):
        self.visible = visible
        self.editor = editor
        self.created: dict[tuple[str, str], Person] = {}

    def _same_name(self, name: str) -> list[Person]:
        wanted = " ".join(fold(name).split())
        return [p for p in self.visible
                if wanted in (fold(f"{p.first_name} {p.last_name}").strip(),
                              fold(f"{p.last_name} {p.first_name}").strip())]

    def check(self, row: PersonRow) -> list[ValidationProblem]:
        """What stops finding or creating the row's person (nothing written)."""
        try:
            self._find(row)
        except _Ambiguous as error:
            return [row.problem(str(error))]
        return []

    def _find(self, row: PersonRow) -> Person | None:
        chosen = next((p for p in self.visible if p.id == row.person_id), None)
        if chosen is not None and fold(chosen.full_name) == fold(" ".join(row.name.split())):
            return chosen
        candidates = self._same_name(row.name)
        if row.email:
            with_email = [p for p in candidates if p.email and fold(p.email) == fold(row.email)]
            candidates = with_email or [p for p in candidates if not p.email]
        if len(candidates) > 1 and row.organisation:
            candidates = [p for p in candidates
                          if fold(p.organisation) == fold(row.organisation)] or candidates
        if len(candidates) > 1:
            raise _Ambiguous(
                f"{len(candidates)}\u00a0personnes s’appellent {quoted(row.name)}\u202f: choisissez-la "
                "dans les suggestions, ou indiquez son adresse e-mail ou son organisme.")
        return candidates[0] if candidates else None

    def person(self, row: PersonRow) -> Person:
        """The row's person, created (and added to the session) if nobody matches."""
        found = self._find(row)
        if found is not None:
            return found
        key = (fold(" ".join(row.name.split())), fold(row.email))
        if key not in self.created:
            first, last = split_name(row.name)
            self.created[key] = save_person(None, first, last, "", row.organisation,
                                            row.email or None, editor=self.editor)
        return self.created[key]


class _Ambiguous(Exception):
    pass


def people_warnings(session: Session, wanted: list[tuple[Person, Role]],
                    workshop: Workshop | None = None) -> list[str]:
    """Someone newly added here who is somewhere else at the same time."""
    already = {p.person_id for p in siblings(session, workshop=workshop)}
    place = Occupation(session.starts_at, session.ends_at, session.id,
                       workshop.id if workshop else None, "")
    warnings = []
    for person, _role in wanted:
        if person.id is None or person.id in already:
            continue
        for warning in person_warnings(session.event, person, place):
            if warning not in warnings:
                warnings.append(warning)
    return warnings


def set_people(session: Session, wanted: list[tuple[Person, Role]],
               workshop: Workshop | None = None) -> None:
    """Make the people of the session (or of one of its workshops) exactly ``wanted``, in
    that order: those already there keep their row (and what was said of them there)."""
    current = siblings(session, workshop=workshop)
    # Loaded now: loading it after a workshop lets go of someone would flush that orphan
    # away first, and the removal would then miss it.
    session.participations  # noqa: B018
    kept = []
    for person, role in wanted:
        part = next((p for p in current if p not in kept and p.person is person), None)
        if part is None:
            part = add_participant(session, person, role, workshop=workshop, confirmed=True)
        elif part.role != role:
            part.role = role
            session.touch()
        kept.append(part)
    for part in current:
        if part not in kept:
            remove_participant(part)
    for position, part in enumerate(kept):
        if part.position != position:
            part.position = position
            session.touch()
