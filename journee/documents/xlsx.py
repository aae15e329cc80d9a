"""Safe workbook helpers shared by every spreadsheet export.

Two traps of openpyxl (PITFALLS): a string that starts with « = » becomes a formula, and a
control character such as ``\\x0b`` raises ``IllegalCharacterError`` in the middle of an
export. :class:`WorkbookBuilder` writes every text cell as a string cell (never a formula,
without the visible apostrophe) after :func:`safe_text` has removed what XML cannot hold.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from itertools import islice

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

TEXT, NUMBER, DATE, DATETIME = "text", "number", "date", "datetime"
MAX_CELL_LENGTH = 32_767
MIN_WIDTH, MAX_WIDTH = 6, 60
WIDTH_SAMPLE = 300
"""Rows read to size the columns: enough to be representative, cheap on big lists."""

NUMBER_FORMATS = {DATE: "DD/MM/YYYY", DATETIME: "DD/MM/YYYY HH:MM"}
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)


def safe_text(value: object) -> str:
    """Any value as text a worksheet can hold: NFC, no character illegal in XML, at most
    32,767 characters. Never raises (``None`` is the empty string)."""
    if value is None:
        return ""
    try:
        text = value if isinstance(value, str) else str(value)
    except Exception:  # A broken __str__ must not stop an export.
        return ""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _UNWRITABLE.search(text):
        text = _UNWRITABLE.sub(_replacement, text)
    return text if len(text) <= MAX_CELL_LENGTH else text[:MAX_CELL_LENGTH]


# openpyxl's ILLEGAL_CHARACTERS_RE, plus lone surrogates (they cannot be encoded in UTF-8).
_UNWRITABLE = re.compile(ILLEGAL_CHARACTERS_RE.pattern + "|[\ud800-\udfff]")


def _replacement(match: re.Match) -> str:
    return "" if match.group() < "\x20" else "?"


@dataclass(frozen=True)
class Column:
    """A column of a table: its header, what its cells hold, and optionally its width
    (in characters; by default sized on the header and the first rows)."""

    header: str
    kind: str = TEXT
    width: float | None = None


class WorkbookBuilder:
    """A write-only workbook (constant memory on big lists) made of simple tables.

    Each sheet gets optional title lines, a bold header row, panes frozen below it, an
    auto-filter over the data and sensible column widths. Text cells are always string
    cells, dates are real dates and numbers real numbers.
    """

    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)

    def add_table(self, name: str, columns: Sequence[Column], rows: Iterable[Sequence],
                  title_lines: Sequence[str] = ()) -> int:
        """Write one sheet; return the number of data rows written."""
        sheet = self.workbook.create_sheet(_sheet_name(name))
        rows = iter(rows)
        sample = list(islice(rows, WIDTH_SAMPLE))
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = _width(
                column, (row[index - 1] for row in sample))
        header_row = len(title_lines) + 1
        last_column = get_column_letter(max(len(columns), 1))
        sheet.freeze_panes = f"A{header_row + 1}"

        for number, line in enumerate(title_lines):
            cell = WriteOnlyCell(sheet, safe_text(line))
            cell.data_type = "s"
            cell.font = _TITLE if number == 0 else _BOLD
            sheet.append([cell])
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, safe_text(column.header))
            cell.data_type = "s"
            cell.font = _BOLD
            header.append(cell)
        sheet.append(header)

        converters = [_CONVERTERS[column.kind] for column in columns]
        count = 0
        for chunk in (sample, rows):
            for row in chunk:
                sheet.append([convert(sheet, value)
                              for convert, value in zip(converters, row)])
                count += 1
        sheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + max(count, 1)}"
        return count

    def to_bytes(self) -> bytes:
        buffer = BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def build_table_xlsx(name: str, columns: Sequence[Column], rows: Iterable[Sequence],
                     title_lines: Sequence[str] = ()) -> bytes:
    """A one-sheet workbook holding one table."""
    builder = WorkbookBuilder()
    builder.add_table(name, columns, rows, title_lines)
    return builder.to_bytes()


def text_cell(sheet, value: object):
    """A cell that holds ``value`` as text whatever it looks like (« =1+1 », « #N/A »)."""
    text = safe_text(value)
    if not text:
        return None
    if text[0] != "=" and text not in ERROR_CODES:
        # openpyxl already stores any other string as a string cell: no object needed.
        return text
    cell = WriteOnlyCell(sheet, None)
    cell._value = text
    cell.data_type = "s"
    return cell


def _number_cell(sheet, value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    return text_cell(sheet, value)


def _date_cell(kind: str):
    expected = datetime if kind == DATETIME else date

    def convert(sheet, value):
        if value is None:
            return None
        if not isinstance(value, expected):
            return text_cell(sheet, value)
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                # Excel has no time zones: callers pass local time; drop the offset.
                value = value.replace(tzinfo=None)
            if kind == DATE:
                value = value.date()
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = NUMBER_FORMATS[kind]
        return cell

    return convert


_CONVERTERS = {TEXT: text_cell, NUMBER: _number_cell, DATE: _date_cell(DATE),
               DATETIME: _date_cell(DATETIME)}


def _width(column: Column, values: Iterable[object]) -> float:
    if column.width is not None:
        return column.width
    if column.kind in (DATE, DATETIME):
        return 12 if column.kind == DATE else 17
    longest = len(column.header)
    for value in values:
        if value is not None:
            longest = max(longest, len(value) if isinstance(value, str) else len(str(value)))
    return float(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH))


def _sheet_name(name: str) -> str:
    """Excel's rules: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = safe_text(name).translate({ord(c): " " for c in "[]:*?/\\"}).strip("' ")
    return (cleaned or "Feuille")[:31]
