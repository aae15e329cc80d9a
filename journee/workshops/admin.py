"""The organiser's assignment page: run, review, move, lock, publish."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..formatting import NBSP, plural
from ..programme.loaders import event_or_404, session_or_404
from ..registration import after_publication, operations
from ..registration.loaders import registration_or_404
from ..registration.models import PROFILE_LABELS, Assignment, AssignmentSource
from ..web.urls import public_base_url
from . import services
from .forms import NO_WORKSHOP, MoveForm, RunForm
from .report import LEFT_OUT_LABELS, STRATEGY_LABELS, percent, technical_details

bp = Blueprint("workshops", __name__)


def _slot_or_404(event_id: int, slot_id: int):
    event = event_or_404(event_id)
    slot = session_or_404(event, slot_id)
    if not services.is_workshop_slot(slot):
        abort(404)
    return event, slot


def _page(event, slot, anchor: str | None = None):
    return redirect(url_for(".assignment", event_id=event.id, slot_id=slot.id,
                            _anchor=anchor))


@bp.route("/journees/<int:event_id>/repartition/<int:slot_id>/", methods=["GET", "POST"])
def assignment(event_id: int, slot_id: int):
    event, slot = _slot_or_404(event_id, slot_id)
    run = services.last_run(slot)
    if request.method == "POST":
        form = RunForm()
    elif run is not None:
        form = RunForm.from_options(services.RunOptions.from_json(run.options))
    else:
        form = RunForm()
    if form.validate_on_submit():
        whole_day = request.form.get("portee") == "journee"
        slots = services.workshop_slots(event) if whole_day else [slot]
        try:
            result = services.run_assignment(slots, form.run_options(),
                                             created_by=current_user.email)
        except services.AssignmentProblem as problem:
            db.session.rollback()
            flash(str(problem), "error")
        else:
            db.session.commit()
            overall = result.report.overall
            scope = "de la journée" if whole_day else "de la séance"
            flash(f"Répartition {scope} calculée (tirage au sort n°{NBSP}"
                  f"{result.report.seed})\u202f: "
                  f"{percent(overall.first_choice, overall.total)} en premier choix, "
                  + plural(overall.unassigned, "place à pourvoir restée sans atelier",
                           "places à pourvoir restées sans atelier")
                  + " (une par personne et par séance). "
                  "Rien n’est encore visible des participant·es.", "success")
            return _page(event, slot, "rapport")

    data = services.load_slot(slot)
    move_forms = {}
    for registration in data.registrations:
        move = MoveForm(prefix=f"p{registration.id}", formdata=None)
        move.set_workshops(data.workshops)
        current = data.assignments.get(registration.id)
        move.workshop.data = current.workshop_id if current is not None else NO_WORKSHOP
        move_forms[registration.id] = move
    report = services.report_from_json(run.report) if run is not None else None
    comparison = None
    if run is None or request.args.get("comparer"):
        comparison = services.compare_strategies(
            services.workshop_slots(event), form.run_options()
            if request.method == "GET" else services.RunOptions())
    # A run leaves only locked organiser placements, all older than itself.
    edited_since_run = run is not None and any(
        item.source == AssignmentSource.ORGANISER and item.updated_at > run.created_at
        for item in data.assignments.values())
    return render_template(
        "workshops/assignment.html", event=event, slot=slot, data=data, form=form,
        run=run, report=report, edited_since_run=edited_since_run, comparison=comparison,
        names=services.report_names(event), left_out_labels=LEFT_OUT_LABELS,
        proven=report is not None and report.status == "optimal" and report.gap == 0,
        run_options=services.RunOptions.from_json(run.options) if run is not None else None,
        move_forms=move_forms, demand=data.demand(),
        waiting=after_publication.waiting_counts(slot.id),
        members=data.members(), unassigned=data.unassigned(),
        publication=services.publication(slot),
        changed=services.changed_since_publication(data),
        several_slots=len(services.workshop_slots(event)) > 1,
        technical_details=technical_details,
        profile_labels={p.value: label for p, label in PROFILE_LABELS.items()},
        strategy_labels=STRATEGY_LABELS, percent=percent,
        organisation_name=services.organisation_name)


@bp.post("/journees/<int:event_id>/repartition/<int:slot_id>/personnes/<int:registration_id>")
def move(event_id: int, slot_id: int, registration_id: int):
    event, slot = _slot_or_404(event_id, slot_id)
    registration = registration_or_404(event, registration_id)
    data = services.load_slot(slot)
    form = MoveForm(prefix=f"p{registration.id}")
    form.set_workshops(data.workshops)
    if not form.validate_on_submit():
        flash("Choisissez un des ateliers proposés, ou «\u202fsans atelier\u202f».", "error")
        return _page(event, slot, f"personne-{registration.id}")
    if form.workshop.data == NO_WORKSHOP:
        removed = services.unplace(data, registration)
        told = _tell_if_published(data, registration)
        promoted = operations.fill_workshop_places(event.id, base_url=public_base_url())
        db.session.commit()
        if removed is None:
            flash(f"{registration.full_name} était déjà sans atelier.", "info")
        else:
            flash(f"{registration.full_name}\u202f: sans atelier (la prochaine répartition "
                  "automatique pourra lui en donner un)." + _told_note(slot, told)
                  + _promoted_note(promoted), "success")
        return _page(event, slot, f"personne-{registration.id}")
    workshop = data.workshop_by_id[form.workshop.data]
    try:
        services.place(data, registration, workshop, locked=True)
        told = _tell_if_published(data, registration)
        # A place this move freed goes to the first one waiting for it, told at once.
        promoted = operations.fill_workshop_places(event.id, base_url=public_base_url())
    except services.AssignmentProblem as problem:
        db.session.rollback()
        flash(str(problem), "error")
    else:
        db.session.commit()
        flash(f"{registration.full_name}\u202f: atelier n°{NBSP}{workshop.number}, "
              "verrouillé·e." + _told_note(slot, told)
              + _promoted_note(promoted), "success")
    return _page(event, slot, f"personne-{registration.id}")


def _promoted_note(promoted) -> str:
    return "".join(
        f" {person.full_name}, en liste d’attente, prend la place libérée dans l’atelier "
        f"n°{NBSP}{place.number} et en est prévenu·e par e-mail." for person, place in promoted)


def _tell_if_published(data, registration) -> bool:
    """Once the slot is published, a move is the person's news: told at once."""
    if services.publication(data.slot) is None:
        return False
    return services.tell_move(data, registration, public_base_url())


