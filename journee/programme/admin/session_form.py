"""A session on one page: its times and room, its people (picked by a search as one
types, or created with their e-mail address), and for a workshops slot its parallel
workshops with their facilitators. « Ajouter une ligne » re-renders the form with more
rows (a script adds them in place when it can)."""

from datetime import date, time

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import FieldList
from wtforms.fields.choices import SelectChoice

from ...extensions import db
from ...formatting import plural
from ...security import as_id
from ..forms import AUTO_ROLE, SessionForm
from ..loaders import event_or_404, session_or_404
from ..models import ROLE_LABELS, Role, SessionKind
from ..permissions import visible_people_query
from ..services import NeedsConfirmation, Problems
from ..session_page import SessionChanges, WorkshopRow, save_session_page
from ..session_people import PeopleFinder, PersonRow, default_role
from ..sessions import session_problems, siblings
from . import bp
from .common import room_choices, room_from_choice, workshop_or_404
from .rows import add_error, pad, row_problems

SESSION = "/journees/<int:event_id>/seances/<int:session_id>"
ROW_LABELS = {"participants": "Personne", "workshops": "Atelier",
              "facilitators": "Animateur·rice"}


@bp.route("/journees/<int:event_id>/seances/nouvelle", methods=["GET", "POST"],
          defaults={"session_id": None})
@bp.route(SESSION + "/modifier", methods=["GET", "POST"])
def session_form(event_id: int, session_id: int | None):
    event = event_or_404(event_id)
    session = session_or_404(event, session_id) if session_id else None
    if request.method == "GET":
        data = _current(session) if session else _prefilled(event)
        form = SessionForm(data=data)
        # Room for a few more: two people, one workshop, one facilitator each.
        pad(form.participants, len(data.get("participants", [])) + 2)
        if session is None or session.kind == SessionKind.WORKSHOPS:
            pad(form.workshops, max(3, len(data.get("workshops", [])) + 1))
        for row, existing in zip(form.workshops, data.get("workshops", []), strict=False):
            pad(row.form.facilitators, len(existing["facilitators"]) + 1)
        return _render(form, event, session)

    form = SessionForm()
    action = request.form.get("action", "")
    if action:
        _add_rows(form, action)
        return _render(form, event, session)
    form.set_rooms(room_choices(event))
    form.validate()
    changes = _changes(form, event, session)
    problems, warnings = [], []
    if changes is not None and row_problems(form, {}):
        # Still say what is wrong with the times and the room, all problems at once.
        problems = session_problems(event, session, changes.day, changes.start, changes.end,
                                    changes.room)
    elif changes is not None:
        people = db.session.scalars(visible_people_query(current_user)).all()
        finder = PeopleFinder(people, current_user)
        try:
            session = save_session_page(event, session, changes, finder,
                                        confirmed=form.confirm.data)
        except Problems as error:
            db.session.rollback()
            problems = error.problems
        except NeedsConfirmation as warning:
            db.session.rollback()
            warnings = warning.warnings
            form.confirm.data = False
        else:
            created = len(finder.created)
            db.session.commit()
            flash(f"La séance «\u202f{session.display_title}\u202f» est enregistrée"
                  + (f" ({plural(created, 'nouvelle personne créée', 'nouvelles personnes créées')})"
                     if created else "") + ".", "success")
            return redirect(url_for(".timetable", event_id=event.id))
    extra = _attach(form, problems)
    return _render(form, event, session, extra, warnings)


def _render(form, event, session, extra=(), warnings=(), status=200):
    form.set_rooms(room_choices(event))
    kind = SessionKind(form.kind.data) if form.kind.data in set(SessionKind) else \
        SessionKind.WELCOME
    for index, entry in enumerate(form.participants.entries):
        auto, *others = entry.form.role.choices
        label = ROLE_LABELS[default_role(kind, index)]
        entry.form.role.choices = [SelectChoice(AUTO_ROLE, f"{auto.label} ({label})"),
                                   *others]
    return render_template(
        "admin/session_form.html", form=form, event=event, session=session,
        problems=row_problems(form, ROW_LABELS), extra=extra, warnings=warnings,
        kinds_by_role=_kinds_by_role()), status


def _kinds_by_role():
    """What « Selon le type de séance » means for each kind, for the script to show."""
    return {kind.value: [ROLE_LABELS[default_role(kind, 0)], ROLE_LABELS[default_role(kind, 1)]]
            for kind in SessionKind}


