"""The accent colour and WCAG 2.1 contrast: a colour that would make links or buttons
hard to read is refused, with a darker variant of the same hue to try instead."""

from __future__ import annotations

import re

#: The backgrounds the accent is drawn on or against in journee.css: white (the page,
#: the text of primary buttons), --soft (summaries, workshops, table heads) and
#: --warn-bg (notices, which hold links).
BACKGROUNDS = {"#ffffff": "le blanc", "#f2f4f8": "le gris clair des encadrés",
               "#fff4d6": "le jaune des avertissements"}
MINIMUM_RATIO = 4.5
"""WCAG 2.1 AA for normal text (success criterion 1.4.3)."""
DEFAULT_ACCENT = "#004f8a"
_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def normalised(colour: str) -> str | None:
    """``#rrggbb`` in lower case from « #RGB », « rrggbb »…, or ``None``."""
    match = _HEX.fullmatch(colour.strip())
    if not match:
        return None
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


def _channels(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def relative_luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def weakest_contrast(accent: str) -> tuple[float, str]:
    """The lowest ratio of ``accent`` against the backgrounds it meets, and the name of
    that background."""
    return min((contrast_ratio(accent, background), name)
               for background, name in BACKGROUNDS.items())


def scaled(colour: str, factor: float) -> str:
    """``colour`` with each channel multiplied by ``factor`` (below 1: darker, same hue)."""
    return "#" + "".join(f"{round(c * factor):02x}" for c in _channels(colour))


def darker_variant(accent: str) -> str:
    """The lightest shade of ``accent``'s hue that reaches :data:`MINIMUM_RATIO` on every
    background (black at worst)."""
    for step in range(100, -1, -1):
        candidate = scaled(accent, step / 100)
        if weakest_contrast(candidate)[0] >= MINIMUM_RATIO:
            return candidate
    return "#000000"


def accent_dark(accent: str) -> str:
    """The hover and header shade: about two thirds of the accent's light, as the
    default pair (#004f8a, #003660) has."""
    return scaled(accent, 0.68)
