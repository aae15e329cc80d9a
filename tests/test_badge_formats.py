"""The label sheet formats, kept as data and checked when read."""

import fnmatch
import tomllib
from pathlib import Path

import pytest
from reportlab.lib.units import mm

from journee.documents.badge_formats import (
    BadgeFormatError,
    parse_formats,
    sheet_format,
    sheet_formats,
)

PAGES_MM = {"A4": (210, 297), "A6": (105, 148)}

ENTRY = """
[[format]]
id = "essai"
label = "Essai"
page = "A4"
label_width = 90
label_height = 54
columns = 2
rows = 5
margin_left = 15
margin_top = 13.5
gap_x = 0
gap_y = 0
"""


def test_the_shipped_formats_include_the_usual_sheets():
    formats = sheet_formats()
    labels = {sheet.label: sheet.per_page for sheet in formats.values()}
    assert labels["10 badges par A4 (54 × 90 mm)"] == 10
    assert labels["8 badges par A4 (60 × 90 mm)"] == 8
    assert labels["4 badges A6 par A4"] == 4
    assert labels["1 badge par page A6"] == 1
    assert sheet_format("a6-1").page == "A6"
    with pytest.raises(KeyError):
        sheet_format("inconnu")


@pytest.mark.parametrize("sheet", list(sheet_formats().values()), ids=lambda s: s.id)
def test_every_label_of_every_format_lies_on_its_page(sheet):
    page_width, page_height = PAGES_MM[sheet.page]
    assert sheet.page_size == pytest.approx((page_width * mm, page_height * mm), abs=0.5)
    for slot in range(sheet.per_page):
        x, y = sheet.label_origin(slot)
        assert x >= -0.01 and y >= -0.01, slot
        assert x + sheet.label_width * mm <= page_width * mm + 0.2, slot
        assert y + sheet.label_height * mm <= page_height * mm + 0.2, slot
    # No two labels overlap: the slots are distinct cells of the grid.
    origins = [sheet.label_origin(slot) for slot in range(sheet.per_page)]
    for index, (x1, y1) in enumerate(origins):
        for x2, y2 in origins[index + 1:]:
            assert (abs(x1 - x2) >= sheet.label_width * mm - 0.01
                    or abs(y1 - y2) >= sheet.label_height * mm - 0.01)


def test_label_origins_follow_the_sheet_left_to_right_then_down():
    sheet = sheet_format("a4-10-54x90")
    assert sheet.label_origin(0) == pytest.approx((15 * mm, (297 - 13.5 - 54) * mm))
    assert sheet.label_origin(1) == pytest.approx((105 * mm, (297 - 13.5 - 54) * mm))
    assert sheet.label_origin(9) == pytest.approx((105 * mm, 13.5 * mm))


@pytest.mark.parametrize("count, skip, pages", [(0, 0, 1), (1, 0, 1), (10, 0, 1), (11, 0, 2),
                                                (23, 0, 3), (23, 7, 3), (23, 8, 4)])
def test_pages_for_a_number_of_badges(count, skip, pages):
    assert sheet_format("a4-10-54x90").pages_for(count, skip) == pages


@pytest.mark.parametrize("change, message", [
    ({"columns": "3"}, "the labels end 285 mm from the left edge"),
    ({"rows": "6"}, "the labels end 337.5 mm from the top edge"),
    ({"margin_top": "30"}, "from the top edge"),
    ({"gap_x": "25"}, "the labels end 220 mm from the left edge"),
    ({"page": '"A3"'}, "page must be one of"),
    ({"columns": "2.5"}, "columns must be an integer"),
    ({"columns": "true"}, "columns must be an integer"),
    ({"margin_left": '"15"'}, "margin_left must be a number"),
    ({"label": '" "'}, "the label is empty"),
    ({"id": '"Avec espace"'}, "the id must be"),
    ({"label_width": "10"}, "smaller than 30 mm"),
    ({"gap_y": "-1"}, "cannot be negative"),
    ({"rows": "0"}, "at least 1"),
])
def test_a_format_that_cannot_be_printed_is_refused_with_its_name(change, message):
    text = ENTRY
    for key, value in change.items():
        text = "\n".join(f"{key} = {value}" if line.startswith(f"{key} =") else line
                         for line in text.splitlines())
    with pytest.raises(BadgeFormatError, match="badge format") as refused:
        parse_formats(text)
    assert message in str(refused.value)


def test_a_file_with_missing_keys_or_twice_the_same_id_is_refused():
    assert list(parse_formats(ENTRY)) == ["essai"]
    with pytest.raises(BadgeFormatError, match="used twice"):
        parse_formats(ENTRY + ENTRY)
    with pytest.raises(BadgeFormatError, match=r"missing \['gap_y'\]"):
        parse_formats(ENTRY.replace("gap_y = 0", ""))
    with pytest.raises(BadgeFormatError, match=r"unknown \['colour'\]"):
        parse_formats(ENTRY + 'colour = "rouge"\n')
    with pytest.raises(BadgeFormatError, match="no \\[\\[format\\]\\] entry"):
        parse_formats("")
    with pytest.raises(BadgeFormatError, match="not valid TOML"):
        parse_formats("[[format]\n")


def test_the_formats_file_ships_with_the_package():
    root = Path(__file__).resolve().parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["journee"]
    assert any(fnmatch.fnmatch("documents/badge_formats.toml", pattern)
               for pattern in patterns)
    assert (root / "journee" / "documents" / "badge_formats.toml").is_file()
