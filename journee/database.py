"""Engine set-up per database: SQLite gets WAL, a busy timeout and foreign keys; and
what a request or a transaction does differently on each (reading pages, savepoints,
inserts that may already exist)."""

from collections.abc import Callable
from functools import wraps

from flask import Flask, request
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
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
    from .util.text import fold
    dbapi_connection.create_function("journee_fold", 1,
                                     lambda text: None if text is None else fold(text),
                                     deterministic=True)


def begin_for_savepoints() -> None:
    """Make sure the session's transaction is open in the database, so that savepoints
    nest inside it.

    pysqlite begins a transaction only before a write: a SAVEPOINT issued outside one is
    a transaction of its own, committed by its RELEASE, and a rollback after it undoes
    nothing. IMMEDIATE takes the write lock now (waiting up to the busy timeout) rather
    than failing when someone writes between this transaction's reads and its writes.
    """
    connection = db.session.connection()
    if (connection.dialect.name == "sqlite"
            and not connection.connection.driver_connection.in_transaction):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def reads_only(view: Callable) -> Callable:
    """Mark a view whose GET only reads: on PostgreSQL its statements then run without
    a transaction (autocommit).

    Under READ COMMITTED each statement reads its own snapshot anyway, so a transaction
    adds nothing to what a reading page sees; it costs two round trips to the server,
    ``BEGIN`` and the ``ROLLBACK`` of the closing session: two of the registration
    form's seven (issue 18). SQLite begins no transaction to read already. A POST to the same
    view keeps its transaction, and so does a session already in one (a test's).
    """
    @wraps(view)
    def read(*args, **kwargs):
        if (request.method in ("GET", "HEAD") and db.engine.dialect.name == "postgresql"
                and not db.session().in_transaction()):
            db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        return view(*args, **kwargs)

    return read


def rowcount(result) -> int:
    """The rows an ``UPDATE`` or ``DELETE`` changed; drivers that cannot tell say 0."""
    return max(result.rowcount or 0, 0)


def insert_once(model, key: tuple[str, ...], **values) -> bool:
    """Insert a row unless one with the same *key* (the columns of a unique constraint)
    exists; ``True`` when this call inserted it.

    This is how a periodic job claims what it sends, so that two runners never send it
    twice: on PostgreSQL a concurrent insert waits for this transaction and then does
    nothing; on SQLite writes take turns."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (insert(model).values(**values)
                 .on_conflict_do_nothing(index_elements=list(key))
                 .returning(model.id))
    return db.session.execute(statement).scalar() is not None


def init_app(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _configure_sqlite)
