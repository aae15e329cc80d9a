"""Forms of the organiser's programme editor; the rules themselves live in ``editing``."""

import re

from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..typography import smarten
from ..web.forms import (
    EMAIL_MESSAGE,
    STRIP,
    Form,
    SubForm,
    YesNoField,
    id_choice,
    optional_int,
    options,
)
from .models import (
    ACCESSIBILITY_FEATURES,
    ACTION_NATURE_LABELS,
    ROLE_LABELS,
    SECTORS,
    SESSION_KIND_LABELS,
    SESSION_ROLES,
    WORKSHOP_ROLES,
    ActionNature,
    Role,
    WorkshopMode,
    parse_reminder_days,
)


class TitleField(StringField):
    """A title, shown everywhere (pages, e-mail subjects, PDFs, spreadsheets): kept in
    French typography (:func:`~journee.typography.smarten`), and shown back as typed
    when the form is refused."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, filters=[*STRIP, smarten], **kwargs)

    def _value(self) -> str:
        return self.raw_data[0] if self.raw_data else super()._value()


class _Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


_FRENCH_PHONE = re.compile(r"^(?:\+33|0033|0)([1-9][0-9]{8})$")


def french_phone(text: str) -> str | None:
    """« 0235123456 », « +33 2 35 12 34 56 » → « 02 35 12 34 56 »; ``None`` unless it is a
    French number of ten digits."""
    found = _FRENCH_PHONE.match(re.sub(r"[ .\-()\u00a0\u202f]", "", text or ""))
    if found is None:
        return None
    digits = "0" + found.group(1)
    return " ".join(digits[i:i + 2] for i in range(0, 10, 2))


class AccessibilityFields:
    """The « Accessibilité » block of the event settings: the venue's conditions, the
    disability referent and whether the form asks about accommodation needs."""

    accessibility_features = _Checkboxes(
        "Conditions d’accessibilité du lieu", choices=options(ACCESSIBILITY_FEATURES.items()))
    accessibility_notes = TextAreaField(
        "Autres conditions ou précisions (facultatif)", filters=STRIP,
        validators=[Length(max=2000, message="Saisissez 2\u202f000\u00a0caractères au "
                                             "maximum.")])
    referent_name = StringField("Nom du ou de la référent·e handicap", filters=STRIP,
                                validators=[Length(max=200)])
    referent_email = EmailField("Adresse e-mail du ou de la référent·e", filters=STRIP,
                                validators=[Optional(), Email(EMAIL_MESSAGE), Length(max=254)])
    referent_phone = StringField("Téléphone du ou de la référent·e", filters=STRIP,
                                 validators=[Length(max=40)])
    ask_accommodation = BooleanField(
        "Demander dans le formulaire d’inscription si la personne a besoin d’un aménagement")

    def validate_accessibility_features(self, field) -> None:
        if any(code not in ACCESSIBILITY_FEATURES for code in field.data or ()):
            raise ValidationError("Choisissez parmi les conditions proposées.")

    def validate_referent_phone(self, field) -> None:
        if field.data and french_phone(field.data) is None:
            raise ValidationError("Saisissez un numéro de téléphone français à dix chiffres, "
                                  "par exemple 02\u00a035\u00a012\u00a034\u00a056.")

    def validate_referent_name(self, field) -> None:
        contact = self.referent_email.data or self.referent_phone.data
        if contact and not field.data:
            raise ValidationError("Indiquez le nom du ou de la référent·e handicap.")
        if field.data and not contact:
            raise ValidationError("Indiquez une adresse e-mail ou un téléphone pour joindre "
                                  "le ou la référent·e handicap.")

    def load_accessibility(self, event) -> None:
        """Show the event's values (the checklist is stored as one column)."""
        self.accessibility_features.data = [
            code for code in (event.accessibility_features or "").split(",") if code]

    def accessibility_data(self) -> dict:
        return {
            "accessibility_features": ",".join(
                code for code in ACCESSIBILITY_FEATURES
                if code in (self.accessibility_features.data or ())),
            "accessibility_notes": self.accessibility_notes.data or "",
            "referent_name": self.referent_name.data or "",
            "referent_email": (self.referent_email.data or "").lower(),
            "referent_phone": french_phone(self.referent_phone.data or "") or "",
            "ask_accommodation": bool(self.ask_accommodation.data),
        }


