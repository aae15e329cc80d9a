"""Engine set-up per database: SQLite gets WAL, a busy timeout and foreign keys."""

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db


def _configure_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # SQLite's lower() only knows ASCII: searches fold case and accents with this one
    # (PostgreSQL uses its own lower(), see journee.registration.listing).
    from .programme.editing import fold
    dbapi_connection.create_function("journee_fold", 1,
                                     lambda text: None if text is None else fold(text),
                                     deterministic=True)


def init_app(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _configure_sqlite)
