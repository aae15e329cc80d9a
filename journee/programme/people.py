"""The people of a programme: finding them (ignoring case and accents) and editing them."""

from __future__ import annotations

from ..audit.log import actor_for_user, record
from ..errors import ValidationProblem
from ..extensions import db
from ..util.text import fold
from .models import Person
from .permissions import events_of_person, may_change_email
from .services import email_problems, raise_problems


def search_people(query: str = "", page: int = 1, per_page: int = 25, *, among
                  ) -> tuple[list[Person], int]:
    """People of ``among`` (a select of :class:`Person`, e.g. the ones an account may see)
    whose name or organisation contains every word of ``query``, ignoring case and
    accents; returns one page and the total count."""
    people = db.session.scalars(among).all()
    words = fold(query).split()
    if words:
        people = [p for p in people
                  if all(word in fold(f"{p.first_name} {p.last_name} {p.organisation}")
                         for word in words)]
    people.sort(key=lambda p: (fold(p.last_name), fold(p.first_name), p.id))
    start = (max(page, 1) - 1) * per_page
    return people[start:start + per_page], len(people)


def save_person(person: Person | None, first_name: str, last_name: str = "",
                function: str = "", organisation: str = "", email: str | None = None, *,
                editor=None) -> Person:
    """Create a person (``editor`` becomes their creator) or change one.

    Changing the e-mail address needs an ``editor`` who manages every event the person
    takes part in (their facilitator links are sent there); the change goes to the audit
    log of each of these events.
    """
    email = (email or "").strip() or None
    problems = []
    if not first_name.strip():
        problems.append(ValidationProblem("Indiquez le prénom.", "first_name"))
    problems += email_problems(email or "", "email")
    email_changed = person is not None and email != person.email
    events = events_of_person(person) if email_changed else []
    if email_changed and (editor is None or not may_change_email(editor, person, events)):
        problems.append(ValidationProblem(
            "Vous ne pouvez pas changer l’adresse e-mail de cette personne\u00a0: elle "
            "intervient aussi dans une journée que vous n’organisez pas. Demandez-le à un·e "
            "administrateur·rice.", "email"))
    raise_problems(problems)
    if person is None:
        person = Person(created_by_id=editor.id if editor is not None else None)
        db.session.add(person)
    elif email_changed:
        for event in events or [None]:
            record("organiser.change_person_email", actor=actor_for_user(editor), event=event,
                   target=f"{person.full_name} (fiche n°\u00a0{person.id})")
    person.first_name, person.last_name = first_name.strip(), last_name.strip()
    person.function, person.organisation = function.strip(), organisation.strip()
    person.email = email
    return person
