"""The programme of an event: duplicating and deleting sessions (their form is in
:mod:`.session_form`)."""

from flask import flash, redirect, render_template, request, url_for

from ...extensions import db
from ..loaders import event_or_404, session_or_404
from ..sessions import delete_session, duplicate_session
from . import bp

SESSION = "/journees/<int:event_id>/seances/<int:session_id>"


@bp.post(SESSION + "/dupliquer")
def session_duplicate(event_id: int, session_id: int):
    event = event_or_404(event_id)
    copy = duplicate_session(session_or_404(event, session_id))
    db.session.commit()
    flash(f"La séance «\u202f{copy.display_title}\u202f» est dupliquée, sans salle\u202f: choisissez "
          "son horaire et sa salle.", "success")
    return redirect(url_for(".session_form", event_id=event.id, session_id=copy.id))


@bp.route(SESSION + "/supprimer", methods=["GET", "POST"])
def session_delete(event_id: int, session_id: int):
    event = event_or_404(event_id)
    session = session_or_404(event, session_id)
    name = session.display_title
    if request.method == "POST":
        delete_session(event, session)
        db.session.commit()
        flash(f"La séance «\u202f{name}\u202f» est supprimée.", "success")
        return redirect(url_for(".event", event_id=event.id))
    return render_template(
        "admin/confirm_delete.html", event=event,
        title=f"Supprimer la séance «\u202f{name}\u202f»",
        question=f"Supprimer la séance «\u202f{name}\u202f» et les personnes qui y sont inscrites "
                 "comme intervenantes\u202f?",
        consequences_intro="Ces ateliers seront supprimés avec elle\u202f:",
        consequences=[w.label for w in session.workshops],
        button=f"Supprimer la séance «\u202f{name}\u202f»",
        back=url_for(".session", event_id=event.id, session_id=session.id))
