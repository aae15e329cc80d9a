"""Badges on label sheets: the name large and never cut, a role band, a check-in QR code.

Everything is drawn on the canvas directly (no Platypus): a thousand badges must print in
a few seconds. ``drawString`` never reads markup, so « Zoé <Dupont> & Cie » prints as typed;
every string is still NFC-normalised and stripped of control characters first.

Lengths are in points; a label's own drawing uses coordinates from its bottom-left corner.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader

from .badge_formats import SheetFormat
from .pdf import FONT, FONT_BOLD, MUTED, JourneeCanvas, plain_text, register_fonts, text_width
from .qr import QrMatrix, draw_qr, qr_matrix

ROLE_ANIMATION = "Animation"
ROLE_INTERVENTION = "Intervention"
ROLE_ORGANISATION = "Organisation"

BAND_COLOURS = {
    ROLE_ANIMATION: colors.HexColor("#2e6b30"),
    ROLE_INTERVENTION: colors.HexColor("#1d4f7a"),
    ROLE_ORGANISATION: colors.HexColor("#8a2a1b"),
}
"""Dark enough for white text; another label gets the grey of the last entry here."""
_OTHER_BAND = colors.HexColor("#444444")
_INK = colors.black
_CUT_MARK = colors.HexColor("#777777")

_ASCENT, _DESCENT = 0.76, 0.24  # DejaVu Sans, as fractions of the font size.


@dataclass(frozen=True, slots=True)
class Badge:
    """What one badge shows. ``workshops`` holds one line per workshop slot, such as
    « Atelier 3 · Salle 204 »; ``qr_url`` is the check-in link, never personal data."""

    first_name: str
    last_name: str
    organisation: str = ""
    event_title: str = ""
    event_date: str = ""
    workshops: tuple[str, ...] = ()
    role: str | None = None
    qr_url: str | None = None


# Fitting text ----------------------------------------------------------------------------

@lru_cache(maxsize=8192)
def _unit_width(text: str, font: str) -> float:
    """Width of ``text`` at size 1: widths scale with the size, so one call suffices (and
    the event's title, organisations and workshop lines repeat from badge to badge)."""
    return text_width(text, font, 1)


@lru_cache(maxsize=2048)
def fit_name(text: str, font: str, largest: float, smallest: float,
             width: float) -> tuple[float, tuple[str, ...]]:
    """The size and lines of a name: one line, shrunk to fit ``width`` down to
    ``smallest``; beyond that two lines broken at a space or after a hyphen; and if even
    that is too wide, smaller still. Never a character cut."""
    one = _unit_width(text, font)
    if one * smallest <= width or one == 0:
        return min(largest, width / one) if one else largest, (text,)
    best: tuple[float, tuple[str, str]] | None = None
    for index, char in enumerate(text):
        if char == " ":
            first, second = text[:index].rstrip(), text[index + 1:].lstrip()
        elif char == "-":
            first, second = text[:index + 1], text[index + 1:].lstrip()
        else:
            continue
        if not first or not second or first == "-":
            continue
        widest = max(_unit_width(first, font), _unit_width(second, font))
        if best is None or widest < best[0]:
            best = (widest, (first, second))
    if best is None or best[0] >= one:
        return width / one, (text,)
    return min(largest, width / best[0]), best[1]


def _wrap(words: list[str], widths: list[float], space: float,
          limit: float) -> tuple[str, ...]:
    """Greedy line breaking of words whose unit widths are known, at ``limit`` units."""
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word, word_width in zip(words, widths):
        if current and used + space + word_width > limit:
            lines.append(" ".join(current))
            current, used = [], 0.0
        used += (space if current else 0.0) + word_width
        current.append(word)
    if current:
        lines.append(" ".join(current))
    return tuple(lines)


@lru_cache(maxsize=2048)
def fit_block(text: str, font: str, largest: float, smallest: float, width: float,
              max_lines: int = 2) -> tuple[float, tuple[str, ...]]:
    """The size and lines of a short text wrapped at spaces into at most ``max_lines``
    lines, shrunk from ``largest`` towards ``smallest``; no ellipsis, nothing cut: past
    ``smallest`` it keeps shrinking, then takes more lines."""
    one = _unit_width(text, font)
    if one * largest <= width:
        return largest, (text,)
    words = text.split(" ")
    widths = [_unit_width(word, font) for word in words]
    space = _unit_width(" ", font)
    size = largest
    floor = smallest * 0.75
    while size >= floor:
        lines = _wrap(words, widths, space, width / size)
        if len(lines) <= max_lines and max(widths) * size <= width:
            return size, lines
        size -= 0.25
    # Still too long at the floor: as many lines as needed, each word fitting the width.
    size = min(floor, width / max(widths))
    return size, _wrap(words, widths, space, width / size)


# Layout ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Line:
    font: str
    size: float
    colour: object
    x: float
    y: float
    text: str


class _Geometry:
    """Where things go on one label of a sheet format, computed once per document."""

    def __init__(self, sheet: SheetFormat, logo: ImageReader | None = None):
        self.width = sheet.label_width * mm
        self.height = sheet.label_height * mm
        unit = min(sheet.label_width / 90, sheet.label_height / 54)
        # A tall label (A6) has room for larger text than a business-card one.
        text = unit * (1.25 if sheet.label_height > 1.2 * sheet.label_width else 1)
        self.pad = 4 * mm * unit
        self.inner = self.width - 2 * self.pad
        # The band stops short of the label's edges: a cut a millimetre off stays clean.
        self.band_inset = 1.5 * mm * unit
        self.band = 6 * mm * text
        self.band_size = 9.5 * text
        self.qr = min(self.height * 0.4, self.width * 0.3, 34 * mm)
        self.gap = 1.8 * mm * text
        self.header = (6.8 * text, 5.5 * text)
        self.first_name = (24 * text, 11 * text)
        self.last_name = (16 * text, 9 * text)
        self.organisation = (8.5 * text, 6.5 * text)
        self.workshop = (8.5 * text, 6.5 * text)
        # The institute's logo, top left, as tall as two header lines; text starts below.
        self.logo = logo
        self.top = self.pad
        if logo is not None:
            width, height = logo.getSize()
            self.logo_height = 7 * mm * text
            self.logo_width = min(self.logo_height * width / height, self.inner * 0.6)
            self.logo_height = self.logo_width * height / width
            self.top += self.logo_height + self.gap * 0.5


class _Flow:
    """Lines placed from the top of a label downwards; ``top`` is measured from the top."""

    def __init__(self, geometry: _Geometry, top: float, narrow_below: float | None):
        self.g = geometry
        self.top = top
        self.narrow_below = narrow_below
        self.lines: list[_Line] = []
        self.full_bottom = 0.0  # Bottom of the last line laid out at full width.

    def width_here(self, height: float) -> float:
        """The full width, or what the QR code leaves if this block reaches down to it."""
        g = self.g
        if self.narrow_below is not None and self.top + height > self.narrow_below:
            return g.inner - g.qr - g.gap
        return g.inner

    def add(self, lines: tuple[str, ...], font: str, size: float, colour,
            leading: float = 1.15) -> None:
        for text in lines:
            baseline = self.top + _ASCENT * size
            self.lines.append(_Line(font, size, colour, self.g.pad, self.g.height - baseline,
                                    text))
            self.top = baseline + _DESCENT * size + (leading - 1) * size

    def block(self, text: str, fit, font: str, sizes: tuple[float, float], colour,
              scale: float = 1.0, **options) -> None:
        """Fit ``text`` at full width; again beside the QR code if it reaches that low."""
        if not text:
            return
        largest, smallest = sizes[0] * scale, sizes[1] * scale
        size, lines = fit(text, font, largest, smallest, self.g.inner, **options)
        if self.width_here(len(lines) * size * 1.15) < self.g.inner:
            size, lines = fit(text, font, largest, smallest, self.width_here(1e9), **options)
            self.add(lines, font, size, colour)
        else:
            self.add(lines, font, size, colour)
            self.full_bottom = self.top


def _reserved_below(badge: Badge, g: _Geometry) -> float:
    """Height kept free at the bottom of a label: the padding, or the role band."""
    return g.band_inset + g.band + g.pad / 2 if plain_text(badge.role) else g.pad


def _layout(badge: Badge, g: _Geometry, qr_box: bool) -> list[_Line]:
    """Every line of a badge, shrinking names and organisation together if the label is
    too short for them at their first sizes."""
    bottom = g.height - _reserved_below(badge, g)
    narrow_below = bottom - g.qr if qr_box else None
    header = [text for text in (plain_text(badge.event_title), plain_text(badge.event_date)) if text]
    workshops = [plain_text(text) for text in badge.workshops if plain_text(text)]
    first, last = plain_text(badge.first_name), plain_text(badge.last_name)
    organisation = plain_text(badge.organisation)
    workshop_width = g.inner - (g.qr + g.gap if qr_box else 0)

    scale = 1.0
    for _attempt in range(6):
        flow = _Flow(g, g.top, narrow_below)
        if header:
            flow.block(header[0], fit_block, FONT, g.header, MUTED)
            for text in header[1:]:
                flow.block(text, fit_block, FONT, g.header, MUTED, max_lines=1)
            flow.top += g.gap
        names_from, names_top = len(flow.lines), flow.top
        flow.block(first, fit_name, FONT_BOLD, g.first_name, _INK, scale)
        flow.block(last, fit_name, FONT_BOLD, g.last_name, _INK, scale)
        if organisation:
            flow.top += g.gap * 0.5
            flow.block(organisation, fit_block, FONT, g.organisation, MUTED, scale)
        # Workshops sit at the bottom, beside the QR code: laid out, then moved down.
        tail = _Flow(g, 0.0, None)
        for text in workshops:
            size, lines = fit_block(text, FONT_BOLD, g.workshop[0] * scale,
                                    g.workshop[1] * scale, workshop_width, max_lines=1)
            tail.add(lines, FONT_BOLD, size, _INK)
        shift = bottom - tail.top
        room = shift - (g.gap if workshops else 0)
        if flow.top <= room or scale < 0.6:
            break
        scale *= 0.9
    # The names and organisation are centred in the room left between the header and
    # what sits at the bottom; a line laid out at full width never goes down beside
    # the QR code.
    down = max(0.0, (room - flow.top) / 2)
    if narrow_below is not None:
        down = min(down, max(0.0, narrow_below - max(flow.full_bottom, names_top)))
    moved = [_Line(line.font, line.size, line.colour, line.x, line.y - down, line.text)
             for line in flow.lines[names_from:]]
    return flow.lines[:names_from] + moved + [
        _Line(line.font, line.size, line.colour, line.x, line.y - shift, line.text)
        for line in tail.lines]


# Drawing ---------------------------------------------------------------------------------

def _draw_label(canvas: JourneeCanvas, badge: Badge, g: _Geometry,
                qr: QrMatrix | None) -> None:
    if g.logo is not None:
        canvas.drawImage(g.logo, g.pad, g.height - g.pad - g.logo_height, g.logo_width,
                         g.logo_height, mask="auto")
    role = plain_text(badge.role)
    if role:
        canvas.setFillColor(BAND_COLOURS.get(role, _OTHER_BAND))
        canvas.rect(g.band_inset, g.band_inset, g.width - 2 * g.band_inset, g.band,
                    stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(FONT_BOLD, g.band_size)
        canvas.drawCentredString(g.width / 2, g.band_inset + (
            g.band - _ASCENT * g.band_size) / 2, role)
    colour = None
    for line in _layout(badge, g, qr is not None):
        if line.colour is not colour:
            colour = line.colour
            canvas.setFillColor(colour)
        canvas.setFont(line.font, line.size)
        canvas.drawString(line.x, line.y, line.text)
    if qr is not None:
        draw_qr(canvas, qr, g.width - g.pad - g.qr, _reserved_below(badge, g), g.qr)


def _draw_cut_marks(canvas: JourneeCanvas, sheet: SheetFormat) -> None:
    """Short lines in the page margins along every label edge, outside the labels; a
    margin too thin to print in (under 3 mm) gets none."""
    page_width, page_height = sheet.page_size
    xs = sorted({round(sheet.margin_left + column * (sheet.label_width + sheet.gap_x) + edge, 3)
                 for column in range(sheet.columns) for edge in (0, sheet.label_width)})
    ys = sorted({round(sheet.margin_top + row * (sheet.label_height + sheet.gap_y) + edge, 3)
                 for row in range(sheet.rows) for edge in (0, sheet.label_height)})
    left, right = xs[0] * mm, xs[-1] * mm
    top, bottom = page_height - ys[0] * mm, page_height - ys[-1] * mm
    margins = {"top": page_height - top, "bottom": bottom, "left": left,
               "right": page_width - right}
    canvas.setStrokeColor(_CUT_MARK)
    canvas.setLineWidth(0.3)
    path = canvas.beginPath()
    for side, room in margins.items():
        if room < 3 * mm:
            continue
        start, length = 1 * mm, min(6 * mm, room - 1.5 * mm)
        if side in ("top", "bottom"):
            y = top + start if side == "top" else bottom - start - length
            for x in xs:
                path.moveTo(x * mm, y)
                path.lineTo(x * mm, y + length)
        else:
            x = left - start - length if side == "left" else right + start
            for y_mm in ys:
                path.moveTo(x, page_height - y_mm * mm)
                path.lineTo(x + length, page_height - y_mm * mm)
    canvas.drawPath(path, stroke=1, fill=0)


def build_badges(sheet_format: SheetFormat, badges: list[Badge],
                 offset_mm: tuple[float, float] = (0, 0), cut_marks: bool = True,
                 skip: int = 0, title: str = "Badges", logo: bytes | None = None) -> bytes:
    """The PDF of ``badges`` on ``sheet_format``.

    :param logo: the institute's logo (PNG), drawn once and shown on every label.
    :param offset_mm: calibration for a printer that shifts the page: (right, down) in
        millimetres, applied to everything drawn, cut marks included.
    :param skip: labels already used on the first sheet (0 to ``per_page - 1``).
    """
    if not 0 <= skip < sheet_format.per_page:
        raise ValueError(f"skip must be between 0 and {sheet_format.per_page - 1}")
    register_fonts()
    buffer = BytesIO()
    canvas = JourneeCanvas(buffer, pagesize=sheet_format.page_size, initialFontName=FONT)
    canvas.setTitle(plain_text(title))
    canvas.setCreator("Journée")
    geometry = _Geometry(sheet_format, ImageReader(BytesIO(logo)) if logo else None)
    dx, dy = offset_mm[0] * mm, -offset_mm[1] * mm
    slot = skip
    page_started = False
    for badge in badges:
        if not page_started:
            canvas.translate(dx, dy)
            if cut_marks:
                _draw_cut_marks(canvas, sheet_format)
            page_started = True
        x, y = sheet_format.label_origin(slot)
        canvas.saveState()
        canvas.translate(x, y)
        qr = qr_matrix(badge.qr_url) if badge.qr_url else None
        _draw_label(canvas, badge, geometry, qr)
        canvas.restoreState()
        slot += 1
        if slot == sheet_format.per_page:
            canvas.showPage()
            slot, page_started = 0, False
    if page_started or not badges:
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
