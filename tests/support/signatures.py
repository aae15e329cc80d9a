"""Signature images as a finger would draw them, and their data URLs."""

from __future__ import annotations

import base64
from io import BytesIO

from PIL import Image, ImageDraw


def signature_png(width: int = 300, height: int = 100, seed: int = 0) -> bytes:
    """A transparent PNG with a dark stroke across it (``seed`` moves the stroke)."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [(10 + i * 20, height // 2 + ((i * 7 + seed) % 5 - 2) * 8)
              for i in range((width - 20) // 20)]
    draw.line(points, fill=(20, 20, 60, 255), width=3)
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def blank_png(width: int = 300, height: int = 100) -> bytes:
    buffer = BytesIO()
    Image.new("RGBA", (width, height), (0, 0, 0, 0)).save(buffer, "PNG")
    return buffer.getvalue()


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
