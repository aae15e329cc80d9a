"""Charts drawn on the server as SVG: horizontal bars and a cumulative step line.

No script draws them and none is needed to read them: each chart is an ``<svg
role="img">`` named by its ``<title>`` and described by its ``<desc>``, and the page puts
the same figures in a table next to it. Every text is escaped here, so a label can come
from what people typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from ..formatting import NBSP, french_spacing

WIDTH = 560
LABEL_WIDTH = 190
VALUE_SPACE = 70
BAR_HEIGHT = 18
GAP = 8
FONT_SIZE = 13
INK = "#1b1b1f"
BAR = "#004f8a"
OVER = "#b00020"
LIMIT = "#1b1b1f"
LABEL_CHARACTERS = 28


@dataclass
class Bar:
    label: str
    value: int
    limit: int | None = None
    """Places, when the bar is a demand: drawn as a mark across the bar."""


def _shorten(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[:LABEL_CHARACTERS - 1] + "…"


def _frame(chart_id: str, title: str, description: str, height: float, body: list[str],
           width: int = WIDTH) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id={quoteattr(chart_id)} '
        f'viewBox="0 0 {width} {height:g}" width="100%" role="img" focusable="false" '
        f'aria-labelledby="{chart_id}-titre {chart_id}-desc">'
        f'<title id="{chart_id}-titre">{escape(french_spacing(title))}</title>'
        f'<desc id="{chart_id}-desc">{escape(french_spacing(description))}</desc>'
        + "".join(body) + "</svg>")


def bar_chart(bars: list[Bar], *, chart_id: str, title: str, description: str) -> Markup:
    """One horizontal bar per value, its label on the left and its figure at its end; a
    bar with a limit gets a vertical mark at the limit and turns red beyond it."""
    largest = max([b.value for b in bars] + [b.limit or 0 for b in bars] + [1])
    scale = (WIDTH - LABEL_WIDTH - VALUE_SPACE) / largest
    body = []
    for index, bar in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        baseline = y + BAR_HEIGHT - 4
        length = round(bar.value * scale, 1)
        over = bar.limit is not None and bar.value > bar.limit
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{baseline}" text-anchor="end" '
            f'font-size="{FONT_SIZE}" fill="{INK}">{escape(_shorten(bar.label))}</text>'
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y}" width="{length:g}" '
            f'height="{BAR_HEIGHT}" fill="{OVER if over else BAR}" data-value="{bar.value}"'
            + (f' data-limit="{bar.limit}"' if bar.limit is not None else "") + "/>")
        figure = str(bar.value) if bar.limit is None else f"{bar.value}/{bar.limit}"
        end = LABEL_WIDTH + max(length, round((bar.limit or 0) * scale, 1))
        body.append(f'<text x="{end + 6:g}" y="{baseline}" font-size="{FONT_SIZE}" '
                    f'fill="{INK}">{figure}</text>')
        if bar.limit is not None:
            x = round(LABEL_WIDTH + bar.limit * scale, 1)
            body.append(f'<line class="limit" x1="{x:g}" x2="{x:g}" y1="{y - 3}" '
                        f'y2="{y + BAR_HEIGHT + 3}" stroke="{LIMIT}" stroke-width="2"/>')
    height = GAP + len(bars) * (BAR_HEIGHT + GAP)
    return _frame(chart_id, title, description, height, body)


STEP_HEIGHT = 200
STEP_LEFT = 50
STEP_BOTTOM = 30
STEP_TOP = 12
STEP_RIGHT = 20


def cumulative_chart(days: list[tuple[date, int]], *, chart_id: str, title: str,
                     description: str) -> Markup:
    """The running total of daily counts as a step line: one point per day, each at the
    total reached that day; the first and last days and the total are labelled."""
    totals, running = [], 0
    for day, count in days:
        running += count
        totals.append((day, running))
    top = max(running, 1)
    plot_width = WIDTH - STEP_LEFT - STEP_RIGHT
    plot_height = STEP_HEIGHT - STEP_TOP - STEP_BOTTOM
    step = plot_width / max(len(totals) - 1, 1)
    bottom = STEP_TOP + plot_height

    def y_of(total: int) -> float:
        return round(bottom - total * plot_height / top, 1)

    points, previous = [], bottom
    for index, (_day, total) in enumerate(totals):
        x = round(STEP_LEFT + index * step, 1)
        if index:
            points.append(f"{x:g},{previous:g}")
        previous = y_of(total)
        points.append(f"{x:g},{previous:g}")
    body = [
        f'<line x1="{STEP_LEFT}" x2="{STEP_LEFT}" y1="{STEP_TOP}" y2="{bottom}" stroke="{INK}"/>',
        f'<line x1="{STEP_LEFT}" x2="{WIDTH - STEP_RIGHT}" y1="{bottom}" y2="{bottom}" '
        f'stroke="{INK}"/>',
        f'<text x="{STEP_LEFT - 6}" y="{STEP_TOP + 4}" text-anchor="end" '
        f'font-size="{FONT_SIZE}" fill="{INK}">{running}</text>',
        f'<text x="{STEP_LEFT - 6}" y="{bottom}" text-anchor="end" font-size="{FONT_SIZE}" '
        f'fill="{INK}">0</text>',
    ]
    if totals:
        body.append(f'<polyline class="line" fill="none" stroke="{BAR}" stroke-width="2.5" '
                    f'points="{" ".join(points)}"/>')
        body += [f'<circle class="point" cx="{STEP_LEFT + i * step:.1f}" cy="{y_of(t):g}" '
                 f'r="3" fill="{BAR}" data-day="{d.isoformat()}" data-total="{t}"/>'
                 for i, (d, t) in enumerate(totals)]
        first, last = totals[0][0], totals[-1][0]
        body.append(f'<text x="{STEP_LEFT}" y="{STEP_HEIGHT - 8}" font-size="{FONT_SIZE}" '
                    f'fill="{INK}">{_short_date(first)}</text>')
        if last != first:
            body.append(f'<text x="{WIDTH - STEP_RIGHT}" y="{STEP_HEIGHT - 8}" '
                        f'text-anchor="end" font-size="{FONT_SIZE}" fill="{INK}">'
                        f'{_short_date(last)}</text>')
    return _frame(chart_id, title, description, STEP_HEIGHT, body)


def _short_date(day: date) -> str:
    """« 8 janv. 2018 »: short enough for an axis; the table gives the full date."""
    months = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
              "oct.", "nov.", "déc.")
    return f"{day.day}{NBSP}{months[day.month - 1]} {day.year}"
