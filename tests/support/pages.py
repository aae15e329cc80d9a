"""Reading the HTML pages the test client gets: the visible text, the CSRF token."""

from __future__ import annotations

import re


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def text_of(html: str) -> str:
    """Visible text of a page with tags removed and spaces (incl. no-break) folded."""
    from html import unescape

    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.DOTALL)
    text = re.sub(r"</?(strong|em|span|a|time|abbr|b|i)\b[^>]*>", "", text)
    text = unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()
