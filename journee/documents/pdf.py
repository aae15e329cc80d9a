"""What every PDF of the project shares: DejaVu Sans, safe text, styles, page numbers.

ReportLab's standard fonts print « Ł Đ ć » as black boxes, so every document uses the
DejaVu Sans shipped in ``fonts/`` (licence in ``fonts/LICENSE.txt``). DejaVu has no
Chinese, Japanese or Korean characters, and ReportLab does not look for them in another
font: a name like « 王小明 » would vanish from a sign-in sheet. Those characters are drawn
in WenQuanYi Micro Hei, shipped next to it and loaded the first time a text needs it:
:func:`para_text` marks them for ``Paragraph``, and :class:`JourneeCanvas` splits the
strings it draws (measure them with :func:`text_width`).

Arabic and Hebrew are written right to left, and Arabic letters join: ReportLab draws
neither, so « محمد » would print as four loose letters in reverse. :func:`visual_order`
gives such text its joined letter forms (arabic-reshaper) in the order they appear on the
page (python-bidi, the Unicode bidirectional algorithm); :func:`para_text` and
:class:`JourneeCanvas` apply it.

``Paragraph`` reads its text as markup: user values go through :func:`para_text` before
they reach one.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from arabic_reshaper import ArabicReshaper
from bidi import get_display
from markdown_it import MarkdownIt
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from ..formatting import NBSP, NNBSP, french_spacing
from ..typography import smarten_runs

# Binary streams rather than ASCII85: PDF readers need no 7-bit text, and ReportLab's
# pure-Python ASCII85 encoder cost about 5 ms per embedded signature image.
rl_config.useA85 = 0

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FALLBACK_FONT = "WenQuanYiMicroHei"
MUTED = colors.HexColor("#555555")
ACCENT = colors.HexColor("#1d4f7a")

_registered = False
_lock = threading.Lock()
# C0 controls and DEL print as boxes or break the PDF text; tab and newline are spaces.
# C0 and C1 controls and DEL: invisible, or boxes in a PDF.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[ \t\r\n]+")
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
# Hebrew, Arabic and the other right-to-left blocks, presentation forms included.
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
# Vowel marks are part of a name: keep them (DejaVu places them above their letter).
_arabic_forms = ArabicReshaper(configuration={"delete_harakat": False})


def register_fonts() -> None:
    """Register DejaVu Sans and its family once per process; later calls cost nothing."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, filename in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf"),
                               (FONT_ITALIC, "DejaVuSans-Oblique.ttf")):
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
        # No bold oblique is shipped: <b><i> falls back to bold.
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                      boldItalic=FONT_BOLD)
        _registered = True


@cache
def _glyphs(font: str) -> frozenset[int]:
    """The code points a registered font can draw."""
    if font == FALLBACK_FONT:
        _register_fallback()
    else:
        register_fonts()
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


def _register_fallback() -> None:
    with _lock:
        if FALLBACK_FONT in pdfmetrics.getRegisteredFontNames():
            return
        pdfmetrics.registerFont(TTFont(FALLBACK_FONT, str(FONT_DIR / "wqy-microhei.ttc"),
                                       subfontIndex=0))
        # One face: bold and italic CJK print in the regular one.
        pdfmetrics.registerFontFamily(FALLBACK_FONT, normal=FALLBACK_FONT,
                                      bold=FALLBACK_FONT, italic=FALLBACK_FONT,
                                      boldItalic=FALLBACK_FONT)


def font_runs(text: str, font: str) -> list[tuple[str, str]]:
    """``text`` cut into ``(run, font)`` pieces: *font* wherever it has the character, the
    CJK fallback where only the fallback has it."""
    if text.isascii():
        return [(text, font)]
    own = _glyphs(font)
    if own.issuperset(map(ord, text)):
        return [(text, font)]
    runs: list[list] = []
    for char in text:
        use = font
        if ord(char) not in own and ord(char) in _glyphs(FALLBACK_FONT):
            use = FALLBACK_FONT
        if runs and runs[-1][1] == use:
            runs[-1][0].append(char)
        else:
            runs.append([[char], use])
    return [("".join(chars), use) for chars, use in runs]


def visual_order(text: str) -> str:
    """``text`` as it is drawn from left to right: Arabic letters in their joined forms,
    right-to-left runs reversed; other text is returned as is.

    Every document is French, so the text is read as a left-to-right line (a piece of one)
    in which the Arabic or Hebrew runs turn round: « certifie que محمد بن علي (…) » keeps
    its spaces and brackets where a French reader expects them. A text broken into lines
    afterwards reads its lines in the wrong order when it is mostly right to left.
    """
    if text.isascii() or not _RIGHT_TO_LEFT.search(text):
        return text
    return get_display(_arabic_forms.reshape(text), base_dir="L")


