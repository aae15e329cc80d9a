"""French formatting of dates, times and typography, shared by pages and documents."""

from datetime import date, datetime, time

from flask import Flask

from .typography import smarten

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
NBSP = "\u00a0"
NNBSP = "\u202f"


def format_date(day: date, weekday: bool = True) -> str:
    """« jeudi 15 mars 2018 »; the first of the month is « 1er »."""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number}{NBSP}{MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def format_dates(first: date, last: date) -> str:
    """« jeudi 15 mars 2018 », or « du jeudi 15 mars 2018 au vendredi 16 mars 2018 »."""
    if first == last:
        return format_date(first)
    return f"du {format_date(first)} au {format_date(last)}"


def format_time(moment: time | datetime) -> str:
    """« 9 h 15 », « 10 h »."""
    if moment.minute:
        return f"{moment.hour}{NBSP}h{NBSP}{moment.minute:02d}"
    return f"{moment.hour}{NBSP}h"


def format_time_range(start: time | datetime, end: time | datetime | None) -> str:
    """« 9 h 15 – 10 h 30 », or the start alone when there is no end."""
    if end is None:
        return format_time(start)
    return f"{format_time(start)} – {format_time(end)}"


def format_duration(minutes: int) -> str:
    """A length of time: « 7 heures », « 1 heure », « 6 h 30 », « 45 minutes »."""
    hours, rest = divmod(minutes, 60)
    if not rest:
        return f"{hours}{NBSP}heure{'s' if hours > 1 else ''}"
    if not hours:
        return f"{rest}{NBSP}minute{'s' if rest > 1 else ''}"
    return f"{hours}{NBSP}h{NBSP}{rest:02d}"


def format_datetime(moment: datetime) -> str:
    return f"{format_date(moment.date())} à {format_time(moment)}"


def format_local_datetime(moment: datetime, zone: str = "Europe/Paris") -> str:
    """A stored UTC moment (naive) as the event's local time: « … à 14 h 05 »."""
    from datetime import timezone
    from zoneinfo import ZoneInfo

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return format_datetime(moment.astimezone(ZoneInfo(zone)))


def french_spacing(text: str | None) -> str:
    """Put the narrow no-break spaces French typography wants before « : ; ? ! » and
    inside guillemets, so a line never breaks before the punctuation, and curly
    apostrophes (see :mod:`journee.typography`)."""
    return smarten(text)


def ordinal(rank: int) -> str:
    """« 1er », « 2e », « 3e »… (a rank: « 1er choix »)."""
    return "1er" if rank == 1 else f"{rank}e"


def format_number(count: int) -> str:
    """« 5 000 »: thousands apart by a narrow no-break space."""
    return f"{count:,}".replace(",", NNBSP)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 0 place », « 1 place », « 2 places », « 5 000 inscriptions » (French: 0 and 1
    take the singular)."""
    word = singular if count in (0, 1) else (plural_form or singular + "s")
    return f"{format_number(count)}{NBSP}{word}"


def init_app(app: Flask) -> None:
    app.add_template_filter(format_date, "date_fr")
    app.add_template_filter(format_time, "time_fr")
    app.add_template_filter(format_datetime, "datetime_fr")
    app.add_template_filter(format_local_datetime, "local_datetime_fr")
    app.add_template_filter(french_spacing, "typo")
    app.add_template_filter(format_number, "number_fr")
    app.add_template_filter(format_duration, "duration_fr")
    app.add_template_global(format_time_range, "time_range_fr")
    app.add_template_global(plural, "plural")
    app.add_template_global(field_attributes, "field_attributes")
    from .markdown import render_markdown
    app.add_template_filter(render_markdown, "markdown")


def field_attributes(field, described_by: list[str], **extra) -> dict:
    """HTML attributes for a form field: only those that apply, never the text « None »."""
    attributes = {key: value for key, value in extra.items() if value}
    if described_by:
        attributes["aria_describedby"] = " ".join(described_by)
    if field.errors:
        attributes["aria_invalid"] = "true"
    return attributes
