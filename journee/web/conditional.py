"""Public pages and documents that answer conditional requests: an ``ETag`` on each
answer, and ``304 Not Modified`` with no body when the browser (or a cache in between)
already holds that version (``If-None-Match``).

``Cache-Control: no-cache`` lets them keep a copy but ask each time, so that what they
show is never older than the database: a page that says how many places are left is
compared as it is now. Pages reached by a secret link and the back office never come
here: they are ``no-store`` (see :mod:`journee.security`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import Response, request

#: Kept, but checked with the server before each use.
REVALIDATE = "no-cache"
#: The same for one browser only: a draft previewed by its organisers.
REVALIDATE_PRIVATE = "private, no-cache"


def fingerprint(data: bytes | str) -> str:
    """An ETag for this exact content."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:32]


def held_by_client(etag: str) -> bool:
    """Whether the request says it holds this version already."""
    return request.if_none_match.contains_weak(etag)


def revalidated_page(html: str, *, private: bool = False) -> Response:
    """A rendered page with its ETag, or 304 when the client holds the same page."""
    return versioned(fingerprint(html), lambda: Response(html, mimetype="text/html"),
                     private=private)


def versioned(etag: str, make: Callable[[], Response], *, private: bool = False) -> Response:
    """``make()``'s answer tagged *etag*, or 304 without calling it when the client holds
    that version; *etag* must change whenever the answer would."""
    if held_by_client(etag):
        response = Response(status=304)
    else:
        response = make()
    response.set_etag(etag)
    response.headers["Cache-Control"] = REVALIDATE_PRIVATE if private else REVALIDATE
    return response
