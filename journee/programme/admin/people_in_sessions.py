"""Who takes part in a session, a contribution or a workshop; contributions and workshops."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...extensions import db
from ...security import as_id
from ..forms import (
    AddParticipantForm,
    ContributionForm,
    NewParticipantForm,
    WorkshopForm,
    options,
    role_choices,
)
from ..loaders import event_or_404, session_or_404
from ..models import SECTORS, SESSION_ROLES, WORKSHOP_ROLES, Person, Role, SessionKind
from ..people import save_person, search_people
from ..permissions import visible_people_query
from ..services import NeedsConfirmation, Problems
from ..sessions import (
    add_participant,
    delete_contribution,
    delete_workshop,
    move_contribution,
    move_participant,
    remove_participant,
    save_contribution,
    save_workshop,
    siblings,
)
from . import bp
from .common import (
    contribution_or_404,
    participation_or_404,
    person_or_404,
    room_choices,
    room_from_choice,
    show_problems,
    visible_person,
    workshop_or_404,
)

SESSION = "/journees/<int:event_id>/seances/<int:session_id>"
CONTRIBUTION = SESSION + "/contributions/<int:contribution_id>"
WORKSHOP = SESSION + "/ateliers/<int:workshop_id>"
CONTRIBUTION_ROLES = (Role.PRESENTER, Role.SPEAKER, Role.STUDENT_PRESENTER)
PEOPLE_IN_SELECT = 50


def _load(event_id, session_id, contribution_id=None, workshop_id=None):
    event = event_or_404(event_id)
    session = session_or_404(event, session_id)
    contribution = contribution_or_404(session, contribution_id) if contribution_id else None
    workshop = workshop_or_404(session, workshop_id) if workshop_id else None
    return event, session, contribution, workshop


def _roles(contribution, workshop):
    if workshop is not None:
        return WORKSHOP_ROLES
    if contribution is not None:
        return CONTRIBUTION_ROLES
    return SESSION_ROLES


def _target_url(event, session, contribution=None, workshop=None, **query):
    if workshop is not None:
        return url_for(".workshop", event_id=event.id, session_id=session.id,
                       workshop_id=workshop.id, **query)
    if contribution is not None:
        return url_for(".contribution", event_id=event.id, session_id=session.id,
                       contribution_id=contribution.id, **query)
    return url_for(".session", event_id=event.id, session_id=session.id, **query)


def _people_choices(query: str, chosen: Person | None = None):
    people, total = search_people(query, 1, PEOPLE_IN_SELECT,
                                  among=visible_people_query(current_user))
    if chosen is not None and chosen not in people:
        people.insert(0, chosen)
    choices = options((p.id, p.full_name + (f" — {p.organisation}" if p.organisation else ""))
                      for p in people)
    return choices, total


def _render_target(event, session, contribution=None, workshop=None, add_form=None,
                   new_form=None, warnings=(), status=200):
    roles = role_choices(_roles(contribution, workshop))
    query = request.args.get("q", "").strip()[:200]
    if add_form is None:
        add_form = AddParticipantForm(prefix="existante", formdata=None, q=query)
        add_form.role.choices = roles
    else:
        query = add_form.q.data or ""
    if new_form is None:
        new_form = NewParticipantForm(prefix="nouvelle", formdata=None)
        new_form.role.choices = roles
    add_form.person_id.choices, total = _people_choices(
        query, visible_person(add_form.person_id.data))
    template = ("admin/workshop.html" if workshop is not None else
                "admin/contribution.html" if contribution is not None else "admin/session.html")
    parts = siblings(session, contribution, workshop)
    return render_template(
        template, event=event, session=session, contribution=contribution, workshop=workshop,
        parts=parts, add_form=add_form, new_form=new_form, warnings=warnings, q=query,
        found=total, shown=PEOPLE_IN_SELECT,
        target_url=_target_url(event, session, contribution, workshop),
        ids=dict(event_id=event.id, session_id=session.id,
                 contribution_id=contribution.id if contribution else None,
                 workshop_id=workshop.id if workshop else None)), status


@bp.get(SESSION + "/")
def session(event_id: int, session_id: int):
    return _render_target(*_load(event_id, session_id))


@bp.get(CONTRIBUTION + "/")
def contribution(event_id: int, session_id: int, contribution_id: int):
    return _render_target(*_load(event_id, session_id, contribution_id=contribution_id))


@bp.get(WORKSHOP + "/")
def workshop(event_id: int, session_id: int, workshop_id: int):
    return _render_target(*_load(event_id, session_id, workshop_id=workshop_id))


def _where(session, contribution, workshop) -> str:
    if workshop is not None:
        return f"l’atelier n°\u00a0{workshop.number}"
    if contribution is not None:
        return f"la contribution «\u202f{contribution.title}\u202f»"
    return f"la séance «\u202f{session.display_title}\u202f»"


@bp.post(SESSION + "/intervenants/ajouter")
@bp.post(CONTRIBUTION + "/intervenants/ajouter")
@bp.post(WORKSHOP + "/intervenants/ajouter")
def participant_add(event_id, session_id, contribution_id=None, workshop_id=None):
    event, session, contribution, workshop = _load(event_id, session_id, contribution_id,
                                                   workshop_id)
    form = AddParticipantForm(prefix="existante")
    roles = _roles(contribution, workshop)
    form.role.choices = role_choices(roles)
    person_id = as_id(request.form.get("existante-person_id"))
    person = person_or_404(person_id) if person_id else None
    form.person_id.choices = options([(person.id, person.full_name)] if person else [])
    if form.validate_on_submit():
        try:
            add_participant(session, person, Role(form.role.data),
                            contribution=contribution, workshop=workshop,
                            function=form.function.data,
                            organisation=form.organisation.data,
                            confirmed=form.confirm.data)
        except NeedsConfirmation as warning:
            form.confirm.data = False
            return _render_target(event, session, contribution, workshop, add_form=form,
                                  warnings=warning.warnings)
        db.session.commit()
        flash(f"{person.full_name} est ajouté·e à {_where(session, contribution, workshop)}.",
              "success")
        return redirect(_target_url(event, session, contribution, workshop))
    return _render_target(event, session, contribution, workshop, add_form=form)


@bp.post(SESSION + "/intervenants/creer")
@bp.post(CONTRIBUTION + "/intervenants/creer")
@bp.post(WORKSHOP + "/intervenants/creer")
def participant_create(event_id, session_id, contribution_id=None, workshop_id=None):
    event, session, contribution, workshop = _load(event_id, session_id, contribution_id,
                                                   workshop_id)
    form = NewParticipantForm(prefix="nouvelle")
    form.role.choices = role_choices(_roles(contribution, workshop))
    if form.validate_on_submit():
        try:
            person = save_person(None, form.first_name.data, form.last_name.data,
                                 form.function.data, form.organisation.data,
                                 form.email.data, editor=current_user)
        except Problems as error:
            show_problems(form, error)
        else:
            add_participant(session, person, Role(form.role.data),
                            contribution=contribution, workshop=workshop)
            db.session.commit()
            flash(f"{person.full_name} est créé·e et ajouté·e à "
                  f"{_where(session, contribution, workshop)}.", "success")
            return redirect(_target_url(event, session, contribution, workshop))
    return _render_target(event, session, contribution, workshop, new_form=form)


MOVES = {"monter": -1, "descendre": 1}


@bp.post(SESSION + "/intervenants/<int:participation_id>/<any(monter,descendre,retirer):action>")
@bp.post(CONTRIBUTION
         + "/intervenants/<int:participation_id>/<any(monter,descendre,retirer):action>")
@bp.post(WORKSHOP + "/intervenants/<int:participation_id>/<any(monter,descendre,retirer):action>")
def participant_action(event_id, session_id, participation_id, action, contribution_id=None,
                       workshop_id=None):
    event, session, contribution, workshop = _load(event_id, session_id, contribution_id,
                                                   workshop_id)
    part = participation_or_404(session, participation_id, contribution, workshop)
    if action == "retirer":
        name = part.person.full_name
        remove_participant(part)
        flash(f"{name} est retiré·e de {_where(session, contribution, workshop)}.", "success")
    else:
        move_participant(part, MOVES[action])
    db.session.commit()
    return redirect(_target_url(event, session, contribution, workshop))


# --- Contributions ------------------------------------------------------------------------

@bp.route(SESSION + "/contributions/nouvelle", methods=["GET", "POST"],
          defaults={"contribution_id": None})
@bp.route(CONTRIBUTION + "/modifier", methods=["GET", "POST"])
def contribution_form(event_id, session_id, contribution_id):
    event, session, contribution, _ = _load(event_id, session_id, contribution_id)
    form = ContributionForm(obj=contribution)
    extra = []
    if form.validate_on_submit():
        try:
            contribution = save_contribution(session, contribution, form.title.data,
                                             form.description.data or "")
        except Problems as error:
            extra = show_problems(form, error)
        else:
            db.session.commit()
            flash(f"La contribution «\u202f{contribution.title}\u202f» est enregistrée.", "success")
            return redirect(_target_url(event, session, contribution))
    return render_template("admin/contribution_form.html", form=form, event=event,
                           session=session, contribution=contribution, extra=extra)


@bp.post(CONTRIBUTION + "/<any(monter,descendre):action>")
def contribution_move(event_id, session_id, contribution_id, action):
    event, session, contribution, _ = _load(event_id, session_id, contribution_id)
    move_contribution(contribution, MOVES[action])
    db.session.commit()
    return redirect(_target_url(event, session))


@bp.route(CONTRIBUTION + "/supprimer", methods=["GET", "POST"])
def contribution_delete(event_id, session_id, contribution_id):
    event, session, contribution, _ = _load(event_id, session_id, contribution_id)
    name = contribution.title
    if request.method == "POST":
        delete_contribution(contribution)
        db.session.commit()
        flash(f"La contribution «\u202f{name}\u202f» est supprimée.", "success")
        return redirect(_target_url(event, session))
    return render_template(
        "admin/confirm_delete.html", event=event, title=f"Supprimer la contribution «\u202f{name}\u202f»",
        question=f"Supprimer la contribution «\u202f{name}\u202f» et la liste de ses présentateurs\u202f?",
        consequences=[], button=f"Supprimer la contribution «\u202f{name}\u202f»",
        back=_target_url(event, session, contribution))


# --- Workshops ----------------------------------------------------------------------------

@bp.route(SESSION + "/ateliers/nouveau", methods=["GET", "POST"],
          defaults={"workshop_id": None})
@bp.route(WORKSHOP + "/modifier", methods=["GET", "POST"])
def workshop_form(event_id, session_id, workshop_id):
    event, session, _, workshop = _load(event_id, session_id, workshop_id=workshop_id)
    if session.kind != SessionKind.WORKSHOPS:
        flash("Seule une séance de type «\u202fAteliers\u202f» peut contenir des ateliers.", "error")
        return redirect(_target_url(event, session))
    form = WorkshopForm(obj=workshop)
    form.room_id.choices = room_choices(event)
    if not form.is_submitted():
        if workshop is not None:
            form.room_id.data = workshop.room_id or 0
            if workshop.sector not in SECTORS:
                form.sector.data, form.sector_other.data = "", workshop.sector
        else:
            form.number.data = max((w.number for w in session.workshops), default=0) + 1
    extra, warnings = [], []
    if form.validate_on_submit():
        try:
            workshop = save_workshop(
                session, workshop, number=form.number.data, title=form.title.data,
                sector=form.sector_value, theme=form.theme.data or "",
                description=form.description.data or "",
                room=room_from_choice(event, form.room_id.data), capacity=form.capacity.data,
                confirmed=form.confirm.data)
        except Problems as error:
            extra = show_problems(form, error)
        except NeedsConfirmation as warning:
            warnings = warning.warnings
            form.confirm.data = False
        else:
            db.session.commit()
            flash(f"L’atelier n°\u00a0{workshop.number} est enregistré.", "success")
            return redirect(_target_url(event, session, workshop=workshop))
    return render_template("admin/workshop_form.html", form=form, event=event, session=session,
                           workshop=workshop, extra=extra, warnings=warnings)


@bp.route(WORKSHOP + "/supprimer", methods=["GET", "POST"])
def workshop_delete(event_id, session_id, workshop_id):
    event, session, _, workshop = _load(event_id, session_id, workshop_id=workshop_id)
    name = workshop.label
    if request.method == "POST":
        delete_workshop(workshop)
        db.session.commit()
        flash(f"{name} est supprimé.", "success")
        return redirect(_target_url(event, session))
    return render_template(
        "admin/confirm_delete.html", event=event, title=f"Supprimer l’atelier n°\u00a0{workshop.number}",
        question=f"Supprimer «\u202f{name}\u202f» et la liste de ses animateur·rices\u202f? Les personnes "
                 "inscrites qui l’avaient choisi perdent ce choix, et leur place si elles y "
                 "étaient réparties.",
        consequences=[], button=f"Supprimer l’atelier n°\u00a0{workshop.number}",
        back=_target_url(event, session, workshop=workshop))
