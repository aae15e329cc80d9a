"""The printable programme of a day: the same content, in the same order, as its page."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Spacer

from ..documents.pdf import FONT, markdown_paragraphs, numbered_canvas, para_text, styles, typo_text
from ..formatting import NBSP, format_date, format_time_range
from ..util.clock import today_in
from .models import Event, Participation, Session, Workshop
from .schedule import (
    RoleGroup,
    registration_status,
    role_groups,
    sessions_by_day,
    workshop_role_groups,
)

COLON = NBSP + ":"


def build_programme_pdf(event: Event, today: date | None = None,
                        logo: bytes | None = None) -> bytes:
    """An A4 programme; ``today`` (default: today in the event's timezone) decides the
    registration line; ``logo`` (a PNG), the institute's, heads the first page."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
        bottomMargin=20 * mm, title=event.title, author=event.host_organisation,
        subject="Programme", creator="Journée", lang="fr-FR", initialFontName=FONT)
    story = programme_story(event, today)
    if logo:
        story.insert(0, _logo(logo))
    doc.build(story, canvasmaker=numbered_canvas(event.title))
    return buffer.getvalue()


def programme_story(event: Event, today: date | None = None) -> list[Flowable]:
    """The flowables of the programme, in reading order."""
    style = styles()
    today = today or today_in(event.timezone)
    story: list[Flowable] = []
    if event.edition:
        story.append(Paragraph(para_text(event.edition), style["edition"]))
    story.append(Paragraph(typo_text(event.title), style["title"]))
    story.append(Paragraph(para_text(_dates(event)), style["subtitle"]))
    if event.full_address:
        story.append(Paragraph(para_text(event.full_address), style["subtitle"]))
    story.append(Spacer(0, 2 * mm))
    story.append(Paragraph(
        f"<b>{para_text(registration_status(event, today).message)}</b>", style["subtitle"]))

    for heading, text in (("Contexte", event.context),
                          ("Présentation de la journée", event.presentation)):
        paragraphs = markdown_paragraphs(text)
        if paragraphs:
            story.append(Paragraph(heading, style["heading"]))
            story.extend(Paragraph(p, style["body"]) for p in paragraphs)

    story.append(Paragraph("Programme de la journée", style["heading"]))
    days = sessions_by_day(event)
    for day, sessions in days:
        if len(days) > 1:
            story.append(Paragraph(para_text(_capitalised(format_date(day))),
                                   style["subheading"]))
        for session in sessions:
            story.extend(_session(session))

    story.extend(_practical(event))
    return story


def _logo(data: bytes) -> Flowable:
    width, height = ImageReader(BytesIO(data)).getSize()
    shown_height = 18 * mm
    shown_width = min(shown_height * width / height, 70 * mm)
    logo = Image(BytesIO(data), shown_width, shown_width * height / width, mask="auto")
    logo.hAlign = "LEFT"
    return logo


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _dates(event: Event) -> str:
    if event.ends_on == event.starts_on:
        return _capitalised(format_date(event.starts_on))
    return f"Du {format_date(event.starts_on)} au {format_date(event.ends_on)}"


def _person(participation: Participation) -> str:
    """« <b>Vincent MEYER</b>, Sociologue, Université Côte d'Azur »."""
    name = f"<b>{para_text(participation.person.full_name)}</b>"
    affiliation = participation.affiliation
    return f"{name}, {para_text(affiliation)}" if affiliation else name


def _groups(groups: list[RoleGroup], item: str, subitem: str) -> list[Flowable]:
    style = styles()
    flowables: list[Flowable] = []
    for group in groups:
        label = para_text(group.label) + COLON
        if len(group.people) == 1:
            flowables.append(Paragraph(f"{label} {_person(group.people[0])}", style[item]))
        else:
            flowables.append(Paragraph(label, style[item]))
            flowables.extend(Paragraph(_person(p), style[subitem]) for p in group.people)
    return flowables


