"""The organiser's message: to whom, and what."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..formatting import NBSP, format_time_range
from ..placeholders import PlaceholderError, parse
from ..programme.models import Event
from ..registration.models import PROFILE_LABELS, Profile, RegistrationStatus
from ..web.forms import STRIP, Form, options
from .recipients import Audience, Presence


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _placeholders(_form, field) -> None:
    try:
        parse(field.data or "")
    except PlaceholderError as error:
        raise ValidationError(str(error)) from None


class MessageForm(Form):
    statuses = CheckboxesField("Inscriptions", choices=options([
        (RegistrationStatus.CONFIRMED.value, "Confirmées"),
        (RegistrationStatus.WAITLISTED.value, "Sur la liste d’attente")]),
        default=[RegistrationStatus.CONFIRMED.value])
    workshop = SelectField("Atelier", choices=[], default="")
    presence = RadioField("Présence le jour même", choices=options([
        (Presence.ANY.value, "Peu importe"),
        (Presence.PRESENT.value, "Présentes à l’accueil"),
        (Presence.ABSENT.value, "Absentes (confirmées, non venues)")]),
        default=Presence.ANY.value)
    profile = SelectField("Profil", choices=options(
        [("", "Tous les profils")] + [(p.value, label) for p, label in PROFILE_LABELS.items()]),
        default="")
    without_workshop = BooleanField(
        "Seulement les personnes restées sans atelier après la publication de la répartition")
    subject = StringField("Objet", [DataRequired("Indiquez l’objet du message."),
                                    Length(max=200, message="L’objet tient en 200 caractères "
                                                            "au plus."),
                                    _placeholders], filters=STRIP)
    body = TextAreaField("Message", [DataRequired("Écrivez le message."),
                                     Length(max=20_000, message="Le message tient en 20"
                                                                f"{NBSP}000 caractères au plus."),
                                     _placeholders])

    def __init__(self, event: Event, *args, **kwargs):
        super().__init__(*args, **kwargs)
        several = len(event.workshop_sessions) > 1
        self.workshop.choices = options([("", "Tous les ateliers, ou aucun")] + [
            (str(w.id), f"{w.label} ({format_time_range(s.starts_at, s.ends_at)})"
             if several else w.label)
            for s in event.workshop_sessions for w in s.workshops])

    def validate_statuses(self, field) -> None:
        if not field.data:
            raise ValidationError("Cochez au moins un type d’inscription.")

    def audience(self, registration_ids: tuple[int, ...] | None) -> Audience:
        return Audience(
            statuses=frozenset(RegistrationStatus(s) for s in self.statuses.data),
            workshop_id=int(self.workshop.data) if self.workshop.data else None,
            presence=Presence(self.presence.data or ""),
            profile=Profile(self.profile.data) if self.profile.data else None,
            without_workshop=self.without_workshop.data,
            registration_ids=registration_ids)


class EmailTextForm(Form):
    subject = StringField("Objet", [DataRequired("Indiquez l’objet de l’e-mail."),
                                    Length(max=200, message="L’objet tient en 200 caractères "
                                                            "au plus."),
                                    _placeholders], filters=STRIP)
    body = TextAreaField("Premiers mots du message", [
        DataRequired("Écrivez le texte de l’e-mail."),
        Length(max=5_000, message=f"Le texte tient en 5{NBSP}000 caractères au plus."),
        _placeholders])
