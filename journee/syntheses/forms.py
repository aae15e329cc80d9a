"""The forms of a workshop's synthesis and of the day's synthesis."""

from __future__ import annotations

import re

from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from ..formatting import NBSP, NNBSP
from ..web.forms import Form
from .services import DEFAULT_DAY_TITLE, SynthesisText

PART_LIMIT = 6000
FREE_TEXT_LIMIT = 20000
DAY_BODY_LIMIT = 40000
READING_LIST_LIMIT = 10000

# Control characters other than tab and line breaks (a NUL would break PostgreSQL).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", NBSP)


def clean_text(value):
    """Typed text with Windows line breaks unified and control characters removed."""
    if value is None:
        return ""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


class MaxLength:
    """« Ce texte compte 6 512 caractères : raccourcissez-le à 6 000 au plus. »"""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, form, field):
        length = len(field.data or "")
        if length > self.limit:
            raise ValidationError(
                f"Ce texte compte {_thousands(length)} caractères{NNBSP}: raccourcissez-le "
                f"à {_thousands(self.limit)} au plus.")


def _markdown_field(label: str, limit: int, description: str = "") -> TextAreaField:
    return TextAreaField(label, filters=[clean_text], validators=[MaxLength(limit)],
                         description=description, render_kw={"rows": 8})


class WorkshopSynthesisForm(Form):
    key_points = _markdown_field("Points clés", PART_LIMIT,
                                 "Ce qui ressort des échanges de l’atelier.")
    questions = _markdown_field("Questions soulevées", PART_LIMIT,
                                "Les questions restées ouvertes ou débattues.")
    proposals = _markdown_field("Propositions", PART_LIMIT,
                                "Les pistes d’action ou de réflexion proposées.")
    free_text = _markdown_field("Texte libre", FREE_TEXT_LIMIT,
                                "Le compte rendu de l’atelier, sous la forme que vous "
                                "voulez.")

    def text(self) -> SynthesisText:
        return SynthesisText(key_points=self.key_points.data, questions=self.questions.data,
                             proposals=self.proposals.data, free_text=self.free_text.data)

    def fill(self, text: SynthesisText) -> None:
        for name in ("key_points", "questions", "proposals", "free_text"):
            self[name].data = getattr(text, name)


class DaySynthesisForm(Form):
    title = StringField(
        "Titre", filters=[clean_text], default=DEFAULT_DAY_TITLE,
        validators=[DataRequired("Donnez un titre, par exemple «\u202fRestitution des ateliers\u202f» "
                                 "ou «\u202fSynthèse du grand témoin\u202f»."), MaxLength(300)])
    authors = StringField("Auteur·es", filters=[clean_text],
                          validators=[MaxLength(500)])
    body = _markdown_field("Texte de la synthèse", DAY_BODY_LIMIT)
    reading_list = _markdown_field("Pour aller plus loin", READING_LIST_LIMIT,
                                   "Lectures, sites et ressources, un par ligne de liste "
                                   "(«\u202f-\u202f»).")
