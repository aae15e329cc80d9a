"""The evidence pack: a ZIP of the event's documents for the Qualiopi auditor, with a
« LISEZ-MOI.txt » that lists each file and what it proves.

Each part of the pack is one small function that gives its files (a name in the
archive, the bytes); :data:`PARTS` puts them in order. A part with nothing to show (no
questionnaire, nobody present) gives no file, and the read-me says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo
from zoneinfo import ZoneInfo

from ..attendance.services.certificates import certificates_pdf, present_attendees
from ..attendance.services.completion import completion_certificates_pdf, completion_recipients
from ..attendance.services.signed_sheets import signed_day_sheet_pdf, signed_workshop_sheet_pdf
from ..attendance.services.signin import event_dates
from ..branding.services import png_logo
from ..formatting import format_local_datetime, french_spacing
from ..programme.models import Event
from ..programme.pdf import build_programme_pdf
from ..programme.queries import fresh_programme
from ..programme.slugs import slugify
from ..surveys import services as surveys
from ..surveys.models import Wave
from ..surveys.results_pdf import results_document
from ..surveys.xlsx import build_results_xlsx
from .summary import summary
from .summary_pdf import build_summary_pdf

Files = Iterator[tuple[str, bytes]]
ZIP = "application/zip"
README = "LISEZ-MOI.txt"
WAVE_NAMES = {Wave.HOT: "a-chaud", Wave.COLD: "a-froid"}


@dataclass(frozen=True)
class Part:
    title: str
    proves: str
    """What the files prove, for the read-me (with the Qualiopi indicators)."""
    files: Callable[[Event, datetime], Files]
    missing: str = ""
    """What the read-me says when the part gives no file."""


def summary_files(event: Event, now: datetime) -> Files:
    yield "00-synthese.pdf", build_summary_pdf(event, summary(event, now))


def programme_files(event: Event, now: datetime) -> Files:
    yield "01-programme.pdf", build_programme_pdf(fresh_programme(event.id), logo=png_logo())


def signin_files(event: Event, now: datetime) -> Files:
    folder = "02-feuilles-emargement"
    yield f"{folder}/journee.pdf", signed_day_sheet_pdf(event)
    taken: set[str] = set()
    for slot in event.workshop_sessions:
        for workshop in slot.workshops:
            name = f"atelier-{workshop.number:02d}-{slugify(workshop.title)[:40].rstrip('-')}"
            if name in taken:
                name += f"-{workshop.id}"
            taken.add(name)
            yield f"{folder}/{name}.pdf", signed_workshop_sheet_pdf(workshop)


def certificate_files(event: Event, now: datetime) -> Files:
    present = present_attendees(event)
    if present:
        yield "03-attestations-de-presence.pdf", certificates_pdf(event, present)


def completion_files(event: Event, now: datetime) -> Files:
    recipients = completion_recipients(event)
    if recipients:
        yield "04-certificats-de-realisation.pdf", completion_certificates_pdf(event, recipients)


def questionnaire_files(event: Event, now: datetime) -> Files:
    survey = surveys.survey_of(event)
    if survey is None:
        return
    invitations = surveys.invitation_counts(survey)
    responses = surveys.response_counts(survey)
    for wave in Wave:
        if invitations.get(wave) or responses.get(wave):
            name = f"05-questionnaires/{WAVE_NAMES[wave]}-resultats"
            yield f"{name}.pdf", results_document(event, survey, wave)
            yield f"{name}.xlsx", build_results_xlsx(event, surveys.results(survey, wave=wave))


PARTS: list[Part] = [
    Part("Synthèse de l’action",
         "les résultats de l’action : personnes inscrites, présentes par demi-journée, "
         "heures de formation délivrées, attestations, taux de réponse et de satisfaction "
         "(indicateur 1 : résultats obtenus portés à la connaissance du public ; "
         "indicateur 2 : indicateurs de résultats).", summary_files),
    Part("Programme",
         "l’information donnée au public : objectifs, contenu, horaires, intervenant·es, "
         "lieu et informations d’accès (indicateur 1 ; indicateur 26 : informations "
         "d’accès pour l’accueil des personnes en situation de handicap).",
         programme_files),
    Part("Feuilles d’émargement",
         "la présence de chaque personne, pour la journée (une colonne par demi-journée) "
         "et pour chaque atelier, avec les signatures recueillies par l’émargement "
         "numérique ou les présences attestées, et l’empreinte SHA-256 de chaque feuille "
         "inscrite au journal d’audit : la réalisation de l’action.", signin_files),
    Part("Attestations de présence",
         "les attestations remises aux personnes présentes : la réalisation de l’action "
         "pour chacune.", certificate_files,
         missing="Aucune personne n’est notée présente : pas d’attestation."),
    Part("Certificats de réalisation",
         "le certificat de réalisation de chaque personne, au modèle du ministère : "
         "nature et objectifs de l’action, heures réalisées d’après les demi-journées "
         "émargées (indicateur 11 ; preuve de la réalisation pour les financeurs).",
         completion_files,
         missing="Aucune personne n’a suivi de demi-journée : pas de certificat."),
    Part("Questionnaires de satisfaction",
         "les appréciations des participant·es « à chaud » (à la fin de la journée) et "
         "« à froid » : taux de réponse, taux de satisfaction et calcul, résultats par "
         "question et commentaires, en PDF et en XLSX (indicateur 2 : taux de "
         "satisfaction ; indicateur 11 : évaluation de l’atteinte des objectifs ; "
         "indicateur 30 : recueil des appréciations ; indicateur 32 : base des mesures "
         "d’amélioration).", questionnaire_files,
         missing="Aucun questionnaire n’a été envoyé pour cette journée."),
]


def readme(event: Event, contents: list[tuple[Part, list[str]]], now: datetime) -> str:
    lines = ["Dossier de preuves Qualiopi", "",
             f"Journée d’étude : « {event.title} »",
             f"Dates : {event_dates(event)}",
             f"Document généré le {format_local_datetime(now, event.timezone)} par Journée.",
             "", "Contenu du dossier, et ce que prouve chaque fichier (les numéros sont "
             "ceux des indicateurs du Référentiel national qualité) :"]
    for number, (part, names) in enumerate(contents, start=1):
        lines += ["", f"{number}. {part.title}", f"   Ce que cela prouve : {part.proves}"]
        lines += [f"   - {name}" for name in names] or [f"   {part.missing}"]
    return "\n".join(french_spacing(line) for line in lines) + "\n"


def _add(archive: ZipFile, name: str, data: bytes | str, local: datetime) -> None:
    info = ZipInfo(name, date_time=local.timetuple()[:6])
    info.compress_type = ZIP_DEFLATED
    archive.writestr(info, data)


def write_pack(event: Event, target: IO[bytes], now: datetime) -> list[str]:
    """Write the pack into *target* (a file open for writing) at *now* (UTC, naive);
    return the names in it. Its files are dated in the event's time zone."""
    local = now.replace(tzinfo=UTC).astimezone(ZoneInfo(event.timezone))
    contents = []
    with ZipFile(target, "w", ZIP_DEFLATED) as archive:
        for part in PARTS:
            names = []
            for name, data in part.files(event, now):
                _add(archive, name, data, local)
                names.append(name)
            contents.append((part, names))
        _add(archive, README, readme(event, contents, now), local)
        return [info.filename for info in archive.infolist()]


def pack_filename(event: Event) -> str:
    return f"dossier-qualiopi-{event.slug}.zip"