def _person_data(part) -> dict:
    return {"person_id": part.person_id, "name": part.person.full_name,
            "role": AUTO_ROLE if part.workshop_id and part.role == Role.FACILITATOR
            else part.role.value}


def _current(session) -> dict:
    return {
        "kind": session.kind.value, "title": session.title,
        "description": session.description, "day": session.starts_at.date(),
        "start": session.starts_at.time(),
        "end": session.ends_at.time() if session.ends_at else None,
        "room_id": session.room_id or 0,
        "participants": [_person_data(p) for p in siblings(session)],
        "workshops": [{"workshop_id": w.id, "title": w.title, "sector": w.sector,
                       "room_id": w.room_id or 0, "capacity": w.capacity,
                       "facilitators": [_person_data(p) for p in siblings(session, workshop=w)]}
                      for w in session.workshops],
    }


def _prefilled(event) -> dict:
    """A new session, from the timetable's « Ajouter ici »: its day, start and room."""
    room_id = request.args.get("salle", type=int)
    return {"day": _parsed(date.fromisoformat, request.args.get("jour")) or event.starts_on,
            "start": _parsed(time.fromisoformat, request.args.get("debut")),
            "room_id": room_id if any(r.id == room_id for r in event.rooms) else 0}


def _parsed(parse, text):
    try:
        return parse(text) if text else None
    except ValueError:
        return None


def _add_rows(form: SessionForm, action: str) -> None:
    """« Ajouter une ligne », « Ajouter un atelier », « Ajouter un·e animateur·rice »."""
    if action == "ligne" and len(form.participants.entries) < form.participants.max_entries:
        form.participants.append_entry()
    elif action == "atelier" and len(form.workshops.entries) < form.workshops.max_entries:
        form.workshops.append_entry()
    elif action.startswith("animation-"):
        index = as_id(action.removeprefix("animation-"))
        if index is not None and 1 <= index <= len(form.workshops.entries):
            rows = form.workshops.entries[index - 1].form.facilitators
            if len(rows.entries) < rows.max_entries:
                rows.append_entry()


def _people_rows(rows: FieldList) -> list[PersonRow]:
    found = []
    for entry in rows.entries:
        row = entry.form
        if not row.name.data:
            if row.email.data or row.organisation.data:
                add_error(row.name, "Indiquez le prénom et le nom de la personne.")
            continue
        found.append(PersonRow(field=entry.id, name=row.name.data,
                               person_id=as_id(row.person_id.data),
                               role=Role(row.role.data) if row.role.data in set(Role) else None,
                               email=row.email.data or "",
                               organisation=row.organisation.data or ""))
    return found


def _changes(form: SessionForm, event, session):
    """What the form asks for, or ``None`` while a field is wrong."""
    # A form posted without the people's rows (a script, an old page) leaves them as they are.
    people = _people_rows(form.participants) if any(
        key.startswith("participants-") for key in request.form) else None
    workshops = []
    for entry in form.workshops.entries:
        row = entry.form
        workshop_id = as_id(row.workshop_id.data)
        workshop = workshop_or_404(session, workshop_id) if workshop_id and session else None
        facilitators = _people_rows(row.facilitators)
        if workshop is None and not row.title.data:
            if facilitators or row.capacity.data:
                add_error(row.title, "Indiquez le titre de l’atelier.")
            continue
        workshops.append(WorkshopRow(
            field=entry.id, workshop=workshop, title=row.title.data or "",
            sector=row.sector.data or "", room=room_from_choice(event, row.room_id.data),
            capacity=row.capacity.data, remove=bool(row.remove.data), people=facilitators))
    if form.kind.errors or form.day.errors or form.start.errors or form.end.errors:
        return None
    return SessionChanges(
        kind=SessionKind(form.kind.data), title=form.title.data or "",
        description=form.description.data or "", day=form.day.data, start=form.start.data,
        end=form.end.data, room=room_from_choice(event, form.room_id.data), people=people,
        workshops=workshops)


def _fields(form):
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                yield from _fields(entry.form)
        else:
            yield field


def _attach(form, problems) -> list[str]:
    """Put each problem next to its field; return those that belong to no field."""
    by_id = {field.id: field for field in _fields(form)}
    extra = []
    for problem in problems:
        field = by_id.get(problem.field or "")
        if field is None:
            extra.append(str(problem))
        else:
            add_error(field, str(problem))
    return extra
