"""``journee backup``: a consistent copy of the live SQLite database.

Copying ``journee.sqlite3`` with ``cp`` while the app runs can give a torn file, and misses
what is still in ``journee.sqlite3-wal``. SQLite's online backup API reads the database
through a connection of its own, in one read transaction: the copy is the database as of
one commit, WAL included, while the app keeps writing. The copy is written next to its
destination under a temporary name, checked with ``PRAGMA integrity_check``, switched to
an ordinary rollback journal (one self-contained file), then renamed into place.

PostgreSQL has its own tools: ``pg_dump`` and ``pg_restore`` (see the README).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL, make_url

from .errors import JourneeError
from .extensions import db


class BackupError(JourneeError):
    """The backup could not be made; nothing was left at the destination."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    """In bytes."""


def sqlite_path(database_url: str | URL) -> Path | None:
    """The file of a SQLite database URL; ``None`` for another database or in memory."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def backup_name(now: datetime) -> str:
    """``journee-20270318-021500.sqlite3``: sorted by date in a folder listing."""
    return f"journee-{now:%Y%m%d-%H%M%S}.sqlite3"


def backup_sqlite(source: Path, destination: Path) -> Backup:
    """Copy the SQLite database ``source`` to ``destination`` and check the copy.

    An existing file at ``destination`` is replaced only once the new copy has passed
    its check. Raises :class:`BackupError`.
    """
    source, destination = source.resolve(), destination.resolve()
    if not source.is_file():
        raise BackupError(f"Base de données introuvable\u202f: {source}")
    if destination in (source, Path(f"{source}-wal"), Path(f"{source}-shm"),
                       Path(f"{source}-journal")):
        raise BackupError("La sauvegarde ne peut pas remplacer la base elle-même\u202f: "
                          "choisissez un autre fichier.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.partiel")
    partial.unlink(missing_ok=True)
    try:
        with _closing(sqlite3.connect(source, timeout=30)) as live, \
                _closing(sqlite3.connect(partial)) as copy:
            # Every page in one step: one read transaction, hence one consistent state.
            live.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            check = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        if check != ["ok"]:
            raise BackupError("La copie ne passe pas la vérification d’intégrité\u202f: "
                              + " ; ".join(check[:5]))
        os.replace(partial, destination)
    except sqlite3.Error as error:
        raise BackupError(f"Sauvegarde impossible\u202f: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return Backup(destination, destination.stat().st_size)


class _closing:
    """``sqlite3.Connection`` as a context manager commits but never closes."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *_exc) -> None:
        self.connection.close()


def _size(size: int) -> str:
    """« 812 Ko », « 2,4 Mo »: with the French decimal comma."""
    if size < 1024 * 1024:
        return f"{max(size // 1024, 1)} Ko"
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " Mo"


POSTGRES_HELP = (
    "journee backup ne copie que les bases SQLite. Cette installation utilise "
    "PostgreSQL\u202f: sauvegardez-la avec pg_dump, par exemple\n"
    "  pg_dump --format=custom --file=journee-$(date +%Y%m%d-%H%M%S).dump NOM_DE_LA_BASE\n"
    "et restaurez-la avec pg_restore (voir «\u202fSauvegarde et restauration\u202f» dans le README).")


@click.command("backup")
@with_appcontext
@click.argument("destination", required=False, type=click.Path())
def backup_command(destination: str | None) -> None:
    """Copy the live SQLite database, consistently, and check the copy.

    DESTINATION is a file or a folder; by default instance/backups/journee-<date>.sqlite3.
    """
    # The engine's URL: Flask-SQLAlchemy resolves a relative SQLite path in the instance
    # folder. Creating the engine does not connect.
    source = sqlite_path(db.engine.url)
    if source is None:
        click.echo(POSTGRES_HELP if _is_postgres() else
                   "journee backup ne copie qu’une base SQLite enregistrée dans un fichier.",
                   err=True)
        click.get_current_context().exit(1)
    if destination is None:
        target = Path(current_app.instance_path) / "backups" / backup_name(datetime.now())
    elif destination.endswith(os.sep) or Path(destination).is_dir():
        target = Path(destination) / backup_name(datetime.now())
    else:
        target = Path(destination)
    try:
        backup = backup_sqlite(source, target)
    except BackupError as error:
        click.echo(str(error), err=True)
        click.get_current_context().exit(1)
    click.echo(f"Sauvegarde vérifiée (integrity_check\u202f: ok)\u202f: {backup.path} "
               f"({_size(backup.size)})")


def _is_postgres() -> bool:
    return db.engine.url.get_backend_name() == "postgresql"
