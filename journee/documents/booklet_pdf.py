"""The synthesis booklet: cover, programme summary, one section per workshop, the day's
synthesis and the reading list. Printed for the 14 h restitution, published afterwards.

The builder takes plain dataclasses (no Flask, no database): the syntheses service loads
them in a few queries. Every user string goes through :func:`para_text` / :func:`typo_text`
or the Markdown walker of :mod:`markdown_pdf`, so nothing typed is read as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..formatting import NBSP, format_date, format_time_range
from .markdown_pdf import markdown_flowables
from .pdf import ACCENT, FONT, FONT_BOLD, numbered_canvas, para_text, styles, typo_text

COLON = NBSP + ":"
DRAFT_COLOUR = colors.HexColor("#8a5a00")


@dataclass(frozen=True)
class BookletSession:
    """One line of the programme summary."""

    starts_at: datetime
    ends_at: datetime | None
    kind: str
    title: str = ""

    @property
    def markup(self) -> str:
        """« <b>Conférence plénière</b> – Technologies… »; a title that says the kind
        (« Buffet », « Enjeux et risques : table ronde ») stands alone."""
        kind, title = self.kind.casefold(), self.title.casefold()
        if not title:
            return f"<b>{para_text(self.kind)}</b>"
        if title in kind or kind in title:
            return f"<b>{typo_text(self.title)}</b>"
        return f"<b>{para_text(self.kind)}</b> – {typo_text(self.title)}"


@dataclass(frozen=True)
class BookletPerson:
    name: str
    role: str = ""
    affiliation: str = ""


@dataclass(frozen=True)
class BookletWorkshop:
    """A workshop's section; ``parts`` are (heading, Markdown) pairs in reading order and
    ``status_note`` says why the text may still change (« Brouillon »…), or is empty."""

    number: int
    title: str
    sector: str = ""
    room: str = ""
    facilitators: list[BookletPerson] = field(default_factory=list)
    parts: list[tuple[str, str]] = field(default_factory=list)
    status_note: str = ""


@dataclass(frozen=True)
class BookletDaySynthesis:
    title: str
    authors: str = ""
    body: str = ""
    status_note: str = ""


@dataclass(frozen=True)
class Booklet:
    event_title: str
    starts_on: date
    ends_on: date
    edition: str = ""
    place: str = ""
    host_organisation: str = ""
    partners: str = ""
    sessions: list[BookletSession] = field(default_factory=list)
    workshops: list[BookletWorkshop] = field(default_factory=list)
    day_synthesis: BookletDaySynthesis | None = None
    reading_list: str = ""
    #: Set on the organiser's working copy, which prints unpublished parts.
    working_copy: bool = False


def build_booklet(data: Booklet) -> bytes:
    """The booklet as an A4 PDF with « page 2 / 9 » on every page."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
        bottomMargin=20 * mm, title=f"Synthèses – {data.event_title}",
        author=data.host_organisation, subject="Livret des synthèses", creator="Journée",
        lang="fr-FR", initialFontName=FONT)
    footer = data.event_title + (" – document de travail" if data.working_copy else "")
    doc.build(booklet_story(data), canvasmaker=numbered_canvas(footer))
    return buffer.getvalue()


def booklet_story(data: Booklet) -> list[Flowable]:
    story = _cover(data)
    story.extend(_programme(data.sessions))
    if data.workshops:
        story.append(PageBreak())
        story.append(Paragraph("Synthèses des ateliers", _styles()["part"]))
        for workshop in data.workshops:
            story.extend(_workshop(workshop))
    if data.day_synthesis is not None:
        story.append(PageBreak())
        story.extend(_day_synthesis(data.day_synthesis))
    if data.reading_list.strip():
        story.append(Paragraph("Pour aller plus loin", _styles()["part"]))
        story.extend(markdown_flowables(data.reading_list))
    return story


@cache
def _styles() -> dict[str, ParagraphStyle]:
    shared = styles()
    return {
        **shared,
        "cover-title": ParagraphStyle("cover-title", shared["title"], fontSize=22,
                                      leading=28, spaceAfter=14),
        "cover-kind": ParagraphStyle("cover-kind", shared["subtitle"], fontName=FONT_BOLD,
                                     fontSize=14, leading=18, textColor=ACCENT,
                                     spaceBefore=18, spaceAfter=10),
        "part": ParagraphStyle("part", shared["heading"], fontSize=16, leading=20,
                               spaceBefore=4, spaceAfter=8),
        "note": ParagraphStyle("note", shared["body"], fontName=FONT_BOLD,
                               textColor=DRAFT_COLOUR, spaceAfter=5),
        "cover-note": ParagraphStyle("cover-note", shared["body"], fontName=FONT_BOLD,
                                     textColor=DRAFT_COLOUR, alignment=TA_CENTER,
                                     spaceBefore=18),
    }


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def dates_text(starts_on: date, ends_on: date) -> str:
    """« Jeudi 15 mars 2018 », or « Du … au … » for a day over several dates."""
    if starts_on == ends_on:
        return _capitalised(format_date(starts_on))
    return f"Du {format_date(starts_on)} au {format_date(ends_on)}"


