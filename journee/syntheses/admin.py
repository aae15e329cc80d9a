"""The organiser reviews and publishes syntheses and writes the day's synthesis."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..audit.log import actor_for_user, record
from ..documents.booklet_pdf import build_booklet
from ..errors import JourneeError
from ..extensions import db
from ..programme.loaders import event_or_404
from ..programme.models import Event, Workshop
from ..registration.listing import local_time
from ..web.downloads import private_download
from ..web.loaders import owned_or_404
from . import services
from .forms import DaySynthesisForm, WorkshopSynthesisForm
from .services import SynthesisText

bp = Blueprint("syntheses", __name__)


def _workshop_or_404(event: Event, workshop_id: int) -> Workshop:
    """One of this event's workshops; another event's is a 404."""
    workshop = owned_or_404(Workshop, workshop_id)
    if workshop.session.event_id != event.id:
        abort(404)
    return workshop


def _author() -> str:
    return current_user.name or current_user.email


def _index(event: Event, anchor: str | None = None):
    return redirect(url_for(".index", event_id=event.id, _anchor=anchor))


@bp.get("/journees/<int:event_id>/syntheses")
def index(event_id: int):
    event = event_or_404(event_id)
    return render_template(
        "syntheses/admin_index.html", event=event, slots=services.workshop_slots(event),
        day=services.day_synthesis_of(event), has_published=services.has_published(event),
        local_time=local_time)


@bp.route("/journees/<int:event_id>/syntheses/ateliers/<int:workshop_id>",
          methods=["GET", "POST"])
def workshop(event_id: int, workshop_id: int):
    event = event_or_404(event_id)
    workshop = _workshop_or_404(event, workshop_id)
    synthesis = services.synthesis_of(workshop)
    form = WorkshopSynthesisForm()
    if form.validate_on_submit():
        services.save_by_organiser(workshop, form.text(), by=_author())
        db.session.commit()
        flash(f"La synthèse de l’atelier n°\u00a0{workshop.number} est enregistrée.",
              "success")
        return redirect(url_for(".workshop", event_id=event.id, workshop_id=workshop.id))
    if not form.is_submitted():
        form.fill(SynthesisText.of(synthesis))
    return render_template("syntheses/admin_workshop.html", event=event, workshop=workshop,
                           synthesis=synthesis, form=form, role_of=services.role_of,
                           local_time=local_time)


@bp.post("/journees/<int:event_id>/syntheses/ateliers/<int:workshop_id>/"
         "<any(publier, depublier):action>")
def workshop_status(event_id: int, workshop_id: int, action: str):
    event = event_or_404(event_id)
    workshop = _workshop_or_404(event, workshop_id)
    synthesis = services.synthesis_of(workshop)
    if synthesis is None:
        flash(f"L’atelier n°\u00a0{workshop.number} n’a pas encore de synthèse.", "error")
        return _index(event)
    try:
        if action == "publier":
            services.publish(synthesis)
        else:
            services.unpublish(synthesis)
    except JourneeError as error:
        flash(str(error), "error")
        return _index(event)
    record("synthesis.publish" if action == "publier" else "synthesis.unpublish",
           actor=actor_for_user(current_user), event=event, target=workshop.label,
           workshop=workshop)
    db.session.commit()
    flash(f"La synthèse de l’atelier n°\u00a0{workshop.number} est "
          + ("publiée." if action == "publier" else "retirée de la page publique."),
          "success")
    return _index(event, f"atelier-{workshop.id}")


@bp.route("/journees/<int:event_id>/syntheses/journee", methods=["GET", "POST"])
def day(event_id: int):
    event = event_or_404(event_id)
    day = services.day_synthesis_of(event)
    form = DaySynthesisForm(obj=day)
    if form.validate_on_submit():
        services.save_day_synthesis(
            event, title=form.title.data, authors=form.authors.data, body=form.body.data,
            reading_list=form.reading_list.data, by=_author())
        db.session.commit()
        flash("La synthèse de la journée est enregistrée.", "success")
        return redirect(url_for(".day", event_id=event.id))
    return render_template("syntheses/admin_day.html", event=event, day=day, form=form,
                           local_time=local_time)


@bp.post("/journees/<int:event_id>/syntheses/journee/<any(publier, depublier):action>")
def day_status(event_id: int, action: str):
    event = event_or_404(event_id)
    day = services.day_synthesis_of(event)
    if day is None:
        flash("La synthèse de la journée n’est pas encore écrite.", "error")
        return _index(event)
    try:
        if action == "publier":
            services.publish_day(day)
        else:
            services.unpublish_day(day)
    except JourneeError as error:
        flash(str(error), "error")
        return _index(event)
    record("day_synthesis.publish" if action == "publier" else "day_synthesis.unpublish",
           actor=actor_for_user(current_user), event=event, target=day.title)
    db.session.commit()
    flash("La synthèse de la journée est "
          + ("publiée." if action == "publier" else "retirée de la page publique."),
          "success")
    return _index(event, "journee")


@bp.get("/journees/<int:event_id>/syntheses/livret.pdf")
def booklet(event_id: int):
    event = event_or_404(event_id)
    data = build_booklet(services.booklet_for(event, published_only=False))
    return private_download(data, f"livret-syntheses-{event.slug}.pdf", "application/pdf")
