"""Check-in at the door: scan a badge or find a name, mark present, register on the spot.

Made for a phone in a volunteer's hand: every action is one form that works without
JavaScript (post/redirect/get back to the same search); ``static/checkin.js`` adds search
as you type, marking without reload, live counts and the camera scanner. The event's
organisers and its reception staff may check people in; the rules live in
:mod:`journee.attendance.services.presence`.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ...audit.log import actor_for_user, record
from ...extensions import db
from ...formatting import format_date, format_datetime, format_time, plural
from ...programme.loaders import welcome_event_or_404
from ...programme.models import Event
from ...registration import services
from ...registration.listing import local_time
from ...registration.models import Registration, RegistrationStatus
from ...util.clock import today_in
from ...web.loaders import owned_or_404
from ...web.urls import public_base_url
from .. import operations
from ..forms import build_on_site_form
from ..services import presence

bp = Blueprint("checkin", __name__)


QUERY_LIMIT = 100


def _query(values) -> str:
    return " ".join((values.get("q") or "").split())[:QUERY_LIMIT]


def _since(event: Event, registration: Registration, day: date | None = None) -> str:
    """« depuis 9 h 12 » when marked present on ``day`` (the desk's day by default),
    « depuis le … » when that was on another date; empty when not present that day."""
    day = day or presence.desk_day(event)
    return door_state(event, [registration], day)[0](registration)


def _moment(event: Event, at) -> str:
    moment = local_time(at, event.timezone)
    if moment.date() == today_in(event.timezone):
        return f"depuis {format_time(moment)}"
    return f"depuis le {format_datetime(moment)}"


def door_state(event: Event, shown: list[Registration], day):
    """Two functions of a shown person, for ``day``: since when they are present
    (« depuis 9 h 12 », or empty), and the other days they came (« Venu·e le jeudi
    15 mars 2018 », or empty). One query for everyone shown."""
    came = presence.door_days(event, [r.id for r in shown])

    def since(registration: Registration) -> str:
        at = came.get(registration.id, {}).get(day)
        return _moment(event, at) if at else ""

    def earlier(registration: Registration) -> str:
        days = sorted(other for other in came.get(registration.id, {}) if other != day)
        return ("Venu·e le " + " et le ".join(format_date(other) for other in days)
                if days else "")

    return since, earlier


def _page_context(event: Event, shown: list[Registration]) -> dict:
    since, earlier = door_state(event, shown, presence.desk_day(event))
    return {"event": event, "Status": RegistrationStatus, "since": since, "earlier": earlier,
            "workshops": presence.workshops_of(event, [r.id for r in shown]),
            "several_slots": len([s for s in event.workshop_sessions if s.workshops]) > 1}


def _summary(result: presence.SearchResult) -> str:
    """The sentence announced after each search."""
    if not result.query:
        return ""
    if not result.total:
        return (f"Aucune inscription ne correspond à «\u202f{result.query}\u202f»\u202f: "
                "vérifiez l’orthographe, ou inscrivez la personne sur place.")
    found = plural(result.total, "personne trouvée", "personnes trouvées")
    if result.total > len(result.registrations):
        return (f"{found}\u202f; les {len(result.registrations)} premières sont affichées\u202f: "
                "précisez la recherche.")
    return f"{found}."


def _search(event: Event, query: str) -> dict:
    result = presence.search(event, query)
    return {"query": query, "result": result, "summary": _summary(result),
            **_page_context(event, result.registrations)}


def _log_search(event: Event, found: dict) -> None:
    """Who searched at the desk, and how many people the search showed. The typed text
    is left out: it is a name (sometimes of someone not registered), and the log says
    who looked at the data, not the data."""
    if found["query"]:
        record("checkin.search", actor=actor_for_user(current_user),
               event=event, rows=len(found["result"].registrations))
        # Once the page is written: committing first would expire every row shown.
        db.session.commit()


@bp.get("/journees/<int:event_id>/accueil")
def desk(event_id: int):
    event = welcome_event_or_404(event_id)
    query = _query(request.args)
    # What a scanned badge link must start with (the route with its code left out).
    badge_prefix = url_for(".badge", event_id=event.id, code="x")[:-1]
    found = _search(event, query)
    html = render_template("attendance/checkin.html", counts=presence.counts(event),
                           badge_prefix=badge_prefix, **found)
    _log_search(event, found)
    return html


@bp.get("/journees/<int:event_id>/accueil/resultats")
def results(event_id: int):
    """The results list alone, for the search as you type."""
    event = welcome_event_or_404(event_id)
    query = _query(request.args)
    found = _search(event, query)
    html = render_template("attendance/checkin_results.html", **found)
    _log_search(event, found)
    return html


@bp.get("/journees/<int:event_id>/accueil/compteurs")
def counts(event_id: int):
    event = welcome_event_or_404(event_id)
    return jsonify(presence.counts(event).as_dict())


@bp.get("/journees/<int:event_id>/accueil/badge/<code>")
def badge(event_id: int, code: str):
    """Where a badge's QR code leads: the person, and one button."""
    event = welcome_event_or_404(event_id)
    registration = presence.find_by_badge(event, code)
    if registration is None:
        abort(404)
    return render_template("attendance/checkin_badge.html", registration=registration,
                           **_page_context(event, [registration]))


# Marking present --------------------------------------------------------------------------

def _registration(event_id: int, registration_id: int) -> tuple[Event, Registration]:
    event = welcome_event_or_404(event_id)
    return event, owned_or_404(Registration, registration_id, event_id=event.id)


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(
        ["text/html", "application/json"]) == "application/json"


def _done(event: Event, registration: Registration, message: str, ok: bool = True):
    """Answer a marking: JSON for the script, else back where the button was."""
    if _wants_json():
        return jsonify(ok=ok, message=message,
                       counts=presence.counts(event).as_dict()), 200 if ok else 409
    flash(message, "success" if ok else "error")
    if request.form.get("retour") == "badge" and registration.badge_code:
        return redirect(url_for(".badge", event_id=event.id, code=registration.badge_code))
    query = _query(request.form)
    return redirect(url_for(".desk", event_id=event.id, q=query or None))


@bp.post("/journees/<int:event_id>/accueil/<int:registration_id>/present")
def mark(event_id: int, registration_id: int):
    event, registration = _registration(event_id, registration_id)
    name = registration.full_name
    try:
        newly = operations.check_in(registration, by=current_user)
    except presence.NotConfirmed as refused:
        db.session.rollback()
        return _done(event, registration, str(refused), ok=False)
    db.session.commit()
    if newly:
        return _done(event, registration, f"{name} est marqué·e présent·e.")
    return _done(event, registration, f"{name} était déjà marqué·e présent·e "
                                      f"({_since(event, registration)}).")


@bp.post("/journees/<int:event_id>/accueil/<int:registration_id>/confirmer")
def confirm_and_mark(event_id: int, registration_id: int):
    """A waitlisted person who came: confirm their place if one is free, mark present."""
    event, registration = _registration(event_id, registration_id)
    name = registration.full_name
    try:
        operations.confirm_and_check_in(registration, by=current_user)
    except (services.EventFull, presence.NotConfirmed) as refused:
        db.session.rollback()
        return _done(event, registration, str(refused), ok=False)
    db.session.commit()
    return _done(event, registration, f"{name} est confirmé·e et marqué·e présent·e.")


@bp.post("/journees/<int:event_id>/accueil/<int:registration_id>/annuler")
def undo(event_id: int, registration_id: int):
    event, registration = _registration(event_id, registration_id)
    name = registration.full_name
    if not operations.undo_check_in(registration, by=current_user):
        return _done(event, registration, f"{name} n’était pas marqué·e présent·e.")
    db.session.commit()
    return _done(event, registration, f"La présence de {name} est annulée.")


# On-the-spot registration ---------------------------------------------------------------

@bp.route("/journees/<int:event_id>/accueil/sur-place", methods=["GET", "POST"])
def on_site(event_id: int):
    event = welcome_event_or_404(event_id)
    form = build_on_site_form(event, {w.workshop.id: w.members
                                      for slot in presence.counts(event).slots
                                      for w in slot.workshops})
    problems, existing = [], None
    if form.validate_on_submit():
        try:
            registration = operations.register_on_site(
                event, form.attendee(), base_url=public_base_url(),
                by=current_user)
        except services.AlreadyRegistered:
            existing = db.session.scalar(db.select(Registration).filter_by(
                event_id=event.id, email=form.email.data))
            form.email.errors.append("Cette adresse e-mail est déjà inscrite à cette "
                                     "journée\u202f: retrouvez la personne avec la recherche.")
        except services.InvalidChoice as refused:
            field = form.field_for(refused.session_id)
            (field.errors if field is not None else problems).append(str(refused))
        else:
            db.session.commit()
            flash(f"{registration.full_name} est inscrit·e sur place et marqué·e présent·e.",
                  "success")
            return redirect(url_for(".desk", event_id=event.id, q=registration.full_name))
        event = welcome_event_or_404(event_id)
    places_left = services.places_left(event)
    return render_template("attendance/checkin_on_site.html", event=event, form=form,
                           problems=problems, existing=existing,
                           full=places_left == 0)

