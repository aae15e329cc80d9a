"""QR codes: encoded by zxing-cpp, drawn as vector runs, read back from a rendered page."""

import subprocess
from io import BytesIO

import zxingcpp
from PIL import Image, ImageDraw
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from journee.documents.qr import QUIET_ZONE, draw_qr, qr_matrix, qr_path_operators

URL = "https://journee.example.fr/admin/journees/12/accueil/badge/Ab3_xY-9kLmNoPqR"


def image_of(matrix, scale=8, quiet=4) -> Image.Image:
    """The matrix drawn module by module with Pillow, from its runs."""
    side = (matrix.size + 2 * quiet) * scale
    image = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(image)
    for column, row, length in zip(matrix.columns, matrix.rows, matrix.lengths):
        top = matrix.size - 1 - row
        draw.rectangle([(quiet + column) * scale, (quiet + top) * scale,
                        (quiet + column + length) * scale - 1, (quiet + top + 1) * scale - 1],
                       fill=0)
    return image


def decoded(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)
            if result.format == zxingcpp.BarcodeFormat.QRCode]


def test_the_runs_describe_a_qr_code_with_its_finder_patterns():
    matrix = qr_matrix(URL)
    assert matrix.size == 37  # Version 5 at error correction M for this link.
    # The top-left finder pattern: a dark 7-module ring around a light one.
    assert all(matrix.is_dark(0, column) for column in range(7))
    assert not matrix.is_dark(1, 1) and matrix.is_dark(1, 0) and matrix.is_dark(1, 6)
    assert matrix.is_dark(3, 3)  # The finder's centre.
    assert not matrix.is_dark(0, 7)  # The separator.
    # Runs never overlap and stay inside the matrix.
    cells = set()
    for column, row, length in zip(matrix.columns, matrix.rows, matrix.lengths):
        assert length >= 1 and 0 <= column and column + length <= matrix.size
        assert 0 <= row < matrix.size
        span = {(row, c) for c in range(column, column + length)}
        assert not cells & span
        cells |= span
    assert qr_path_operators(matrix).startswith(
        f"{matrix.columns[0]} {matrix.rows[0]} {matrix.lengths[0]} 1 re")


def test_the_runs_decode_back_to_the_text():
    for text in (URL, "https://exemple.fr/é?x=1&y=<2>"):
        assert decoded(image_of(qr_matrix(text))) == [text]


def test_a_code_drawn_on_a_pdf_page_decodes_back(tmp_path):
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(60 * mm, 60 * mm))
    draw_qr(canvas, qr_matrix(URL), 10 * mm, 10 * mm, 22 * mm)
    canvas.showPage()
    canvas.save()
    (tmp_path / "qr.pdf").write_bytes(buffer.getvalue())
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", str(tmp_path / "qr.pdf"),
                    str(tmp_path / "qr")], check=True)
    image = Image.open(tmp_path / "qr.png")
    assert decoded(image) == [URL]
    # The code fills its box less the quiet zone: nothing dark at the box's edge.
    pixels_per_mm = 300 / 25.4
    module = 22 / (37 + 2 * QUIET_ZONE)
    left = round((10 + (QUIET_ZONE - 0.5) * module) * pixels_per_mm)
    top = image.height - round((10 + 22 - (QUIET_ZONE - 0.5) * module) * pixels_per_mm)
    grey = image.convert("L")
    assert grey.getpixel((left, top + 40)) == 255
    inside = round((10 + (QUIET_ZONE + 0.5) * module) * pixels_per_mm)
    assert grey.getpixel((inside, image.height - inside)) == 0  # A finder's corner.
