"""Public pages: the list of days, an event's programme and its documents."""

from flask import Blueprint, Response, abort, render_template

from ..branding.services import branding_version, png_logo
from ..database import reads_only
from ..util.clock import today_in
from ..web.conditional import revalidated_page, versioned
from ..web.urls import public_base_url
from .ics import build_programme_ics, build_session_ics
from .loaders import visible_event_or_404
from .models import Event
from .pdf import build_programme_pdf
from .queries import PUBLIC_STATUSES, event_alone, fresh_programme, public_events
from .schedule import registration_status, role_groups, sessions_by_day, workshop_role_groups
from .versions import documents, programme_version

bp = Blueprint("programme", __name__)


def _preview(event: Event) -> bool:
    """A draft, seen by its organisers only: no shared cache may keep it."""
    return event.status not in PUBLIC_STATUSES


def _download(data: bytes, mimetype: str, filename: str, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'{disposition}; filename="{filename}"'})


@bp.get("/")
@reads_only
def index():
    upcoming, past = public_events(today_in())
    return render_template("programme/index.html", upcoming=upcoming, past=past)


@bp.get("/e/<slug>/")
@reads_only
def event_page(slug: str):
    event = visible_event_or_404(slug)
    # Rendered each time, places left included; the ETag is the page itself, so that
    # an edit or a registration that changes the page changes it.
    return revalidated_page(render_template(
        "programme/event.html", event=event, days=sessions_by_day(event),
        registration=registration_status(event, today_in(event.timezone)),
        role_groups=role_groups, workshop_role_groups=workshop_role_groups),
        private=_preview(event))


@bp.get("/e/<slug>/programme.ics")
@reads_only
def programme_ics(slug: str):
    event = visible_event_or_404(slug, load=event_alone)
    base_url = public_base_url()
    # The version first, then the programme: what is drawn is never older than it.
    version = programme_version(event.id, "ics", base_url)
    return versioned(version, lambda: _download(
        documents.get(version, lambda: build_programme_ics(fresh_programme(event.id),
                                                           base_url)),
        "text/calendar; charset=utf-8", f"{event.slug}.ics"), private=_preview(event))


@bp.get("/e/<slug>/seances/<uid>.ics")
@reads_only
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
@reads_only
def programme_pdf(slug: str):
    event = visible_event_or_404(slug, load=event_alone)
    today = today_in(event.timezone)
    # The institute's logo is drawn on the first page: its changes make a new version.
    version = programme_version(event.id, "pdf", registration_status(event, today).message,
                                branding_version())
    return versioned(version, lambda: _download(
        documents.get(version, lambda: build_programme_pdf(fresh_programme(event.id), today,
                                                           logo=png_logo())),
        "application/pdf", f"programme-{event.slug}.pdf", inline=True),
        private=_preview(event))
