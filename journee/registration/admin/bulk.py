"""Actions on a selection of the list: confirm from the waiting list, cancel (after a
page that states the count), print badges, write to them.

The selection is either the ticked rows of the page (``registration_ids``, the name the
message composer takes too) or, with ``portee=filtre``,
every registration matching the list's filters, sent back with the form.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...extensions import db
from ...programme.loaders import event_or_404
from ...programme.models import Event
from ...web.urls import public_base_url
from .. import bulk, listing
from . import bp

#: The message composer's page; it takes the chosen registrations as ``registration_ids``.
COMPOSER_ENDPOINT = "admin.messages.compose"
#: The badges page, which prints the chosen registrations' badges.
BADGES_ENDPOINT = "admin.badges.badges"


def composer_url(event: Event) -> str:
    """Where « Envoyer un message » posts the ticked rows (the composer is a package
    above this one, so it is named, not imported)."""
    return url_for(COMPOSER_ENDPOINT, event_id=event.id)


def _filters(event: Event) -> listing.Filters:
    return listing.Filters.from_args(request.form, listing.event_workshops(event.id))


def _list(event: Event, filters: listing.Filters):
    return redirect(url_for(".registrations", event_id=event.id, **filters.query_args()))


@bp.post("/journees/<int:event_id>/inscriptions/selection")
def bulk_action(event_id: int):
    event = event_or_404(event_id)
    filters = _filters(event)
    whole = request.form.get("portee") == "filtre"
    ids = bulk.parse_ids(request.form.getlist("registration_ids"))
    action = request.form.get("action")
    if action not in ("confirmer", "annuler", "badges"):
        abort(400)
    if action == "badges" and whole:
        return redirect(url_for(BADGES_ENDPOINT, event_id=event.id, liste=1,
                                **filters.query_args(page=1)))
    chosen = bulk.chosen(event, ids, filters if whole else None)
    if not chosen:
        flash("Aucune inscription choisie\u202f: cochez des lignes de la liste, ou choisissez "
              "«\u202ftoute la sélection filtrée\u202f».", "error")
        return _list(event, filters)
    if action == "badges":
        return redirect(url_for(BADGES_ENDPOINT, event_id=event.id,
                                inscriptions=",".join(str(r.id) for r in chosen)))
    if action == "annuler":
        return render_template("admin/registrations/bulk_cancel.html", event=event,
                               chosen=chosen, filters=filters,
                               ids=",".join(str(r.id) for r in chosen))
    outcome = bulk.promote_all(chosen, base_url=public_base_url(), by=current_user)
    db.session.commit()
    flash(bulk.promotion_message(outcome), "success" if outcome.done else "warning")
    return _list(event, filters)


@bp.post("/journees/<int:event_id>/inscriptions/selection/annuler")
def bulk_cancel(event_id: int):
    """The second step of a cancellation: the ids the confirmation page stated."""
    event = event_or_404(event_id)
    filters = _filters(event)
    chosen = bulk.chosen(event, bulk.parse_ids(request.form.getlist("ids")))
    if not chosen:
        flash("Aucune inscription choisie\u202f: rien n’est annulé.", "error")
        return _list(event, filters)
    outcome = bulk.cancel_all(chosen, base_url=public_base_url(), by=current_user)
    db.session.commit()
    flash(bulk.cancellation_message(outcome), "success")
    return _list(event, filters)