def _session(session: Session) -> list[Flowable]:
    style = styles()
    slot = f"{format_time_range(session.starts_at, session.ends_at)}{NBSP}{NBSP}·{NBSP}{NBSP}"
    line = f"{slot}{para_text(session.kind_label)}"
    if session.room:
        line += f" <font size=9 color='#555555'>({para_text(session.room.name)})</font>"
    flowables: list[Flowable] = [Paragraph(line, style["subheading"])]
    if session.title and session.title.casefold() not in session.kind_label.casefold():
        flowables.append(Paragraph(f"<b>{typo_text(session.title)}</b>",
                                   style["itemtitle"]))
    flowables.extend(Paragraph(p, style["item"])
                     for p in markdown_paragraphs(session.description))
    flowables.extend(_groups(role_groups(session), "item", "subitem"))
    for contribution in session.contributions:
        flowables.append(Paragraph(f"<i>{typo_text(contribution.title)}</i>",
                                   style["itemtitle"]))
        flowables.extend(Paragraph(_person(p), style["subitem"])
                         for p in contribution.presenters)
    for workshop in session.workshops:
        flowables.extend(_workshop(workshop))
    return flowables


def _workshop(workshop: Workshop) -> list[Flowable]:
    style = styles()
    flowables: list[Flowable] = [
        Paragraph(f"<b>{typo_text(workshop.label)}</b>", style["itemtitle"])]
    details = []
    if workshop.sector:
        details.append(f"Secteur{COLON} {para_text(workshop.sector)}")
    if workshop.room:
        details.append(f"Salle{COLON} {para_text(workshop.room.name)}"
                       if not workshop.room.name.casefold().startswith("salle")
                       else para_text(workshop.room.name))
    if details:
        flowables.append(Paragraph(" · ".join(details), style["subitem"]))
    flowables.extend(Paragraph(p, style["subitem"])
                     for p in markdown_paragraphs(workshop.description))
    for group in workshop_role_groups(workshop):
        people = ", ".join(_person_short(p) for p in group.people)
        flowables.append(Paragraph(f"{para_text(group.label)}{COLON} {people}",
                                   style["subitem"]))
    return flowables


def _person_short(participation: Participation) -> str:
    """« <b>Laëtitia LANGIN</b> (IDEFHI ITEP Canteleu) », for lists on one line."""
    name = f"<b>{para_text(participation.person.full_name)}</b>"
    affiliation = participation.affiliation
    return f"{name} ({para_text(affiliation)})" if affiliation else name


def _practical(event: Event) -> list[Flowable]:
    style = styles()
    flowables: list[Flowable] = [Paragraph("Informations pratiques", style["heading"])]
    if event.full_address:
        flowables.append(Paragraph(f"<b>Lieu{COLON}</b> {para_text(event.full_address)}",
                                   style["body"]))
    flowables.extend(Paragraph(p, style["body"])
                     for p in markdown_paragraphs(event.venue_access))
    for label, value in (("Organisation", event.host_organisation),
                         ("Partenaires", event.partners),
                         ("Public", event.audiences),
                         ("Contact", event.contact_email)):
        if value:
            flowables.append(Paragraph(f"<b>{label}{COLON}</b> {para_text(value)}",
                                       style["body"]))
    return flowables + _accessibility(event)


def _accessibility(event: Event) -> list[Flowable]:
    """The venue's accessibility conditions and the disability referent, when told."""
    style = styles()
    conditions = event.accessibility_labels
    if not (conditions or event.accessibility_notes or event.has_referent):
        return []
    flowables: list[Flowable] = [Paragraph("Accessibilité", style["heading"])]
    flowables += [Paragraph(f"• {para_text(label)}", style["body"]) for label in conditions]
    if event.accessibility_notes:
        flowables.append(Paragraph(para_text(event.accessibility_notes), style["body"]))
    if event.has_referent:
        contact = ", ".join(para_text(part) for part in (
            event.referent_name, "référent·e handicap", event.referent_email,
            event.referent_phone_display) if part)
        flowables.append(Paragraph(f"<b>Votre contact{COLON}</b> {contact}", style["body"]))
    return flowables
