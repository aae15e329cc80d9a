"""Public pages: the list of days, an event's programme and its documents."""

from flask import Blueprint, Response, abort, current_app, render_template
from flask_login import current_user

from ..documents.programme_pdf import build_programme_pdf
from ..util.clock import today_in
from .ics import build_programme_ics, build_session_ics
from .models import Event
from .permissions import can_manage
from .queries import PUBLIC_STATUSES, event_with_programme, public_events
from .schedule import registration_status, role_groups, sessions_by_day, workshop_role_groups

bp = Blueprint("programme", __name__)


def visible_event_or_404(slug: str, load=event_with_programme) -> Event:
    """A published or archived event; drafts only for the staff who may edit them.

    :param load: how much of the event to load with it (the whole programme by default).
    """
    event = load(slug)
    if event is None:
        abort(404)
    if event.status not in PUBLIC_STATUSES and not can_manage(current_user, event):
        abort(404)
    return event


def _download(data: bytes, mimetype: str, filename: str, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'{disposition}; filename="{filename}"'})


@bp.get("/")
def index():
    upcoming, past = public_events(today_in())
    return render_template("programme/index.html", upcoming=upcoming, past=past)


@bp.get("/e/<slug>/")
def event_page(slug: str):
    event = visible_event_or_404(slug)
    return render_template(
        "programme/event.html", event=event, days=sessions_by_day(event),
        registration=registration_status(event, today_in(event.timezone)),
        role_groups=role_groups, workshop_role_groups=workshop_role_groups)


@bp.get("/e/<slug>/programme.ics")
def programme_ics(slug: str):
    event = visible_event_or_404(slug)
    data = build_programme_ics(event, current_app.config["PUBLIC_BASE_URL"])
    return _download(data, "text/calendar; charset=utf-8", f"{event.slug}.ics")


@bp.get("/e/<slug>/seances/<uid>.ics")
def session_ics(slug: str, uid: str):
    event = visible_event_or_404(slug)
    item = next((s for s in event.sessions if s.uid == uid), None)
    if item is None:
        item = next((w for s in event.sessions for w in s.workshops if w.uid == uid), None)
    if item is None:
        abort(404)
    data = build_session_ics(event, item, current_app.config["PUBLIC_BASE_URL"])
    return _download(data, "text/calendar; charset=utf-8", f"{event.slug}-{uid[:8]}.ics")


@bp.get("/e/<slug>/programme.pdf")
def programme_pdf(slug: str):
    event = visible_event_or_404(slug)
    return _download(build_programme_pdf(event), "application/pdf",
                     f"programme-{event.slug}.pdf", inline=True)
