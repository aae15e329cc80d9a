"""Markdown written by organisers, rendered to sanitised HTML."""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from .typography import smarten_runs

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "h3", "h4",
                 "code"}


def render_markdown(text: str | None) -> Markup:
    """Render Markdown; raw HTML is escaped and the result keeps only harmless tags.
    French typography is set in the text only, never in code or addresses."""
    if not text:
        return Markup("")
    tokens = _parser.parse(text)
    for block in tokens:
        texts = [child for child in block.children or () if child.type == "text"]
        for child, content in zip(texts, smarten_runs([t.content for t in texts]),
                                  strict=True):
            child.content = content
    html = _parser.renderer.render(tokens, _parser.options, {})
    return Markup(nh3.clean(html, tags=_ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                            url_schemes={"http", "https", "mailto"}, link_rel="noopener"))