def _cover(data: Booklet) -> list[Flowable]:
    style = _styles()
    story: list[Flowable] = [Spacer(0, 35 * mm)]
    if data.edition:
        story.append(Paragraph(typo_text(data.edition), style["edition"]))
    story.append(Paragraph(typo_text(data.event_title), style["cover-title"]))
    story.append(Paragraph(para_text(dates_text(data.starts_on, data.ends_on)),
                           style["subtitle"]))
    if data.place:
        story.append(Paragraph(para_text(data.place), style["subtitle"]))
    story.append(Paragraph("Livret des synthèses", style["cover-kind"]))
    for label, value in (("Organisation", data.host_organisation),
                         ("Partenaires", data.partners)):
        if value:
            story.append(Paragraph(f"{label}{COLON} {typo_text(value)}", style["subtitle"]))
    if data.working_copy:
        story.append(Paragraph(
            f"Document de travail{COLON} les textes non encore publiés sont signalés.",
            style["cover-note"]))
    story.append(PageBreak())
    return story


def _programme(sessions: list[BookletSession]) -> list[Flowable]:
    if not sessions:
        return []
    style = _styles()
    several_days = len({s.starts_at.date() for s in sessions}) > 1
    rows = []
    for session in sessions:
        when = format_time_range(session.starts_at, session.ends_at)
        if several_days:
            when = f"{format_date(session.starts_at.date(), weekday=False)}, {when}"
        rows.append([Paragraph(para_text(when), style["body"]),
                     Paragraph(session.markup, style["body"])])
    table = Table(rows, colWidths=[38 * mm if not several_days else 55 * mm, None],
                  hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
    ]))
    return [Paragraph("Programme de la journée", style["part"]), table]


def _person(person: BookletPerson) -> str:
    """« <b>Laëtitia LANGIN</b> (Praticien·ne, IDEFHI ITEP Canteleu) »."""
    details = [part for part in (person.role, person.affiliation) if part]
    text = f"<b>{para_text(person.name)}</b>"
    return text + (f" ({para_text(', '.join(details))})" if details else "")


def _workshop(workshop: BookletWorkshop) -> list[Flowable]:
    style = _styles()
    heading = f"Atelier n°{NBSP}{workshop.number}{COLON} {typo_text(workshop.title)}"
    header: list[Flowable] = [Paragraph(heading, style["heading"])]
    details = []
    if workshop.sector:
        details.append(f"Secteur{COLON} {para_text(workshop.sector)}")
    if workshop.room:
        details.append(f"Salle{COLON} {para_text(workshop.room)}")
    if details:
        header.append(Paragraph(" · ".join(details), style["small"]))
    if workshop.facilitators:
        header.append(Paragraph(f"Animation{COLON}", style["body"]))
        header.extend(Paragraph(_person(p), style["item"]) for p in workshop.facilitators)
    if workshop.status_note:
        header.append(Paragraph(typo_text(workshop.status_note), style["note"]))
    flowables: list[Flowable] = [KeepTogether(header)]
    written = [(title, text) for title, text in workshop.parts if text and text.strip()]
    if not written:
        flowables.append(Paragraph("<i>Synthèse non encore rédigée.</i>", style["body"]))
    for title, text in written:
        flowables.append(Paragraph(para_text(title), style["subheading"]))
        flowables.extend(markdown_flowables(text))
    flowables.append(Spacer(0, 4 * mm))
    return flowables


def _day_synthesis(day: BookletDaySynthesis) -> list[Flowable]:
    style = _styles()
    flowables: list[Flowable] = [Paragraph(typo_text(day.title), style["part"])]
    if day.authors:
        flowables.append(Paragraph(f"<i>Par {typo_text(day.authors)}</i>", style["body"]))
    if day.status_note:
        flowables.append(Paragraph(typo_text(day.status_note), style["note"]))
    flowables.extend(markdown_flowables(day.body))
    return flowables
