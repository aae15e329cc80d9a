"""Printing badges on label sheets."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from ..audit.log import actor_for_user, record
from ..auth.access import require_login
from ..documents.badge_formats import sheet_formats
from ..documents.badges_pdf import build_badges
from ..extensions import db
from ..formatting import NBSP, NNBSP
from ..models_base import utcnow
from ..programme.models import Event
from ..registration.models import Registration, RegistrationStatus
from ..security import as_id
from ..web.downloads import private_download
from ..web.forms import Form, options
from ..web.loaders import event_or_404, owned_or_404
from . import badge_service as service
from .badge_service import Selection
from .roster import confirmed_attendees

bp = Blueprint("badges_admin", __name__, url_prefix="/admin")

bp.before_request(require_login)

OFFSET_LIMIT_MM = 15
PDF = "application/pdf"

#: What the audit log says was printed.
PRINTED = {Selection.ALL: "tous les inscrits confirmés",
           Selection.NEW: "inscrits dont le badge n’était pas encore imprimé",
           Selection.PROGRAMME: "intervenant·es et animateur·rices du programme",
           Selection.TEAM: "équipe d’organisation"}
NOTHING_TO_PRINT = {
    Selection.ALL: "la journée n’a pas encore d’inscrit confirmé.",
    Selection.NEW: "ceux de tous les inscrits confirmés ont déjà été imprimés.",
    Selection.ONE: "choisissez une personne.",
    Selection.PROGRAMME: "personne n’est encore indiqué dans le programme.",
    Selection.TEAM: "indiquez au moins une personne.",
}


def _millimetres(text: str | None) -> float | None:
    """« 1,5 », « -2 », « −0.5 » as millimetres; ``None`` for anything else."""
    text = (text or "").strip().replace(",", ".").replace("\u2212", "-").replace(" ", "")
    if not text:
        return 0.0
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return float(value) if value.is_finite() else None


def _offset(_form, field) -> None:
    value = _millimetres(field.data)
    if value is None:
        raise ValidationError("Saisissez un nombre de millimètres, par exemple 1,5 ou -2.")
    if not -OFFSET_LIMIT_MM <= value <= OFFSET_LIMIT_MM:
        raise ValidationError(f"Le décalage doit être compris entre -{OFFSET_LIMIT_MM} et "
                              f"{OFFSET_LIMIT_MM}{NBSP}mm.")


class BadgeForm(Form):
    sheet_format = RadioField("Format des planches d’étiquettes", validators=[
        InputRequired("Choisissez un format de planche.")])
    selection = RadioField("Badges à imprimer", default=Selection.ALL.value, validators=[
        InputRequired("Choisissez les badges à imprimer.")])
    # The view checks the person belongs to the event (a 404 otherwise) before validation.
    registration = SelectField("Personne", choices=[], validate_choice=False)
    team = TextAreaField("Membres de l’équipe")
    offset_x = StringField("Décalage horizontal (mm)", default="0", validators=[_offset],
                           render_kw={"inputmode": "decimal"})
    offset_y = StringField("Décalage vertical (mm)", default="0", validators=[_offset],
                           render_kw={"inputmode": "decimal"})
    skip = IntegerField("Étiquettes à sauter sur la première planche", default=0,
                        validators=[InputRequired("Indiquez un nombre d’étiquettes, 0 si "
                                                  "la planche est neuve."),
                                    NumberRange(min=0, message="Indiquez un nombre positif "
                                                               "ou 0.")])
    cut_marks = BooleanField("Imprimer des traits de coupe dans les marges", default=True)

    chosen: Registration | None = None
    """The registration named by ``registration``, loaded by the view (404 if foreign)."""
    team_members: tuple[service.TeamMember, ...] = ()

    def validate_skip(self, field) -> None:
        sheet = sheet_formats().get(self.sheet_format.data)
        if sheet is not None and field.data is not None and field.data >= sheet.per_page:
            raise ValidationError(f"Sur ce format, une planche compte {sheet.per_page}"
                                  f"{NBSP}étiquettes{NNBSP}: sautez-en au plus "
                                  f"{sheet.per_page - 1}.")

    def validate_registration(self, field) -> None:
        if self.selection.data != Selection.ONE:
            return
        if self.chosen is None:
            raise ValidationError("Choisissez la personne dont vous voulez le badge.")
        if self.chosen.status != RegistrationStatus.CONFIRMED:
            raise ValidationError("Cette personne n’a pas d’inscription confirmée.")

    def validate_team(self, field) -> None:
        if self.selection.data != Selection.TEAM:
            return
        members, problems = service.parse_team(field.data)
        if problems:
            raise ValidationError(" ".join(problems))
        if not members:
            raise ValidationError("Indiquez au moins une personne, une par ligne.")
        self.team_members = tuple(members)

    def offset_mm(self) -> tuple[float, float]:
        return _millimetres(self.offset_x.data), _millimetres(self.offset_y.data)


def _form(event: Event, attendees: list[Registration], new_count: int,
          programme_count: int) -> BadgeForm:
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
    form = _form(event, attendees, new_count, len(programme))
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
        printed = service.attendees_to_print(event, selection, chosen)
        service.give_badge_codes(printed)
        badges = service.attendee_badges(event, printed)
    if not badges:
        return None, f"Aucun badge à imprimer{NNBSP}: {NOTHING_TO_PRINT[selection]}"
    what = (f"une personne (inscription n°{NBSP}{chosen.id})" if selection == Selection.ONE
            else PRINTED[selection])
    data = build_badges(sheet, badges, offset_mm=form.offset_mm(),
                        cut_marks=form.cut_marks.data, skip=form.skip.data,
                        title=f"Badges – {event.title}")
    service.mark_printed(printed, utcnow())
    record("organiser.print_badges", actor=actor_for_user(current_user), event=event,
           target=f"Badges{NBSP}: {what} ({sheet.label})", rows=len(badges))
    db.session.commit()
    suffix = {Selection.NEW: "-nouveaux", Selection.PROGRAMME: "-programme",
              Selection.TEAM: "-equipe", Selection.ONE: "-une-personne"}.get(selection, "")
    return private_download(data, f"badges-{event.slug}{suffix}.pdf", PDF), None
