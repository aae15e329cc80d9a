"""What every form of the app shares: French messages, one-line text fields, choices.

Feature packages build their forms on :class:`Form`; nothing here knows a feature.
"""

from flask_wtf import FlaskForm
from wtforms import Form as WTForm
from wtforms import HiddenField, PasswordField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import get_translations
from wtforms.validators import NumberRange, Optional, StopValidation

from ..expired_forms import FrenchCSRF
from ..formatting import NNBSP
from ..security import as_id


def options(pairs) -> list[SelectChoice]:
    """Choices for a select or radio group from ``(value, label)`` pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def id_choice(value) -> int:
    """``coerce`` of a select of ids: a posted number no id column holds is no choice
    (the view may look it up before validation)."""
    number = value if isinstance(value, int) else as_id(value)
    if number is None:
        raise ValueError("not an id")
    return number


YES_NO = options([("oui", "Oui"), ("non", "Non")])


class _FrenchMessages:
    """WTForms' own messages in French, with a few rewritten to say what to do."""

    BETTER = {
        "Not a valid integer value.": "Saisissez un nombre entier.",
        "Not a valid date value.": "Saisissez une date valide.",
        "Not a valid time value.": "Saisissez une heure valide (par exemple 09:30).",
        "Not a valid choice.": "Choisissez une des options proposées.",
        "Invalid Choice: could not coerce.": "Choisissez une des options proposées.",
        "This field is required.": "Ce champ est obligatoire.",
    }

    def __init__(self):
        self.fallback = get_translations(["fr"])

    def gettext(self, string):
        return self.BETTER.get(string) or self.fallback.gettext(string)

    def ngettext(self, singular, plural, n):
        return self.fallback.ngettext(singular, plural, n)


_FRENCH = _FrenchMessages()


LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
"""What ``str.splitlines`` breaks lines at."""


def _one_line(_form, field) -> None:
    if isinstance(field.data, str) and not LINE_BREAKS.isdisjoint(field.data):
        raise StopValidation(f"Ce champ tient sur une ligne{NNBSP}: retirez les retours "
                             "à la ligne.")


class Form(FlaskForm):
    """French messages, and no line break in a one-line text field: titles and names end up
    in e-mail headers, calendar lines, PDF and spreadsheet cells that a break would split."""

    class Meta:
        csrf_class = FrenchCSRF

        def get_translations(self, form):
            return _FRENCH

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            if isinstance(field, StringField) and not isinstance(
                    field, (TextAreaField, HiddenField, PasswordField)):
                field.validators = [_one_line, *field.validators]


def _strip(value):
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


STRIP = [_strip]


class YesNoField(RadioField):
    """A « Oui / Non » radio group whose ``data`` is a boolean."""

    def __init__(self, label=None, default=True, **kwargs):
        super().__init__(label, choices=YES_NO, default="oui" if default else "non",
                         **kwargs)

    @property
    def value(self) -> bool:
        return self.data == "oui"

    def set(self, value: bool) -> None:
        self.data = "oui" if value else "non"


EMAIL_MESSAGE = "Saisissez une adresse e-mail valide, par exemple «\u202fcontact@exemple.fr\u202f»."


def optional_int(message="Saisissez un nombre entier positif.", minimum=1, maximum=100_000):
    return [Optional(), NumberRange(min=minimum, max=maximum, message=message)]


class SubForm(WTForm):
    """One repeated row of a form (``FieldList(FormField(...))``): French messages, one-line
    text fields; the CSRF token is the enclosing form's."""

    class Meta:
        def get_translations(self, form):
            return _FRENCH

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            if isinstance(field, StringField) and not isinstance(
                    field, (TextAreaField, HiddenField, PasswordField)):
                field.validators = [_one_line, *field.validators]
