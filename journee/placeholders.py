"""Texts that organisers type with placeholders, such as « Bonjour {prénom}, ».

A placeholder is a name between braces, typed as shown on the page; capitals, accents
and extra spaces do not matter (« {Prenom} », « { lien  personnel } »). A text is parsed
once (:func:`parse`), then filled for each person (:meth:`Template.fill`). A brace left
alone or a name that does not exist is refused with a French message that says which one
and what to type instead, so that a broken message is never sent.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .formatting import NNBSP
from .typography import smarten_runs

PLACEHOLDERS: dict[str, str] = {
    "prénom": "le prénom de la personne",
    "nom": "son nom de famille",
    "lien personnel": "l’adresse de son espace personnel (modifier, annuler, agenda)",
    "atelier": "son atelier (ou ses ateliers), une fois la répartition publiée",
    "salle": "la salle de son atelier",
    "journée": "le titre de la journée",
    "date": "la date de la journée, par exemple «\u202fjeudi 15 mars 2018\u202f»",
}
"""Every placeholder, as organisers type it, with what it becomes."""


class PlaceholderError(ValueError):
    """A text that cannot be filled; its message is for the organiser, in French."""


def _key(name: str) -> str:
    """« Prénom », « prenom » and « prénom » alike."""
    name = " ".join(name.split()).casefold()
    return "".join(c for c in unicodedata.normalize("NFD", name)
                   if not unicodedata.combining(c))


_KEYS = {_key(name): name for name in PLACEHOLDERS}
_PART = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Template:
    parts: tuple[str, ...]
    """Text and placeholder names in turn: even indexes are text, odd ones names."""

    @property
    def names(self) -> set[str]:
        return set(self.parts[1::2])

    def fill(self, values: dict[str, str], typeset: bool = False) -> str:
        """The text with each value; *typeset*: French typography set in the typed text,
        never in the values (a name stays as written)."""
        texts, names = list(self.parts[0::2]), self.parts[1::2]
        if typeset:
            texts = smarten_runs(texts)
        return "".join(text + values.get(name, "")
                       for text, name in zip(texts, (*names, ""), strict=True))


def parse(text: str) -> Template:
    """The text ready to fill; raises :class:`PlaceholderError` for an unknown name or a
    lone brace."""
    parts, position = [], 0
    for match in _PART.finditer(text):
        _refuse_lone_braces(text[position:match.start()])
        name = _KEYS.get(_key(match.group(1)))
        if name is None:
            raise PlaceholderError(
                f"«{NNBSP}{match.group(0)}{NNBSP}» n’est pas un champ connu. Champs "
                f"possibles{NNBSP}: {available()}.")
        parts += [text[position:match.start()], name]
        position = match.end()
    _refuse_lone_braces(text[position:])
    parts.append(text[position:])
    return Template(tuple(parts))


def _refuse_lone_braces(text: str) -> None:
    for brace, missing in (("{", "fermante «\u202f}\u202f»"), ("}", "ouvrante «\u202f{\u202f»")):
        index = text.find(brace)
        if index >= 0:
            excerpt = text[max(0, index - 20):index + 20].strip()
            raise PlaceholderError(
                f"Accolade «{NNBSP}{brace}{NNBSP}» sans accolade {missing} près de "
                f"«{NNBSP}{excerpt}{NNBSP}»{NNBSP}: écrivez un champ entre accolades, par "
                f"exemple {{prénom}}, sans autre accolade.")


def available() -> str:
    return ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
