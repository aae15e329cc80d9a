"""Uploaded files kept between the import's preview and its confirmation."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
KEEP_SECONDS = 3600


class UploadStore:
    """Uploaded files kept on disk for an hour under a random name, so that the preview
    and the confirmation read the same file while only the name travels in the form."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def _path(self, event_id: int, user_id: int, token: str) -> Path | None:
        if not TOKEN.match(token or ""):
            return None
        return self.directory / f"{event_id}-{user_id}-{token}.xlsx"

    def save(self, event_id: int, user_id: int, data: bytes) -> str:
        self.purge()
        self.directory.mkdir(parents=True, exist_ok=True)
        token = secrets.token_urlsafe(24)
        self._path(event_id, user_id, token).write_bytes(data)
        return token

    def load(self, event_id: int, user_id: int, token: str) -> bytes | None:
        """The file, if it is this account's for this event and not expired."""
        path = self._path(event_id, user_id, token)
        if path is None or not path.is_file():
            return None
        if time.time() - path.stat().st_mtime > KEEP_SECONDS:
            path.unlink(missing_ok=True)
            return None
        return path.read_bytes()

    def delete(self, event_id: int, user_id: int, token: str) -> None:
        path = self._path(event_id, user_id, token)
        if path is not None:
            path.unlink(missing_ok=True)

    def purge(self) -> None:
        """Delete the files older than an hour."""
        if not self.directory.is_dir():
            return
        limit = time.time() - KEEP_SECONDS
        for path in self.directory.glob("*.xlsx"):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
            except OSError:
                pass
