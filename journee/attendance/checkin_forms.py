"""The short form of an on-the-spot registration, built per event for its workshop slots.

It reuses the registration form's fields and rules (control characters refused, lengths,
e-mail check) with the staff's wording: the questions are asked by a volunteer at the door.
"""

from __future__ import annotations

from wtforms import BooleanField, EmailField
from wtforms.validators import DataRequired, Email, Optional

from ..programme.models import Event
from ..registration.forms import (EMAIL_MESSAGE, PROFILE_CHOICES, ChoiceRadioField,
                                  OptionalSelectField, _normalise_email, _text, _too_long,
                                  slot_legend)
from ..registration.models import Profile
from ..registration.privacy import INFORMED, PRIVACY_VERSION
from ..registration.services import Attendee
from ..web.forms import Form, options


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
    """« Atelier n°3 : Titre – Salle 3 (18 inscrit·es sur 20 places) », as the select shows."""
    parts = [workshop.label]
    if workshop.room is not None:
        parts.append(workshop.room.name)
    text = " – ".join(parts)
    if workshop.capacity:
        full = ", complet" if members >= workshop.capacity else ""
        return f"{text} ({members} inscrit·es sur {workshop.capacity}\u00a0places{full})"
    return f"{text} ({members} inscrit·es)"


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
