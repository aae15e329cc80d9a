"""The registration form, built per event: its questions and its workshops depend on it.

Every rule is checked here, server-side; the services only re-check what must be atomic
(places) or what a tampered request could break (a workshop from another slot).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from flask_wtf.file import FileAllowed, FileField, FileRequired
from markupsafe import Markup
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import Choice, SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import Select

from ..formatting import NNBSP, format_date, format_time_range, ordinal
from ..programme.models import SECTORS, Event, Session, WorkshopMode, days_after
from ..util.clock import utcnow
from ..web.forms import Form, options
from .models import COURSES, PROFILE_LABELS, Profile, Registration
from .privacy import accommodation_purge_date

OTHER_SECTOR = "Autre"
YES, NO = "oui", "non"
YES_NO = options([(YES, "Oui"), (NO, "Non")])
EMAIL_MESSAGE = "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _normalise_email(value):
    return value.strip().lower() if isinstance(value, str) else value


def _too_long(limit: int) -> Length:
    return Length(max=limit, message=f"Saisissez {limit}{NNBSP}caractères au maximum.")


def _single_line(_form, field) -> None:
    """Refuse control characters (a tab, a line break, ``\\x0b``…) in one-line fields."""
    if field.data and any(unicodedata.category(c) == "Cc" for c in field.data):
        raise ValidationError("Ce champ contient des caractères non autorisés.")


def _text_block(_form, field) -> None:
    if field.data and any(unicodedata.category(c) == "Cc" and c not in "\r\n\t"
                          for c in field.data):
        raise ValidationError("Ce champ contient des caractères non autorisés.")


def _text(label: str, limit: int, required: str | None = None, **kwargs) -> StringField:
    validators = [DataRequired(required)] if required else [Optional()]
    return StringField(label, filters=[_strip], validators=[
        *validators, _too_long(limit), _single_line], **kwargs)


class ChoiceRadioField(RadioField):
    """Radio buttons with one clear message when nothing is chosen (WTForms would add
    « not a valid choice » to it) and the same message as a select for a forged value."""

    def __init__(self, label=None, required_message: str | None = None, **kwargs):
        super().__init__(label, **kwargs)
        self.required_message = required_message
        self.flags.required = bool(required_message)

    def pre_validate(self, form):
        if not self.data:
            if self.required_message:
                raise StopValidation(self.required_message)
            return
        super().pre_validate(form)


class QuickSelect(Select):
    """WTForms' select, each option written once per value, label and selection rather
    than on every request: the form lists the day's workshops in three selects."""

    @classmethod
    def render_option(cls, choice: Choice, **kwargs) -> Markup:
        if choice.render_kw or kwargs:
            return super().render_option(choice, **kwargs)
        return _option(choice.value, choice.label, choice.selected)


@lru_cache(maxsize=2048)
def _option(value: str, label: str, selected: bool) -> Markup:
    return Select.render_option(Choice(value, label, selected, None))


class OptionalSelectField(SelectField):
    """A select whose first option, « — Choisir — », means no answer: a request that
    leaves the field out altogether means the same, not a forged value."""

    widget = QuickSelect()

    def pre_validate(self, form):
        if self.data:
            super().pre_validate(form)


PROFILE_CHOICES = options((profile.value, label) for profile, label in PROFILE_LABELS.items())
COURSE_CHOICES = options([("", "— Choisir —")] + [(course, course) for course in COURSES])
YEAR_CHOICES = options([("", "— Choisir —")] + [
    (str(year), f"{'1re' if year == 1 else f'{year}e'} année") for year in range(1, 7)])
SECTOR_CHOICES = options([("", "— Choisir —")] + [(sector, sector) for sector in SECTORS])


