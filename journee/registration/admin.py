"""The organiser's registrations: the list, the summary and its workbook.

One blueprint, split by subject: this module (list and « Bilan des inscriptions ») and
``admin_detail`` (one registration: details, edits, cancel, restore, promote, and the
assisted registration by staff).
"""

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from ..audit.log import actor_for_user, record
from ..auth.access import require_login
from ..extensions import db
from ..programme.admin.common import event_or_404
from ..programme.queries import today_in
from . import listing
from .emails import KIND_LABELS, failed_messages
from .forms import NO, YES
from .models import PROFILE_LABELS, SOURCE_LABELS, STATUS_LABELS, RegistrationStatus
from .summary import build_summary, build_summary_xlsx

bp = Blueprint("registration_admin", __name__, url_prefix="/admin")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


bp.before_request(require_login)


@bp.get("/journees/<int:event_id>/inscriptions/")
def registrations(event_id: int):
    event = event_or_404(event_id)
    workshops = listing.event_workshops(event.id)
    filters = listing.Filters.from_args(request.args, workshops)
    page = listing.search(event, filters)
    html = render_template(
        "admin/registrations/list.html", event=event, filters=filters, page=page,
        options=listing.filter_options(event.id), workshops=workshops,
        statuses=STATUS_LABELS, profiles=PROFILE_LABELS, sources=SOURCE_LABELS,
        lunch_options=[(YES, "Oui"), (NO, "Non")], waitlisted=RegistrationStatus.WAITLISTED,
        summary=listing.choices_summary, local_time=listing.local_time,
        failed_messages=failed_messages(event), kind_labels=KIND_LABELS)
    # Recorded once the page is written: committing first would expire every row shown.
    record("organiser.view_registrations", actor=actor_for_user(current_user),
           event=event, rows=len(page.registrations))
    db.session.commit()
    return html


@bp.get("/journees/<int:event_id>/inscriptions/bilan")
def summary(event_id: int):
    event = event_or_404(event_id)
    return render_template("admin/registrations/summary.html", event=event,
                           summary=build_summary(event))


@bp.get("/journees/<int:event_id>/inscriptions/bilan.xlsx")
def summary_xlsx(event_id: int):
    event = event_or_404(event_id)
    data = build_summary_xlsx(event.title, build_summary(event))
    day = today_in(event.timezone)
    name = f"bilan-inscriptions-{event.slug}-{day.isoformat()}.xlsx"
    response = Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{name}"'})
    # Personal data aggregated, but still not for shared caches.
    response.headers["Cache-Control"] = "no-store"
    return response


from . import admin_detail  # noqa: E402,F401
