"""The organiser's questionnaire: the editor, its settings, the results, the export and
the QR code to show in the room."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..audit.log import actor_for_user, record
from ..extensions import db
from ..programme.loaders import event_or_404
from ..programme.models import Event
from ..web.downloads import private_download
from ..web.urls import external_url
from . import services
from .charts import question_chart
from .forms import QuestionForm, SettingsForm
from .models import WAVE_LABELS, QuestionKind, SurveyQuestion, Wave
from .qr import qr_svg
from .results_pdf import PDF, results_document
from .xlsx import XLSX, build_results_xlsx

bp = Blueprint("surveys", __name__)


def _editor(event: Event):
    return redirect(url_for(".editor", event_id=event.id))


def _question_or_404(survey, question_id: int) -> SurveyQuestion:
    question = db.session.get(SurveyQuestion, question_id)
    if question is None or question.survey_id != survey.id:
        abort(404)
    return question


def _editor_page(event, survey, form=None, settings=None):
    if settings is None:
        settings = SettingsForm(formdata=None, cold_days=str(survey.cold_days),
                                show_rate=survey.show_rate)
    return render_template("surveys/admin_editor.html", event=event, survey=survey,
                           form=form or QuestionForm(formdata=None), settings=settings)


@bp.route("/journees/<int:event_id>/questionnaire", methods=["GET", "POST"])
def editor(event_id: int):
    event = event_or_404(event_id)
    survey = services.ensure_survey(event)
    db.session.commit()
    form = QuestionForm()
    if form.validate_on_submit():
        services.add_question(survey, QuestionKind(form.kind.data), form.text.data,
                              form.choices.data, form.required.data)
        record("survey.edit", actor=actor_for_user(current_user), event=event,
               target="Question ajoutée")
        db.session.commit()
        flash("La question est ajoutée à la fin du questionnaire.", "success")
        return _editor(event)
    return _editor_page(event, survey, form=form)


@bp.post("/journees/<int:event_id>/questionnaire/questions/<int:question_id>/"
         "<any(monter, descendre, supprimer):action>")
def question_action(event_id: int, question_id: int, action: str):
    event = event_or_404(event_id)
    survey = services.ensure_survey(event)
    question = _question_or_404(survey, question_id)
    if action == "supprimer":
        services.remove_question(survey, question)
        message = "La question et ses réponses sont supprimées."
    else:
        services.move_question(survey, question, -1 if action == "monter" else 1)
        message = "L’ordre des questions est enregistré."
    record("survey.edit", actor=actor_for_user(current_user), event=event,
           target=message)
    db.session.commit()
    flash(message, "success")
    return _editor(event)


@bp.post("/journees/<int:event_id>/questionnaire/reglages")
def settings(event_id: int):
    event = event_or_404(event_id)
    survey = services.ensure_survey(event)
    form = SettingsForm()
    if not form.validate():
        return _editor_page(event, survey, settings=form)
    survey.cold_days = int(form.cold_days.data)
    survey.show_rate = form.show_rate.data
    record("survey.edit", actor=actor_for_user(current_user), event=event,
           target="Réglages du questionnaire")
    db.session.commit()
    flash("Les réglages du questionnaire sont enregistrés.", "success")
    return _editor(event)


@bp.get("/journees/<int:event_id>/questionnaire/resultats")
def results(event_id: int):
    event = event_or_404(event_id)
    survey = services.ensure_survey(event)
    db.session.commit()
    outcome = services.results(survey)
    workshops = [(group.workshop, group.responses, group.results)
                 for group in services.results_by_workshop(survey, event)]
    return render_template(
        "surveys/admin_results.html", event=event, survey=survey, results=outcome,
        charts={item.question.id: question_chart(item, f"q{item.question.id}")
                for item in outcome.questions if item.counts},
        workshops=workshops, threshold=services.WORKSHOP_THRESHOLD,
        invitations=services.invitation_counts(survey), waves=WAVE_LABELS, Wave=Wave)


@bp.get("/journees/<int:event_id>/questionnaire/resultats.xlsx")
def results_xlsx(event_id: int):
    event = event_or_404(event_id)
    survey = services.ensure_survey(event)
    db.session.commit()
    return private_download(build_results_xlsx(event, services.results(survey)),
                            f"questionnaire-{event.slug}.xlsx", XLSX)


@bp.get("/journees/<int:event_id>/questionnaire/resultats.pdf")
def results_pdf(event_id: int):
    event = event_or_404(event_id)
    survey = services.ensure_survey(event)
    db.session.commit()
    return private_download(results_document(event, survey),
                            f"questionnaire-{event.slug}.pdf", PDF)


@bp.get("/journees/<int:event_id>/questionnaire/qr")
def qr_code(event_id: int):
    event = event_or_404(event_id)
    link = external_url("surveys.find_link", slug=event.slug)
    return render_template("surveys/admin_qr.html", event=event, link=link,
                           qr=qr_svg(link))
