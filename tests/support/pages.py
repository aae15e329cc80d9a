"""Reading the HTML pages the test client gets: the visible text, the CSRF token."""

from __future__ import annotations

import re


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def text_of(html: str) -> str:
    """Visible text of a page with tags removed and spaces (incl. no-break) folded."""
    from html import unescape

    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.DOTALL)
    text = re.sub(r"</?(strong|em|span|a|time|abbr|b|i)\b[^>]*>", "", text)
    text = unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def table_grid(html: str, caption: str) -> list[list[str]]:
    """The table whose caption contains ``caption`` as a grid of visible texts, one list
    per row, a cell spanning several rows repeated in each (``rowspan`` resolved)."""
    from html.parser import HTMLParser

    class Tables(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self.cell, self.depth = [], None, 0

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.tables.append({"caption": "", "rows": []})
            elif tag == "caption":
                self.cell = ["", 1, "caption"]
            elif tag == "tr" and self.tables:
                self.tables[-1]["rows"].append([])
            elif tag in ("td", "th"):
                self.cell = ["", int(dict(attrs).get("rowspan") or 1), tag]

        def handle_endtag(self, tag):
            if tag == "caption" and self.cell:
                self.tables[-1]["caption"] = re.sub(r"[\s\u00a0\u202f]+", " ", self.cell[0])
                self.cell = None
            elif tag in ("td", "th") and self.cell:
                self.tables[-1]["rows"][-1].append(
                    (re.sub(r"[\s\u00a0\u202f]+", " ", self.cell[0]).strip(), self.cell[1]))
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell[0] += data

    parser = Tables()
    parser.feed(html)
    [table] = [t for t in parser.tables if caption in t["caption"]]
    grid: list[list[str]] = []
    spanning: dict[int, tuple[str, int]] = {}
    for cells in table["rows"]:
        row, cells = [], list(cells)
        column = 0
        while cells or column in spanning:
            if column in spanning:
                text, left = spanning.pop(column)
                row.append(text)
                if left > 1:
                    spanning[column] = (text, left - 1)
            else:
                text, span = cells.pop(0)
                row.append(text)
                if span > 1:
                    spanning[column] = (text, span - 1)
            column += 1
        grid.append(row)
    return grid
