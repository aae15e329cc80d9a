"""The registration figures on the event's admin home (the dashboard) and on the list of
events, given to :mod:`journee.programme.event_home` once the admin pages are set up."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from ...programme import event_home
from ...programme.models import Event
from ...util.clock import today_in
from .. import charts
from ..dashboard import build_dashboard, event_figures
from . import bp


def dashboard_section(event: Event) -> Markup:
    dashboard = build_dashboard(event, today_in(event.timezone))
    return Markup(render_template(
        "admin/registrations/_dashboard.html", event=event, dashboard=dashboard,
        over_time=charts.over_time_chart(dashboard.days, "tableau-de-bord-cumul"),
        workshops=charts.workshops_chart(dashboard.workshops, "tableau-de-bord-ateliers")))


def event_lines(events: list[Event]) -> dict[int, Markup]:
    if not events:
        return {}
    # Each event's own day: the list spans days in several time zones at most rarely.
    figures = event_figures(events, today_in(events[0].timezone))
    return {event_id: Markup(render_template("admin/registrations/_event_line.html",
                                             figures=f))
            for event_id, f in figures.items()}


@bp.record_once
def _contribute(state) -> None:
    event_home.register(state.app, event_home.Contribution(
        heading="Inscriptions", home=dashboard_section, lines=event_lines))
