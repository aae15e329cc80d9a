"""Writing to the audit log and describing who acted."""

from __future__ import annotations

from ..extensions import db
from .models import AuditEntry

#: Readable French labels of the action codes, for the organiser's view of the log.
ACTION_LABELS: dict[str, str] = {
    "organiser.view_registrations": "Consultation de la liste des inscriptions",
    "organiser.view_registration": "Consultation d’une inscription",
    "staff.view_needs": "Consultation des besoins d’aménagement",
    "organiser.create_registration": "Inscription saisie par l’équipe",
    "organiser.change_registration": "Modification d’une inscription",
    "organiser.cancel_registration": "Annulation d’une inscription par l’équipe",
    "organiser.restore_registration": "Rétablissement d’une inscription annulée",
    "organiser.promote_registration": "Confirmation d’une personne de la liste d’attente",
    "organiser.publish_assignment": "Publication de la répartition d’un créneau d’ateliers",
    "organiser.download_registrations": "Téléchargement des inscriptions (XLSX)",
    "organiser.import_registrations": "Import d’inscriptions (XLSX)",
    "organiser.export_person": "Export des données d’une personne (JSON)",
    "organiser.erase_person": "Effacement d’une personne à sa demande",
    "organiser.change_person_email": "Changement de l’adresse e-mail d’un·e intervenant·e",
    "organiser.send_message": "Message de l’équipe envoyé aux inscrit·es",
    "organiser.edit_email_text": "Texte d’un e-mail automatique modifié ou rétabli",
    "organiser.change_branding": "Nom, logo ou couleur de l’institut modifiés",
    "organiser.change_legal_identity": "Identité de l’organisme de formation modifiée",
    "attendee.register": "Inscription en ligne par la personne",
    "attendee.change_self": "Modification de son inscription par la personne, depuis son lien",
    "attendee.cancel_self": "Annulation de son inscription par la personne, depuis son lien",
    "attendee.take_workshop_place": "Place prise dans un atelier par la personne, après la "
                                    "répartition, depuis son lien",
    "attendee.join_workshop_waitlist": "Inscription sur la liste d’attente d’un atelier par "
                                       "la personne, depuis son lien",
    "attendee.leave_workshop_waitlist": "Retrait de la liste d’attente d’un atelier par la "
                                        "personne, depuis son lien",
    "automatic.workshop_waitlist_place": "Place libérée dans un atelier, donnée à la première "
                                         "personne de sa liste d’attente",
    "attendee.erase_self": "Effacement de ses données par la personne, depuis son lien",
    "facilitator.view_list": "Consultation de la liste d’un atelier",
    "facilitator.download_xlsx": "Téléchargement de la liste d’un atelier (XLSX)",
    "facilitator.download_signin": "Téléchargement de la feuille d’émargement d’un atelier (PDF)",
    "organiser.download_signin": "Téléchargement d’une feuille d’émargement (PDF)",
    "organiser.download_certificates": "Téléchargement d’attestations de présence (PDF)",
    "organiser.download_evidence": "Téléchargement du dossier de preuves Qualiopi (ZIP)",
    "organiser.send_certificates": "Envoi des attestations de présence par e-mail",
    "organiser.download_completion_certificates":
        "Téléchargement de certificats de réalisation (PDF)",
    "organiser.send_completion_certificates":
        "Envoi des certificats de réalisation par e-mail",
    "organiser.mark_presence": "Présences cochées ou décochées par l’organisateur·rice",
    "organiser.print_badges": "Impression de badges (PDF)",
    "checkin.search": "Recherche d’une personne à l’accueil",
    "checkin.undo": "Annulation d’une présence à l’accueil",
    "checkin.confirm": "Confirmation à l’accueil d’une personne de la liste d’attente",
    "checkin.on_site": "Inscription sur place à l’accueil",
    "signin.sign": "Signature d’une demi-journée sur la feuille d’émargement numérique",
    "signin.attest": "Présence attestée par l’équipe pour une personne qui ne peut pas signer",
    "signin.attest_late": "Présence attestée après coup par l’équipe organisatrice (une "
                          "demi-journée commencée ou passée), avec son motif",
    "signin.cancel": "Émargement numérique annulé par l’équipe organisatrice (signature ou "
                     "présence attestée enregistrée par erreur), avec son motif",
    "signin.seal": "Feuille d’émargement signée produite, avec l’empreinte de son contenu",
    "synthesis.submit": "Remise de la synthèse d’un atelier aux organisateurs",
    "synthesis.publish": "Publication de la synthèse d’un atelier",
    "synthesis.unpublish": "Retrait de la synthèse d’un atelier de la page publique",
    "day_synthesis.publish": "Publication de la synthèse de la journée",
    "day_synthesis.unpublish": "Retrait de la synthèse de la journée de la page publique",
    "facilitator_link.create": "Création du lien personnel d’un·e animateur·rice",
    "facilitator_link.send": "Envoi par e-mail du lien personnel d’un·e animateur·rice",
    "facilitator_link.revoke": "Révocation du lien personnel d’un·e animateur·rice",
    "facilitator_link.regenerate": "Remplacement du lien personnel d’un·e animateur·rice",
}


ATTENDEE = "La personne inscrite, par son lien personnel"
"""The actor of what an attendee does themself (the public form, their personal link)."""


def actor_for_user(user) -> str:
    return f"Organisateur·rice {user.email}"


def actor_for_link(link) -> str:
    return f"Animateur·rice {link.person.full_name} (lien n°\u00a0{link.id})"


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
