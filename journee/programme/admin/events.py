"""Creating, editing, publishing and duplicating events."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ...extensions import db
from ...formatting import format_date
from ...util.clock import today_in
from .. import event_home
from ..checklist import check_event
from ..forms import DuplicateForm, EventForm, PublishForm
from ..loaders import event_or_404
from ..models import EventMembership, EventStatus
from ..operations import NotReady, publish
from ..queries import event_with_programme_by_id
from ..services import Problems, duplicate_event, event_problems, save_event, set_status
from . import bp
from .common import show_problems


@bp.route("/journees/nouvelle", methods=["GET", "POST"])
def event_create():
    form = EventForm()
    extra = []
    if form.validate_on_submit():
        try:
            event = save_event(None, form.event_data(), creator=current_user)
        except Problems as error:
            extra = show_problems(form, error)
        else:
            db.session.commit()
            flash(f"La journée «\u202f{event.title}\u202f» est créée (brouillon).", "success")
            return redirect(url_for(".event", event_id=event.id))
    elif form.is_submitted():
        extra = _other_problems(form, None)
    return render_template("admin/event_form.html", form=form, event=None, extra=extra)


@bp.get("/journees/<int:event_id>/")
def event(event_id: int):
    event = event_or_404(event_id)
    return render_template("admin/event.html", event=event,
                           sections=[c.home(event) for c in event_home.contributions()])


@bp.route("/journees/<int:event_id>/modifier", methods=["GET", "POST"])
def event_edit(event_id: int):
    event = event_or_404(event_id)
    form = EventForm(obj=event)
    if not form.is_submitted():
        form.waitlist_enabled.set(event.waitlist_enabled)
        form.workshop_mode.data = event.workshop_mode.value
        form.action_nature.data = event.action_nature.value
        form.load_accessibility(event)
    extra = []
    if form.validate_on_submit():
        try:
            save_event(event, form.event_data())
        except Problems as error:
            extra = show_problems(form, error)
        else:
            db.session.commit()
            flash("Les informations de la journée sont enregistrées.", "success")
            return redirect(url_for(".event", event_id=event.id))
    elif form.is_submitted():
        extra = _other_problems(form, event.id)
    return render_template("admin/event_form.html", form=form, event=event, extra=extra)


def _other_problems(form: EventForm, event_id: int | None) -> list[str]:
    """When some fields are already wrong, still report the rules between dates and the
    slug, so the organiser sees every problem at once."""
    data = {name: form[name].data for name in (
        "starts_on", "ends_on", "registration_opens_on", "registration_deadline")}
    data["slug"] = (form.slug.data or "").lower()
    problems = [p for p in event_problems(data, event_id)
                if p.field and not form[p.field].errors]
    return show_problems(form, Problems(problems)) if problems else []


@bp.route("/journees/<int:event_id>/publier", methods=["GET", "POST"])
def event_publish(event_id: int):
    """The checklist before publishing, and publishing once confirmed; what blocks
    publication is refused here whatever the form says."""
    event = event_or_404(event_id, load=event_with_programme_by_id)
    today = today_in(event.timezone)
    form = PublishForm()
    refused = []
    if event.status != EventStatus.PUBLISHED and form.validate_on_submit():
        try:
            publish(event, today)
        except NotReady as error:
            refused = [item.message for item in error.checklist.blockers]
        else:
            db.session.commit()
            flash("La journée est publiée.", "success")
            return redirect(url_for(".event", event_id=event.id))
    elif event.status == EventStatus.PUBLISHED and form.is_submitted():
        flash("La journée est déjà publiée.", "success")
        return redirect(url_for(".event", event_id=event.id))
    html = render_template("admin/publish.html", event=event, form=form,
                           checklist=check_event(event, today), refused=refused)
    return html, 409 if refused else 200


STATUS_ACTIONS = {
    "depublier": (EventStatus.DRAFT, "La journée est repassée en brouillon."),
    "archiver": (EventStatus.ARCHIVED, "La journée est archivée."),
}


@bp.post("/journees/<int:event_id>/<any(depublier, archiver):action>")
def event_status(event_id: int, action: str):
    event = event_or_404(event_id)
    status, message = STATUS_ACTIONS[action]
    set_status(event, status)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".event", event_id=event.id))


@bp.route("/journees/<int:event_id>/dupliquer", methods=["GET", "POST"])
def event_duplicate(event_id: int):
    event = event_or_404(event_id)
    form = DuplicateForm()
    extra = []
    if form.validate_on_submit():
        try:
            copy = duplicate_event(event, form.starts_on.data,
                                   title=form.title.data or None,
                                   slug=(form.slug.data or "").lower() or None)
        except Problems as error:
            db.session.rollback()
            extra = show_problems(form, error)
        else:
            if not any(m.user_id == current_user.id for m in copy.memberships):
                copy.memberships.append(EventMembership(user_id=current_user.id))
            db.session.commit()
            flash(f"La journée est dupliquée au {format_date(copy.starts_on)} "
                  "(brouillon).", "success")
            return redirect(url_for(".event", event_id=copy.id))
    return render_template("admin/duplicate.html", form=form, event=event, extra=extra)
