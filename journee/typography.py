"""French typography for text people typed, and the checker that finds its slips.

:func:`smarten` is the pass applied when typed text is shown (Markdown, e-mail texts,
titles): a narrow no-break space before « ; ? ! » and a spaced « : », inside guillemets,
a curly apostrophe between letters, a no-break space after « n° ». Addresses, e-mail
addresses and `code` are left as typed, and only a space already there becomes a
no-break one before « : », so « 10:30 », « http:// » and « :) » are untouched.

:func:`slips` lists what is still wrong in a text; the typography test runs it over
every template, string and e-mail.
"""

import re

NBSP = "\u00a0"
NNBSP = "\u202f"
APOSTROPHE = "\u2019"

_LETTER = r"[^\W\d_]"
_PROTECTED = re.compile(
    r"`[^`\n]*`"                                    # code
    r"|(?<!\w)'[^'\n]+'(?!\w)"                      # a command in straight quotes
    r"|\b[a-z][a-z0-9+.-]*://[^\s<>«»]*[^\s<>«».,;:!?)]"  # an address with its scheme
    r"|\bwww\.[^\s<>«»]*[^\s<>«».,;:!?)]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",                # an e-mail address
    re.IGNORECASE)

_KEPT = "\ue000"  # stands for a protected span while the rules run
FIELD = "\ue001"
"""Stands for a value filled in later (a name): a word to the rules, and left alone."""
_APOSTROPHE = re.compile(rf"(?<={_LETTER})'(?={_LETTER})")
_OPENING_GUILLEMET = re.compile(r"«[ \u00a0\u202f]*(?=\S)")
_CLOSING_GUILLEMET = re.compile(r"(?<=\S)[ \u00a0\u202f]*»")
_BEFORE_SEMICOLON = re.compile(r"(?<=[\w»”’)\]\ue000\ue001])[ \u00a0]?;(?=\s|$)")
_BEFORE_MARK = re.compile(r"(?<=[\w»”’)\]\ue000\ue001])[ \u00a0]?([?!]+)(?=[\s»”’\").,…)]|$)")
_BEFORE_COLON = re.compile(r"(?<=\S)[ \u00a0]:(?=\s|$)")
_NUMERO = re.compile(r"\b([nN]°) ?(?=\d)")


def smarten(text: str | None) -> str:
    """``text`` with French typography, addresses and code left as typed."""
    if not text:
        return ""
    text = text.replace(_KEPT, "")
    kept = iter(_PROTECTED.findall(text))
    text = _PROTECTED.sub(_KEPT, text)
    text = _APOSTROPHE.sub(APOSTROPHE, text)
    text = _OPENING_GUILLEMET.sub("«" + NNBSP, text)
    text = _CLOSING_GUILLEMET.sub(NNBSP + "»", text)
    text = _BEFORE_SEMICOLON.sub(NNBSP + ";", text)
    text = _BEFORE_MARK.sub(lambda m: NNBSP + m.group(1), text)
    text = _BEFORE_COLON.sub(NNBSP + ":", text)
    text = _NUMERO.sub(lambda m: m.group(1) + NBSP, text)
    return re.sub(_KEPT, lambda _: next(kept), text)


def smarten_runs(texts: list[str]) -> list[str]:
    """:func:`smarten` over runs of text split by markup (« *prêt* ? »), each run
    returned on its own."""
    if not texts:
        return []
    return smarten(FIELD.join(text.replace(FIELD, "") for text in texts)).split(FIELD)


_VOWELS = set("aeiouàâäéèêëîïôöùûüœæ")


def elides(word: str) -> bool:
    """Whether « de », « le », « que »… elide before *word*: a vowel, a mute h (« d’Hélène »),
    a y sounding as a vowel (« d’Yves », but « de Yann »)."""
    first, second = (word[:2].casefold() + "  ")[:2]
    if first == "y":
        return second not in _VOWELS
    return first in _VOWELS or first == "h"


def of_name(name: str) -> str:
    """« de Zoé Martin », « d’Élodie Durand », « d’Hélène », « de Yann »."""
    return f"d’{name}" if elides(name) else f"de {name}"


_BREAKING_SPACES = re.compile(r"[^\S\u00a0\u202f]+")


def one_line(text: str) -> str:
    """``text`` on one line: line breaks and runs of spaces become one space, and the
    no-break spaces stay (``str.split()`` would take them for spaces)."""
    return _BREAKING_SPACES.sub(" ", text).strip()


# « X » in a text checked stands for a value computed when it is shown (a number, a name).
_SLIPS = {
    "espace ordinaire avant « ; ? ! »": re.compile(r" [;?!]"),
    "lettre collée à « ; ? ! »": re.compile(rf"{_LETTER}[;?!]+(?=\s|$|[»”’])"),
    "espace ordinaire avant « : »": re.compile(r"(?<=\S) :(?![-()\[\]/|*])"),
    "apostrophe droite": re.compile(rf"{_LETTER}'{_LETTER}"),
    "« n° » sans espace insécable": re.compile(r"\b[nN]° ?(?=\d|X)"),
    "espace ordinaire entre un nombre et son nom": re.compile(
        r"(?<![\w.,/-])(?:\d+|X) (?=(?:places?|personnes?|inscri(?:t|ptions?)|ateliers?|"
        r"jours?|heures?|minutes?|e-mails?|séances?|salles?|réponses?|choix)\b)"),
    "espace ordinaire entre les milliers": re.compile(r"(?<![\d.,])\d{1,3} \d{3}\b"),
    "guillemet ouvrant sans espace insécable": re.compile(r"«(?![\u00a0\u202f])"),
    "guillemet fermant sans espace insécable": re.compile(r"(?<![\u00a0\u202f])»"),
}


def slips(text: str) -> list[tuple[str, str]]:
    """Each typographic slip in ``text``, as (what, where), addresses and code set aside."""
    plain = _PROTECTED.sub("X", text)
    found = []
    for what, pattern in _SLIPS.items():
        for match in pattern.finditer(plain):
            start = max(match.start() - 30, 0)
            found.append((what, plain[start:match.end() + 30]))
    return found
