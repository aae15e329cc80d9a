"""Attendance certificates (« attestations de présence »): one A4 page per attendee.

The page is drawn on the canvas: the certifying sentence is broken into lines here, with
the attendee's name and the day's title in bold, so a thousand certificates cost little
more than drawing their strings. The signature image, when there is one, is embedded once
and drawn on every page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader

from ..formatting import NBSP, format_date, format_time
from .pdf import (
    ACCENT,
    BETWEEN_IDEOGRAPHS,
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    MUTED,
    JourneeCanvas,
    plain_text,
    register_fonts,
    text_width,
    wrap_lines,
)

TITLE = "Attestation de présence"
BODY_SIZE = 12
LEADING = 19
MARGIN = 25 * mm
SIGNATURE_MAX = (60 * mm, 28 * mm)
BLANK_SIGNATORY = "…" * 20


@dataclass(frozen=True)
class CertificateDay:
    """A day of the event and the hours it ran (``None`` when the programme is empty)."""

    day: date
    starts_at: time | datetime | None = None
    ends_at: time | datetime | None = None


@dataclass(frozen=True)
class CertificateEvent:
    """What every certificate of an event shares."""

    institute: str
    title: str
    days: Sequence[CertificateDay]
    city: str
    issued_on: date
    signatory: str = ""
    signature: bytes | None = None
    edition: str = ""


@dataclass(frozen=True)
class CertificateAttendee:
    first_name: str
    last_name: str
    organisation: str = ""

    @property
    def name(self) -> str:
        return f"{plain_text(self.first_name)} {plain_text(self.last_name)}".strip()


@dataclass(frozen=True)
class Run:
    """A piece of text in one font, as the certifying sentence is made of."""

    text: str
    font: str = FONT
    keep: bool = False
    """Kept on one line when it fits on one (a person's name)."""


def certifying_sentence(event: CertificateEvent, attendee: CertificateAttendee) -> list[Run]:
    """« Je soussigné·e …, certifie que Prénom Nom (Structure) a participé à la journée
    d’étude « … », organisée par …, le jeudi 15 mars 2018 à …, de 8 h 30 à 17 h. »"""
    signatory = plain_text(event.signatory) or BLANK_SIGNATORY
    institute = plain_text(event.institute)
    runs = [Run(f"Je soussigné·e {signatory}, certifie que "),
            Run(attendee.name, FONT_BOLD, keep=True)]
    organisation = plain_text(attendee.organisation)
    if organisation:
        runs.append(Run(f" ({organisation})"))
    runs.append(Run(" a participé à la journée d’étude "))
    runs.append(Run(f"«{NBSP}{plain_text(event.title)}{NBSP}»", FONT_BOLD))
    if institute:
        runs.append(Run(f", organisée par {institute}"))
    runs.append(Run(_when_and_where(event) + "."))
    return runs


def _when_and_where(event: CertificateEvent) -> str:
    city = plain_text(event.city)
    where = f" à {city}" if city else ""
    days = list(event.days)
    if len(days) == 1:
        day = days[0]
        hours = f", {_hours(day)}" if day.starts_at else ""
        return f", le {format_date(day.day)}{where}{hours}"
    parts = [f"le {format_date(day.day)}" + (f" {_hours(day)}" if day.starts_at else "")
             for day in days]
    listed = ", ".join(parts[:-1]) + " et " + parts[-1]
    return f",{where}, {listed}" if where else f", {listed}"


def _hours(day: CertificateDay) -> str:
    """« de 8 h 30 à 17 h »."""
    if day.ends_at is None:
        return f"à partir de{NBSP}{format_time(day.starts_at)}"
    return f"de{NBSP}{format_time(day.starts_at)} à{NBSP}{format_time(day.ends_at)}"


def build_certificates(event: CertificateEvent,
                       attendees: Sequence[CertificateAttendee]) -> bytes:
    """One page per attendee, in the order given, as PDF bytes."""
    return one_page_each(
        TITLE, plain_text(event.title), plain_text(event.institute), attendees,
        lambda canvas: _CertificatePage(canvas, event).draw, "Aucune personne présente.")


def one_page_each(kind: str, title: str, author: str, attendees: Sequence,
                  page_drawer: Callable[[JourneeCanvas], Callable], nobody: str) -> bytes:
    """A certificate of ``kind`` per attendee, drawn by ``page_drawer(canvas)(attendee)``,
    as PDF bytes; a page saying ``nobody`` when there is no attendee."""
    register_fonts()
    buffer = BytesIO()
    canvas = JourneeCanvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{kind} — {title}")
    canvas.setAuthor(author)
    canvas.setSubject(kind)
    canvas.setCreator("Journée")
    draw = page_drawer(canvas)
    for attendee in attendees:
        draw(attendee)
        canvas.showPage()
    if not attendees:
        canvas.setFont(FONT, BODY_SIZE)
        canvas.drawString(MARGIN, A4[1] / 2, nobody)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


class _CertificatePage:
    """Draws one certificate; what is the same on every page is worked out once."""

    def __init__(self, canvas: JourneeCanvas, event: CertificateEvent):
        self.c = canvas
        self.event = event
        self.width, self.height = A4
        self.text_width = self.width - 2 * MARGIN
        self.institute = wrap_lines(plain_text(event.institute), FONT_BOLD, 13,
                                    self.text_width)
        self.signatory = wrap_lines(plain_text(event.signatory), FONT, 10.5, 75 * mm)
        self.signature = ImageReader(BytesIO(event.signature)) if event.signature else None
        self.signature_size = fitted_signature(self.signature) if self.signature else (0, 0)
        city = plain_text(event.city)
        issued = format_date(event.issued_on, weekday=False)
        done_at = f"Fait à {city}, le {issued}" if city else f"Fait le {issued}"
        # The signature block starts right of the middle, further left when « Fait à … »
        # would cross the right margin (a long city name).
        right = self.width - MARGIN
        self.block_x = max(MARGIN, min(self.width / 2 + 5 * mm,
                                       right - text_width(done_at, FONT, BODY_SIZE)))
        self.done_at = wrap_lines(done_at, FONT, BODY_SIZE, right - self.block_x)
        closing = ("Cette attestation est délivrée à l’intéressé·e pour servir et valoir ce "
                   "que de droit.")
        self.closing = wrap_lines(closing, FONT, BODY_SIZE, self.text_width)
        footer = plain_text(event.title)
        if event.edition:
            footer = f"{plain_text(event.edition)} — {footer}"
        self.footer = wrap_lines(footer, FONT_ITALIC, 8, self.text_width)[:2]

    def draw(self, attendee: CertificateAttendee) -> None:
        c = self.c
        y = self.height - 25 * mm
        c.setFillColor(ACCENT)
        c.setFont(FONT_BOLD, 13)
        for line in self.institute:
            c.drawString(MARGIN, y, line)
            y -= 16
        c.setFillColor(colors.black)
        c.setFont(FONT_BOLD, 22)
        c.drawCentredString(self.width / 2, self.height - 80 * mm, TITLE)
        c.setLineWidth(0.8)
        c.setStrokeColor(ACCENT)
        c.line(self.width / 2 - 40 * mm, self.height - 85 * mm,
               self.width / 2 + 40 * mm, self.height - 85 * mm)
        y = draw_runs(c, self._lines(certifying_sentence(self.event, attendee)), MARGIN,
                      self.height - 105 * mm, LEADING)
        y -= LEADING / 2
        c.setFont(FONT, BODY_SIZE)
        for line in self.closing:
            c.drawString(MARGIN, y, line)
            y -= LEADING
        self._signature_block(y - 12 * mm)
        c.setFont(FONT_ITALIC, 8)
        c.setFillColor(MUTED)
        for index, line in enumerate(self.footer):
            c.drawCentredString(self.width / 2, 15 * mm - index * 10, line)
        c.setFillColor(colors.black)

    def _signature_block(self, y: float) -> None:
        c = self.c
        x = self.block_x
        c.setFont(FONT, BODY_SIZE)
        for line in self.done_at:
            c.drawString(x, y, line)
            y -= LEADING
        y -= LEADING / 2
        c.setFont(FONT, 10.5)
        for line in self.signatory:
            c.drawString(x, y, line)
            y -= 13
        if self.signature is not None:
            width, height = self.signature_size
            c.drawImage(self.signature, x, y - height - 2 * mm, width, height,
                        mask="auto")

    def _lines(self, runs: list[Run]) -> list[list[Run]]:
        return break_runs(runs, self.text_width)


def break_runs(runs: list[Run], width: float, size: float = BODY_SIZE) -> list[list[Run]]:
    """The runs broken into lines that fit ``width``, at ordinary spaces and between
    Chinese or Japanese characters (no-break spaces keep « guillemets » and « 9 h 15 »
    together)."""
    lines: list[list[Run]] = [[]]
    used = 0.0
    for word, font, gap in _words(runs, size):
        word_width = _width(word, font, size)
        space = _width(" ", font, size) if gap and lines[-1] else 0.0
        if gap is not None and lines[-1] and used + space + word_width > width:
            lines.append([])
            used, space = 0.0, 0.0
        piece = " " + word if space else word
        line = lines[-1]
        if line and line[-1].font == font:
            line[-1] = Run(line[-1].text + piece, font)
        else:
            line.append(Run(piece, font))
        used += space + word_width
    return lines


def draw_runs(canvas, lines: list[list[Run]], x: float, y: float, leading: float,
              size: float = BODY_SIZE) -> float:
    """Draw the lines from :func:`break_runs` from ``(x, y)`` down; return the next
    line's ``y``."""
    for line in lines:
        left = x
        for index, run in enumerate(line):
            canvas.setFont(run.font, size)
            canvas.drawString(left, y, run.text)
            if index + 1 < len(line):
                left += text_width(run.text, run.font, size)
        y -= leading
    return y


#: Widths of the words of the sentence: most come back on every certificate.
_width = lru_cache(maxsize=8192)(text_width)


def _words(runs: list[Run], size: float = BODY_SIZE):
    """``(word, font, gap)`` for each word of the runs, in order. *gap* is ``" "`` after a
    space, ``""`` between two Chinese or Japanese characters (a line may break there
    too), ``None`` where a line cannot break (« . » after a bold title)."""
    gap = None
    for run in runs:
        text = run.text
        kept = run.keep and text_width(text, run.font, size) <= A4[0] - 2 * MARGIN
        if kept:
            text = text.replace(" ", NBSP)
        for index, word in enumerate(text.split(" ")):
            if index > 0:
                gap = " "
            pieces = [word] if kept or word.isascii() else BETWEEN_IDEOGRAPHS.split(word)
            for piece in filter(None, pieces):
                yield piece, run.font, gap
                gap = ""
            if word:
                gap = None


def fitted_signature(image: ImageReader) -> tuple[float, float]:
    """The signature's size on the page: as large as allowed, proportions kept."""
    pixels_wide, pixels_high = image.getSize()
    scale = min(SIGNATURE_MAX[0] / pixels_wide, SIGNATURE_MAX[1] / pixels_high)
    return pixels_wide * scale, pixels_high * scale