class RegistrationForm(Form):
    keeps_rendered_fields = True
    """Its empty fields' HTML may be kept (:mod:`journee.web.rendered_fields`): their
    choices are the event's, never people's."""

    first_name = _text("Prénom", 100, "Indiquez votre prénom.")
    last_name = _text("Nom", 100, "Indiquez votre nom.")
    email = EmailField("Adresse e-mail", filters=[_normalise_email], validators=[
        DataRequired("Indiquez votre adresse e-mail."), _too_long(254), Email(EMAIL_MESSAGE)],
        description="Nous y envoyons la confirmation et le lien pour modifier ou annuler "
                    "votre inscription.")
    phone = TelField("Téléphone (facultatif)", filters=[_strip], validators=[
        Optional(), _too_long(40),
        Regexp(r"^\+?[0-9][0-9 .()\-]{5,}$",
               message="Saisissez un numéro de téléphone, par exemple 06 12 34 56 78.")])
    organisation = _text("Établissement, service ou école", 200,
                         "Indiquez votre établissement, service ou école.",
                         description=f"Par exemple «{NNBSP}IRTS-IDS Normandie{NNBSP}» ou "
                                     f"«{NNBSP}MECS Les Tilleuls{NNBSP}».")
    function = _text("Fonction (facultatif)", 200,
                     description=f"Par exemple «{NNBSP}Éducatrice spécialisée{NNBSP}» ou "
                                 f"«{NNBSP}Chef de service{NNBSP}».")
    profile = ChoiceRadioField("Vous êtes", choices=PROFILE_CHOICES,
                               required_message="Indiquez votre profil.")
    course = OptionalSelectField("Formation suivie", choices=COURSE_CHOICES)
    course_year = OptionalSelectField("Année de formation", choices=YEAR_CHOICES)
    sector = OptionalSelectField("Secteur d’exercice ou de stage (facultatif)",
                                 choices=SECTOR_CHOICES)
    sector_other = _text("Autre secteur (facultatif)", 120,
                         description="Si votre secteur n’est pas dans la liste.")
    lunch = ChoiceRadioField(f"Déjeunerez-vous sur place{NNBSP}?", choices=YES_NO,
                             required_message="Indiquez si vous déjeunerez sur place.")
    accommodation_needed = ChoiceRadioField(
        f"Avez-vous besoin d’un aménagement{NNBSP}? (nous vous contacterons)",
        choices=YES_NO, default=NO,
        required_message="Indiquez si vous avez besoin d’un aménagement.")
    accommodation_details = TextAreaField("Précisez votre besoin (facultatif)", filters=[_strip],
                                          validators=[_too_long(2000), _text_block])
    accommodation_consent = BooleanField(
        "J’accepte que cette information sur ma santé ou mon handicap soit transmise à "
        "l’équipe d’organisation et au/à la référent·e handicap, uniquement pour préparer "
        "mon accueil.")
    """Explicit consent (RGPD art. 9): required only with « Oui »; its label gets the day
    the need is erased (:func:`build_form`)."""
    privacy = BooleanField("J’ai pris connaissance de ces informations sur mes données "
                           "personnelles.", validators=[DataRequired(
                               "Cochez cette case pour confirmer que vous avez pris "
                               "connaissance de l’information sur vos données.")])
    consent_photos = BooleanField("J’accepte d’être pris·e en photo pendant la journée et "
                                  "que ces photos illustrent les comptes rendus de la "
                                  "journée.")
    consent_future_events = BooleanField("Je souhaite être informé·e par e-mail des "
                                         "prochaines journées d’étude.")
    website = StringField("Ne remplissez pas ce champ")
    """A honeypot: hidden from people and screen readers, filled only by robots."""

    event: Event
    slots: list[Slot]
    first_come: bool

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.profile.data == Profile.STUDENT.value:
            if not self.course.data:
                self.course.errors.append("Indiquez votre formation.")
                valid = False
            if not self.course_year.data:
                self.course_year.errors.append("Indiquez votre année de formation.")
                valid = False
        if ("accommodation_needed" in self and self.accommodation_needed.data == NO
                and self.accommodation_details.data):
            self.accommodation_details.errors.append(
                f"Vous avez décrit un besoin{NNBSP}: répondez «{NNBSP}Oui{NNBSP}» à la question "
                "ci-dessus, ou effacez ce texte.")
            valid = False
        if ("accommodation_consent" in self and self.accommodation_needed.data == YES
                and not self.accommodation_consent.data):
            self.accommodation_consent.errors.append(
                f"Sans votre accord, nous ne pouvons pas enregistrer ce besoin{NNBSP}: cochez "
                f"cette case, ou répondez «{NNBSP}Non{NNBSP}» et contactez directement le ou "
                "la référent·e handicap.")
            valid = False
        for slot in self.slots:
            chosen: dict[str, int] = {}
            for rank, field in enumerate(slot.fields, start=1):
                if not field.data or field.errors:
                    continue
                if field.data in chosen:
                    field.errors.append(f"Vous avez déjà choisi cet atelier en "
                                        f"{ordinal(chosen[field.data])}\u00a0choix.")
                    valid = False
                else:
                    chosen[field.data] = rank
        return valid

    def details(self) -> dict:
        """The registration's columns, as typed (only the questions this event asks)."""
        student = self.profile.data == Profile.STUDENT.value
        sector = self.sector.data or ""
        if self.sector_other.data and sector in ("", OTHER_SECTOR):
            sector = self.sector_other.data
        data = {
            "first_name": self.first_name.data, "last_name": self.last_name.data,
            "email": self.email.data, "phone": self.phone.data or None,
            "organisation": self.organisation.data, "function": self.function.data or "",
            "profile": Profile(self.profile.data).value,
            "course": self.course.data if student else None,
            "course_year": int(self.course_year.data) if student else None,
            "sector": sector,
        }
        if "lunch" in self:
            data["lunch"] = self.lunch.data == YES
        if "accommodation_needed" in self:
            needed = self.accommodation_needed.data == YES
            data["accommodation_needed"] = needed
            data["accommodation_details"] = (self.accommodation_details.data or None
                                             if needed else None)
            # validate() refuses « Oui » without consent: the time is when it was given.
            data["accommodation_consent_at"] = utcnow() if needed else None
        for name in ("consent_photos", "consent_future_events"):
            if name in self:
                data[name] = bool(self[name].data)
        return data

    def workshop_choices(self) -> dict[int, list[int]]:
        """Workshop ids per slot in order of preference; blank ranks are skipped."""
        return {slot.session.id: [int(field.data) for field in slot.fields if field.data]
                for slot in self.slots}

    def field_for(self, session_id: int, workshop_id: int | None = None):
        """The field of a slot where an error about this workshop belongs."""
        for slot in self.slots:
            if slot.session.id == session_id:
                for field in slot.fields:
                    if workshop_id is None or field.data == str(workshop_id):
                        return field
                return slot.fields[0]
        return None