class EventForm(AccessibilityFields, Form):
    title = TitleField("Titre", validators=[
        DataRequired("Indiquez le titre de la journée."), Length(max=300)])
    edition = TitleField("Ligne d’édition", validators=[Length(max=200)],
                          description="Par exemple «\u202fJournée d’étude interprofessionnelle "
                                      "2026\u202f».")
    slug = StringField("Adresse courte (slug)", filters=STRIP, validators=[Length(max=80)],
                       description="Lettres minuscules sans accent, chiffres et tirets. "
                                   "Laissez vide pour la tirer du titre.")
    starts_on = DateField("Date de début", validators=[
        DataRequired("Indiquez la date de début.")])
    ends_on = DateField("Date de fin", validators=[DataRequired("Indiquez la date de fin.")])
    venue_name = StringField("Nom du lieu", filters=STRIP, validators=[Length(max=200)])
    venue_address = StringField("Adresse", filters=STRIP, validators=[Length(max=300)])
    venue_postcode = StringField("Code postal", filters=STRIP, validators=[Length(max=20)])
    venue_city = StringField("Ville", filters=STRIP, validators=[Length(max=120)])
    venue_access = TextAreaField("Accès", validators=[Length(max=5000)])
    context = TextAreaField("Contexte (Markdown)", validators=[Length(max=50000)])
    presentation = TextAreaField("Présentation (Markdown)", validators=[Length(max=50000)])
    host_organisation = StringField("Organisme d’accueil", filters=STRIP,
                                    validators=[Length(max=200)])
    partners = StringField("Partenaires", filters=STRIP, validators=[Length(max=500)])
    audiences = StringField("Publics", filters=STRIP, validators=[Length(max=500)])
    contact_email = EmailField("Adresse e-mail de contact", filters=STRIP,
                               validators=[Optional(), Email(EMAIL_MESSAGE), Length(max=254)])
    registration_opens_on = DateField("Ouverture des inscriptions", validators=[Optional()])
    registration_deadline = DateField("Date limite d’inscription", validators=[Optional()],
                                      description="Les inscriptions restent ouvertes "
                                                  "jusqu’à 23 h 59 ce jour-là.")
    capacity = IntegerField("Nombre de places", validators=optional_int(
        "Le nombre de places doit être compris entre 1 et 100\u202f000."))
    waitlist_enabled = YesNoField("Liste d’attente quand c’est complet")
    workshop_mode = RadioField("Attribution des ateliers", default=WorkshopMode.PREFERENCES.value,
                               choices=options([
        (WorkshopMode.PREFERENCES.value, "Vœux classés puis répartition"),
        (WorkshopMode.FIRST_COME.value, "Premier arrivé, premier servi")]))
    workshop_choices = IntegerField("Nombre de vœux classés", default=3, validators=[
        DataRequired("Indiquez un nombre de vœux entre 1 et 10."),
        NumberRange(1, 10, "Le nombre de vœux doit être compris entre 1 et 10.")])
    retention_days = IntegerField("Durée de conservation des données (jours)", default=90,
                                  validators=[
        DataRequired("Indiquez une durée en jours."),
        NumberRange(1, 3650, "La durée doit être comprise entre 1 et 3\u202f650\u00a0jours.")])
    accommodation_retention_days = IntegerField(
        "Conservation des besoins d’aménagement après la journée (jours)", default=7,
        validators=[Optional(),
                    NumberRange(0, 365, "La durée doit être comprise entre 0 et 365\u00a0jours.")])
    facilitators_see_contact = BooleanField(
        "Les animateur·rices d’atelier voient l’e-mail et le téléphone des participant·es")
    reminder_days = StringField(
        "Rappels par e-mail (jours avant la journée)", default="7, 1", filters=STRIP,
        description="Par exemple «\u00a07, 1\u00a0»\u202f: une semaine puis la veille. "
                    "Au plus trois rappels, entre 1 et 60\u00a0jours avant. Laissez vide pour "
                    "n’en envoyer aucun.")

    # Completion certificate (« certificat de réalisation »): what the action is.
    action_objectives = TextAreaField(
        "Objectifs de l’action", filters=STRIP, validators=[Length(max=5000)],
        description="Ce que les participant·es seront capables de faire ou de comprendre à "
                    "l’issue de la journée, tel que le certificat de réalisation l’indique.")
    action_nature = RadioField(
        "Nature de l’action concourant au développement des compétences",
        default=ActionNature.TRAINING.value,
        choices=options([(nature.value, label[:1].upper() + label[1:])
                         for nature, label in ACTION_NATURE_LABELS.items()]))
    # End of the completion certificate's block.

    def validate_reminder_days(self, field) -> None:
        try:
            parse_reminder_days(field.data or "")
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def event_data(self) -> dict:
        data = {name: self[name].data for name in (
            "title", "edition", "slug", "starts_on", "ends_on", "venue_name", "venue_address",
            "venue_postcode", "venue_city", "venue_access", "context", "presentation",
            "host_organisation", "partners", "audiences", "contact_email",
            "registration_opens_on", "registration_deadline", "capacity",
            "workshop_choices", "retention_days", "accommodation_retention_days")}
        for name in ("edition", "venue_name", "venue_address", "venue_postcode",
                     "venue_city", "venue_access", "context", "presentation",
                     "host_organisation", "partners", "audiences", "contact_email", "slug"):
            data[name] = data[name] or ""
        if data["accommodation_retention_days"] is None:
            data["accommodation_retention_days"] = 7
        data["waitlist_enabled"] = self.waitlist_enabled.value
        data["workshop_mode"] = WorkshopMode(self.workshop_mode.data)
        data["facilitators_see_contact"] = bool(self.facilitators_see_contact.data)
        data["reminder_days"] = ",".join(
            str(days) for days in parse_reminder_days(self.reminder_days.data or ""))
        data["action_objectives"] = self.action_objectives.data or ""
        data["action_nature"] = ActionNature(self.action_nature.data)
        data |= self.accessibility_data()
        return data


