"""The organiser's side of facilitator links: send, revoke, regenerate; the access log."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from ..audit.log import action_label, actor_for_user
from ..extensions import db
from ..formatting import NBSP, plural
from ..mail_models import OutboxMessage, OutboxStatus
from ..programme.loaders import event_or_404
from ..programme.models import Event, Person
from ..programme.people import save_person
from ..programme.services import Problems
from ..web.urls import public_base_url
from . import services
from .forms import FacilitatorEmailForm

bp = Blueprint("facilitation", __name__)


def _event_and_person_or_404(event_id: int, person_id: int) -> tuple[Event, Person]:
    """The event and one of its workshop facilitators; anyone else is a 404."""
    event = event_or_404(event_id)
    person = services.facilitator_of(event, person_id)
    if person is None:
        abort(404)
    return event, person


def _actor() -> str:
    return actor_for_user(current_user)


def _back(event: Event):
    return redirect(url_for(".links", event_id=event.id))


def _is_failed(message: OutboxMessage | None) -> bool:
    return message is not None and message.status == OutboxStatus.FAILED


NOT_WRITTEN = (f"n’a pas pu être écrit{NBSP}: le lien n’est pas envoyé. La raison figure "
               "dans le tableau.")


def _is_pending(message: OutboxMessage | None) -> bool:
    """Still waiting once committed: the mail server did not take it (yet)."""
    return message is not None and message.status == OutboxStatus.PENDING


WAITING_FOR_SERVER = (f"le serveur d’e-mail ne l’a pas encore accepté{NBSP}; il sera "
                      "réessayé automatiquement (son état figure dans le tableau)")


def _flash_sent_or_copy(person: Person, opening: str, message: OutboxMessage | None) -> None:
    if _is_failed(message):
        flash(f"{opening}, mais l’e-mail à {person.email} {NOT_WRITTEN}", "error")
    elif _is_pending(message):
        flash(f"{opening}{NBSP}; l’e-mail à {person.email} attend{NBSP}: "
              f"{WAITING_FOR_SERVER}.", "warning")
    elif person.email:
        flash(f"{opening} et envoyé par e-mail à {person.email}.", "success")
    else:
        flash(f"{opening}. {person.full_name} n’a pas d’adresse e-mail{NBSP}: copiez le lien "
              "affiché dans le tableau et transmettez-le-lui vous-même.", "success")


@bp.get("/journees/<int:event_id>/animateurs")
def links(event_id: int):
    event = event_or_404(event_id)
    return render_template("facilitation/admin_links.html", event=event,
                           overview=services.overview(event), base_url=public_base_url(),
                           link_url=services.shown_link_url, when=services.local_moment,
                           email_form=None, email_person=None)


@bp.post("/journees/<int:event_id>/animateurs/<int:person_id>/creer")
def create_link(event_id: int, person_id: int):
    event, person = _event_and_person_or_404(event_id, person_id)
    given = services.give_link(event, person, public_base_url(), _actor())
    if given is None:
        flash(f"{person.full_name} a déjà un lien actif{NBSP}: utilisez «\u202fEnvoyer à "
              "nouveau\u202f» ou «\u202fRemplacer le lien\u202f».", "warning")
        return _back(event)
    _, message = given
    db.session.commit()
    _flash_sent_or_copy(person, f"Le lien de {person.full_name} est créé", message)
    return _back(event)


@bp.post("/journees/<int:event_id>/animateurs/<int:person_id>/envoyer")
def send_link(event_id: int, person_id: int):
    event, person = _event_and_person_or_404(event_id, person_id)
    link = services.active_link(event, person)
    if link is None:
        flash(f"{person.full_name} n’a pas de lien actif{NBSP}: créez-en un d’abord.", "error")
        return _back(event)
    if not person.email:
        flash(f"{person.full_name} n’a pas d’adresse e-mail{NBSP}: copiez le lien affiché "
              "dans le tableau et transmettez-le-lui vous-même.", "error")
        return _back(event)
    message = services.queue_link_email(link, public_base_url(), _actor())
    db.session.commit()
    if _is_failed(message):
        flash(f"L’e-mail à {person.email} {NOT_WRITTEN}", "error")
    elif _is_pending(message):
        flash(f"Le lien de {person.full_name} n’est pas encore parti{NBSP}: "
              f"{WAITING_FOR_SERVER}.", "warning")
    else:
        flash(f"Le lien de {person.full_name} est envoyé à nouveau à {person.email}.",
              "success")
    return _back(event)


@bp.post("/journees/<int:event_id>/animateurs/<int:person_id>/revoquer")
def revoke_link(event_id: int, person_id: int):
    event, person = _event_and_person_or_404(event_id, person_id)
    link = services.active_link(event, person)
    if link is None:
        flash(f"{person.full_name} n’a pas de lien actif.", "warning")
        return _back(event)
    services.revoke_link(link, _actor())
    db.session.commit()
    flash(f"Le lien de {person.full_name} est révoqué{NBSP}: il ne donne plus accès à "
          "ses ateliers.", "success")
    return _back(event)


@bp.post("/journees/<int:event_id>/animateurs/<int:person_id>/remplacer")
def regenerate_link(event_id: int, person_id: int):
    event, person = _event_and_person_or_404(event_id, person_id)
    _, message = services.replace_link(event, person, public_base_url(), _actor())
    db.session.commit()
    _flash_sent_or_copy(person, f"L’ancien lien de {person.full_name} ne fonctionne "
                                f"plus{NBSP}; un nouveau lien est créé", message)
    return _back(event)


@bp.post("/journees/<int:event_id>/animateurs/envoyer-a-tous")
def send_all(event_id: int):
    event = event_or_404(event_id)
    result = services.send_all(event, public_base_url(), _actor())
    db.session.commit()
    # Committed, each e-mail has been handed to the mail server, or not.
    left = sum(1 for message in result.messages if message.status == OutboxStatus.SENT)
    waiting = len(result.messages) - left
    if left:
        flash(f"Liens envoyés par e-mail{NBSP}: {plural(left, 'animateur·rice')}.", "success")
    if waiting:
        flash(f"{plural(waiting, 'lien')} pas encore {'parti' if waiting == 1 else 'partis'}"
              f"{NBSP}: {WAITING_FOR_SERVER}.", "warning")
    if not result.messages and not result.failed:
        if overview_has_address(event):
            flash(f"Aucun lien envoyé{NBSP}: chaque animateur·rice ayant une adresse e-mail "
                  "a déjà reçu son lien ou l’attend, ou son lien a été révoqué (voir le "
                  "tableau).", "info")
        else:
            flash(f"Aucun lien envoyé{NBSP}: aucun·e animateur·rice n’a d’adresse e-mail. "
                  "Ajoutez-la dans le tableau, ou créez les liens et transmettez-les "
                  "vous-même.", "warning")
    if result.failed:
        names = ", ".join(person.full_name for person in result.failed)
        flash(f"E-mail impossible à écrire, lien non envoyé{NBSP}: {names}. La raison figure "
              "dans le tableau.", "error")
    if result.without_email:
        names = ", ".join(person.full_name for person in result.without_email)
        flash(f"Sans adresse e-mail, à prévenir vous-même{NBSP}: {names}.", "warning")
    return _back(event)


def overview_has_address(event: Event) -> bool:
    overview = services.overview(event)
    return any(row.person.email for team in overview.teams for row in team.facilitators)


@bp.post("/journees/<int:event_id>/animateurs/<int:person_id>/adresse")
def change_email(event_id: int, person_id: int):
    """Give a facilitator an address (or change it) without leaving the page; the
    directory's rules apply (:func:`programme.people.save_person`: checked, audited)."""
    event, person = _event_and_person_or_404(event_id, person_id)
    form = FacilitatorEmailForm()
    if form.validate_on_submit():
        try:
            save_person(person, person.first_name, person.last_name, person.function or "",
                        person.organisation or "", form.email.data, editor=current_user)
        except Problems as problems:
            db.session.rollback()
            form.email.errors = [str(problem) for problem in problems.problems]
        else:
            db.session.commit()
            if person.email:
                flash(f"L’adresse e-mail de {person.full_name} est maintenant "
                      f"{person.email}.", "success")
            else:
                flash(f"{person.full_name} n’a plus d’adresse e-mail.", "success")
            return redirect(url_for(".links", event_id=event.id,
                                    _anchor=f"personne-{form.row.data}"))
    db.session.rollback()
    return render_template("facilitation/admin_links.html", event=event,
                           overview=services.overview(event), base_url=public_base_url(),
                           link_url=services.shown_link_url, when=services.local_moment,
                           email_form=form, email_person=person)


@bp.get("/journees/<int:event_id>/journal")
def audit_log(event_id: int):
    event = event_or_404(event_id)
    try:
        page = int(request.args.get("page", 1))
    except ValueError:
        page = 1
    return render_template("facilitation/admin_audit.html", event=event,
                           log=services.audit_page(event, page), label=action_label,
                           when=services.local_moment)
