"""The editor's forms and the answering form, built from the questions."""

from __future__ import annotations

from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..web.forms import STRIP, Form, options
from .models import QUESTION_KIND_LABELS, QuestionKind, SurveyQuestion
from .services import SCALE_LABELS

MAX_TEXT = 5000


class QuestionForm(Form):
    text = StringField("Intitulé de la question", filters=STRIP,
                       validators=[DataRequired(), Length(max=300)])
    kind = RadioField("Type de réponse", choices=options(
        (kind.value, label) for kind, label in QUESTION_KIND_LABELS.items()),
        default=QuestionKind.SCALE.value)
    choices = TextAreaField("Options proposées (une par ligne, pour les choix)",
                            filters=STRIP, validators=[Length(max=3000)])
    required = BooleanField("Réponse obligatoire")

    def validate_choices(self, field):
        if self.kind.data in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            lines = [line for line in field.data.splitlines() if line.strip()]
            if len(lines) < 2:
                raise ValidationError("Donnez au moins deux options, une par ligne.")
            if any(len(line.strip()) > 300 for line in lines):
                raise ValidationError("Chaque option tient en 300 caractères au plus.")


class SettingsForm(Form):
    cold_days = StringField("Envoi du questionnaire «\u202fà froid\u202f», en jours après "
                            "la journée", filters=STRIP,
                            validators=[DataRequired()])
    show_rate = BooleanField("Afficher le taux de satisfaction sur la page publique")

    def validate_cold_days(self, field):
        if not field.data.isdigit() or not 1 <= int(field.data) <= 365:
            raise ValidationError("Saisissez un nombre de jours entre 1 et 365.")


class _Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def answer_form(questions: list[SurveyQuestion], formdata=None) -> Form:
    """A form with one field per question, named ``q<id>``."""

    class AnswerForm(Form):
        pass

    for question in questions:
        needed = [InputRequired("Répondez à cette question.")] if question.required \
            else [Optional()]
        if question.kind == QuestionKind.SCALE:
            field = RadioField(question.text, coerce=int, validators=[
                *needed, NumberRange(1, 5)], choices=options(SCALE_LABELS.items()))
        elif question.kind == QuestionKind.SINGLE:
            field = RadioField(question.text, validators=needed,
                               choices=options((o, o) for o in question.options))
        elif question.kind == QuestionKind.MULTIPLE:
            field = _Checkboxes(question.text, choices=options((o, o) for o in question.options),
                                validators=[InputRequired("Cochez au moins une option.")]
                                if question.required else [Optional()])
        else:
            field = TextAreaField(question.text, filters=STRIP,
                                  validators=[*needed, Length(max=MAX_TEXT)])
        setattr(AnswerForm, f"q{question.id}", field)
    return AnswerForm(formdata=formdata) if formdata is not None else AnswerForm()


def answers_of(form: Form, questions: list[SurveyQuestion]) -> dict[int, object]:
    return {q.id: form[f"q{q.id}"].data for q in questions}
