"""Printing badges on label sheets."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from ...audit.log import actor_for_user, record
from ...branding.services import png_logo
from ...documents.badge_formats import sheet_formats
from ...documents.badges_pdf import build_badges
from ...extensions import db
from ...formatting import NBSP, NNBSP
from ...programme.loaders import event_or_404
from ...programme.models import Event
from ...registration import bulk, listing
from ...registration.models import Registration
from ...security import as_id
from ...util.clock import utcnow
from ...web.downloads import private_download
from ...web.forms import options
from ...web.loaders import owned_or_404
from ..forms import BadgeForm
from ..roster import confirmed_attendees
from ..services import badges as service
from ..services.badges import Selection

bp = Blueprint("badges", __name__)

PDF = "application/pdf"

#: What the audit log says was printed.
PRINTED = {Selection.ALL: "tous les inscrits confirmés",
           Selection.NEW: "inscrits dont le badge n’était pas encore imprimé",
           Selection.CHOSEN: "inscrits choisis dans la liste des inscriptions",
           Selection.PROGRAMME: "intervenant·es et animateur·rices du programme",
           Selection.TEAM: "équipe d’organisation"}
NOTHING_TO_PRINT = {
    Selection.ALL: "la journée n’a pas encore d’inscrit confirmé.",
    Selection.NEW: "ceux de tous les inscrits confirmés ont déjà été imprimés.",
    Selection.ONE: "choisissez une personne.",
    Selection.CHOSEN: "aucune des personnes choisies n’a d’inscription confirmée.",
    Selection.PROGRAMME: "personne n’est encore indiqué dans le programme.",
    Selection.TEAM: "indiquez au moins une personne.",
}


def _form(event: Event, attendees: list[Registration], new_count: int,
          programme_count: int, chosen: list[int] | None) -> BadgeForm:
    form = BadgeForm()
    formats = sheet_formats()
    form.sheet_format.choices = options((sheet.id, sheet.label) for sheet in formats.values())
    if not form.sheet_format.data and not form.is_submitted():
        form.sheet_format.data = next(iter(formats))
    count = len(attendees)
    form.selection.choices = options([
        (Selection.ALL.value, f"Tous les inscrits confirmés ({count})"),
        (Selection.NEW.value, f"Seulement les badges pas encore imprimés ({new_count})"),
        (Selection.ONE.value, "Une seule personne (choisie ci-dessous)"),
        *([(Selection.CHOSEN.value, "Les personnes choisies dans la liste des inscriptions "
                                    f"({len(chosen)})")] if chosen is not None else []),
        (Selection.PROGRAMME.value, "Les intervenant·es et animateur·rices du programme "
                                    f"({programme_count})"),
        (Selection.TEAM.value, "Les membres de l’équipe d’organisation (saisis ci-dessous)"),
    ])
    form.registration.choices = options([("", "— Choisir —")] + [
        (str(person.id), f"{person.last_name} {person.first_name}"
                         + (f" ({person.organisation})" if person.organisation else ""))
        for person in attendees])
    return form


def _chosen_registration(event: Event, value: str | None) -> Registration:
    """The registration picked in the form; another event's is a 404 like a missing one."""
    registration_id = as_id(value)
    if registration_id is None:
        abort(404)
    return owned_or_404(Registration, registration_id, event_id=event.id)


@bp.route("/journees/<int:event_id>/badges", methods=["GET", "POST"])
def badges(event_id: int):
    """Choose a sheet format and whose badges to print; the answer is the PDF."""
    event = event_or_404(event_id)
    attendees = confirmed_attendees(event)
    new_count = sum(1 for person in attendees if person.badge_printed_at is None)
    programme = service.programme_badges(event)
    chosen = _chosen_in_list(event, attendees)
    form = _form(event, attendees, new_count, len(programme), chosen)
    if request.method == "GET" and chosen is not None:
        form.selection.data = Selection.CHOSEN.value
        form.chosen_ids.data = ",".join(map(str, chosen))
    if request.method == "GET" and request.args.get("inscription"):
        # A link from a registration's page: that person is preselected.
        chosen = _chosen_registration(event, request.args["inscription"])
        form.selection.data = Selection.ONE.value
        form.registration.data = str(chosen.id)
    if form.is_submitted() and form.selection.data == Selection.ONE and form.registration.data:
        form.chosen = _chosen_registration(event, form.registration.data)
    problem = None
    if form.validate_on_submit():
        response, problem = _print(event, form, programme)
        if response is not None:
            return response
    return render_template("attendance/badges.html", event=event, form=form,
                           problem=problem, attendees=len(attendees), new_count=new_count)


def _chosen_in_list(event: Event, attendees: list[Registration]) -> list[int] | None:
    """The confirmed attendees chosen in the registrations list, by id: ticked rows
    (``inscriptions``, ids joined by commas; posted back as ``chosen_ids``) or the whole
    filtered list (``liste`` with the list's filters); ``None`` when not sent from there."""
    confirmed = {person.id for person in attendees}
    if request.method == "POST":
        if not request.form.get("chosen_ids"):
            return None
        ids = bulk.parse_ids([request.form["chosen_ids"]])
    elif request.args.get("inscriptions"):
        ids = bulk.parse_ids([request.args["inscriptions"]])
    elif request.args.get("liste"):
        filters = listing.Filters.from_args(request.args, listing.event_workshops(event.id))
        ids = [r.id for r in bulk.chosen(event, [], filters)]
    else:
        return None
    return [registration_id for registration_id in ids if registration_id in confirmed]


def _print(event: Event, form: BadgeForm, programme):
    """The PDF response, or ``None`` and the reason there is nothing to print."""
    chosen = form.chosen
    selection = Selection(form.selection.data)
    sheet = sheet_formats()[form.sheet_format.data]
    printed: list[Registration] = []
    if selection == Selection.PROGRAMME:
        badges = programme
    elif selection == Selection.TEAM:
        badges = service.team_badges(event, form.team_members)
    else:
        printed = service.attendees_to_print(event, selection, chosen,
                                             bulk.parse_ids([form.chosen_ids.data or ""]))
        service.give_badge_codes(printed)
        badges = service.attendee_badges(event, printed)
    if not badges:
        return None, f"Aucun badge à imprimer{NNBSP}: {NOTHING_TO_PRINT[selection]}"
    what = (f"une personne (inscription n°{NBSP}{chosen.id})" if selection == Selection.ONE
            else PRINTED[selection])
    data = build_badges(sheet, badges, offset_mm=form.offset_mm(),
                        cut_marks=form.cut_marks.data, skip=form.skip.data,
                        title=f"Badges – {event.title}", logo=png_logo())
    service.mark_printed(printed, utcnow())
    record("organiser.print_badges", actor=actor_for_user(current_user), event=event,
           target=f"Badges{NBSP}: {what} ({sheet.label})", rows=len(badges))
    db.session.commit()
    suffix = {Selection.NEW: "-nouveaux", Selection.PROGRAMME: "-programme",
              Selection.TEAM: "-equipe", Selection.ONE: "-une-personne"}.get(selection, "")
    return private_download(data, f"badges-{event.slug}{suffix}.pdf", PDF), None
