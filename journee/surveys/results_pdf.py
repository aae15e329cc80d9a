"""The results as a PDF, for the organiser and the Qualiopi auditor: the response and
satisfaction rates and how they are computed, then per question its counts, a bar chart
and the comments, then the workshops that reached :data:`services.WORKSHOP_THRESHOLD`
answers."""

from __future__ import annotations

from io import BytesIO

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..documents.pdf import (
    ACCENT,
    FONT,
    MUTED,
    numbered_canvas,
    para_text,
    plain_text,
    styles,
    text_width,
    typo_text,
)
from ..formatting import NBSP, format_dates, plural
from ..programme.models import Event
from . import services
from .models import WAVE_LABELS, Survey, Wave

PDF = "application/pdf"
WIDTH = A4[0] - 40 * mm
LABEL_WIDTH = 62 * mm
BAR_HEIGHT = 5 * mm
COLON = NBSP + ":"


def percent(rate: float) -> str:
    return f"{round(rate * 100)}{NBSP}%"


def wave_title(wave: Wave | None) -> str:
    if wave is None:
        return "toutes les réponses"
    return f"questionnaire «{NBSP}{WAVE_LABELS[wave]}{NBSP}»"


def response_rate_lines(invitations: dict[Wave, tuple[int, int]],
                        waves: list[Wave]) -> list[str]:
    """« À chaud : 12 réponses sur 20 invitations envoyées (60 %). »"""
    lines = []
    for wave in waves:
        sent, answered = invitations.get(wave, (0, 0))
        label = WAVE_LABELS[wave].capitalize()
        if sent:
            lines.append(f"{label}{COLON} {plural(answered, 'réponse')} sur "
                         f"{plural(sent, 'invitation envoyée', 'invitations envoyées')} "
                         f"({percent(answered / sent)}).")
        else:
            lines.append(f"{label}{COLON} aucune invitation envoyée.")
    return lines


def satisfaction_line(outcome: services.Results) -> str:
    overall = next((item for item in outcome.questions
                    if item.question.role == "overall"), None)
    if outcome.rate is None or overall is None:
        return ("Taux de satisfaction" + COLON + " non calculé (aucune réponse à la "
                "question sur la satisfaction d’ensemble).")
    return (f"Taux de satisfaction{COLON} {percent(outcome.rate)}, soit la part des "
            f"réponses 4 ou 5 sur une échelle de 1 à 5 parmi les "
            f"{plural(overall.answered, 'réponse')} à la question «{NBSP}"
            f"{overall.question.text}{NBSP}».")


