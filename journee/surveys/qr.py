"""The QR code of the questionnaire's public link, as SVG for the page to project."""

from __future__ import annotations

from markupsafe import Markup

from ..documents.qr import QUIET_ZONE, qr_matrix


def qr_svg(text: str) -> Markup:
    """One path of dark runs; the code is an image named by the link it holds."""
    matrix = qr_matrix(text)
    side = matrix.size + 2 * QUIET_ZONE
    runs = "".join(
        f"M{column + QUIET_ZONE} {matrix.size - 1 - row + QUIET_ZONE}h{length}v1h-{length}z"
        for column, row, length in zip(matrix.columns, matrix.rows, matrix.lengths))
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 {side} {side}" '
        f'role="img" aria-label="QR code du questionnaire" shape-rendering="crispEdges">'
        f'<rect width="{side}" height="{side}" fill="#fff"/>'
        f'<path d="{runs}" fill="#000"/></svg>')
