"""Files that hold people's data: badges, sign-in sheets, lists, exports, certificates.

Every such download goes through :func:`private_download`, so that each one answers with
the same headers: no cache keeps it, no browser guesses its type, and its name survives
accents (RFC 6266 with an RFC 5987 ``filename*``, and an ASCII ``filename`` for old
clients).
"""

import unicodedata
from typing import IO
from urllib.parse import quote

from flask import Response

#: Not kept by a browser or a shared cache (the files name people).
PRIVATE_CACHE_CONTROL = "private, no-store"
CHUNK = 256 * 1024


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


class FileChunks:
    """A file sent in chunks and closed at its end, or by the server if the download
    stops half-way (WSGI calls ``close``)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle

    def __iter__(self):
        while chunk := self.handle.read(CHUNK):
            yield chunk
        self.handle.close()

    def close(self) -> None:
        self.handle.close()


def private_file_download(handle: IO[bytes], filename: str, mimetype: str) -> Response:
    """:func:`private_download` for a file built on disk (a large archive)."""
    size = handle.seek(0, 2)
    handle.seek(0)
    response = Response(FileChunks(handle), mimetype=mimetype, direct_passthrough=True)
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
