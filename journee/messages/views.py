"""The page where someone stops the organisers' messages, from the link at the foot of
each one or from their mail client (RFC 8058 one-click)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from ..extensions import csrf, db
from ..registration.models import Registration
from . import emails, services

bp = Blueprint("messages", __name__)

@bp.route("/desabonnement/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """GET shows a button; its POST (with CSRF) or a mail client's one-click POST
    (RFC 8058: no cookie, no CSRF token, only its body) records the opt-out. Doing it
    twice changes nothing."""
    registration_id = emails.registration_id_of(token)
    registration = (db.session.get(Registration, registration_id)
                    if registration_id is not None else None)
    if registration is None:
        abort(404)
    if request.method == "POST":
        if (request.form.get("List-Unsubscribe") != "One-Click"
                and current_app.config["WTF_CSRF_ENABLED"]):
            csrf.protect()
        services.opt_out(registration.id)
        if request.form.get("List-Unsubscribe") == "One-Click":
            return "", 204
        return render_template("messages/unsubscribed.html", event=registration.event)
    return render_template("messages/unsubscribe.html", event=registration.event,
                           done=emails.opted_out(registration.id))
