"""Test databases: one copy of a migrated template per test, on SQLite or PostgreSQL.

SQLite (the default) copies a migrated file. With ``JOURNEE_TEST_DATABASE_URL`` pointing at
a PostgreSQL server (``make test-postgres``), the template is a migrated database and each
copy is ``CREATE DATABASE … TEMPLATE …``: every test runs on its own database either way.

Under pytest-xdist each worker builds its own template (the ``migrated_database`` fixture is
per session, and each worker is a session): SQLite files under the worker's own temporary
directory, PostgreSQL databases named after the worker and its process
(``journee_test_gw0_1234_template``, ``journee_test_gw0_1234_0``…).
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("JOURNEE_TEST_DATABASE_URL")


class SqliteTemplate:
    dialect = "sqlite"

    def __init__(self, directory: Path):
        self.path = directory / "journee.sqlite3"
        self.url = f"sqlite:///{self.path}"

    def copy(self, directory: Path, name: str = "journee") -> str:
        path = Path(directory) / f"{name}.sqlite3"
        shutil.copy(self.path, path)
        return f"sqlite:///{path}"

    def empty(self, directory: Path, name: str = "vide") -> str:
        return f"sqlite:///{Path(directory) / name}.sqlite3"

    def drop_all(self) -> None:
        pass


class PostgresTemplate:
    dialect = "postgresql"

    def __init__(self, server_url: str):
        self._server = make_url(server_url)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        prefix = f"journee_test_{worker}_{os.getpid()}"
        self._names = (f"{prefix}_{n}" for n in itertools.count())
        self._created: list[str] = []
        self._admin = create_engine(self._server.set(database="postgres"),
                                    isolation_level="AUTOCOMMIT", poolclass=None)
        self.name = self._create(f"{prefix}_template")
        self.url = self._url(self.name)

    def _url(self, name: str) -> str:
        return self._server.set(database=name).render_as_string(hide_password=False)

    def _create(self, name: str, template: str | None = None) -> str:
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            clause = f' TEMPLATE "{template}"' if template else ""
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        self._created.append(name)
        return name

    def copy(self, directory: Path | None = None, name: str = "") -> str:
        return self._url(self._create(next(self._names), template=self.name))

    def empty(self, directory: Path | None = None, name: str = "") -> str:
        return self._url(self._create(next(self._names)))

    def drop_all(self) -> None:
        with self._admin.connect() as connection:
            for name in reversed(self._created):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._admin.dispose()


def make_template(directory: Path):
    return PostgresTemplate(POSTGRES_URL) if POSTGRES_URL else SqliteTemplate(directory)
