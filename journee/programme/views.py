"""Public pages: the list of days, an event's programme and its documents."""

from flask import Blueprint, Response, abort, render_template

from ..branding.services import png_logo
from ..util.clock import today_in
from ..web.urls import public_base_url
from .ics import build_programme_ics, build_session_ics
from .loaders import visible_event_or_404
from .pdf import build_programme_pdf
from .queries import public_events
from .schedule import registration_status, role_groups, sessions_by_day, workshop_role_groups

bp = Blueprint("programme", __name__)




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
    data = build_programme_ics(event, public_base_url())
    return _download(data, "text/calendar; charset=utf-8", f"{event.slug}.ics")


@bp.get("/e/<slug>/seances/<uid>.ics")
def session_ics(slug: str, uid: str):
    event = visible_event_or_404(slug)
    item = next((s for s in event.sessions if s.uid == uid), None)
    if item is None:
        item = next((w for s in event.sessions for w in s.workshops if w.uid == uid), None)
    if item is None:
        abort(404)
    data = build_session_ics(event, item, public_base_url())
    return _download(data, "text/calendar; charset=utf-8", f"{event.slug}-{uid[:8]}.ics")


@bp.get("/e/<slug>/programme.pdf")
def programme_pdf(slug: str):
    event = visible_event_or_404(slug)
    return _download(build_programme_pdf(event, logo=png_logo()), "application/pdf",
                     f"programme-{event.slug}.pdf", inline=True)
