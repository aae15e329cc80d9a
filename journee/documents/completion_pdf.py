"""Completion certificates (« certificats de réalisation »): one A4 page per attendee, in
the ministry of Labour's model for actions concourant au développement des compétences
(2020), with the hours each person actually attended.

Drawn on the canvas like the attendance certificate (:mod:`.certificate_pdf`), whose
line breaking, signature image and fonts it shares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader

from ..formatting import NBSP, NNBSP, format_date
from .certificate_pdf import (
    BLANK_SIGNATORY,
    Run,
    break_runs,
    draw_runs,
    fitted_signature,
    one_page_each,
)
from .pdf import (
    ACCENT,
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    MUTED,
    JourneeCanvas,
    plain_text,
    wrap_lines,
)

TITLE = "Certificat de réalisation"
SIZE = 11
LEADING = 16
MARGIN = 22 * mm
#: Objectives longer than this are cut with « … »: the certificate keeps to one page.
OBJECTIVE_LINES = 8
ADDRESS_LINES = 4
CHECKED, UNCHECKED = "\u2612", "\u2610"
KEEPING = ("Sans préjudice des délais imposés par les règles fiscales, comptables ou "
           "commerciales, je m’engage à conserver l’ensemble des pièces justificatives qui "
           "ont permis d’établir le présent certificat pendant une durée de 3 ans à compter "
           "de la fin de l’année du dernier paiement. En cas de cofinancement des fonds "
           "européens, la durée de conservation est étendue conformément aux obligations "
           "conventionnelles spécifiques.")
NDA_NOTICE = "Cet enregistrement ne vaut pas agrément de l’État."
STAMP = "Cachet et signature du responsable du dispensateur de formation"


@dataclass(frozen=True)
class Provider:
    """The organisation that provides the action (« dispensateur de l’action »)."""

    name: str
    address: str = ""
    siret: str = ""
    """Printed as given (« 123 456 789 00012 »)."""
    nda: str = ""
    nda_region: str = ""
    representative: str = ""
    representative_role: str = ""


@dataclass(frozen=True)
class CompletionAction:
    """What every completion certificate of an event shares."""

    provider: Provider
    title: str
    objectives: str
    natures: Sequence[tuple[str, bool]]
    """Each nature of action the model lists (« action de formation »…) and whether it
    is this action's: the one ticked."""
    starts_on: date
    ends_on: date
    duration: str
    """The action's whole length, « 7 heures »."""
    city: str
    issued_on: date
    signature: bytes | None = None


@dataclass(frozen=True)
class CompletionAttendee:
    first_name: str
    last_name: str
    employer: str
    """Empty when the person is not an employee (a student, for instance)."""
    attended: str
    """The hours attended, « 6 h 30 »."""

    @property
    def name(self) -> str:
        return f"{plain_text(self.first_name)} {plain_text(self.last_name)}".strip()


def signatory_of(provider: Provider) -> str:
    """« Marie Durand, directrice générale », or a line to fill in by hand."""
    name = plain_text(provider.representative)
    role = plain_text(provider.representative_role)
    if not name:
        return BLANK_SIGNATORY
    return f"{name}, {role}" if role else name


def opening(action: CompletionAction) -> list[Run]:
    """« Je soussigné(e) …, représentant légal du dispensateur de l’action concourant au
    développement des compétences …, atteste que : »"""
    provider = plain_text(action.provider.name) or BLANK_SIGNATORY
    return [Run(f"Je soussigné(e) {signatory_of(action.provider)}, représentant légal du "
                "dispensateur de l’action concourant au développement des compétences "),
            Run(provider, FONT_BOLD), Run(f", atteste que{NNBSP}:")]


def attendee_sentence(attendee: CompletionAttendee, action: CompletionAction) -> list[Run]:
    """« Zoé Martin, salarié(e) de l’entreprise …, a suivi l’action « … » »"""
    runs = [Run(attendee.name, FONT_BOLD, keep=True)]
    employer = plain_text(attendee.employer)
    if employer:
        runs.append(Run(f", salarié(e) de l’entreprise {employer},"))
    runs += [Run(" a suivi l’action "),
             Run(f"«{NBSP}{plain_text(action.title)}{NBSP}»", FONT_BOLD)]
    return runs


