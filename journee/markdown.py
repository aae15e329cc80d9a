"""Markdown written by organisers, rendered to sanitised HTML."""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "h3", "h4",
                 "code"}


def render_markdown(text: str | None) -> Markup:
    """Render Markdown; raw HTML is escaped and the result keeps only harmless tags."""
    if not text:
        return Markup("")
    html = _parser.render(text)
    return Markup(nh3.clean(html, tags=_ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                            url_schemes={"http", "https", "mailto"}, link_rel="noopener"))
