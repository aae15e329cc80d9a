"""The results as a workbook: counts per question, then the free comments."""

from __future__ import annotations

from ..documents.xlsx import NUMBER, Column, WorkbookBuilder
from ..programme.models import Event
from .services import Results

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def build_results_xlsx(event: Event, results: Results) -> bytes:
    builder = WorkbookBuilder()
    title = [f"Questionnaire de satisfaction – {event.title}",
             f"{results.responses} réponse{'s' if results.responses > 1 else ''}"]
    builder.add_table(
        "Réponses", [Column("Question", width=60), Column("Réponse", width=40),
                     Column("Nombre", NUMBER)],
        [(item.question.text, label, count)
         for item in results.questions for label, count in item.counts], title)
    builder.add_table(
        "Commentaires", [Column("Question", width=40), Column("Commentaire", width=90)],
        [(item.question.text, text) for item in results.questions for text in item.texts],
        title[:1])
    return builder.to_bytes()
