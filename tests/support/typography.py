"""The French texts of the code, templates and e-mails, gathered for the typography test."""

from __future__ import annotations

import ast
import re
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: What a value computed at run time stands for in a template or an f-string.
VALUE = "X"

_FRENCH_WORD = re.compile(r"\b[A-ZÀ-Ý]?[a-zàâçéèêëîïôûùüÿœæ]{2,}\b")
_FRENCH_LETTER = re.compile(r"[àâçéèêëîïôûùüœ«»’°]")
_NOT_PROSE = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|WITH)\b"   # SQL
    r"|[{};]\s*$|^\s*[.#@][\w-]+\s*\{"                         # CSS
    r"|\bfunction\b|=>|\bconst\b|\bvar\b"                       # JavaScript
    r"|^[\w.:/%-]*$"                                            # identifiers, paths
    r"|^\s*<\w"                                                 # markup built in code
    r"|\b(?:the|its|with|this|that|must|should|cannot)\b"       # English, for developers
    r"|\b[\w-]+=\S|\b[\w-]+-src\b|\[\^|\\[sdw]",                  # headers, patterns
    re.MULTILINE)
_SPACES = {"NBSP": "\u00a0", "NNBSP": "\u202f", "COLON": "\u00a0:"}
_LOGGING = {"debug", "info", "warning", "error", "exception", "critical", "log"}
_ATTRIBUTES = re.compile(
    r"""\b(?:title|alt|placeholder|aria-label|aria-description|content)\s*=\s*"([^"]*)\"""")


def template_files() -> list[Path]:
    return sorted(p for p in (ROOT / "templates").rglob("*") if p.suffix in (".html", ".txt"))


def python_files() -> list[Path]:
    return sorted((ROOT / "journee").rglob("*.py"))


def template_text(source: str, html: bool = True) -> str:
    """The French text of a template: Jinja code gone, each value shown as ``X``, and for
    HTML the text between tags and in the attributes people read (title, alt…)."""
    text = re.sub(r"\{#.*?#\}", " ", source, flags=re.DOTALL)
    literals = [literal for code in re.findall(r"\{[{%].*?[%}]\}", text, flags=re.DOTALL)
                for literal in re.findall(r'"([^"\n]*)"', code) if is_prose(literal)]
    text = re.sub(r"\{%.*?%\}", "\n", text, flags=re.DOTALL)
    text = re.sub(r"\{\{.*?\}\}", VALUE, text, flags=re.DOTALL)
    return "\n".join([html_text(text) if html else text, *literals])


def html_text(html: str) -> str:
    """Visible text of HTML, each element on its line, no-break spaces kept, with the
    attributes people read."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "\n", html, flags=re.DOTALL | re.IGNORECASE)
    html = re.sub(r"<(pre|code)\b.*?</\1>", VALUE, html, flags=re.DOTALL | re.IGNORECASE)
    attributes = [unescape(value) for value in _ATTRIBUTES.findall(html)]
    inline = re.sub(r"</?(strong|em|span|a|time|abbr|b|i|small|mark|kbd|bdi)\b[^>]*>", "", html)
    text = unescape(re.sub(r"<[^>]*>", "\n", inline))
    return "\n".join([text, *attributes])


def python_strings(path: Path) -> list[tuple[int, str]]:
    """The French string constants of a module, f-strings with ``X`` for each value;
    docstrings, logging messages, and strings that are code (SQL, CSS, identifiers)
    are left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant | ast.JoinedStr):
            skipped.add(id(node.value))  # docstrings and bare strings
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in _LOGGING
              and isinstance(node.func.value, ast.Name | ast.Attribute)
              and "log" in ast.unparse(node.func.value).lower()):
            skipped.update(id(arg) for arg in node.args)
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            for inner in ast.walk(node):
                skipped.add(id(inner))
            continue
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                skipped.add(id(inner))
            text = "".join(_shown(value) for value in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if is_prose(text):
            found.append((node.lineno, text))
    return found


def _shown(value: ast.expr) -> str:
    if isinstance(value, ast.Constant):
        return value.value
    name = getattr(value, "value", None)
    return _SPACES.get(getattr(name, "id", None), VALUE)


def is_prose(text: str) -> bool:
    """French words meant for people: a French letter or a space, and a lowercase word;
    or a number « n° X »."""
    if re.search(r"\b[nN]°", text):
        return True
    if not (_FRENCH_LETTER.search(text) or " " in text.strip()):
        return False
    if not _FRENCH_WORD.search(text) or _NOT_PROSE.search(text):
        return False
    return True
