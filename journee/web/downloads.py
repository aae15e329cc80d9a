"""Files that hold people's data: badges, sign-in sheets, lists, exports, certificates.

Every such download goes through :func:`private_download`, so that each one answers with
the same headers: no cache keeps it, no browser guesses its type, and its name survives
accents (RFC 6266 with an RFC 5987 ``filename*``, and an ASCII ``filename`` for old
clients).
"""

import unicodedata
from urllib.parse import quote

from flask import Response

#: Not kept by a browser or a shared cache (the files name people).
PRIVATE_CACHE_CONTROL = "private, no-store"


def ascii_filename(filename: str) -> str:
    """The name without accents, quotes, backslashes or control characters."""
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    return "".join(char for char in plain if char.isprintable() and char not in '"\\')


def content_disposition(filename: str, inline: bool = False) -> str:
    """``attachment; filename="…"``, with ``filename*`` when the name is not ASCII."""
    disposition = "inline" if inline else "attachment"
    fallback = ascii_filename(filename) or "fichier"
    value = f'{disposition}; filename="{fallback}"'
    if fallback != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value


def private_download(data: bytes | str, filename: str, mimetype: str, *,
                     inline: bool = False) -> Response:
    """A file of personal data, to save (or, with ``inline``, to show in the browser)."""
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename, inline=inline)
    response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