def _told_note(slot, told: bool) -> str:
    if services.publication(slot) is None:
        return ""
    if told:
        return " La répartition étant publiée, cette personne en est prévenue par e-mail."
    return " La répartition étant publiée, sa page est à jour."


@bp.post("/journees/<int:event_id>/repartition/<int:slot_id>/personnes/<int:registration_id>"
         "/<any(verrouiller, deverrouiller):action>")
def lock(event_id: int, slot_id: int, registration_id: int, action: str):
    event, slot = _slot_or_404(event_id, slot_id)
    item = db.session.scalar(db.select(Assignment).where(
        Assignment.session_id == slot.id, Assignment.registration_id == registration_id))
    if item is None:
        abort(404)
    item.locked = action == "verrouiller"
    db.session.commit()
    name = item.registration.full_name
    flash(f"{name}\u202f: {'verrouillé·e' if item.locked else 'déverrouillé·e'} dans "
          f"l’atelier n°{NBSP}{item.workshop.number}.", "success")
    return _page(event, slot, f"personne-{registration_id}")


@bp.route("/journees/<int:event_id>/repartition/<int:slot_id>/publier",
          methods=["GET", "POST"])
def publish(event_id: int, slot_id: int):
    """Say what publishing would send, and publish once that is confirmed."""
    event, slot = _slot_or_404(event_id, slot_id)
    if request.method == "GET" or request.form.get("confirme") != "1":
        return render_template("workshops/publish_confirm.html", event=event, slot=slot,
                               preview=services.preview_publication(slot),
                               publication=services.publication(slot))
    published = services.publish(slot, public_base_url(), by=current_user)
    db.session.commit()
    queued = published.notices
    message = (f"Répartition publiée\u202f: "
               f"{plural(queued, 'e-mail envoyé', 'e-mails envoyés')} "
               "(seules les personnes dont l’atelier a changé reçoivent un nouvel e-mail)")
    if published.without_workshop:
        many = published.without_workshop > 1
        message += (f"\u202f; {plural(published.without_workshop, 'personne')} sans atelier "
                    f"{'ont été prévenues' if many else 'a été prévenue'}")
    flash(message + ".", "success")
    return _page(event, slot, "publication")
