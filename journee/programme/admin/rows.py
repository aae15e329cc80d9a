"""Forms with repeated rows (people of a session, workshops of a slot, rooms): their
problems listed for the error summary, each naming its row, and more empty rows."""

from __future__ import annotations

from wtforms import FieldList


def row_problems(form, labels: dict[str, str], prefix: str = "") -> list[tuple[str | None, str]]:
    """``(field id, message)`` for every error of ``form``, rows included: « Salle 2 — Nom
    de la salle : … ». ``labels`` names the rows of each list (``{"rooms": "Salle"}``); an
    error without a field to link to (the CSRF token) has no id."""
    found = []
    for field in form:
        if isinstance(field, FieldList):
            for number, entry in enumerate(field.entries, start=1):
                row = f"{prefix}{labels.get(field.short_name, field.label.text)} {number} — "
                found += row_problems(entry.form, labels, row)
        elif field.type == "CSRFTokenField":
            found += [(None, error) for error in field.errors]
        else:
            found += [(field.id, f"{prefix}{field.label.text} : {error}")
                      for error in field.errors]
    return found


def add_error(field, message: str) -> None:
    field.errors = [*field.errors, message]


def pad(rows: FieldList, count: int) -> None:
    """At least ``count`` rows, the new ones empty."""
    while len(rows.entries) < count:
        rows.append_entry()
