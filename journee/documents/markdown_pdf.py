"""Markdown written by facilitators and organisers, as reportlab flowables.

The text is parsed with markdown-it (raw HTML disabled), and every text node is escaped
before it becomes part of a ``Paragraph``: the only markup reportlab ever reads is the
``<b>``, ``<i>`` and ``<br/>`` written here, so ``<img src=/etc/passwd>`` or ``<script>``
typed in a synthesis print as they were typed and are never followed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Indenter, Paragraph

from ..formatting import NBSP
from ..typography import smarten_runs
from .pdf import FONT, FONT_BOLD, MUTED, para_text, styles, typo_text

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})

_INLINE_TAGS = {"strong_open": "<b>", "strong_close": "</b>",
                "em_open": "<i>", "em_close": "</i>",
                "softbreak": " ", "hardbreak": "<br/>"}


@dataclass(frozen=True)
class MarkdownStyles:
    """The paragraph styles Markdown blocks are drawn with."""

    body: ParagraphStyle
    heading: ParagraphStyle
    code: ParagraphStyle


@cache
def default_styles() -> MarkdownStyles:
    """Body text, and headings small enough to sit under a section's own heading."""
    base = styles()["body"]
    return MarkdownStyles(
        body=base,
        heading=ParagraphStyle("md-heading", base, fontName=FONT_BOLD, fontSize=10.5,
                               leading=13.5, spaceBefore=5, spaceAfter=2, keepWithNext=True),
        code=ParagraphStyle("md-code", base, fontName=FONT, fontSize=8.5, leading=11,
                            leftIndent=4 * mm, textColor=MUTED))


def markdown_flowables(text: str | None, style: MarkdownStyles | None = None) -> list[Flowable]:
    """Paragraphs, headings, lists, block quotes and code of ``text``, ready for a story."""
    if not text or not text.strip():
        return []
    walker = _Walker(_parser.parse(text), style or default_styles())
    flowables, _ = walker.blocks(0, closing=None)
    return flowables


def inline_markup(children: list[Token]) -> str:
    """Paragraph markup of one inline run: escaped text with bold, italic, line breaks;
    a link prints its text then its address, an image its description then its address."""
    parts: list[str] = []
    links: list[tuple[str, int]] = []
    texts = [child.content for child in children if child.type == "text"]
    typeset = iter(smarten_runs(texts))
    for child in children:
        kind = child.type
        if kind == "text":
            parts.append(typo_text(next(typeset)))
        elif kind in ("code_inline", "html_inline"):
            parts.append(para_text(child.content))
        elif kind in _INLINE_TAGS:
            parts.append(_INLINE_TAGS[kind])
        elif kind == "link_open":
            links.append((str(child.attrGet("href") or ""), len(parts)))
        elif kind == "link_close" and links:
            href, start = links.pop()
            label = "".join(parts[start:])
            if href and para_text(href) != label:
                parts.append(f" ({para_text(href)})")
        elif kind == "image":
            description = "".join(typo_text(c.content) for c in child.children or []
                                  if c.type == "text")
            source = para_text(child.attrGet("src") or "")
            label = f"image{NBSP}: {description}" if description else "image"
            parts.append(f"[{label} ({source})]" if source else f"[{label}]")
    return "".join(parts)


LIST_INDENT = 6.5 * mm
BULLET_WIDTH = 5.5 * mm


@cache
def _indented(style: ParagraphStyle, level: int) -> ParagraphStyle:
    """``style`` moved right for a list ``level`` deep, its bullet in the margin."""
    if level == 0:
        return style
    indent = style.leftIndent + level * LIST_INDENT
    return ParagraphStyle(f"{style.name}-{level}", style, leftIndent=indent,
                          bulletIndent=indent - BULLET_WIDTH, bulletFontName=FONT,
                          bulletFontSize=style.fontSize)


class _Walker:
    """Turns markdown-it's block tokens into flowables.

    A list item is its blocks indented one level, the first of them carrying the bullet
    (« • » or « 3. ») as a ``Paragraph`` bullet: lighter than ``ListFlowable`` and read
    back by text extraction as « • item ».
    """

    def __init__(self, tokens: list[Token], style: MarkdownStyles):
        self.tokens = tokens
        self.style = style
        self.level = 0
        self.bullet: str | None = None

    def paragraph(self, markup: str, style: ParagraphStyle) -> Paragraph:
        bullet, self.bullet = self.bullet, None
        return Paragraph(markup, _indented(style, self.level), bulletText=bullet)

    def flush_bullet(self, flowables: list[Flowable]) -> None:
        """An item that starts with no paragraph of its own still shows its bullet."""
        if self.bullet is not None:
            flowables.append(self.paragraph("", self.style.body))

    def blocks(self, index: int, closing: str | None) -> tuple[list[Flowable], int]:
        """Flowables from ``index`` up to the ``closing`` token type; with the index just
        past that token."""
        tokens, style = self.tokens, self.style
        flowables: list[Flowable] = []
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == closing:
                return flowables, index + 1
            if kind in ("paragraph_open", "heading_open"):
                markup = inline_markup(tokens[index + 1].children or [])
                if markup.strip():
                    flowables.append(self.paragraph(
                        markup, style.body if kind == "paragraph_open" else style.heading))
                index += 3
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self.flush_bullet(flowables)
                index = self.list(index, flowables)
            elif kind == "blockquote_open":
                self.flush_bullet(flowables)
                inner, index = self.blocks(index + 1, "blockquote_close")
                flowables.extend([Indenter(left=6 * mm), *inner, Indenter(left=-6 * mm)])
            elif kind in ("fence", "code_block", "html_block"):
                content = para_text(token.content.rstrip("\n")).replace("\n", "<br/>")
                if content.strip():
                    flowables.append(self.paragraph(
                        content, style.code if kind != "html_block" else style.body))
                index += 1
            elif kind == "hr":
                flowables.append(HRFlowable(width="100%", thickness=0.5, color=MUTED,
                                            spaceBefore=3, spaceAfter=3))
                index += 1
            elif kind == "inline":
                markup = inline_markup(token.children or [])
                if markup.strip():
                    flowables.append(self.paragraph(markup, style.body))
                index += 1
            else:
                index += 1
        return flowables, index

    def list(self, index: int, flowables: list[Flowable]) -> int:
        """Append a list's items to ``flowables``; return the index past the list."""
        opening = self.tokens[index]
        ordered = opening.type == "ordered_list_open"
        closing = "ordered_list_close" if ordered else "bullet_list_close"
        number = int(opening.attrGet("start") or 1) if ordered else 0
        self.level += 1
        index += 1
        while self.tokens[index].type != closing:
            if self.tokens[index].type == "list_item_open":
                self.bullet = f"{number}." if ordered else "•"
                number += 1
                content, index = self.blocks(index + 1, "list_item_close")
                flowables.extend(content)
                self.flush_bullet(flowables)
            else:
                index += 1
        self.level -= 1
        return index + 1
