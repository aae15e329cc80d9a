"""WSGI entry points for the load benchmarks: the real app, and bare insert endpoints.

All read the database from ``JOURNEE_DATABASE_URL`` so that they write to the same
database with the same settings (for SQLite: WAL, busy timeout).
"""

import os
import sqlite3
import threading

from flask import Flask, request

from journee import create_app


def journee_app():
    return create_app()


def bare_app():
    """One POST that inserts one row: the floor any registration endpoint stands on.

    The database driver alone (``sqlite3`` or ``psycopg``), one connection per thread.
    """
    url = os.environ["JOURNEE_DATABASE_URL"]
    if url.startswith("sqlite"):
        return _bare_sqlite_app(url.removeprefix("sqlite:///"))
    return _bare_postgres_app(url)


def _bare_app(name: str, insert_row) -> Flask:
    app = Flask(name)
    app.config["INSERT_ROW"] = insert_row

    @app.post("/insert")
    def insert():
        insert_row(request.form["email"], request.form["first_name"],
                   request.form["last_name"])
        return "", 201

    return app


def _bare_sqlite_app(path: str) -> Flask:
    local = threading.local()

    def insert_row(*values) -> None:
        if not hasattr(local, "db"):
            local.db = sqlite3.connect(path, timeout=10)
            local.db.execute("PRAGMA journal_mode=WAL")
            local.db.execute("PRAGMA synchronous=NORMAL")
        with local.db:
            local.db.execute("INSERT INTO bare_registration (email, first_name, last_name) "
                             "VALUES (?, ?, ?)", values)

    return _bare_app("bare", insert_row)


def _bare_postgres_app(url: str) -> Flask:
    import psycopg
    from sqlalchemy.engine import make_url

    # libpq reads the SQLAlchemy URL once the driver name is dropped.
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(
        hide_password=False)
    local = threading.local()

    def insert_row(*values) -> None:
        if not hasattr(local, "db"):
            local.db = psycopg.connect(conninfo)
        with local.db.transaction():
            local.db.execute("INSERT INTO bare_registration (email, first_name, last_name) "
                             "VALUES (%s, %s, %s)", values)

    return _bare_app("bare_postgres", insert_row)


def bare_orm_app():
    """The same one-row insert through Flask-SQLAlchemy's session, as this project writes."""
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy import String
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

    class Base(DeclarativeBase):
        pass

    db = SQLAlchemy(model_class=Base)

    class BareRegistration(db.Model):
        __tablename__ = "bare_registration"
        id: Mapped[int] = mapped_column(primary_key=True)
        email: Mapped[str] = mapped_column(String, unique=True)
        first_name: Mapped[str]
        last_name: Mapped[str]

    app = Flask("bare_orm")
    url = os.environ["JOURNEE_DATABASE_URL"]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 10}}
    db.init_app(app)

    @app.post("/insert")
    def insert():
        db.session.add(BareRegistration(email=request.form["email"],
                                        first_name=request.form["first_name"],
                                        last_name=request.form["last_name"]))
        db.session.commit()
        return "", 201

    return app


def form_floor_app():
    """The floor of any registration endpoint in this app: Journée's app as deployed
    (security headers, request checks, session, CSRF), the registration form's fields
    validated as the real form does, then one row inserted through the engine.

    No event, no workshop, no capacity, no e-mail: what is left of a registration POST
    when everything the registration itself does is taken out.
    """
    from sqlalchemy import text

    from journee.extensions import db

    app = create_app()

    def insert_row(email: str, first_name: str, last_name: str) -> None:
        db.session.execute(text("INSERT INTO bare_registration (email, first_name, last_name) "
                                "VALUES (:email, :first_name, :last_name)"),
                           {"email": email, "first_name": first_name, "last_name": last_name})
        db.session.commit()

    return _with_floor_form(app, insert_row)


def stack_floor_app():
    """The same form POST on the bare stack the project must use: Flask, a signed
    session cookie and Flask-WTF's CSRF check, the registration form's fields, one row
    through the driver; none of Journée's own request handling."""
    from flask_wtf.csrf import CSRFProtect

    app = bare_app()
    app.config["SECRET_KEY"] = os.environ["JOURNEE_SECRET_KEY"]
    CSRFProtect(app)
    return _with_floor_form(app, app.config["INSERT_ROW"])


def _with_floor_form(app: Flask, insert_row) -> Flask:
    """``/floor``: GET gives a CSRF token; POST validates the registration form's fields
    (no event, hence no workshop slot), inserts one row and redirects."""
    from flask import redirect, render_template_string

    from journee.registration.forms import RegistrationForm

    @app.route("/floor", methods=["GET", "POST"])
    def floor():
        form = RegistrationForm()
        form.slots, form.event, form.first_come = [], None, False
        if form.validate_on_submit():
            insert_row(form.email.data, form.first_name.data, form.last_name.data)
            return redirect("/floor")
        return render_template_string(
            '<form method="post"><input name="csrf_token" value="{{ csrf_token() }}">'
            "</form>{{ errors }}", errors=form.errors), 400 if form.errors else 200

    return app
