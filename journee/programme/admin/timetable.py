"""The timetable of the day: rooms as columns, time as rows; rooms added from it."""

from flask import flash, redirect, render_template, url_for

from ...extensions import db
from ...formatting import plural
from ..forms import RoomsForm
from ..loaders import event_or_404
from ..queries import event_with_programme_by_id
from ..services import Problems, save_room
from ..timetable import timetable as build_timetable
from . import bp
from .rows import add_error, row_problems


@bp.get("/journees/<int:event_id>/grille")
def timetable(event_id: int):
    event = event_or_404(event_id, load=event_with_programme_by_id)
    return _render(event, RoomsForm(formdata=None))


@bp.post("/journees/<int:event_id>/salles/ajouter")
def rooms_add(event_id: int):
    """Add the filled rows; every row's problems are shown at once, and nothing is added
    while there is one."""
    event = event_or_404(event_id)
    form = RoomsForm()
    form.validate()
    added = []
    for row in form.rooms.entries:
        if not row.form.name.data or row.form.errors:
            continue
        try:
            added.append(save_room(event, None, row.form.name.data, row.form.capacity.data,
                                   True))
        except Problems as error:
            for problem in error.problems:
                add_error(row.form[problem.field or "name"], str(problem))
    if not added and not row_problems(form, {}):
        add_error(form.rooms.entries[0].form.name, "Indiquez le nom d’au moins une salle.")
    if row_problems(form, {}):
        db.session.rollback()
        return _render(event, form)
    db.session.commit()
    flash(f"{plural(len(added), 'salle ajoutée', 'salles ajoutées')} : "
          f"{', '.join(room.name for room in added)}.", "success")
    return redirect(url_for(".timetable", event_id=event.id))


def _render(event, rooms_form):
    problems = row_problems(rooms_form, {"rooms": "Salle"})
    return render_template("admin/timetable.html", event=event, days=build_timetable(event),
                           rooms_form=rooms_form, problems=problems)
