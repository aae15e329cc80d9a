"""The registration charts of the dashboard and the summary, drawn by
:mod:`journee.web.charts` from their figures; each page shows the same figures in a table."""

from __future__ import annotations

from markupsafe import Markup

from ..formatting import plural
from ..web.charts import Bar, bar_chart, cumulative_chart
from .dashboard import WorkshopLoad
from .summary import DayCount, Table

TOP = 10


def table_chart(table: Table, chart_id: str, top: int | None = None) -> Markup:
    """The running registrations of each row of a summary table (its first ``top``)."""
    rows = table.rows[:top] if top else table.rows
    title = table.title.split(" (")[0]
    if top and len(table.rows) > top:
        title += f" (les {top} premières lignes)"
    return bar_chart(
        [Bar(row.label, row.total) for row in rows], chart_id=chart_id,
        title=f"{title}\u202f: inscriptions confirmées ou sur la liste d’attente",
        description=", ".join(f"{row.label} : {row.total}" for row in rows))


def workshops_chart(loads: list[WorkshopLoad], chart_id: str) -> Markup:
    """Each workshop's demand (assigned or first choices) against its places."""

    def described(load: WorkshopLoad) -> str:
        places = load.demand.limit
        return (f"{load.demand.label} : {load.value} {load.basis}, "
                + (plural(places, "place") if places is not None else "places non limitées"))

    return bar_chart(
        [Bar(load.demand.label, load.value, load.demand.limit) for load in loads],
        chart_id=chart_id, title="Demande par atelier face aux places",
        description=" ; ".join(described(load) for load in loads))


def over_time_chart(days: list[DayCount], chart_id: str) -> Markup:
    total = sum(d.count for d in days)
    description = (f"De {plural(days[0].count, 'inscription')} le premier jour à "
                   f"{plural(total, 'inscription')} au total en {plural(len(days), 'jour')}."
                   if days else "Aucune inscription pour l’instant.")
    return cumulative_chart([(d.day, d.count) for d in days], chart_id=chart_id,
                            title="Inscriptions reçues au fil du temps (cumul, annulées "
                                  "comprises)", description=description)