class DuplicateForm(Form):
    starts_on = DateField("Nouvelle date de début", validators=[
        DataRequired("Indiquez la date de la nouvelle journée.")])
    title = TitleField("Nouveau titre (facultatif)", validators=[Length(max=300)])
    slug = StringField("Nouvelle adresse courte (facultatif)", filters=STRIP,
                       validators=[Length(max=80)])


class PublishForm(Form):
    confirm = BooleanField(
        "Je confirme la publication\u202f: la page de la journée devient visible de tous et "
        "les inscriptions s’ouvrent aux dates prévues",
        validators=[DataRequired("Cochez la case pour confirmer la publication.")])


class RoomForm(Form):
    name = StringField("Nom de la salle", filters=STRIP, validators=[
        DataRequired("Indiquez le nom de la salle."), Length(max=120)])
    capacity = IntegerField("Capacité (places)", validators=optional_int(
        "La capacité doit être comprise entre 1 et 100\u202f000."))
    step_free = YesNoField("Accessible de plain-pied (sans marche)")


class PersonForm(Form):
    first_name = StringField("Prénom", filters=STRIP, validators=[
        DataRequired("Indiquez le prénom."), Length(max=100)])
    last_name = StringField("Nom", filters=STRIP, validators=[Length(max=100)])
    function = StringField("Fonction", filters=STRIP, validators=[Length(max=300)])
    organisation = StringField("Organisme", filters=STRIP, validators=[Length(max=300)])
    email = EmailField("Adresse e-mail (facultatif)", filters=STRIP,
                       validators=[Optional(), Email(EMAIL_MESSAGE), Length(max=254)])


AUTO_ROLE = ""
"""A row's role left to the session's kind (see :func:`.session_people.default_role`)."""


class PersonRow(SubForm):
    """Someone taking part, picked by name (the search fills ``person_id``) or created
    from the name, e-mail address and organisation typed when nobody has that name."""

    person_id = HiddenField()
    name = StringField("Prénom et nom", filters=STRIP, validators=[Length(max=201)])
    role = SelectField("Rôle", default=AUTO_ROLE, choices=options(
        [(AUTO_ROLE, "Selon le type de séance")]
        + [(role.value, ROLE_LABELS[role]) for role in SESSION_ROLES]
        + [(role.value, ROLE_LABELS[role]) for role in Role if role not in SESSION_ROLES]))
    email = EmailField("Adresse e-mail (nouvelle personne, facultatif)", filters=STRIP,
                       validators=[Optional(), Email(EMAIL_MESSAGE), Length(max=254)])
    organisation = StringField("Organisme (nouvelle personne, facultatif)", filters=STRIP,
                               validators=[Length(max=300)])


class FacilitatorRow(PersonRow):
    role = SelectField("Rôle", default=AUTO_ROLE, choices=options(
        [(AUTO_ROLE, ROLE_LABELS[Role.FACILITATOR])]
        + [(role.value, ROLE_LABELS[role]) for role in WORKSHOP_ROLES
           if role != Role.FACILITATOR]))


class WorkshopRow(SubForm):
    """One workshop of a workshops slot, with its facilitators."""

    workshop_id = HiddenField()
    title = TitleField("Titre de l’atelier", validators=[Length(max=300)])
    sector = SelectField("Secteur", default="", choices=options(
        [("", "Aucun")] + [(sector, sector) for sector in SECTORS]))
    room_id = SelectField("Salle", coerce=id_choice, default=0,
                          choices=options([(0, "Aucune salle")]))
    capacity = IntegerField("Capacité (places)", validators=optional_int(
        "La capacité doit être comprise entre 1 et 100\u202f000."))
    remove = BooleanField("Supprimer cet atelier")
    facilitators = FieldList(FormField(FacilitatorRow), min_entries=2, max_entries=20)