def when(action: CompletionAction) -> str:
    """« qui s’est déroulée du jeudi 15 mars 2018 au vendredi 16 mars 2018 pour une durée
    de 10 h 30. », or « … le jeudi 15 mars 2018 … » for a single day."""
    if action.starts_on == action.ends_on:
        dates = f"le {format_date(action.starts_on)}"
    else:
        dates = f"du {format_date(action.starts_on)} au {format_date(action.ends_on)}"
    return f"qui s’est déroulée {dates} pour une durée de {action.duration}."


def build_completion_certificates(action: CompletionAction,
                                  attendees: Sequence[CompletionAttendee]) -> bytes:
    """One page per attendee, in the order given, as PDF bytes."""
    return one_page_each(
        TITLE, plain_text(action.title), plain_text(action.provider.name), attendees,
        lambda canvas: _CompletionPage(canvas, action).draw,
        "Aucune personne n’a suivi l’action.")


class _CompletionPage:
    """Draws one certificate; what is the same on every page is worked out once."""

    def __init__(self, canvas: JourneeCanvas, action: CompletionAction):
        self.c = canvas
        self.action = action
        self.width, self.height = A4
        self.text_width = self.width - 2 * MARGIN
        provider = action.provider
        self.header = wrap_lines(plain_text(provider.name), FONT_BOLD, 13, self.text_width)
        self.address = [line for part in (provider.address or "").splitlines()
                        for line in wrap_lines(plain_text(part), FONT, 9, self.text_width)
                        ][:ADDRESS_LINES]
        self.opening = break_runs(opening(action), self.text_width, SIZE)
        # Each line typed stays a line (a list of objectives, one a line).
        lines = [line for typed in (action.objectives or "").splitlines()
                 for line in wrap_lines(plain_text(typed), FONT, SIZE, self.text_width)]
        if len(lines) > OBJECTIVE_LINES:
            lines = lines[:OBJECTIVE_LINES]
            lines[-1] = lines[-1].rstrip(" .,;") + "…"
        self.objectives = lines
        self.when = wrap_lines(when(action), FONT, SIZE, self.text_width)
        self.keeping = wrap_lines(KEEPING, FONT_ITALIC, 8.5, self.text_width)
        city = plain_text(action.city)
        issued = format_date(action.issued_on, weekday=False)
        self.done_at = f"Fait à {city}, le {issued}" if city else f"Fait le {issued}"
        block_width = self.width - MARGIN - self.width / 2
        self.stamp = wrap_lines(STAMP, FONT_ITALIC, 8.5, block_width)
        self.signatory = wrap_lines(signatory_of(provider), FONT, 10, block_width)
        self.signature = ImageReader(BytesIO(action.signature)) if action.signature else None
        self.signature_size = fitted_signature(self.signature) if self.signature else (0, 0)
        self.footer = [line for text in _footer(provider)
                       for line in wrap_lines(text, FONT, 7.5, self.text_width)]
        self.footer_bottom = 12 * mm
        self.footer_top = self.footer_bottom + 9 * len(self.footer)

    def draw(self, attendee: CompletionAttendee) -> None:
        c = self.c
        y = self.height - 20 * mm
        c.setFillColor(ACCENT)
        c.setFont(FONT_BOLD, 13)
        for line in self.header:
            c.drawString(MARGIN, y, line)
            y -= 15
        c.setFillColor(MUTED)
        c.setFont(FONT, 9)
        for line in self.address:
            c.drawString(MARGIN, y, line)
            y -= 11
        c.setFillColor(colors.black)
        y = min(y - 10 * mm, self.height - 50 * mm)
        c.setFont(FONT_BOLD, 20)
        c.drawCentredString(self.width / 2, y, TITLE)
        c.setLineWidth(0.8)
        c.setStrokeColor(ACCENT)
        c.line(self.width / 2 - 40 * mm, y - 4 * mm, self.width / 2 + 40 * mm, y - 4 * mm)
        y -= 16 * mm
        y = draw_runs(c, self.opening, MARGIN, y, LEADING, SIZE) - LEADING / 2
        sentence = break_runs(attendee_sentence(attendee, self.action), self.text_width, SIZE)
        y = draw_runs(c, sentence, MARGIN, y, LEADING, SIZE) - LEADING / 2
        if self.objectives:
            c.setFont(FONT_BOLD, SIZE)
            c.drawString(MARGIN, y, f"Objectifs de l’action{NNBSP}:")
            y -= LEADING
            c.setFont(FONT, SIZE)
            for line in self.objectives:
                c.drawString(MARGIN, y, line)
                y -= LEADING
            y -= LEADING / 2
        c.setFont(FONT_BOLD, SIZE)
        c.drawString(MARGIN, y, "Nature de l’action concourant au développement des "
                                f"compétences{NNBSP}:")
        y -= LEADING
        c.setFont(FONT, SIZE)
        for nature, ticked in self.action.natures:
            box = CHECKED if ticked else UNCHECKED
            c.drawString(MARGIN + 4 * mm, y, f"{box} {nature}")
            y -= LEADING
        y -= LEADING / 2
        for line in self.when:
            c.drawString(MARGIN, y, line)
            y -= LEADING
        y -= LEADING / 2
        c.setFont(FONT_BOLD, SIZE)
        one = attendee.attended in (f"1{NBSP}heure", f"1{NBSP}minute")
        c.drawString(MARGIN, y, f"Assiduité du stagiaire{NNBSP}: {attendee.attended} "
                                f"réalisée{'' if one else 's'}.")
        y -= LEADING * 1.5
        c.setFont(FONT_ITALIC, 8.5)
        for line in self.keeping:
            c.drawString(MARGIN, y, line)
            y -= 11
        self._signature_block(y - 6 * mm)
        c.setFont(FONT, 7.5)
        c.setFillColor(MUTED)
        bottom = self.footer_bottom + 9 * (len(self.footer) - 1)
        for index, line in enumerate(self.footer):
            c.drawCentredString(self.width / 2, bottom - index * 9, line)
        c.setFillColor(colors.black)

    def _signature_block(self, y: float) -> None:
        c = self.c
        x = self.width / 2
        c.setFont(FONT, SIZE)
        c.drawString(x, y, self.done_at)
        y -= LEADING
        c.setFont(FONT_ITALIC, 8.5)
        for line in self.stamp:
            c.drawString(x, y, line)
            y -= 11
        y -= 2
        c.setFont(FONT, 10)
        for line in self.signatory:
            c.drawString(x, y, line)
            y -= 12
        if self.signature is not None:
            # Smaller when long objectives leave less room above the footer.
            room = y - 1 * mm - (self.footer_top + 3 * mm)
            width, height = self.signature_size
            if 0 < room < height:
                width, height = width * room / height, room
            if room > 0:
                c.drawImage(self.signature, x, y - height - 1 * mm, width, height,
                            mask="auto")


def _footer(provider: Provider) -> list[str]:
    """The organisation's identity at the foot of the page, with the mention the law
    (art. L. 6352-12 du code du travail) attaches to the activity declaration number."""
    parts = [plain_text(provider.name)]
    if provider.siret:
        parts.append(f"SIRET{NBSP}{plain_text(provider.siret)}")
    lines = [" — ".join(part for part in parts if part)]
    if provider.nda:
        region = plain_text(provider.nda_region)
        declared = (f"Déclaration d’activité enregistrée sous le numéro "
                    f"{plain_text(provider.nda)}")
        if region:
            declared += f" auprès du préfet de la région {region}"
        lines.append(f"{declared}. {NDA_NOTICE}")
    return [line for line in lines if line]

