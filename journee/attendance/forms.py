"""Forms of the attendance pages: badges, the certificates' signatory, and the short form
of an on-the-spot registration.

The on-the-spot form is built per event for its workshop slots. It reuses the registration
form's fields and rules (control characters refused, lengths, e-mail check) with the
staff's wording: the questions are asked by a volunteer at the door.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..documents.badge_formats import sheet_formats
from ..formatting import NBSP, NNBSP
from ..programme.models import Event
from ..registration.forms import (
    EMAIL_MESSAGE,
    PROFILE_CHOICES,
    ChoiceRadioField,
    OptionalSelectField,
    _normalise_email,
    _text,
    _too_long,
    slot_legend,
)
from ..registration.models import Profile, Registration, RegistrationStatus
from ..registration.privacy import INFORMED, PRIVACY_VERSION
from ..registration.services import Attendee
from ..web.forms import STRIP, Form, options
from .services import badges as service
from .services.badges import Selection

# Badges ---------------------------------------------------------------------------------

OFFSET_LIMIT_MM = 15


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
    # The registrations chosen in the list (ids joined by commas), when it sent them here.
    chosen_ids = HiddenField()
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


# Attendance certificates ----------------------------------------------------------------

class SignatoryForm(Form):
    signatory = StringField(
        "Signataire (nom et fonction)", filters=STRIP,
        validators=[Length(max=300, message="300 caractères au plus.")])
    signature = FileField("Image de la signature (PNG ou JPEG, 1\u00a0Mo au plus)")


# On-the-spot registration --------------------------------------------------------------


class OnSiteForm(Form):
    first_name = _text("Prénom", 100, "Indiquez le prénom de la personne.")
    last_name = _text("Nom", 100, "Indiquez le nom de la personne.")
    organisation = _text("Établissement, service ou école (facultatif)", 200)
    function = _text("Fonction (facultatif)", 200)
    profile = ChoiceRadioField("Profil", choices=PROFILE_CHOICES,
                               required_message="Indiquez le profil de la personne.")
    email = EmailField("Adresse e-mail (facultatif)", filters=[_normalise_email], validators=[
        Optional(), _too_long(254), Email(EMAIL_MESSAGE)],
        description="Si la personne en donne une\u202f: elle y recevra la confirmation, "
                    "puis son attestation de présence après la journée.")
    privacy = BooleanField(INFORMED, validators=[DataRequired(
        "Cochez cette case après avoir informé la personne de la notice de "
        "confidentialité.")])

    workshop_fields: list

    def attendee(self) -> Attendee:
        return Attendee(
            first_name=self.first_name.data, last_name=self.last_name.data,
            profile=Profile(self.profile.data).value, email=self.email.data or None,
            organisation=self.organisation.data or "", function=self.function.data or "",
            privacy_version=PRIVACY_VERSION,
            choices={session_id: [int(field.data)]
                     for session_id, field in self.workshop_fields if field.data})

    def field_for(self, session_id: int):
        return next((field for slot, field in self.workshop_fields if slot == session_id),
                    None)


def workshop_label(workshop, members: int) -> str:
    """« Atelier n°3 : Titre – Salle 3 (18\u00a0inscrit·es sur 20\u00a0places) », as the select shows."""
    parts = [workshop.label]
    if workshop.room is not None:
        parts.append(workshop.room.name)
    text = " – ".join(parts)
    if workshop.capacity:
        full = ", complet" if members >= workshop.capacity else ""
        return f"{text} ({members}\u00a0inscrit·es sur {workshop.capacity}\u00a0places{full})"
    return f"{text} ({members}\u00a0inscrit·es)"


def build_on_site_form(event: Event, members: dict[int, int], **kwargs) -> OnSiteForm:
    """The form for this event: one optional workshop select per workshop slot.

    ``members`` is the number of people already in each workshop (by id), shown in the
    options so that the volunteer can send the person where there is room.
    """
    attributes, layout = {}, []
    for slot in event.workshop_sessions:
        if not slot.workshops:
            continue
        name = f"atelier_{slot.id}"
        choices = [("", "— Sans atelier —")] + [
            (str(w.id), workshop_label(w, members.get(w.id, 0))) for w in slot.workshops]
        attributes[name] = OptionalSelectField(f"{slot_legend(event, slot)} (facultatif)",
                                               choices=options(choices))
        layout.append((slot.id, name))
    form_class = type(OnSiteForm)("EventOnSiteForm", (OnSiteForm,), attributes)
    form = form_class(**kwargs)
    form.workshop_fields = [(slot_id, form[name]) for slot_id, name in layout]
    return form


# Signing per half-day -------------------------------------------------------------------

class SignatureForm(Form):
    """The drawn signature, sent by the page's script as a PNG data URL."""

    signature = HiddenField("Signature")
    half_day = HiddenField()


class AttestForm(Form):
    """A presence attested by staff, for someone who cannot sign."""

    attested_by = StringField(
        "Présence attestée par (nom de la personne de l’équipe)", filters=STRIP,
        validators=[DataRequired(message="Indiquez qui atteste la présence."),
                    Length(max=200, message="200 caractères au plus.")])
    reason = StringField(
        "Motif", filters=STRIP, default="signature impossible",
        validators=[DataRequired(message="Indiquez le motif."),
                    Length(max=300, message="300 caractères au plus.")])
    half_day = HiddenField()


def _journal_reason(label: str, example: str, missing: str) -> StringField:
    """The reason of a sign-in correction, kept in the audit log (at most 150
    characters, so that the entry keeps it whole)."""
    return StringField(
        label, filters=STRIP,
        description=(f"Par exemple «\u202f{example}\u202f». Le motif est inscrit au "
                     "journal\u202f: n’y indiquez rien de la santé de la personne."),
        validators=[DataRequired(message=missing),
                    Length(max=150, message="150 caractères au plus.")])


class CancelRecordForm(Form):
    """Why a signature or attested presence recorded by mistake is cancelled."""

    reason = _journal_reason("Motif de l’annulation",
                             "Mauvaise personne sélectionnée à l’accueil",
                             "Indiquez le motif de l’annulation.")


class LateAttestForm(Form):
    """A presence an organiser attests after the fact, with who attests it and why."""

    # The view loads the registration (404 if it is another event's); the operation
    # refuses one already recorded, waitlisted or cancelled.
    registration = SelectField("Personne", choices=[], validate_choice=False, validators=[
        DataRequired(message="Choisissez la personne dont vous attestez la présence.")])
    attested_by = StringField(
        "Présence attestée par (nom de la personne de l’équipe)", filters=STRIP,
        validators=[DataRequired(message="Indiquez qui atteste la présence."),
                    Length(max=200, message="200 caractères au plus.")])
    reason = _journal_reason("Motif",
                             "A signé la feuille papier pendant la panne de la tablette",
                             "Indiquez le motif.")


class ToleranceForm(Form):
    minutes = IntegerField(
        "Tolérance avant et après chaque demi-journée (en minutes)",
        validators=[InputRequired(message="Indiquez un nombre de minutes."),
                    NumberRange(min=0, max=240,
                                message="Entre 0 et 240 minutes.")])
