"""Attendees answer the questionnaire through their own link; what the public and the
attendee's page show of it.

Nothing here writes the audit log or any trace of who answered: the answer goes to
``survey_response`` and the link is cleared, in one transaction.
"""

from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, redirect, render_template, url_for
from sqlalchemy import bindparam

from .. import secret_links
from ..expired_forms import keeps_input_when_expired
from ..extensions import db
from ..facilitation.links import active_link_or_404, workshop_of_link_or_404
from ..formatting import NBSP, NNBSP, format_number
from ..programme.loaders import visible_event_or_404
from ..programme.queries import event_alone
from ..util.clock import today_in
from ..web.urls import external_url
from . import services
from .charts import question_chart
from .forms import answer_form, answers_of
from .models import WAVE_LABELS, SurveyInvitation
from .services import AlreadyAnswered

bp = Blueprint("surveys", __name__)

USED_OR_UNKNOWN = ("Ce lien ne permet pas (ou plus) de répondre au questionnaire{nnbsp}: "
                   "soit une réponse a déjà été envoyée par ce lien — on ne peut répondre "
                   "qu’une fois —, soit le lien est incomplet.").format(nnbsp=NNBSP)


@bp.app_template_global("survey_link")
def survey_link(registration) -> str | None:
    """For the attendee's page: their open questionnaire's link, if any; none before
    the day begins (invitations leave once it has ended, and a day moved to a later
    date after its questionnaire was sent is not yet there to be judged)."""
    event = registration.event
    if today_in(event.timezone) < event.starts_on:
        return None
    invitation = db.session.scalar(_open_invitation_query(),
                                   {"registration_id": registration.id})
    if invitation is None:
        return None
    return url_for("surveys.answer", token=invitation.token)


@lru_cache(maxsize=1)
def _open_invitation_query():
    """Built once: every attendee's page asks (see ``registration.services``)."""
    return (db.select(SurveyInvitation)
            .where(SurveyInvitation.registration_id == bindparam("registration_id"),
                   SurveyInvitation.answered.is_(False),
                   SurveyInvitation.token_digest.is_not(None))
            .order_by(SurveyInvitation.id.desc()).limit(1))


@bp.app_template_global("survey_rate")
def survey_rate(event) -> str | None:
    """For the public event page, when the organiser chose to show it: « 92 % des
    48 personnes ayant répondu sont satisfaites ou très satisfaites »."""
    survey = services.survey_of(event)
    if survey is None or not survey.show_rate:
        return None
    outcome = services.results(survey)
    if outcome.rate is None:
        return None
    overall = next(i for i in outcome.questions if i.question.role == "overall")
    return (f"{round(outcome.rate * 100)}{NNBSP}% des {format_number(overall.answered)}"
            f"{NBSP}personnes ayant répondu au questionnaire de satisfaction ont donné "
            f"une note de 4 ou 5 sur 5 à la journée.")


@bp.app_template_global("survey_results_shown")
def survey_results_shown(workshop) -> bool:
    """For the facilitator's space: whether their workshop has enough answers to show."""
    survey = services.survey_of(workshop.session.event)
    return survey is not None and services.workshop_counts(survey).get(
        workshop.id, 0) >= services.WORKSHOP_THRESHOLD


@bp.get("/f/<token>/ateliers/<workshop_uid>/questionnaire")
def workshop_results(token: str, workshop_uid: str):
    """A workshop's results, for its facilitators, from :data:`WORKSHOP_THRESHOLD`
    answers; below, a page that says why there is nothing to see."""
    link = active_link_or_404(token)
    workshop = workshop_of_link_or_404(link, workshop_uid)
    survey = services.survey_of(link.event)
    outcome = services.workshop_results(survey, workshop) if survey else None
    charts = {item.question.id: question_chart(item, f"q{item.question.id}")
              for item in outcome.questions if item.counts} if outcome else {}
    db.session.commit()  # the link's last use
    return render_template("surveys/facilitator_results.html", link=link, event=link.event,
                           workshop=workshop, results=outcome, charts=charts,
                           threshold=services.WORKSHOP_THRESHOLD)


@bp.route("/q/<token>", methods=["GET", "POST"])
@keeps_input_when_expired
def answer(token: str):
    invitation = secret_links.find(SurveyInvitation, token)
    if not services.open_invitation(invitation):
        return render_template("surveys/closed.html", message=USED_OR_UNKNOWN), 404
    survey = invitation.survey
    event = survey.event
    form = answer_form(survey.questions)
    if form.validate_on_submit():
        try:
            services.submit(invitation, answers_of(form, survey.questions),
                            today_in(event.timezone))
        except AlreadyAnswered as error:
            return render_template("surveys/closed.html", message=str(error)), 409
        db.session.commit()
        return redirect(url_for(".thanks", slug=event.slug))
    return render_template("surveys/answer.html", event=event, survey=survey, form=form,
                           wave=WAVE_LABELS[invitation.wave])


@bp.get("/e/<slug>/questionnaire/merci")
def thanks(slug: str):
    event = visible_event_or_404(slug, load=event_alone)
    return render_template("surveys/thanks.html", event=event)


@bp.get("/e/<slug>/questionnaire")
def find_link(slug: str):
    """Where the QR code shown in the room leads: how to reach one's own link."""
    event = visible_event_or_404(slug, load=event_alone)
    return render_template("surveys/find_link.html", event=event,
                           resend=external_url("registration.resend_link", slug=slug))


