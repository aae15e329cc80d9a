"""QR codes drawn as vector shapes on a ReportLab canvas.

``zxing-cpp`` encodes a text in a fraction of a millisecond (ReportLab's own pure-Python
encoder takes about 18 ms a code, 18 s for a thousand badges). The dark modules are drawn
as one filled path, one rectangle per horizontal run, in a coordinate system where a
module is one unit: the path is a short list of integers, adjacent rectangles merge
without hairline seams, and the code stays sharp at any printer resolution.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import zxingcpp

QUIET_ZONE = 2
"""Light modules kept around the code inside its box (the badge's padding adds more)."""

ERROR_CORRECTION = "M"
"""Level M survives a smudge or a fold better than L, for a code a few modules larger."""


@dataclass(frozen=True, slots=True)
class QrMatrix:
    """The dark runs of a QR code: ``size`` modules a side, and for each run its first
    column, its row counted from the bottom, and its length."""

    size: int
    columns: tuple[int, ...]
    rows: tuple[int, ...]
    lengths: tuple[int, ...]

    def is_dark(self, row_from_top: int, column: int) -> bool:
        """Whether a module is dark (for tests and images; drawing uses the runs)."""
        row = self.size - 1 - row_from_top
        return any(r == row and c <= column < c + n
                   for c, r, n in zip(self.columns, self.rows, self.lengths))


def qr_matrix(text: str) -> QrMatrix:
    """Encode ``text`` (UTF-8) and find the runs of dark modules, row by row."""
    image = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode,
                                    ec_level=ERROR_CORRECTION).to_image(
        scale=1, add_quiet_zones=False)
    pixels = np.asarray(image)  # 0 is a dark module, 255 a light one.
    size = pixels.shape[0]
    # A light column on each side turns every run into a rise then a fall of the diff.
    dark = np.zeros((size, size + 2), np.int8)
    dark[:, 1:-1] = pixels == 0
    steps = np.diff(dark, axis=1)
    rows, starts = np.nonzero(steps == 1)
    _, ends = np.nonzero(steps == -1)
    return QrMatrix(size, tuple(starts.tolist()), tuple((size - 1 - rows).tolist()),
                    tuple((ends - starts).tolist()))


def qr_path_operators(matrix: QrMatrix) -> str:
    """The PDF path of the dark runs, in module units from the code's bottom-left corner."""
    return " ".join(map("{} {} {} 1 re".format, matrix.columns, matrix.rows, matrix.lengths))


def draw_qr(canvas, matrix: QrMatrix, x: float, y: float, width: float,
            quiet_zone: int = QUIET_ZONE) -> None:
    """Draw the code in black in the square of side ``width`` whose bottom-left corner
    is at (``x``, ``y``), leaving ``quiet_zone`` light modules inside each edge.

    The operators are integers generated here, never user text, which is what makes
    :meth:`Canvas.addLiteral` safe; that keeps the cost of a code to one string.
    """
    module = width / (matrix.size + 2 * quiet_zone)
    canvas.saveState()
    canvas.setFillGray(0)
    canvas.translate(x + quiet_zone * module, y + quiet_zone * module)
    canvas.scale(module, module)
    canvas.addLiteral(qr_path_operators(matrix) + " f")
    canvas.restoreState()