class SessionForm(Form):
    kind = SelectField("Type de séance", choices=options(
        (kind.value, label) for kind, label in SESSION_KIND_LABELS.items()))
    title = TitleField("Titre", validators=[Length(max=300)],
                        description="Laissez vide pour afficher le type («\u202fPause\u202f»…).")
    description = TextAreaField("Description", validators=[Length(max=20000)])
    day = DateField("Date", validators=[DataRequired("Indiquez la date de la séance.")])
    start = TimeField("Heure de début", validators=[
        DataRequired("Indiquez l’heure de début.")])
    end = TimeField("Heure de fin (facultatif)", validators=[Optional()])
    room_id = SelectField("Salle", coerce=id_choice, choices=options([(0, "Aucune salle")]))
    participants = FieldList(FormField(PersonRow), min_entries=4, max_entries=50)
    workshops = FieldList(FormField(WorkshopRow), max_entries=30)
    confirm = BooleanField("Je confirme\u202f: enregistrer malgré ces avertissements")

    def set_rooms(self, choices) -> None:
        self.room_id.choices = choices
        for row in self.workshops:
            row.form.room_id.choices = choices


class ContributionForm(Form):
    title = TitleField("Titre de la contribution", validators=[
        DataRequired("Indiquez le titre de la contribution."), Length(max=300)])
    description = TextAreaField("Description", validators=[Length(max=20000)])


class WorkshopForm(Form):
    number = IntegerField("Numéro", validators=[
        DataRequired("Indiquez le numéro de l’atelier."),
        NumberRange(1, 999, "Le numéro doit être un nombre positif.")])
    title = TitleField("Titre", validators=[
        DataRequired("Indiquez le titre de l’atelier."), Length(max=300)])
    sector = SelectField("Secteur", choices=options(
        [("", "Aucun / autre (préciser ci-dessous)")] + [(sector, sector) for sector in SECTORS]))
    sector_other = StringField("Autre secteur", filters=STRIP, validators=[Length(max=120)],
                               description="Utilisé si le secteur n’est pas dans la liste.")
    theme = StringField("Thème", filters=STRIP, validators=[Length(max=120)])
    description = TextAreaField("Description", validators=[Length(max=20000)])
    room_id = SelectField("Salle", coerce=id_choice, choices=options([(0, "Aucune salle")]))
    capacity = IntegerField("Capacité (places)", validators=optional_int(
        "La capacité doit être comprise entre 1 et 100\u202f000."))
    confirm = BooleanField("Je confirme\u202f: la capacité de l’atelier dépasse celle de la salle")

    @property
    def sector_value(self) -> str:
        return self.sector.data or self.sector_other.data or ""


def role_choices(roles) -> list[SelectChoice]:
    return options((role.value, ROLE_LABELS[role]) for role in roles)


class AddParticipantForm(Form):
    """Add someone already known; ``person_id`` lists the people the search found."""

    person_id = SelectField("Personne", coerce=id_choice, validators=[
        DataRequired("Choisissez une personne.")], choices=[])
    role = SelectField("Rôle", choices=[])
    function = StringField("Fonction pour cette intervention (facultatif)", filters=STRIP,
                           validators=[Length(max=300)],
                           description="Laissez vide pour reprendre celle de la fiche.")
    organisation = StringField("Organisme pour cette intervention (facultatif)",
                               filters=STRIP, validators=[Length(max=300)])
    q = HiddenField()
    confirm = BooleanField("Je confirme\u202f: cette personne enchaîne les deux interventions")


class NewParticipantForm(Form):
    """Create a person and add them in one step."""

    first_name = StringField("Prénom", filters=STRIP, validators=[
        DataRequired("Indiquez le prénom."), Length(max=100)])
    last_name = StringField("Nom", filters=STRIP, validators=[Length(max=100)])
    function = StringField("Fonction", filters=STRIP, validators=[Length(max=300)])
    organisation = StringField("Organisme", filters=STRIP, validators=[Length(max=300)])
    email = EmailField("Adresse e-mail (facultatif)", filters=STRIP,
                       validators=[Optional(), Email(EMAIL_MESSAGE), Length(max=254)])
    role = SelectField("Rôle", choices=[])


class RoomRow(SubForm):
    name = StringField("Nom de la salle", filters=STRIP, validators=[Length(max=120)])
    capacity = IntegerField("Capacité (places)", validators=optional_int(
        "La capacité doit être comprise entre 1 et 100\u202f000."))


class RoomsForm(Form):
    """Several rooms at once, from the timetable; empty rows are left out."""

    rooms = FieldList(FormField(RoomRow), min_entries=4, max_entries=20)
