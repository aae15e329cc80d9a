"""WSGI entry points for the load benchmarks: the real app, and a bare insert endpoint.

Both read the database path from ``JOURNEE_DATABASE_URL`` so that they write to the same
SQLite file with the same settings (WAL, busy timeout).
"""

import os
import sqlite3
import threading

from flask import Flask, request

from journee import create_app


def journee_app():
    return create_app()


def bare_app():
    """One POST that inserts one row: the floor any registration endpoint stands on."""
    path = os.environ["JOURNEE_DATABASE_URL"].removeprefix("sqlite:///")
    app = Flask("bare")
    local = threading.local()

    def connection() -> sqlite3.Connection:
        if not hasattr(local, "db"):
            local.db = sqlite3.connect(path, timeout=10)
            local.db.execute("PRAGMA journal_mode=WAL")
            local.db.execute("PRAGMA synchronous=NORMAL")
        return local.db

    @app.post("/insert")
    def insert():
        db = connection()
        with db:
            db.execute("INSERT INTO bare_registration (email, first_name, last_name) "
                       "VALUES (?, ?, ?)", (request.form["email"], request.form["first_name"],
                                           request.form["last_name"]))
        return "", 201

    return app


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
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["JOURNEE_DATABASE_URL"]
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
