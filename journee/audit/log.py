"""Writing to the audit log and describing who acted."""

from __future__ import annotations

from ..extensions import db
from .models import AuditEntry

#: Readable French labels of the action codes, for the organiser's view of the log.
ACTION_LABELS: dict[str, str] = {
    "facilitator.view_list": "Consultation de la liste d’un atelier",
    "facilitator.download_xlsx": "Téléchargement de la liste d’un atelier (XLSX)",
    "facilitator.download_signin": "Téléchargement de la feuille d’émargement d’un atelier (PDF)",
}


def actor_for_user(user) -> str:
    return f"Organisateur·rice {user.email}"


def actor_for_link(link) -> str:
    return f"Animateur·rice {link.person.full_name} (lien n° {link.id})"


def record(action: str, *, actor: str, event=None, target: str = "", workshop=None,
           link=None, rows: int | None = None) -> AuditEntry:
    """Add an entry to the session; it is committed with the caller's transaction."""
    entry = AuditEntry(action=action, actor=actor[:300], target=target[:300], rows=rows,
                       event_id=event.id if event is not None else None,
                       workshop_id=workshop.id if workshop is not None else None,
                       facilitator_link_id=link.id if link is not None else None)
    db.session.add(entry)
    return entry


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
