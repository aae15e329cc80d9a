"""The organiser's registrations (« Inscriptions » in the back office).

One blueprint, split by subject: this module (the list, « Bilan des inscriptions » and its
workbook), ``detail`` (one registration: details, edits, cancel, restore, promote, and the
assisted registration by staff) and ``files`` (the XLSX export, the group import and the
blank paper form).
"""

from flask import Blueprint, render_template, request
from flask_login import current_user

from ...audit.log import actor_for_user, record
from ...extensions import db
from ...programme.loaders import event_or_404
from ...util.clock import today_in
from ...web.downloads import private_download
from .. import charts, listing
from ..dashboard import event_figures, workshop_loads
from ..emails import KIND_LABELS, failed_messages
from ..forms import NO, YES
from ..models import PROFILE_LABELS, SOURCE_LABELS, STATUS_LABELS, RegistrationStatus
from ..summary import build_summary, build_summary_xlsx

bp = Blueprint("registration", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"




@bp.get("/journees/<int:event_id>/inscriptions/")
def registrations(event_id: int):
    event = event_or_404(event_id)
    workshops = listing.event_workshops(event.id)
    filters = listing.Filters.from_args(request.args, workshops)
    page = listing.search(event, filters)
    options = listing.filter_options(event.id)
    html = render_template(
        "admin/registrations/list.html", event=event, filters=filters, page=page,
        course_options=[(c, c) for c in options["courses"]],
        sector_options=[(s, s) for s in options["sectors"]],
        workshop_options=[(w.id, w.label) for w in workshops.values()],
        sorts=listing.SORTS, composer_url=bulk.composer_url(event), workshops=workshops,
        statuses=STATUS_LABELS, profiles=PROFILE_LABELS, sources=SOURCE_LABELS,
        lunch_options=[(YES, "Oui"), (NO, "Non")], waitlisted=RegistrationStatus.WAITLISTED,
        summary=listing.choices_summary, local_time=listing.local_time,
        failed_messages=failed_messages(event), kind_labels=KIND_LABELS,
        needs_recorded=event.ask_accommodation or needs.needs_recorded(event.id))
    # Recorded once the page is written: committing first would expire every row shown.
    record("organiser.view_registrations", actor=actor_for_user(current_user),
           event=event, rows=len(page.registrations))
    db.session.commit()
    return html


@bp.get("/journees/<int:event_id>/inscriptions/bilan")
def summary(event_id: int):
    event = event_or_404(event_id)
    summary = build_summary(event)
    tables = {table.key: table for table in summary.tables}
    loads = workshop_loads(summary.workshops)
    return render_template(
        "admin/registrations/summary.html", event=event, summary=summary,
        figures=event_figures([event], today_in(event.timezone))[event.id], loads=loads,
        charts={
            "profils": charts.table_chart(tables["profils"], "graphique-profils"),
            "secteurs": charts.table_chart(tables["secteurs"], "graphique-secteurs",
                                           top=charts.TOP),
            "organisations": charts.table_chart(tables["organisations"],
                                                "graphique-organisations", top=charts.TOP),
            "ateliers": charts.workshops_chart(loads, "graphique-ateliers"),
            "par-jour": charts.over_time_chart(summary.days, "graphique-par-jour"),
        })


@bp.get("/journees/<int:event_id>/inscriptions/bilan.xlsx")
def summary_xlsx(event_id: int):
    event = event_or_404(event_id)
    data = build_summary_xlsx(event.title, build_summary(event))
    day = today_in(event.timezone)
    name = f"bilan-inscriptions-{event.slug}-{day.isoformat()}.xlsx"
    # Personal data aggregated, but still not for shared caches.
    return private_download(data, name, XLSX)


from . import bulk, dashboard, detail, files, needs  # noqa: E402,F401
