"""The blank paper registration form: the online form's questions, to fill in by hand.

The questions, their options and the workshop slots come from the online form built for
the event (:func:`journee.registration.forms.build_form`), so both always ask the same.
"""

from __future__ import annotations

from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..documents.pdf import FONT, MUTED, numbered_canvas, para_text, styles, typo_text
from ..formatting import NBSP, format_date, format_dates
from ..programme.models import Event
from .forms import build_form
from .privacy import purge_date

BOX = "\u2610"  # ☐, drawn by DejaVu Sans.
WIDTH = 170 * mm
COLON = NBSP + ":"
LINE = colors.HexColor("#777777")


def build_blank_registration_form(event: Event) -> bytes:
    """An A4 form for people who register on paper; needs an application context."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=16 * mm,
        bottomMargin=18 * mm, title=f"Formulaire d’inscription – {event.title}",
        author=event.host_organisation, subject="Formulaire d’inscription",
        creator="Journée", lang="fr-FR", initialFontName=FONT)
    doc.build(_story(event), canvasmaker=numbered_canvas(
        f"Formulaire d’inscription – {event.title}"))
    return buffer.getvalue()


def _story(event: Event) -> list[Flowable]:
    style = styles()
    form = build_form(event, formdata=None, meta={"csrf": False})
    story: list[Flowable] = []
    if event.edition:
        story.append(Paragraph(para_text(event.edition), style["edition"]))
    story.append(Paragraph("Formulaire d’inscription", style["subtitle"]))
    story.append(Paragraph(typo_text(event.title), style["title"]))
    story.append(Paragraph(para_text(_dates(event)), style["subtitle"]))
    if event.full_address:
        story.append(Paragraph(para_text(event.full_address), style["subtitle"]))
    story.append(Spacer(0, 2 * mm))
    story.append(Paragraph(_return_to(event), style["body"]))
    story.append(Paragraph("Écrivez lisiblement, en lettres capitales. Les questions "
                           "marquées d’un astérisque (*) sont obligatoires.", style["small"]))

    story.append(Paragraph("Vos coordonnées", style["heading"]))
    story.append(_lines([
        (form.first_name, True), (form.last_name, True), (form.email, True),
        (form.phone, False), (form.organisation, True), (form.function, False)]))

    story.append(Paragraph("Votre profil", style["heading"]))
    story.append(_question(f"{form.profile.label.text} (une case)*"))
    story.append(_boxes([label for _value, label in _choices(form.profile)], columns=3))
    story.append(_question("Si vous êtes étudiant·e, formation suivie*"))
    story.append(_boxes([label for value, label in _choices(form.course) if value],
                        columns=5))
    story.append(_question("et année de formation*"))
    story.append(_boxes([label for value, label in _choices(form.course_year) if value],
                        columns=6))
    story.append(_question(form.sector.label.text))
    story.append(_boxes([label for value, label in _choices(form.sector)
                         if value and value != "Autre"] + ["Autre" + COLON], columns=3))

    practical = []
    if "lunch" in form:
        practical += [_question(form.lunch.label.text + "*"), _boxes(["Oui", "Non"], 6)]
    if "accommodation_needed" in form:
        practical += [_question(form.accommodation_needed.label.text),
                      _boxes(["Oui", "Non"], 6),
                      _lines([(form.accommodation_details, False)]),
                      _question("Si vous avez répondu «\u00a0Oui\u00a0», votre accord "
                                "(sans lui, nous n’enregistrons pas ce besoin)"),
                      _boxes([form.accommodation_consent.label.text], 1), _blank_lines(1)]
    if practical:
        story.append(KeepTogether([Paragraph("Votre venue", style["heading"]), *practical]))

    for slot in form.slots:
        story.extend(_slot(event, form, slot))

    story.extend(_privacy(event, form))
    return story


def _choices(field) -> list[tuple[str, str]]:
    return [(choice.value if hasattr(choice, "value") else choice[0],
             choice.label if hasattr(choice, "label") else choice[1])
            for choice in field.choices]


def _dates(event: Event) -> str:
    text = format_dates(event.starts_on, event.ends_on)
    return text[:1].upper() + text[1:]


def _return_to(event: Event) -> str:
    who = para_text(event.host_organisation) or "l’équipe organisatrice"
    text = f"<b>Formulaire à retourner à {who}</b>"
    if event.contact_email:
        text += f" (contact{COLON} {para_text(event.contact_email)})"
    if event.registration_deadline:
        text += f", avant le {para_text(format_date(event.registration_deadline, False))}"
    return text + "."


def _question(text: str) -> Paragraph:
    style = styles()
    return Paragraph(f"<b>{typo_text(text)}</b>",
                     ParagraphStyle("question", style["body"], spaceBefore=4, spaceAfter=2,
                                    keepWithNext=True))


def _lines(fields: list[tuple[object, bool]]) -> Table:
    """A label and a line to write on, per field."""
    style = styles()
    rows = [[Paragraph(typo_text(field.label.text.replace(" (facultatif)", ""))
                       + ("*" if required else ""), style["body"]), ""]
            for field, required in fields]
    table = Table(rows, colWidths=[65 * mm, WIDTH - 65 * mm], rowHeights=9 * mm)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LINEBELOW", (1, 0), (1, -1), 0.5, LINE),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def _blank_lines(count: int) -> Table:
    table = Table([[""] for _ in range(count)], colWidths=[WIDTH], rowHeights=9 * mm)
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE)]))
    return table


def _boxes(labels: list[str], columns: int) -> Table:
    """Tick boxes laid out in a grid, read row by row."""
    style = styles()
    cells = [Paragraph(f"{BOX}{NBSP}{para_text(label)}", style["body"]) for label in labels]
    rows = [cells[start:start + columns] for start in range(0, len(cells), columns)]
    rows[-1] += [""] * (columns - len(rows[-1]))
    table = Table(rows, colWidths=[WIDTH / columns] * columns, hAlign="LEFT")
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table


def _slot(event: Event, form, slot) -> list[Flowable]:
    style = styles()
    if form.first_come:
        how = ("Cochez l’atelier auquel vous participerez (dans la limite des places, "
               "par ordre d’arrivée des inscriptions).")
        mark = "Choix"
    else:
        ranks = len(slot.fields)
        how = (f"Numérotez dans les cases vos {ranks}\u00a0ateliers préférés, de 1 (votre "
               f"1er{NBSP}choix) à {ranks}." if ranks > 1 else
               "Inscrivez 1 dans la case de l’atelier que vous préférez.")
        mark = "Rang"
    rows = [[Paragraph(f"<b>{mark}</b>", style["small"]),
             Paragraph("<b>Atelier</b>", style["small"])]]
    for workshop in slot.session.workshops:
        text = f"<b>{typo_text(workshop.label)}</b>"
        if workshop.sector:
            text += f" <font size=8 color='#555555'>({para_text(workshop.sector)})</font>"
        rows.append(["", Paragraph(text, style["body"])])
    table = Table(rows, colWidths=[14 * mm, WIDTH - 14 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("BOX", (0, 1), (0, -1), 0.8, colors.black),
        ("INNERGRID", (0, 1), (0, -1), 0.8, colors.black),
        ("LINEBELOW", (1, 1), (1, -1), 0.25, MUTED),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 1), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 4),
    ]))
    return [CondPageBreak(60 * mm),
            Paragraph(f"Choix des ateliers{COLON} {typo_text(slot.legend)}", style["heading"]),
            Paragraph(typo_text(how), style["body"]), table]


def _privacy(event: Event, form) -> list[Flowable]:
    style = styles()
    purge = format_date(purge_date(event), weekday=False)
    flowables: list[Flowable] = [
        Paragraph("Vos données personnelles", style["heading"]),
        Paragraph(typo_text(
            "Vos réponses servent uniquement à organiser cette journée. L’équipe "
            "organisatrice les voit\u202f; les animateur·rices de votre atelier ne voient que vos "
            "nom, prénom, établissement, fonction et profil. Tout est supprimé le "
            f"{purge}, et ce que vous nous dites d’un besoin d’aménagement "
            f"{event.accommodation_retention_days}\u00a0jours après la journée. Vous pouvez consulter, corriger ou supprimer vos données à tout "
            "moment, en écrivant à "
            + (event.contact_email or "l’équipe organisatrice") + ". Vous pouvez aussi "
            "adresser une réclamation à la CNIL (www.cnil.fr)."), style["body"]),
    ]
    consents = [form.privacy.label.text + "*"]
    for name in ("consent_photos", "consent_future_events"):
        if name in form:
            consents.append(form[name].label.text)
    flowables.append(_boxes(consents, columns=1))
    signature = Table([["Date" + COLON, "", "Signature" + COLON, ""]],
                      colWidths=[15 * mm, 45 * mm, 25 * mm, WIDTH - 85 * mm],
                      rowHeights=14 * mm)
    signature.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 9.5),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LINEBELOW", (1, 0), (1, 0), 0.5, LINE), ("LINEBELOW", (3, 0), (3, 0), 0.5, LINE),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    flowables += [Spacer(0, 3 * mm), signature, Spacer(0, 4 * mm),
                  Paragraph(_return_to(event), style["small"])]
    return [KeepTogether(flowables)]
