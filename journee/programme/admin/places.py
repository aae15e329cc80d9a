"""Rooms of an event, and the people who speak or facilitate (each account sees those of
the events it organises)."""

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ...extensions import db
from ..forms import PersonForm, RoomForm
from ..loaders import event_or_404
from ..people import save_person, search_people
from ..permissions import may_change_email, visible_people_query
from ..services import Problems, delete_room, save_room
from . import bp
from .common import person_or_404, room_or_404, show_problems

PEOPLE_PER_PAGE = 25


@bp.get("/journees/<int:event_id>/salles/")
def rooms(event_id: int):
    event = event_or_404(event_id)
    return render_template("admin/rooms.html", event=event)


@bp.route("/journees/<int:event_id>/salles/nouvelle", methods=["GET", "POST"],
          defaults={"room_id": None})
@bp.route("/journees/<int:event_id>/salles/<int:room_id>/modifier", methods=["GET", "POST"])
def room_form(event_id: int, room_id: int | None):
    event = event_or_404(event_id)
    room = room_or_404(event, room_id) if room_id else None
    form = RoomForm(obj=room)
    if room is not None and not form.is_submitted():
        form.step_free.set(room.step_free)
    extra = []
    if form.validate_on_submit():
        try:
            save_room(event, room, form.name.data, form.capacity.data,
                      form.step_free.value)
        except Problems as error:
            extra = show_problems(form, error)
        else:
            db.session.commit()
            flash(f"La salle «\u202f{form.name.data}\u202f» est enregistrée.", "success")
            return redirect(url_for(".rooms", event_id=event.id))
    return render_template("admin/room_form.html", form=form, event=event, room=room,
                           extra=extra)


@bp.route("/journees/<int:event_id>/salles/<int:room_id>/supprimer", methods=["GET", "POST"])
def room_delete(event_id: int, room_id: int):
    event = event_or_404(event_id)
    room = room_or_404(event, room_id)
    if request.method == "POST":
        name = room.name
        delete_room(event, room)
        db.session.commit()
        flash(f"La salle «\u202f{name}\u202f» est supprimée.", "success")
        return redirect(url_for(".rooms", event_id=event.id))
    used = [s.display_title for s in event.sessions if s.room_id == room.id] + [
        w.label for s in event.sessions for w in s.workshops if w.room_id == room.id]
    return render_template(
        "admin/confirm_delete.html", event=event,
        title=f"Supprimer la salle «\u202f{room.name}\u202f»",
        question=f"Supprimer la salle «\u202f{room.name}\u202f»\u202f?",
        consequences_intro="Ces séances et ateliers n’auront plus de salle\u202f:",
        consequences=used, button=f"Supprimer la salle «\u202f{room.name}\u202f»",
        back=url_for(".rooms", event_id=event.id))


@bp.get("/personnes/")
def people():
    query = request.args.get("q", "").strip()[:200]
    page = request.args.get("page", 1, type=int) or 1
    found, total = search_people(query, page, PEOPLE_PER_PAGE,
                                 among=visible_people_query(current_user))
    pages = max(1, -(-total // PEOPLE_PER_PAGE))
    return render_template("admin/people.html", people=found, total=total, q=query,
                           page=min(max(page, 1), pages), pages=pages)


SUGGESTIONS = 10


@bp.get("/personnes/recherche")
def people_search():
    """Suggestions for the person fields of the session form, as one types: the people
    the account may see whose name or organisation holds every word, accents ignored."""
    query = request.args.get("q", "").strip()[:200]
    if not query:
        return jsonify(people=[], total=0)
    found, total = search_people(query, 1, SUGGESTIONS, among=visible_people_query(current_user))
    return jsonify(total=total, people=[
        {"id": person.id, "name": person.full_name, "organisation": person.organisation}
        for person in found])


@bp.route("/personnes/nouvelle", methods=["GET", "POST"], defaults={"person_id": None})
@bp.route("/personnes/<int:person_id>/modifier", methods=["GET", "POST"])
def person_form(person_id: int | None):
    person = person_or_404(person_id) if person_id is not None else None
    form = PersonForm(obj=person)
    extra = []
    if form.validate_on_submit():
        try:
            person = save_person(person, form.first_name.data, form.last_name.data,
                                 form.function.data, form.organisation.data,
                                 form.email.data, editor=current_user)
        except Problems as error:
            extra = show_problems(form, error)
        else:
            db.session.commit()
            flash(f"La fiche de {person.full_name} est enregistrée.", "success")
            return redirect(url_for(".people", q=person.last_name or person.first_name))
    email_locked = person is not None and not may_change_email(current_user, person)
    return render_template("admin/person_form.html", form=form, person=person, extra=extra,
                           email_locked=email_locked)