def right_to_left(text: str) -> bool:
    """Whether ``text`` reads from the right: its first letter is Hebrew or Arabic."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def text_width(text: str, font: str, size: float) -> float:
    """The width of ``text`` as :class:`JourneeCanvas` draws it."""
    if text.isascii():
        return pdfmetrics.stringWidth(text, font, size)
    return sum(pdfmetrics.stringWidth(run, run_font, size)
               for run, run_font in font_runs(visual_order(text), font))


_HAN_KANA = "[\u3040-\u30ff\u3400-\u9fff]"
#: Between two Chinese or Japanese characters, written without spaces, a line may break.
BETWEEN_IDEOGRAPHS = re.compile(rf"(?<={_HAN_KANA})(?={_HAN_KANA})")
# Where a line breaks: at a space or between ideographs; after a hyphen or a slash only
# inside a word too long for a line of its own.
_BREAK = re.compile(rf"(?<= )|{BETWEEN_IDEOGRAPHS.pattern}")
_BREAK_INSIDE = re.compile(r"(?<=[\-‐/])")


def wrap_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy lines of ``text`` no wider than ``width`` as :class:`JourneeCanvas` draws
    them (a piece that cannot be broken and is wider than that keeps a line of its own).
    """
    tokens: list[str] = []
    for token in _BREAK.split(text):
        too_long = text_width(token.rstrip(), font, size) > width
        tokens += _BREAK_INSIDE.split(token) if too_long else [token]
    lines: list[str] = []
    current = ""
    for token in tokens:
        if current and text_width(current + token, font, size) > width:
            lines.append(current.rstrip())
            current = token
        else:
            current += token
    if current.strip():
        lines.append(current.rstrip())
    return lines


def para_text(value: object) -> str:
    """User text made safe for a ``Paragraph``: NFC, no control characters, escaped, so
    « Zoé <Dupont> & Cie » prints as typed and ``<img src=…>`` is never followed; the
    characters DejaVu lacks are set in the CJK fallback; Arabic and Hebrew are put in
    :func:`visual_order`."""
    if value is None:
        return ""
    text = escape(visual_order(_CONTROL.sub("", unicodedata.normalize("NFC", str(value)))))
    return "".join(run if run_font == FONT else f'<font face="{FALLBACK_FONT}">{run}</font>'
                   for run, run_font in font_runs(text, FONT))


def plain_text(value: object) -> str:
    """User text ready for ``canvas.drawString``: NFC, no control characters, one line
    (no-break spaces are kept: they hold « 9 h 15 » together)."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    return _LINE_BREAKS.sub(" ", _CONTROL.sub("", text)).strip()


def typo_text(value: str | None) -> str:
    """:func:`para_text` with French spacing before « : ; ? ! » and inside guillemets.

    ReportLab breaks lines at the narrow no-break space (U+202F), so the spacing uses the
    no-break space (U+00A0) instead: a bit wider, but it holds.
    """
    return para_text(french_spacing(value).replace(NNBSP, NBSP))


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The shared paragraph styles, built once, all in DejaVu Sans."""
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, spaceAfter=3)
    return {
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=8.5, leading=11, textColor=MUTED),
        "edition": ParagraphStyle("edition", base, fontSize=10, leading=13, textColor=MUTED,
                                  alignment=TA_CENTER, spaceAfter=4),
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=18, leading=23,
                                alignment=TA_CENTER, textColor=ACCENT, spaceAfter=8),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=11.5, leading=15,
                                   alignment=TA_CENTER, spaceAfter=3),
        "heading": ParagraphStyle("heading", base, fontName=FONT_BOLD, fontSize=13.5,
                                  leading=17, textColor=ACCENT, spaceBefore=10, spaceAfter=5,
                                  keepWithNext=True),
        "subheading": ParagraphStyle("subheading", base, fontName=FONT_BOLD, fontSize=11,
                                     leading=14, spaceBefore=7, spaceAfter=2,
                                     keepWithNext=True),
        "item": ParagraphStyle("item", base, leftIndent=10 * mm, spaceAfter=1.5),
        "itemtitle": ParagraphStyle("itemtitle", base, leftIndent=10 * mm, spaceAfter=1.5,
                                    keepWithNext=True),
        "subitem": ParagraphStyle("subitem", base, leftIndent=15 * mm, spaceAfter=1),
    }


