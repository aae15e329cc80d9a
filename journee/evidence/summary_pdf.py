"""« Synthèse de l’action »: one page that sums up an event for the Qualiopi auditor."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..attendance.services.signin import event_dates
from ..documents.pdf import FONT, MUTED, numbered_canvas, para_text, styles, typo_text
from ..formatting import NBSP, format_date, format_local_datetime, format_number
from ..programme.models import Event
from ..surveys.models import Wave
from ..surveys.results_pdf import percent, response_rate_lines
from .summary import Summary

WIDTH = A4[0] - 40 * mm
COLON = NBSP + ":"


def duration(minutes: int) -> str:
    """« 7 h 30 », « 5 600 h », « 45 min »."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}{NBSP}min"
    return f"{format_number(hours)}{NBSP}h" + (f"{NBSP}{rest:02d}" if rest else "")


def _table(rows: list[list[str]], widths: list[float], header: bool = True) -> Table:
    style = styles()
    cells = [[Paragraph(("<b>%s</b>" if header and index == 0 else "%s") % para_text(value),
                        style["body"]) for value in row] for index, row in enumerate(rows)]
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, MUTED),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def build_summary_pdf(event: Event, figures: Summary) -> bytes:
    style = styles()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
        bottomMargin=20 * mm, title=f"Synthèse de l’action – {event.title}",
        author=figures.organiser, subject="Synthèse de l’action", creator="Journée",
        lang="fr-FR", initialFontName=FONT)
    several_days = len(event.days) > 1
    story: list[Flowable] = [
        Paragraph("Synthèse de l’action", style["title"]),
        Paragraph(typo_text(event.title), style["subtitle"]),
    ]
    if event.edition:
        story.append(Paragraph(para_text(event.edition), style["edition"]))
    story.append(Spacer(0, 3 * mm))
    facts = [("Dates", event_dates(event)), ("Lieu", event.full_address or "—"),
             ("Organisme", figures.organiser)]
    if event.contact_email:
        facts.append(("Contact", event.contact_email))
    story.append(_table([[label, value] for label, value in facts], [35 * mm, WIDTH - 35 * mm],
                        header=False))

    story.append(Paragraph("Inscriptions et présence", style["heading"]))
    average = figures.average_minutes
    story.append(_table([
        ["Indicateur", "Valeur"],
        ["Inscrit·es confirmé·es", format_number(figures.registered)],
        ["Personnes présentes (au moins une demi-journée)", format_number(figures.attendees)],
        ["Heures de formation délivrées", duration(figures.minutes_delivered)],
        ["Durée moyenne par personne présente",
         duration(average) if average is not None else "—"],
        ["Attestations de présence délivrées", format_number(figures.certificates)],
        ["Certificats de réalisation délivrés",
         format_number(figures.completion_certificates)],
    ], [WIDTH - 45 * mm, 45 * mm]))
    story.append(Paragraph(para_text(
        "Heures délivrées : somme, sur les personnes présentes, des durées des "
        "demi-journées auxquelles chacune a assisté (pause déjeuner exclue)."),
        style["small"]))

    story.append(Paragraph("Présence par demi-journée", style["subheading"]))
    rows = [["Demi-journée", "Horaires", "Durée", "Présent·es"]]
    for item in figures.half_days:
        half = item.half_day
        label = (f"{format_date(half.day)}, {half.label.lower()}" if several_days
                 else half.label)
        rows.append([label, half.hours or "—", duration(item.minutes),
                     format_number(item.present)])
    story.append(_table(rows, [WIDTH - 95 * mm, 40 * mm, 25 * mm, 30 * mm]))

    story.append(Paragraph("Questionnaires de satisfaction", style["heading"]))
    if figures.invitations or figures.responses:
        for line in response_rate_lines(figures.invitations, [Wave.HOT, Wave.COLD]):
            story.append(Paragraph(para_text("Taux de réponse, " + line[0].lower() + line[1:]),
                                   style["body"]))
        rate = (f"{percent(figures.satisfaction)} (part des réponses 4 ou 5 sur 5 à la "
                f"question sur la satisfaction d’ensemble, «{NBSP}à chaud{NBSP}» et "
                f"«{NBSP}à froid{NBSP}» ensemble)" if figures.satisfaction is not None else
                "non calculé (aucune réponse à la question sur la satisfaction d’ensemble)")
        story.append(Paragraph(para_text(f"Taux de satisfaction{COLON} {rate}."),
                               style["body"]))
    else:
        story.append(Paragraph("Aucun questionnaire envoyé pour cette journée.",
                               style["body"]))

    story.append(Spacer(0, 6 * mm))
    story.append(Paragraph(para_text(
        f"Document généré le {format_local_datetime(figures.generated_at, event.timezone)} "
        f"par Journée."), style["small"]))
    doc.build(story, canvasmaker=numbered_canvas(event.title))
    return buffer.getvalue()
