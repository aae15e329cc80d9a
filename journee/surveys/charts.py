"""A question's counts as a bar chart (see :mod:`journee.web.charts`)."""

from __future__ import annotations

from markupsafe import Markup

from ..formatting import NBSP
from ..web.charts import Bar, bar_chart
from .services import QuestionResult


def question_chart(item: QuestionResult, chart_id: str) -> Markup:
    described = ", ".join(f"{label}{NBSP}: {count}" for label, count in item.counts)
    return bar_chart([Bar(label, count) for label, count in item.counts],
                     chart_id=chart_id, title=item.question.text,
                     description=f"Nombre de réponses par option{NBSP}: {described}.")
