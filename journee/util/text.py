"""Text helpers that know nothing of the features: folding for searches, guillemets."""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans({"œ": "oe", "æ": "ae", "ł": "l", "đ": "d", "ø": "o", "ß": "ss",
                          "ð": "d", "þ": "th", "ı": "i", "ħ": "h"})


def fold(text: str) -> str:
    """Lower case without accents, to compare « Élodie » with « elodie », « ŻÓŁĆ » with
    « zolc »."""
    text = text.casefold()
    if text.isascii():
        return text  # most names: nothing to decompose
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LETTERS)


def quoted(text: str, space: str = "\u00a0") -> str:
    """``text`` between French guillemets, kept on one line by no-break spaces (or the
    narrow ones when ``space`` is ``"\\u202f"``)."""
    return f"«{space}{text}{space}»"
