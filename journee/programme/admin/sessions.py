"""The programme of an event: adding, changing and deleting sessions."""

from datetime import date, time

from flask import flash, redirect, render_template, request, url_for

from ...extensions import db
from ..forms import SessionForm
from ..loaders import event_or_404, session_or_404
from ..models import SessionKind
from ..services import NeedsConfirmation, Problems
from ..sessions import delete_session, duplicate_session, save_session
from . import bp
from .common import room_choices, room_from_choice, show_problems

SESSION = "/journees/<int:event_id>/seances/<int:session_id>"


@bp.route("/journees/<int:event_id>/seances/nouvelle", methods=["GET", "POST"],
          defaults={"session_id": None})
@bp.route(SESSION + "/modifier", methods=["GET", "POST"])
def session_form(event_id: int, session_id: int | None):
    event = event_or_404(event_id)
    session = session_or_404(event, session_id) if session_id else None
    form = SessionForm()
    form.room_id.choices = room_choices(event)
    if not form.is_submitted():
        if session is not None:
            form.kind.data = session.kind.value
            form.title.data, form.description.data = session.title, session.description
            form.day.data, form.start.data = session.starts_at.date(), session.starts_at.time()
            form.end.data = session.ends_at.time() if session.ends_at else None
            form.room_id.data = session.room_id or 0
        else:
            _prefill(form, event)
    extra, warnings = [], []
    if form.validate_on_submit():
        try:
            session = save_session(
                event, session, kind=SessionKind(form.kind.data), title=form.title.data,
                description=form.description.data or "", day=form.day.data,
                start=form.start.data, end=form.end.data,
                room=room_from_choice(event, form.room_id.data),
                confirmed=form.confirm.data)
        except Problems as error:
            extra = show_problems(form, error)
        except NeedsConfirmation as warning:
            warnings = warning.warnings
            form.confirm.data = False
        else:
            db.session.commit()
            flash(f"La séance « {session.display_title} » est enregistrée.", "success")
            return redirect(url_for(".session", event_id=event.id, session_id=session.id))
    return render_template("admin/session_form.html", form=form, event=event,
                           session=session, extra=extra, warnings=warnings)


def _prefill(form: SessionForm, event) -> None:
    """A new session from the timetable's « Ajouter ici »: its day, start and room."""
    form.day.data = _parsed(date.fromisoformat, request.args.get("jour")) or event.starts_on
    form.start.data = _parsed(time.fromisoformat, request.args.get("debut"))
    room_id = request.args.get("salle", type=int)
    form.room_id.data = room_id if any(r.id == room_id for r in event.rooms) else 0


def _parsed(parse, text):
    try:
        return parse(text) if text else None
    except ValueError:
        return None


@bp.post(SESSION + "/dupliquer")
def session_duplicate(event_id: int, session_id: int):
    event = event_or_404(event_id)
    copy = duplicate_session(session_or_404(event, session_id))
    db.session.commit()
    flash(f"La séance « {copy.display_title} » est dupliquée, sans salle : choisissez "
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
        flash(f"La séance « {name} » est supprimée.", "success")
        return redirect(url_for(".event", event_id=event.id))
    return render_template(
        "admin/confirm_delete.html", event=event,
        title=f"Supprimer la séance « {name} »",
        question=f"Supprimer la séance « {name} » et les personnes qui y sont inscrites "
                 "comme intervenantes ?",
        consequences_intro="Ces ateliers seront supprimés avec elle :",
        consequences=[w.label for w in session.workshops],
        button=f"Supprimer la séance « {name} »",
        back=url_for(".session", event_id=event.id, session_id=session.id))
