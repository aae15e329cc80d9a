"""The group import's template: the XLSX file an organiser fills in to register a class.

The headers and the example row come from
:func:`~journee.registration.importing.import_columns`, so the template always matches
what the import reads; drop-down lists offer the answers it knows, and the « Mode
d’emploi » sheet explains each column (the workshops with their numbers, too).
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from ..documents.xlsx import safe_text
from ..programme.models import SECTORS, Event
from .forms import COURSES
from .importing import MAX_ROWS, ImportColumn, import_columns
from .models import PROFILE_LABELS


def build_import_template(event: Event) -> bytes:
    """The file to fill in: the headers, one example row, drop-down lists, and a sheet
    that explains each column (and lists the workshops with their numbers)."""
    columns = import_columns(event)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Inscriptions"
    bold = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=safe_text(column.header))
        cell.font = bold
        example = sheet.cell(row=2, column=index)
        example.value = column.example if isinstance(column.example, int) \
            else safe_text(column.example)
        if isinstance(example.value, str):
            example.data_type = "s"
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(len(column.header) + 4, 14)
        choices = _list_choices(column.key)
        if choices:
            validation = DataValidation(type="list", formula1=f'"{",".join(choices)}"',
                                        allow_blank=not column.required)
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    help_sheet = workbook.create_sheet("Mode d’emploi")
    help_sheet.column_dimensions["A"].width = 30
    help_sheet.column_dimensions["B"].width = 90
    lines = [
        (safe_text(event.title), ""),
        ("Une ligne par personne, sous la ligne d’en-têtes de la feuille «\u202fInscriptions\u202f». "
         "Remplacez la ligne d’exemple.", ""),
        (f"Au plus {MAX_ROWS}\u00a0personnes et 5 Mo par fichier.", ""),
        ("", ""),
        ("Colonne", "Contenu"),
    ]
    for column in columns:
        lines.append((column.header + (" (obligatoire)" if column.required else ""),
                      _help(column, event)))
    lines += [("", ""), ("Les personnes doivent avoir été informées de la notice de "
                         "confidentialité de la journée avant l’import.", "")]
    for number, (first, second) in enumerate(lines, start=1):
        help_sheet.cell(row=number, column=1, value=safe_text(first)).data_type = "s"
        help_sheet.cell(row=number, column=2, value=safe_text(second)).data_type = "s"
        if number in (1, 5):
            help_sheet.cell(row=number, column=1).font = bold
            help_sheet.cell(row=number, column=2).font = bold
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _list_choices(key: str) -> list[str]:
    if key == "profile":
        return list(PROFILE_LABELS.values())
    if key == "course":
        return list(COURSES)
    if key == "course_year":
        return [str(year) for year in range(1, 7)]
    if key == "lunch":
        return ["Oui", "Non"]
    return []


def _help(column: ImportColumn, event: Event) -> str:
    if column.key == "profile":
        return "Un de\u202f: " + ", ".join(PROFILE_LABELS.values()) + "."
    if column.key in ("course", "course_year"):
        detail = (", ".join(COURSES) if column.key == "course" else "un nombre de 1 à 6")
        return f"Obligatoire pour les étudiant·es\u202f: {detail}."
    if column.key == "sector":
        return ("Un secteur de la liste (" + ", ".join(SECTORS) + ") ou un autre, en "
                "toutes lettres.")
    if column.key == "lunch":
        return "Oui ou Non."
    if column.key == "email":
        return "Une adresse par personne\u202f: deux personnes ne peuvent pas partager une adresse."
    if column.session_id is not None:
        session = next(s for s in event.workshop_sessions if s.id == column.session_id)
        workshops = " ; ".join(f"{w.number} = {w.title}" for w in session.workshops)
        return f"Le numéro de l’atelier ({workshops})."
    return "Facultatif." if not column.required else ""