def markdown_paragraphs(text: str | None) -> list[str]:
    """Organisers' Markdown as Paragraph markup, one string per block: emphasis becomes
    bold or italic, a link keeps its address in brackets, everything else is escaped;
    French spacing keeps « guillemets » and « : ; ? ! » on the line of their words."""
    if not text:
        return []
    paragraphs: list[str] = []
    prefix = ""
    for token in _markdown.parse(text):
        if token.type == "list_item_open":
            prefix = "• "
        elif token.type == "inline":
            markup = prefix + _inline_markup(token.children or [])
            if markup.strip():
                paragraphs.append(markup)
            prefix = ""
        elif token.type in ("fence", "code_block"):
            paragraphs.append(para_text(token.content.strip()).replace("\n", "<br/>"))
    return paragraphs


_INLINE_TAGS = {"strong_open": "<b>", "strong_close": "</b>",
                "em_open": "<i>", "em_close": "</i>",
                "softbreak": " ", "hardbreak": "<br/>"}


def _inline_markup(children) -> str:
    parts = []
    href = None
    typeset = iter(smarten_runs([child.content for child in children if child.type == "text"]))
    for child in children:
        if child.type == "text":
            parts.append(typo_text(next(typeset)))
        elif child.type in ("code_inline", "html_inline"):
            parts.append(para_text(child.content))
        elif child.type in _INLINE_TAGS:
            parts.append(_INLINE_TAGS[child.type])
        elif child.type == "link_open":
            href = child.attrGet("href")
        elif child.type == "link_close" and href:
            parts.append(f" ({para_text(href)})")
            href = None
    return "".join(parts)


class JourneeCanvas(Canvas):
    """A canvas whose strings take the characters the current font lacks (Chinese,
    Japanese, Korean) from the CJK fallback, and draw Arabic and Hebrew in
    :func:`visual_order`: pass every string in reading order."""

    def drawString(self, x, y, text, *args, **kwargs):
        text = visual_order(text)
        runs = font_runs(text, self._fontname)
        if len(runs) == 1 and runs[0][1] == self._fontname:
            return super().drawString(x, y, text, *args, **kwargs)
        font, size, leading = self._fontname, self._fontsize, self._leading
        for run, run_font in runs:
            self.setFont(run_font, size, leading)
            super().drawString(x, y, run, *args, **kwargs)
            x += pdfmetrics.stringWidth(run, run_font, size)
        self.setFont(font, size, leading)

    def drawRightString(self, x, y, text, *args, **kwargs):
        self.drawString(x - text_width(text, self._fontname, self._fontsize), y, text,
                        *args, **kwargs)

    def drawCentredString(self, x, y, text, *args, **kwargs):
        self.drawString(x - text_width(text, self._fontname, self._fontsize) / 2, y, text,
                        *args, **kwargs)


class NumberedCanvas(JourneeCanvas):
    """A canvas that writes « page 2 / 5 » (and a footer text) once the page count is
    known: pages are kept as saved states and drawn at the end."""

    footer_text = ""
    #: A second, smaller footer line under the first (a signed sheet's seal).
    footer_note = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._page_states: list[dict] = []

    def showPage(self):
        self._page_states.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._page_states)
        for number, state in enumerate(self._page_states, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        width, _ = self._pagesize
        self.saveState()
        self.setFont(FONT, 8)
        self.setFillColor(MUTED)
        if self.footer_text:
            self.drawString(20 * mm, 10 * mm, _fit(self.footer_text, width - 65 * mm, 8))
        self.drawRightString(width - 20 * mm, 10 * mm, f"page {number} / {total}")
        if self.footer_note:
            self.setFont(FONT, 6.5)
            self.drawString(20 * mm, 6.5 * mm, _fit(self.footer_note, width - 40 * mm, 6.5))
        self.restoreState()


def _fit(text: str, width: float, size: float) -> str:
    """Cut ``text`` with an ellipsis so that it fits in ``width`` points."""
    if text_width(text, FONT, size) <= width:
        return text
    while text and text_width(text + "…", FONT, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def numbered_canvas(footer_text: str = "", footer_note: str = "") -> type[NumberedCanvas]:
    """A canvas class for ``doc.build(..., canvasmaker=...)`` with this footer text."""
    register_fonts()
    text = unicodedata.normalize("NFC", _CONTROL.sub("", footer_text))
    note = unicodedata.normalize("NFC", _CONTROL.sub("", footer_note))
    return type("FooterCanvas", (NumberedCanvas,), {"footer_text": text, "footer_note": note})
