"""Sign-in sheets (« feuilles d’émargement »): one row per attendee, one signature column
per half-day, a few blank rows for people registered on the spot.

The table is drawn straight on the canvas rather than with a Platypus ``Table``: a
thousand-person sheet then costs little more than drawing its strings. Every row has the
same height, so the page breaks are known before drawing; the header row is repeated on
each page and the pages are numbered « page 2 / 5 ».
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO

from PIL import Image, ImageOps
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc

from .pdf import (
    ACCENT,
    FONT,
    FONT_BOLD,
    MUTED,
    numbered_canvas,
    plain_text,
    right_to_left,
    text_width,
    wrap_lines,
)

GRID = colors.HexColor("#444444")
HEADER_FILL = colors.HexColor("#e8eef4")


@dataclass(frozen=True)
class SignatureColumn:
    """One half-day to sign for: « Matin », its hours, and its day on multi-day sheets."""

    label: str
    hours: str = ""
    day: str = ""


@dataclass(frozen=True)
class CellSignature:
    """What a signed cell shows: the signature (PNG bytes) and its time « 9 h 12 », or,
    without an image, the presence attested by staff (``attested``)."""

    time: str = ""
    image: bytes | None = None
    attested: str = ""
    prepared: bytes | None = None
    """The image as :meth:`PreparedSignature.to_bytes` kept it, when known."""


@dataclass(frozen=True)
class SigninRow:
    last_name: str
    first_name: str
    organisation: str = ""
    signatures: Sequence[CellSignature | None] = ()
    """One per signature column, ``None`` where nothing was signed (a signed sheet)."""


@dataclass(frozen=True)
class SigninSheet:
    """Everything a sign-in sheet prints; ``workshop`` empty for the whole day's sheet."""

    event_title: str
    dates: str
    hours: str
    place: str
    organiser: str
    columns: Sequence[SignatureColumn]
    rows: Sequence[SigninRow]
    edition: str = ""
    workshop: str = ""
    room: str = ""
    facilitators: Sequence[str] = field(default_factory=tuple)
    blank_rows: int = 5
    facilitator_signatures: Sequence[CellSignature | None] = ()
    """One per facilitator, in the order of ``facilitators`` (a signed sheet)."""
    seal: str = ""
    """The SHA-256 of the sheet's content, printed in every page's footer."""


def display_name(row: SigninRow) -> tuple[str, str]:
    """« NOM » and « Prénom », as the sheet prints them (last name first, in capitals)."""
    return plain_text(row.last_name).upper(), plain_text(row.first_name)


# Page geometry, in points.
MARGIN_X = 15 * mm
MARGIN_TOP = 14 * mm
MARGIN_BOTTOM = 17 * mm
ROW_HEIGHT = 11 * mm
HEADER_ROW_HEIGHT = 13 * mm
NUMBER_WIDTH = 9 * mm
PAD = 1.6 * mm
NAME_SIZE = 9.5
ORG_SIZE = 8
MIN_SIZE = 5
LEADING = 1.15  # line height, as a multiple of the font size
SIGNATURE_BOX_HEIGHT = 18 * mm
SIGNATURE_BOX_WIDTH = 42 * mm  # a pair of boxes; one alone is twice as wide
BOX_GAP = 3 * mm


def build_signin_sheet(sheet: SigninSheet) -> bytes:
    """The sheet as A4 PDF bytes (landscape when more than two half-days are signed)."""
    buffer = BytesIO()
    pagesize = landscape(A4) if len(sheet.columns) > 2 else A4
    title = "Feuille d’émargement"
    footer = f"{title} — {plain_text(sheet.event_title)}"
    if sheet.workshop:
        footer += f" — {plain_text(sheet.workshop)}"
    note = f"Empreinte SHA-256 du contenu\u00a0: {sheet.seal}" if sheet.seal else ""
    canvas = numbered_canvas(footer, note)(buffer, pagesize=pagesize, pageCompression=1)
    canvas.setTitle(f"{title} — {plain_text(sheet.workshop or sheet.event_title)}")
    canvas.setAuthor(plain_text(sheet.organiser))
    canvas.setSubject(title)
    canvas.setCreator("Journée")
    _SheetWriter(canvas, sheet, pagesize).draw()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


