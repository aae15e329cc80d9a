"""The invitation to answer and its reminder, written by the sender (see
:func:`journee.mail.queue_to_compose`) so the secret link is derived at delivery.

They are not about the registration itself: like the organisers' messages they carry
``List-Unsubscribe`` and are not sent to people who stopped those messages.
"""

from __future__ import annotations

from flask import Flask, current_app, render_template
from sqlalchemy import select

from ..extensions import db
from ..mail import NothingToSend, build_message, register_composer
from ..mail_models import OutboxMessage
from ..messages.emails import opted_out, unsubscribe_url
from ..registration.email_texts import DefaultText, opening, register_text
from ..registration.models import Registration
from .models import WAVE_LABELS, SurveyInvitation, Wave

INVITATION = {Wave.HOT: "survey_hot", Wave.COLD: "survey_cold"}
REMINDER = {Wave.HOT: "survey_hot_reminder", Wave.COLD: "survey_cold_reminder"}
KINDS = {kind: (wave, False) for wave, kind in INVITATION.items()} | {
    kind: (wave, True) for wave, kind in REMINDER.items()}

_KEPT = ("le lien personnel vers le questionnaire, la garantie d’anonymat, le lien pour ne "
         "plus recevoir ces messages")
_REMINDER_BODY = ("Vous n’avez pas encore répondu au questionnaire de satisfaction "
                  "{wave} de la journée d’étude «\u00a0{journée}\u00a0»\u00a0: il ne vous "
                  "prendra que quelques minutes.")
TEXTS = {
    "survey_hot": DefaultText(
        "Questionnaire de satisfaction «\u00a0à chaud\u00a0» (invitation)",
        "Questionnaire de satisfaction – {journée}",
        "Merci d’avoir participé à la journée d’étude «\u00a0{journée}\u00a0». Votre avis "
        "nous aide à améliorer les prochaines\u00a0: pouvez-vous répondre à notre "
        "questionnaire de satisfaction\u00a0? Il ne prend que quelques minutes.",
        _KEPT + ", l’annonce d’un seul rappel"),
    "survey_hot_reminder": DefaultText(
        "Questionnaire de satisfaction «\u00a0à chaud\u00a0» (rappel)",
        "Rappel\u202f: Questionnaire de satisfaction – {journée}",
        _REMINDER_BODY.replace("{wave}", "«\u00a0à chaud\u00a0»"), _KEPT),
    "survey_cold": DefaultText(
        "Questionnaire de satisfaction «\u00a0à froid\u00a0» (invitation)",
        "Questionnaire de satisfaction – {journée}",
        "Vous avez participé à la journée d’étude «\u00a0{journée}\u00a0» du {date}. "
        "Avec le recul, qu’en retenez-vous pour votre pratique\u00a0? Votre avis nous aide "
        "à améliorer les prochaines journées\u00a0: pouvez-vous répondre à notre "
        "questionnaire de satisfaction\u00a0? Il ne prend que quelques minutes.",
        _KEPT + ", l’annonce d’un seul rappel"),
    "survey_cold_reminder": DefaultText(
        "Questionnaire de satisfaction «\u00a0à froid\u00a0» (rappel)",
        "Rappel\u202f: Questionnaire de satisfaction – {journée}",
        _REMINDER_BODY.replace("{wave}", "«\u00a0à froid\u00a0»"), _KEPT),
}
"""The texts of the invitations and reminders, which an event may change like those of
the other automatic e-mails (see :mod:`journee.registration.email_texts`)."""


def _compose(outbox: OutboxMessage) -> None:
    wave, reminder = KINDS[outbox.kind]
    registration = db.session.get(Registration, outbox.registration_id)
    if registration is None or registration.anonymised_at is not None:
        raise NothingToSend("inscription supprimée avant l’envoi")
    if registration.email != outbox.to_address:
        raise NothingToSend("adresse changée avant l’envoi")
    if opted_out(registration.id):
        raise NothingToSend("la personne ne veut plus recevoir de messages")
    invitation = db.session.scalar(
        select(SurveyInvitation).join(SurveyInvitation.survey)
        .where(SurveyInvitation.registration_id == registration.id,
               SurveyInvitation.wave == wave))
    if invitation is None or invitation.answered or invitation.token_digest is None:
        # Answered, or its link forgotten since it was queued (see jobs.forget_who_answered).
        raise NothingToSend("questionnaire déjà rempli ou lien expiré")
    event = registration.event
    base_url = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    link = f"{base_url}/q/{invitation.token}"
    stop = unsubscribe_url(registration.id, base_url)
    words = opening(outbox.kind, registration, base_url)
    subject = words.subject or (
        f"{'Rappel : ' if reminder else ''}Questionnaire de satisfaction – "
        f"{event.title}").replace(" :", "\u202f:")
    context = {"subject": subject, "registration": registration, "event": event, "link": link,
               "opening": words,
               "wave": WAVE_LABELS[wave], "reminder": reminder, "unsubscribe_url": stop,
               "sender": event.host_organisation or current_app.config["INSTITUTE_NAME"]}
    outbox.subject = subject[:300]
    outbox.message = build_message(
        outbox.to_address, subject, render_template("emails/survey.txt", **context),
        render_template("emails/survey.html", **context),
        reply_to=event.contact_email or None,
        headers={"List-Unsubscribe": f"<{stop}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    # A link derived anew (a new secret key) is stored with the message.
    db.session.flush()


def init_app(app: Flask) -> None:
    for kind in KINDS:
        register_composer(app, kind, _compose)
        register_text(kind, TEXTS[kind])
