"""The label sheets badges are printed on, kept as data in ``badge_formats.toml``.

Each format is checked when the file is read: a sheet whose labels would run off the
page is refused with a message naming it, rather than printing badges cut in half.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm

PAGE_SIZES = {"A4": A4, "A6": A6}
"""Portrait page sizes in points."""

_FIELDS = {"id": str, "label": str, "page": str, "label_width": float, "label_height": float,
           "columns": int, "rows": int, "margin_left": float, "margin_top": float,
           "gap_x": float, "gap_y": float}
_KINDS = {str: "a string", int: "an integer", float: "a number"}
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
# Half a tenth of a millimetre: the A4 page is 210 × 297 mm, its points are rounded.
_TOLERANCE_MM = 0.05


class BadgeFormatError(ValueError):
    """The formats file holds an entry that cannot be printed."""


@dataclass(frozen=True)
class SheetFormat:
    """One kind of label sheet; lengths in millimetres, from the page's top-left corner."""

    id: str
    label: str
    page: str
    label_width: float
    label_height: float
    columns: int
    rows: int
    margin_left: float
    margin_top: float
    gap_x: float
    gap_y: float

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def page_size(self) -> tuple[float, float]:
        """Width and height of the page in points."""
        return PAGE_SIZES[self.page]

    def label_origin(self, slot: int) -> tuple[float, float]:
        """Bottom-left corner, in points from the page's bottom-left corner, of the label
        at ``slot`` (0 is top left; slots go left to right, then top to bottom)."""
        row, column = divmod(slot, self.columns)
        left = self.margin_left + column * (self.label_width + self.gap_x)
        top = self.margin_top + row * (self.label_height + self.gap_y)
        return left * mm, self.page_size[1] - (top + self.label_height) * mm

    def pages_for(self, count: int, skip: int = 0) -> int:
        """Pages needed for ``count`` badges after ``skip`` used labels on the first sheet."""
        return max(1, -(-(skip + count) // self.per_page))


def parse_formats(text: str) -> dict[str, SheetFormat]:
    """Read and check the formats; raise :class:`BadgeFormatError` on the first problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BadgeFormatError(f"badge formats: not valid TOML ({error})") from error
    entries = data.get("format")
    if not isinstance(entries, list) or not entries:
        raise BadgeFormatError("badge formats: no [[format]] entry")
    formats: dict[str, SheetFormat] = {}
    for number, entry in enumerate(entries, start=1):
        sheet = _sheet_format(entry, number)
        if sheet.id in formats:
            raise BadgeFormatError(f"badge format {sheet.id!r}: the id is used twice")
        formats[sheet.id] = sheet
    return formats


def _sheet_format(entry: dict, number: int) -> SheetFormat:
    name = repr(entry.get("id")) if isinstance(entry.get("id"), str) else f"n°\u00a0{number}"
    missing = sorted(set(_FIELDS) - set(entry))
    unknown = sorted(set(entry) - set(_FIELDS))
    if missing or unknown:
        raise BadgeFormatError(f"badge format {name}: missing {missing}, unknown {unknown}")
    values = {}
    for key, kind in _FIELDS.items():
        value = entry[key]
        # TOML booleans are ints to Python: refuse them along with every other type.
        if isinstance(value, bool) or not (
                isinstance(value, kind) or (kind is float and isinstance(value, int))):
            raise BadgeFormatError(f"badge format {name}: {key} must be {_KINDS[kind]}")
        values[key] = float(value) if kind is float else value
    sheet = SheetFormat(**values)
    _check(sheet, name)
    return sheet


def _check(sheet: SheetFormat, name: str) -> None:
    def refuse(problem: str):
        raise BadgeFormatError(f"badge format {name}: {problem}")

    if not _ID.fullmatch(sheet.id):
        refuse("the id must be lower-case letters, digits and dashes")
    if not sheet.label.strip():
        refuse("the label is empty")
    if sheet.page not in PAGE_SIZES:
        refuse(f"page must be one of {sorted(PAGE_SIZES)}")
    if sheet.label_width < 30 or sheet.label_height < 30:
        refuse("labels smaller than 30 mm cannot hold a badge")
    if sheet.columns < 1 or sheet.rows < 1:
        refuse("columns and rows must be at least 1")
    if min(sheet.margin_left, sheet.margin_top, sheet.gap_x, sheet.gap_y) < 0:
        refuse("margins and gaps cannot be negative")
    page_width, page_height = (length / mm for length in sheet.page_size)
    right = sheet.margin_left + sheet.columns * sheet.label_width + (
        sheet.columns - 1) * sheet.gap_x
    bottom = sheet.margin_top + sheet.rows * sheet.label_height + (sheet.rows - 1) * sheet.gap_y
    if right > page_width + _TOLERANCE_MM:
        refuse(f"the labels end {right:g} mm from the left edge, the page is "
               f"{page_width:.1f} mm wide")
    if bottom > page_height + _TOLERANCE_MM:
        refuse(f"the labels end {bottom:g} mm from the top edge, the page is "
               f"{page_height:.1f} mm high")


@cache
def sheet_formats() -> dict[str, SheetFormat]:
    """The formats shipped with the application, by id, in the file's order."""
    text = resources.files(__package__).joinpath("badge_formats.toml").read_text("utf-8")
    return parse_formats(text)


def sheet_format(format_id: str) -> SheetFormat:
    """The format with this id; ``KeyError`` for an unknown one."""
    return sheet_formats()[format_id]