class _SheetWriter:
    def __init__(self, canvas, sheet: SigninSheet, pagesize: tuple[float, float]):
        self.c = canvas
        self.sheet = sheet
        self.width, self.height = pagesize
        self.x0 = MARGIN_X
        self.x1 = self.width - MARGIN_X
        self.widths = self._column_widths()

    def _column_widths(self) -> list[float]:
        """N°, name, organisation, then the signature columns."""
        usable = self.x1 - self.x0
        count = max(len(self.sheet.columns), 1)
        signature = min(45 * mm if count == 1 else 36 * mm,
                        (usable - NUMBER_WIDTH - 95 * mm) / count)
        rest = usable - NUMBER_WIDTH - signature * count
        return [NUMBER_WIDTH, rest * 0.55, rest * 0.45] + [signature] * count

    # Drawing -----------------------------------------------------------------------

    def draw(self) -> None:
        rows = list(self.sheet.rows)
        total = len(rows) + max(self.sheet.blank_rows, 0)
        y = self._first_header()
        index = 0
        while True:
            y = self._table_header(y)
            while index < total and y - ROW_HEIGHT >= MARGIN_BOTTOM:
                self._row(y, index, rows[index] if index < len(rows) else None)
                y -= ROW_HEIGHT
                index += 1
            if index >= total:
                break
            self.c.showPage()
            y = self._running_header()
        if y - self._signature_height() < MARGIN_BOTTOM:
            self.c.showPage()
            y = self._running_header()
        self._signatures(y - 6 * mm)

    def _first_header(self) -> float:
        c, sheet = self.c, self.sheet
        y = self.height - MARGIN_TOP
        c.setFillColor(MUTED)
        c.setFont(FONT, 8.5)
        if sheet.organiser:
            y -= 8.5
            c.drawString(self.x0, y, _fit(plain_text(sheet.organiser), FONT, 8.5,
                                          self.x1 - self.x0))
        c.setFillColor(ACCENT)
        c.setFont(FONT_BOLD, 16)
        y -= 20
        c.drawString(self.x0, y, "Feuille d’émargement")
        c.setFillColor(colors.black)
        lines = wrap_lines(plain_text(sheet.event_title), FONT_BOLD, 12, self.x1 - self.x0)
        c.setFont(FONT_BOLD, 12)
        for line in lines[:3]:
            y -= 15
            c.drawString(self.x0, y, line)
        if sheet.edition:
            y -= 12
            c.setFont(FONT, 9)
            c.setFillColor(MUTED)
            c.drawString(self.x0, y, _fit(plain_text(sheet.edition), FONT, 9, self.x1 - self.x0))
            c.setFillColor(colors.black)
        if sheet.workshop:
            c.setFont(FONT_BOLD, 11)
            c.setFillColor(ACCENT)
            y -= 3
            for line in wrap_lines(plain_text(sheet.workshop), FONT_BOLD, 11,
                                   self.x1 - self.x0)[:3]:
                y -= 14
                c.drawString(self.x0, y, line)
            c.setFillColor(colors.black)
        y -= 4
        facts = [("Date", sheet.dates), ("Horaires", sheet.hours), ("Lieu", sheet.place)]
        if sheet.workshop:
            facts += [("Salle", sheet.room),
                      ("Animation", ", ".join(plain_text(name) for name in sheet.facilitators))]
        facts.append(("Organisation", sheet.organiser))
        for label, value in facts:
            if value:
                y = self._fact(y, label, plain_text(value))
        return y - 5 * mm

    def _fact(self, y: float, label: str, value: str) -> float:
        """« Lieu : IRTS-IDS Normandie, … », the value wrapped under itself."""
        c = self.c
        label_text = f"{label}\u00a0:"
        c.setFont(FONT_BOLD, 9.5)
        c.drawString(self.x0, y - 12, label_text)
        indent = 30 * mm
        lines = wrap_lines(value, FONT, 9.5, self.x1 - self.x0 - indent) or [""]
        c.setFont(FONT, 9.5)
        for line in lines[:3]:
            y -= 12
            c.drawString(self.x0 + indent, y, line)
        return y - 1.5

    def _running_header(self) -> float:
        """The top of a continuation page: what the sheet is about, in one line."""
        c, sheet = self.c, self.sheet
        y = self.height - MARGIN_TOP - 9
        c.setFont(FONT_BOLD, 9)
        c.setFillColor(ACCENT)
        subject = plain_text(sheet.workshop) if sheet.workshop else plain_text(sheet.event_title)
        text = f"Feuille d’émargement — {subject} — {plain_text(sheet.dates)}"
        c.drawString(self.x0, y, _fit(text, FONT_BOLD, 9, self.x1 - self.x0))
        c.setFillColor(colors.black)
        return y - 4 * mm

    def _table_header(self, top: float) -> float:
        c = self.c
        bottom = top - HEADER_ROW_HEIGHT
        c.setFillColor(HEADER_FILL)
        c.setStrokeColor(GRID)
        c.setLineWidth(0.6)
        c.rect(self.x0, bottom, self.x1 - self.x0, HEADER_ROW_HEIGHT, stroke=1, fill=1)
        c.setFillColor(colors.black)
        x = self.x0
        headings = [("N°", "", ""), ("NOM Prénom", "", ""), ("Structure", "", "")]
        headings += [(col.label, col.hours, col.day) for col in self.sheet.columns]
        for (label, hours, day), width in zip(headings, self.widths):
            self._header_cell(x, top, width, plain_text(label), plain_text(hours),
                              plain_text(day))
            x += width
        self._verticals(top, bottom)
        return bottom

    def _header_cell(self, x: float, top: float, width: float, label: str, hours: str,
                     day: str) -> None:
        c = self.c
        lines = [(day, FONT, 7.5)] if day else []
        lines.append((label, FONT_BOLD, 8.5))
        if hours:
            lines.append((hours, FONT, 7.5))
        y = top - (HEADER_ROW_HEIGHT - 9.5 * len(lines)) / 2
        for text, font, size in lines:
            y -= 9.5
            c.setFont(font, size)
            c.drawString(x + PAD, y + 2, _fit(text, font, size, width - 2 * PAD))

    def _verticals(self, top: float, bottom: float) -> None:
        x = self.x0
        for width in self.widths[:-1]:
            x += width
            self.c.line(x, top, x, bottom)

    def _row(self, top: float, index: int, row: SigninRow | None) -> None:
        c = self.c
        bottom = top - ROW_HEIGHT
        c.rect(self.x0, bottom, self.x1 - self.x0, ROW_HEIGHT, stroke=1, fill=0)
        self._verticals(top, bottom)
        middle = bottom + ROW_HEIGHT / 2
        c.setFont(FONT, 7.5)
        c.setFillColor(MUTED)
        c.drawRightString(self.x0 + NUMBER_WIDTH - PAD, middle - 2.5, str(index + 1))
        c.setFillColor(colors.black)
        if row is None:
            return
        x = self.x0 + NUMBER_WIDTH
        self._name_cell(x, middle, self.widths[1] - 2 * PAD, row)
        x += self.widths[1]
        organisation = plain_text(row.organisation)
        if organisation:
            self._text_cell(x + PAD, middle, self.widths[2] - 2 * PAD, organisation)
        x += self.widths[2]
        for signature, width in zip(row.signatures, self.widths[3:]):
            if signature is not None:
                self._signature(x, bottom, width, ROW_HEIGHT, signature)
            x += width

    def _signature(self, x: float, bottom: float, width: float, height: float,
                   signature: CellSignature) -> None:
        """The image scaled into the cell with its time under it, or the attested
        presence in small type."""
        c = self.c
        if signature.image is None:
            text = plain_text(signature.attested)
            if signature.time:
                text += f" ({signature.time})"
            self._lines(x + PAD, bottom + height / 2, width - 2 * PAD, [(text, FONT)],
                        max_size=6.5)
            return
        time_size = 6.5
        room_w, room_h = width - 2 * PAD, height - 2 * PAD - time_size - 1
        image = (PreparedSignature.from_bytes(signature.prepared) if signature.prepared
                 else _image(signature.image))
        scale = min(room_w / image.width, room_h / image.height)
        drawn_w, drawn_h = image.width * scale, image.height * scale
        _draw_image(c, image, x + PAD + (room_w - drawn_w) / 2,
                    bottom + PAD + time_size + 1 + (room_h - drawn_h) / 2, drawn_w, drawn_h)
        c.setFont(FONT, time_size)
        c.setFillColor(MUTED)
        c.drawRightString(x + width - PAD, bottom + PAD, plain_text(signature.time))
        c.setFillColor(colors.black)

    def _name_cell(self, x: float, middle: float, room: float, row: SigninRow) -> None:
        """« NOM » in bold then « Prénom », on one line, shrunk a little if needed; a name
        too long for that goes on two lines (never cut)."""
        last, first = display_name(row)
        space = _width(" ", FONT, NAME_SIZE) if first else 0
        pieces = [(last, FONT_BOLD)] + ([(first, FONT)] if first else [])
        total = sum(_width(text, font, NAME_SIZE) for text, font in pieces) + space
        size = NAME_SIZE
        if total > room:
            size = NAME_SIZE * room / total
        x += PAD
        if size >= 7.5:
            # An Arabic or Hebrew name reads from the right: NOM on the right.
            on_line = pieces[::-1] if right_to_left(f"{last} {first}") else pieces
            for text, font in on_line:
                self.c.setFont(font, size)
                self.c.drawString(x, middle - size / 3, text)
                x += (_width(text, font, NAME_SIZE) + space) * size / NAME_SIZE
            return
        self._lines(x, middle, room, pieces, max_size=NAME_SIZE)

    def _text_cell(self, x: float, middle: float, room: float, text: str) -> None:
        if _width(text, FONT, ORG_SIZE) <= room:
            self.c.setFont(FONT, ORG_SIZE)
            self.c.drawString(x, middle - ORG_SIZE / 3, text)
            return
        self._lines(x, middle, room, [(text, FONT)], max_size=ORG_SIZE)

    def _lines(self, x: float, middle: float, room: float, pieces: list[tuple[str, str]],
               max_size: float) -> None:
        """Texts wrapped on up to three lines centred on the row's middle."""
        size, lines = _wrapped(tuple(pieces), room, max_size)
        leading = size * LEADING
        y = middle + leading * (len(lines) - 1) / 2 - size / 3
        for text, font in lines:
            self.c.setFont(font, size)
            self.c.drawString(x, y, text)
            y -= leading

    # Signatures ---------------------------------------------------------------------

    def _signers(self) -> tuple[str, list[str]]:
        sheet = self.sheet
        if sheet.workshop:
            names = [plain_text(name) for name in sheet.facilitators] or ["", ""]
            heading = ("Signature de l’animateur·rice" if len(names) == 1
                       else "Signatures des animateur·rices")
            return heading, names
        return "Signature de l’organisateur·rice", [plain_text(sheet.organiser)]

    def _signature_height(self) -> float:
        _, names = self._signers()
        per_line = self._boxes_per_line()
        lines = -(-len(names) // per_line)
        return 6 * mm + 14 + lines * (SIGNATURE_BOX_HEIGHT + BOX_GAP)

    def _boxes_per_line(self) -> int:
        """Up to five boxes side by side (at least 33 mm wide each)."""
        fit = int((self.x1 - self.x0 + BOX_GAP) // (33 * mm + BOX_GAP))
        return max(1, min(fit, 5))

    def _signatures(self, y: float) -> None:
        c = self.c
        heading, names = self._signers()
        c.setFont(FONT_BOLD, 10)
        c.setFillColor(ACCENT)
        y -= 10
        c.drawString(self.x0, y, heading)
        c.setFillColor(colors.black)
        y -= 4
        per_line = self._boxes_per_line()
        shown = min(per_line, len(names))
        box_width = min(2 * SIGNATURE_BOX_WIDTH,
                        (self.x1 - self.x0 - (shown - 1) * BOX_GAP) / shown)
        signed = list(self.sheet.facilitator_signatures) if self.sheet.workshop else []
        for start in range(0, len(names), per_line):
            x = self.x0
            for number, name in enumerate(names[start:start + per_line], start=start):
                c.rect(x, y - SIGNATURE_BOX_HEIGHT, box_width, SIGNATURE_BOX_HEIGHT)
                signature = signed[number] if number < len(signed) else None
                if signature is not None:
                    self._signature(x, y - SIGNATURE_BOX_HEIGHT, box_width,
                                    SIGNATURE_BOX_HEIGHT - 10, signature)
                c.setFont(FONT, 8)
                line_y = y - 10
                for line in wrap_lines(name or "Nom\u00a0:", FONT, 8, box_width - 2 * PAD)[:2]:
                    c.drawString(x + PAD, line_y, _fit(line, FONT, 8, box_width - 2 * PAD))
                    line_y -= 9.5
                x += box_width + BOX_GAP
            y -= SIGNATURE_BOX_HEIGHT + BOX_GAP


@lru_cache(maxsize=2048)
def _wrapped(pieces: tuple[tuple[str, str], ...], room: float,
             max_size: float) -> tuple[float, list[tuple[str, str]]]:
    """The size and lines of texts wrapped to fit a cell: the largest size at which they
    take three lines at most within the row's height; only a text too long even at the
    smallest size ends with « … ». Cached: the same organisation comes back on many rows."""
    size = max_size
    while True:
        lines = [(line, font) for text, font in pieces
                 for line in wrap_lines(text, font, size, room)]
        fits = (len(lines) <= 3 and len(lines) * size * LEADING <= ROW_HEIGHT - PAD
                and all(text_width(t, f, size) <= room for t, f in lines))
        if fits or size <= MIN_SIZE:
            break
        size -= 0.5
    if not fits:
        if len(lines) > 3:
            lines = lines[:2] + [(" ".join(t for t, _ in lines[2:]), lines[2][1])]
        lines = [(_fit(t, f, size, room), f) for t, f in lines]
    return size, lines


#: Enough pixels for a signature cell (36 × 7 mm) at about 200 dpi; larger images are
#: divided by a whole factor, which costs far less than resampling.
SIGNATURE_PIXELS = (320, 100)


@dataclass(frozen=True)
class PreparedSignature:
    """A signature ready for the PDF: grey pixels, already compressed.

    Prepared once when the person signs (:func:`prepare_signature`) and kept with the
    signature as :meth:`to_bytes`, so that a sheet of hundreds of signatures decodes
    none of them."""

    name: str
    width: int
    height: int
    stream: bytes

    def to_bytes(self) -> bytes:
        return struct.pack(">HH", self.width, self.height) + self.stream

    @classmethod
    def from_bytes(cls, data: bytes) -> PreparedSignature:
        width, height = struct.unpack(">HH", data[:4])
        return cls(hashlib.sha256(data).hexdigest(), width, height, data[4:])


def prepare_signature(data: bytes) -> PreparedSignature:
    """A signature decoded, flattened on white in grey levels, brought down to what a cell
    can show and compressed."""
    with Image.open(BytesIO(data)) as image:
        if image.mode == "P" or "transparency" in image.info:
            image = image.convert("RGBA")
        if image.mode in ("RGBA", "LA"):
            # Ink on a transparent pad (static/signature.js): its opacity is the ink.
            flat = ImageOps.invert(_reduced(image.getchannel("A")))
        else:
            flat = _reduced(image.convert("L"))
    return PreparedSignature.from_bytes(
        struct.pack(">HH", flat.width, flat.height) + zlib.compress(flat.tobytes()))


@lru_cache(maxsize=1024)
def _image(data: bytes) -> PreparedSignature:
    """A signature kept without its prepared form (e.g. a benchmark's), prepared once
    however many cells and sheets show it."""
    return prepare_signature(data)


class _GreyImageXObject(pdfdoc.PDFImageXObject):
    """A grey image already compressed, written as the bytes ``PDFImageXObject`` would
    give through its generic dictionaries, at a fraction of their cost (a sheet holds
    hundreds)."""

    def format(self, document) -> bytes:
        content = document.encrypt.encode(self.streamContent)
        return (b"<<\n/BitsPerComponent 8 /ColorSpace /DeviceGray /Filter [ /FlateDecode ] "
                b"/Height %d /Length %d /Subtype /Image \n  /Type /XObject /Width %d\n>>"
                b"\nstream\n%sendstream\n" % (self.height, len(content), self.width, content))


def _draw_image(canvas, image: PreparedSignature, x: float, y: float, width: float,
                height: float) -> None:
    """Draw a prepared image as ``Canvas.drawImage`` does, without decoding, hashing and
    compressing its pixels again: each image is one XObject of the document, drawn by
    every cell that shows it."""
    document = canvas._doc
    registered = document.getXObjectName(image.name)
    if document.idToObject.get(registered) is None:
        xobject = _GreyImageXObject(image.name)
        xobject.width, xobject.height = image.width, image.height
        xobject.bitsPerComponent = 8
        xobject.colorSpace = "DeviceGray"
        xobject._filters = ("FlateDecode",)
        xobject.streamContent = image.stream
        xobject.mask = None
        document.Reference(xobject, registered)
        document.addForm(image.name, xobject)
    canvas._code.append(f"q {width:.2f} 0 0 {height:.2f} {x:.2f} {y:.2f} cm /{registered} Do Q")
    canvas._formsinuse.append(image.name)
    canvas._currentPageHasImages = 1


def _reduced(image: Image.Image) -> Image.Image:
    width, height = image.size
    factor = max(1, -(-width // SIGNATURE_PIXELS[0]), -(-height // SIGNATURE_PIXELS[1]))
    return image.reduce(factor) if factor > 1 else image


#: String widths of the texts that repeat from row to row (organisations, first names).
_width = lru_cache(maxsize=4096)(text_width)


@lru_cache(maxsize=1024)
def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text``, cut with an ellipsis only if it cannot fit in ``width``."""
    if text_width(text, font, size) <= width:
        return text
    while text and text_width(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"