def _fit(text: str, width: float, size: float) -> str:
    if text_width(text, FONT, size) <= width:
        return text
    while text and text_width(text + "…", FONT, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def bar_chart(counts: list[tuple[str, int]]) -> Drawing:
    """One horizontal bar per option, its count at its end."""
    size = 8
    height = len(counts) * (BAR_HEIGHT + 2 * mm)
    drawing = Drawing(WIDTH, height)
    most = max((count for _, count in counts), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 15 * mm
    for index, (label, count) in enumerate(counts):
        y = height - (index + 1) * (BAR_HEIGHT + 2 * mm) + 1 * mm
        drawing.add(String(0, y + 1.5 * mm, _fit(plain_text(label), LABEL_WIDTH - 2 * mm,
                                                  size), fontName=FONT, fontSize=size))
        length = room * count / most
        if count:
            drawing.add(Rect(LABEL_WIDTH, y, length, BAR_HEIGHT, fillColor=ACCENT,
                             strokeColor=None))
        drawing.add(String(LABEL_WIDTH + length + 2 * mm, y + 1.5 * mm, str(count),
                           fontName=FONT, fontSize=size, fillColor=MUTED))
    return drawing


def counts_table(counts: list[tuple[str, int]]) -> Table:
    style = styles()
    rows = [[Paragraph("<b>Réponse</b>", style["body"]), Paragraph("<b>Nombre</b>", style["body"])]]
    rows += [[Paragraph(para_text(label), style["body"]), Paragraph(str(count), style["body"])]
             for label, count in counts]
    table = Table(rows, colWidths=[WIDTH - 30 * mm, 25 * mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, MUTED),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _question(item: services.QuestionResult, level: str, chart: bool) -> list[Flowable]:
    style = styles()
    story: list[Flowable] = [Paragraph(typo_text(item.question.text), style[level])]
    summary = plural(item.answered, "réponse")
    if item.mean is not None:
        summary += f", moyenne {item.mean:.1f} sur 5".replace(".", ",")
    story.append(Paragraph(para_text(summary + "."), style["body"]))
    if item.counts:
        if chart:
            story.append(bar_chart(item.counts))
        story.append(counts_table(item.counts))
    elif item.texts:
        story += [Paragraph("• " + para_text(text).replace("\n", "<br/>"), style["item"])
                  for text in item.texts]
    elif item.question.kind == "text":
        story.append(Paragraph("Aucun commentaire.", style["body"]))
    return story


def build_results_pdf(event: Event, outcome: services.Results,
                      invitations: dict[Wave, tuple[int, int]],
                      workshops: list[services.WorkshopResults],
                      wave: Wave | None = None) -> bytes:
    style = styles()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
        bottomMargin=20 * mm, title=f"Questionnaire de satisfaction – {event.title}",
        author=event.host_organisation, subject="Résultats du questionnaire",
        creator="Journée", lang="fr-FR", initialFontName=FONT)
    story: list[Flowable] = [
        Paragraph("Résultats du questionnaire de satisfaction", style["title"]),
        Paragraph(typo_text(event.title), style["subtitle"]),
        Paragraph(para_text(f"{format_dates(event.starts_on, event.ends_on)} – {wave_title(wave)}"),
                  style["subtitle"]),
        Spacer(0, 3 * mm),
        Paragraph(f"<b>{para_text(plural(outcome.responses, 'réponse'))}</b>.",
                  style["body"]),
    ]
    story += [Paragraph(para_text(line), style["body"]) for line in response_rate_lines(
        invitations, [wave] if wave else [Wave.HOT, Wave.COLD])]
    story.append(Paragraph(typo_text(satisfaction_line(outcome)), style["body"]))
    story.append(Paragraph(
        "Les réponses sont anonymes&nbsp;: elles ne gardent ni le nom, ni le lien, ni "
        "l’heure de la réponse.", style["small"]))
    for item in outcome.questions:
        story += _question(item, "heading", chart=True)

    story.append(Paragraph("Par atelier", style["heading"]))
    story.append(Paragraph(para_text(
        f"Les résultats d’un atelier ne sont donnés qu’à partir de "
        f"{services.WORKSHOP_THRESHOLD}{NBSP}réponses, pour que personne ne puisse être "
        f"reconnu."), style["body"]))
    for group in workshops:
        workshop = group.workshop
        story.append(Paragraph(typo_text(
            f"Atelier n°{NBSP}{workshop.number} : {workshop.title}"), style["subheading"]))
        if group.results is None:
            story.append(Paragraph(para_text(
                f"Moins de {services.WORKSHOP_THRESHOLD}{NBSP}réponses{COLON} résultats non "
                f"donnés." if group.responses else "Aucune réponse."), style["body"]))
            continue
        story.append(Paragraph(para_text(plural(group.responses, "réponse") + "."),
                               style["body"]))
        for item in group.results.questions:
            story += _question(item, "body", chart=False)
    doc.build(story, canvasmaker=numbered_canvas(event.title))
    return buffer.getvalue()


def results_document(event: Event, survey: Survey, wave: Wave | None = None) -> bytes:
    """The results PDF of both waves together, or of one."""
    return build_results_pdf(event, services.results(survey, wave=wave),
                             services.invitation_counts(survey),
                             services.results_by_workshop(survey, event, wave), wave)