@dataclass
class Slot:
    """A workshops session of the form and its fields (one per rank, or one radio group)."""

    session: Session
    legend: str
    fields: list


def slot_legend(event: Event, session: Session) -> str:
    when = format_time_range(session.starts_at, session.ends_at)
    if len(event.days) > 1:
        when = f"{format_date(session.starts_at.date())}, {when}"
    return f"{session.display_title}, {when}"


def build_form(event: Event, editing: bool = False, **kwargs) -> RegistrationForm:
    """The registration form for this event: its questions, its workshop slots.

    When ``editing``, the privacy acknowledgement and the honeypot are left out (they
    were given at registration).
    """
    first_come = event.workshop_mode == WorkshopMode.FIRST_COME
    slots = tuple(
        (session.id, slot_legend(event, session),
         tuple((str(w.id), w.label) for w in session.workshops),
         1 if first_come else min(event.workshop_choices, len(session.workshops)))
        for session in event.workshop_sessions if session.workshops)
    form_class, names = _form_class(first_come, slots)
    sessions = {session.id: session for session in event.workshop_sessions}
    layout = [(sessions[session_id], legend, slot_names)
              for (session_id, legend, _, _), slot_names in zip(slots, names)]
    form = form_class(**kwargs)
    unasked = {"lunch": not event.ask_lunch,
               "accommodation_needed": not event.ask_accommodation,
               "accommodation_details": not event.ask_accommodation,
               "accommodation_consent": not event.ask_accommodation,
               "consent_photos": not event.ask_photo_consent,
               "consent_future_events": not event.ask_future_events,
               "privacy": editing, "website": editing}
    for name, drop in unasked.items():
        if drop:
            del form[name]
    if "accommodation_consent" in form:
        erased = days_after(accommodation_purge_date(event), 1)
        form.accommodation_consent.label.text += (
            f" Elle sera effacée le {format_date(erased)}.")
    form.event = event
    form.first_come = first_come
    form.slots = [Slot(session, legend, [form[name] for name in names])
                  for session, legend, names in layout]
    for slot in form.slots:
        for field in slot.fields:
            field.summary_label = (slot.legend if first_come
                                   else f"{slot.legend} – {field.label.text}")
    return form


