"""The organiser's messages: write, preview, test, send, and the list of those sent."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from ..extensions import db
from ..formatting import NBSP, plural
from ..placeholders import PLACEHOLDERS, parse
from ..programme.loaders import event_or_404
from ..registration.email_texts import DEFAULT_TEXTS, custom_text, texts_of
from ..registration.models import Registration, RegistrationStatus
from ..security import as_id
from . import emails, operations, recipients, services
from .forms import EmailTextForm, MessageForm

bp = Blueprint("messages", __name__)

MAX_PICKED = 10_000


@bp.route("/journees/<int:event_id>/messages/")
def index(event_id: int):
    event = event_or_404(event_id)
    return render_template("messages/index.html", event=event,
                           messages=services.sent_messages(event))


def picked_ids() -> tuple[int, ...] | None:
    """The registrations picked in the list of registrations (``registration_ids``),
    if the message is for them only."""
    values = request.form.getlist("registration_ids")
    if not values:
        return None
    ids = {as_id(value) for value in values[:MAX_PICKED]}
    return tuple(sorted(i for i in ids if i is not None))


@bp.route("/journees/<int:event_id>/messages/nouveau", methods=["GET", "POST"])
def compose(event_id: int):
    event = event_or_404(event_id)
    picked = picked_ids()
    # Enter in a field submits the first button: the preview.
    action = request.form.get("action", "apercu")
    from_list = request.method == "POST" and "subject" not in request.form
    if from_list:
        # Sent from the list of registrations with the people picked there.
        form = MessageForm(event, formdata=None, statuses=[
            RegistrationStatus.CONFIRMED.value, RegistrationStatus.WAITLISTED.value])
    else:
        form = MessageForm(event)
    chosen, preview, problems = None, None, []
    if not from_list and form.validate_on_submit():
        audience = form.audience(picked)
        chosen = recipients.recipients(event, audience)
        if not chosen.count:
            problems.append("Aucune personne ne correspond à ces critères"
                            + (f"{NBSP}: elles ne veulent plus recevoir de messages."
                               if chosen.opted_out else "."))
        elif action == "envoyer":
            mailing = operations.send_message(event, audience, form.subject.data,
                                              form.body.data, by=current_user)
            db.session.commit()
            flash(f"Message mis en file d’attente pour "
                  f"{plural(mailing.recipient_count, 'personne')}{NBSP}: il part au rythme "
                  f"de {current_app.config['MESSAGES_PER_MINUTE']}{NBSP}e-mails par minute.",
                  "success")
            return redirect(url_for(".index", event_id=event.id))
        else:
            first = db.session.get(Registration, chosen.rows[0][0])
            if action == "test":
                operations.send_test(form.subject.data, form.body.data, first,
                                     by=current_user)
                db.session.commit()
                flash(f"Message de test envoyé à {current_user.email}, tel que "
                      f"{first.full_name} le recevrait.", "success")
            preview = (first, emails.write(parse(form.subject.data), parse(form.body.data),
                                           first, current_app.config["PUBLIC_BASE_URL"],
                                           sample=True))
    return render_template("messages/compose.html", event=event, form=form, picked=picked,
                           chosen=chosen, preview=preview, problems=problems,
                           placeholders=PLACEHOLDERS,
                           per_minute=current_app.config["MESSAGES_PER_MINUTE"])


def default_text_or_404(kind: str):
    """The default text of this kind of e-mail; the kinds are those registered when the
    app was built (see :func:`journee.registration.email_texts.register_text`)."""
    if kind not in DEFAULT_TEXTS:
        abort(404)
    return DEFAULT_TEXTS[kind]


@bp.route("/journees/<int:event_id>/messages/automatiques/")
def texts(event_id: int):
    event = event_or_404(event_id)
    return render_template("messages/texts.html", event=event, defaults=DEFAULT_TEXTS,
                           custom=texts_of(event.id))


@bp.route("/journees/<int:event_id>/messages/automatiques/<kind>", methods=["GET", "POST"])
def text(event_id: int, kind: str):
    event = event_or_404(event_id)
    default = default_text_or_404(kind)
    custom = custom_text(event.id, kind)
    form = EmailTextForm(obj=custom, data=None if custom else {
        "subject": default.subject, "body": default.body})
    if form.validate_on_submit():
        operations.save_text(event, kind, form.subject.data, form.body.data,
                             by=current_user)
        db.session.commit()
        flash(f"Texte de l’e-mail «{NBSP}{default.label}{NBSP}» enregistré{NBSP}: il sert "
              "aux prochains envois.", "success")
        return redirect(url_for(".texts", event_id=event.id))
    return render_template("messages/text.html", event=event, kind=kind, default=default,
                           custom=custom, form=form, placeholders=PLACEHOLDERS)


@bp.post("/journees/<int:event_id>/messages/automatiques/<kind>/retablir")
def reset_text(event_id: int, kind: str):
    event = event_or_404(event_id)
    default = default_text_or_404(kind)
    if operations.reset_text(event, kind, by=current_user):
        db.session.commit()
    flash(f"Texte par défaut rétabli pour l’e-mail «{NBSP}{default.label}{NBSP}».",
          "success")
    return redirect(url_for(".texts", event_id=event.id))