@lru_cache(maxsize=256)
def _form_class(first_come: bool, slots: tuple) -> tuple[type, list[list[str]]]:
    """The form class of an event's workshop slots, and each slot's field names: built
    once for each version of the slots rather than on every request.

    :param slots: per slot, its session id, legend, workshops ``(id, label)`` and ranks.
    """
    attributes, names = {}, []
    for session_id, legend, workshops, ranks in slots:
        if first_come:
            slot_names = [f"atelier_{session_id}"]
            attributes[slot_names[0]] = ChoiceRadioField(
                legend, choices=options(workshops),
                required_message="Choisissez un atelier pour ce créneau.")
        else:
            slot_names = [f"atelier_{session_id}_{rank}" for rank in range(1, ranks + 1)]
            for rank, name in enumerate(slot_names, start=1):
                validators = ([DataRequired(f"Indiquez au moins votre 1er{NNBSP}choix.")]
                              if rank == 1 else [])
                attributes[name] = OptionalSelectField(
                    f"{ordinal(rank)}\u00a0choix",
                    choices=options([("", "— Choisir un atelier —")] + list(workshops)),
                    validators=validators)
        names.append(slot_names)
    form_class = type(RegistrationForm)("EventRegistrationForm", (RegistrationForm,), attributes)
    return form_class, names


def mark_popular(form: RegistrationForm, popular: set[int], mark: str) -> None:
    """Add « (très demandé) » to these workshops in the preference selects, so that the
    option itself says it where a screen reader reads it."""
    if form.first_come or not popular:
        return
    for slot in form.slots:
        for field in slot.fields:
            field.choices = [
                SelectChoice(choice.value, f"{choice.label} ({mark})")
                if choice.value and int(choice.value) in popular else choice
                for choice in field.choices]


def initial_data(registration: Registration) -> dict:
    """What the edit form shows first: the registration as it is."""
    sector = registration.sector or ""
    data = {
        "first_name": registration.first_name, "last_name": registration.last_name,
        "email": registration.email, "phone": registration.phone or "",
        "organisation": registration.organisation, "function": registration.function,
        "profile": registration.profile.value, "course": registration.course or "",
        "course_year": str(registration.course_year or ""),
        "sector": sector if sector in SECTORS or not sector else OTHER_SECTOR,
        "sector_other": "" if sector in SECTORS else sector,
        "lunch": None if registration.lunch is None else (YES if registration.lunch else NO),
        "accommodation_needed": YES if registration.accommodation_needed else NO,
        "accommodation_details": registration.accommodation_details or "",
        "accommodation_consent": registration.accommodation_consent_at is not None,
        "consent_photos": registration.consent_photos,
        "consent_future_events": registration.consent_future_events,
    }
    first_come = registration.event.workshop_mode == WorkshopMode.FIRST_COME
    for choice in registration.choices:
        name = (f"atelier_{choice.session_id}" if first_come
                else f"atelier_{choice.session_id}_{choice.rank}")
        if not first_come or choice.rank == 1:
            data[name] = str(choice.workshop_id)
    return data


def keep_frozen_choices(form: RegistrationForm, registration: Registration,
                        frozen: set[int]) -> list[str]:
    """Put back the registration's choices in the slots of *frozen* (their assignment is
    published); return the legends of those the request tried to change."""
    current = initial_data(registration)
    changed = []
    for slot in form.slots:
        if slot.session.id not in frozen:
            continue
        tried = False
        for field in slot.fields:
            kept = current.get(field.name, "")
            tried |= bool(field.data) and field.data != kept
            field.data = kept
        if tried:
            changed.append(slot.legend)
    return changed


class ResendLinkForm(Form):
    email = EmailField("Adresse e-mail utilisée pour l’inscription", filters=[_normalise_email],
                       validators=[DataRequired("Indiquez votre adresse e-mail."),
                                   _too_long(254), Email(EMAIL_MESSAGE)])


class WorkshopPlaceForm(Form):
    """After publication, for someone without a workshop in a slot: one of its
    workshops, to take a place in, or to wait for on its waiting list."""

    workshop = ChoiceRadioField("Atelier", required_message="Choisissez un atelier.")


# The group import (organisers) ----------------------------------------------------------

class ImportUploadForm(Form):
    file = FileField("Fichier de la liste (.xlsx)", validators=[
        FileRequired("Choisissez le fichier à importer."),
        FileAllowed(["xlsx"], "Le fichier doit être un classeur Excel (.xlsx).")])


class ConfirmImportForm(Form):
    token = HiddenField()
    rows = HiddenField()
    """The numbers of the rows the preview accepted (no personal data in the page's form)."""
    informed = BooleanField(
        "Les personnes ont été informées de la notice de confidentialité de la journée.",
        validators=[DataRequired("Cochez cette case pour confirmer que les personnes "
                                 "importées ont été informées de la notice de "
                                 "confidentialité.")])
