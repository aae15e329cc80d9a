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


# The full-flow floor ------------------------------------------------------------------------

FLOOR_FIELDS = {"first_name": 100, "last_name": 100, "email": 254, "phone": 40,
                "organisation": 200, "function": 200, "course": 40, "course_year": 2,
                "sector": 200, "sector_other": 120, "lunch": 3, "privacy": 1}
FLOOR_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
FLOOR_PROFILES = {"student", "professional", "trainer", "researcher", "manager",
                  "institutional", "supported_person", "other"}


def full_flow_floor_app():
    """What the whole public registration costs at the least on this stack: Flask, Jinja
    and SQLAlchemy Core, nothing of Journée's.

    ``GET /floor/e/<slug>/register``: a form page as large as Journée's; ``POST`` the
    same fields, checked by hand, then one registration row and one outbox row in one
    transaction, and the confirmation e-mail composed (text, HTML and the day's
    calendar, built with icalendar from the same sessions) and sent to the SMTP server;
    ``GET /floor/r/<token>``: the person's page, as large as Journée's. The sizes come
    from ``FLOOR_SIZES`` (set by the benchmark from Journée's own pages and e-mail).
    """
    import json
    import re
    import secrets
    import smtplib
    from datetime import date, datetime, timedelta, timezone
    from email.message import EmailMessage
    from zoneinfo import ZoneInfo

    from flask import abort, redirect
    from icalendar import Calendar, Event, Timezone
    from sqlalchemy import (
        Column,
        Integer,
        MetaData,
        String,
        Table,
        Text,
        create_engine,
        insert,
        select,
        text,
        update,
    )

    url = os.environ["JOURNEE_DATABASE_URL"]
    sizes = json.loads(os.environ["FLOOR_SIZES"])
    options = {"connect_args": {"timeout": 10}} if url.startswith("sqlite") else {}
    engine = create_engine(url, **options)
    if url.startswith("sqlite"):
        from sqlalchemy import event as sqlalchemy_event

        @sqlalchemy_event.listens_for(engine, "connect")
        def _wal(connection, _):
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")

    metadata = MetaData()
    registrations = Table(
        "floor_registration", metadata, Column("id", Integer, primary_key=True),
        Column("token", String(64), unique=True), Column("event_id", Integer),
        Column("status", String(20)), Column("workshops", Text),
        *(Column(name, String(limit), unique=name == "email")
          for name, limit in FLOOR_FIELDS.items()))
    outbox = Table(
        "floor_outbox", metadata, Column("id", Integer, primary_key=True),
        Column("registration_id", Integer), Column("to_address", String(254)),
        Column("status", String(20)))
    metadata.create_all(engine)
    with engine.connect() as connection:
        event = connection.execute(text(
            "SELECT id, slug, title, timezone, starts_on, ends_on, venue_name, venue_address, "
            "venue_postcode, venue_city FROM event ORDER BY id LIMIT 1")).mappings().one()
        sessions = connection.execute(text(
            "SELECT s.id, s.uid, s.kind, s.title, s.description, s.starts_at, s.ends_at, "
            "s.sequence, s.updated_at, r.name AS room FROM programme_session s LEFT JOIN room r "
            "ON r.id = s.room_id WHERE s.event_id = :id ORDER BY s.starts_at, s.position, s.id"),
            {"id": event["id"]}).mappings().all()
        workshops = connection.execute(text(
            "SELECT w.id, w.session_id, w.title FROM workshop w JOIN programme_session s "
            "ON s.id = w.session_id WHERE s.event_id = :id ORDER BY w.id"),
            {"id": event["id"]}).mappings().all()
    # gunicorn forks its workers from this process (--preload): each must open its own
    # connections, never share one opened here.
    engine.dispose()
    slots = {}
    for workshop in workshops:
        slots.setdefault(workshop["session_id"], []).append(workshop)

    def as_date(value):
        return value if isinstance(value, date) else date.fromisoformat(value)

    def as_datetime(value):
        return value if isinstance(value, datetime) else datetime.fromisoformat(value)

    tz = ZoneInfo(event["timezone"])
    address = ", ".join(part for part in (event["venue_name"], event["venue_address"],
                                          event["venue_postcode"] + " " + event["venue_city"])
                        if part.strip())
    window = {"first_date": as_date(event["starts_on"]) - timedelta(days=366),
              "last_date": as_date(event["ends_on"]) + timedelta(days=366)}
    base_url = os.environ.get("JOURNEE_PUBLIC_BASE_URL", "http://127.0.0.1")

    def calendar() -> bytes:
        ics = Calendar()
        for name, value in (("prodid", "-//floor//"), ("version", "2.0"),
                            ("calscale", "GREGORIAN"), ("method", "PUBLISH"),
                            ("x-wr-calname", event["title"]),
                            ("x-wr-timezone", event["timezone"])):
            ics.add(name, value)
        ics.add_component(Timezone.from_tzinfo(tz, tzid=event["timezone"], **window))
        stamp = datetime.now(timezone.utc).replace(microsecond=0)
        for session in sessions:
            vevent = Event()
            vevent.add("uid", f"{session['uid']}@floor")
            vevent.add("dtstamp", stamp)
            vevent.add("sequence", session["sequence"])
            vevent.add("last-modified",
                       as_datetime(session["updated_at"]).replace(tzinfo=timezone.utc))
            vevent.add("dtstart", as_datetime(session["starts_at"]).replace(tzinfo=tz))
            if session["ends_at"] is not None:
                vevent.add("dtend", as_datetime(session["ends_at"]).replace(tzinfo=tz))
            vevent.add("summary", session["title"] or session["kind"])
            vevent.add("location", ", ".join(p for p in (session["room"], address) if p))
            vevent.add("description", f"{session['description']}\n\nProgramme complet : "
                                      f"{base_url}/e/{event['slug']}/")
            vevent.add("url", f"{base_url}/e/{event['slug']}/")
            vevent.add("status", "CONFIRMED")
            ics.add_component(vevent)
        return ics.to_ical()

    app = Flask("floor")
    form_page = app.jinja_env.from_string(
        '<!doctype html><html lang="fr"><title>{{ title }}</title>'
        '<form method="post">{% for name in fields %}<label for="{{ name }}">{{ name }}</label>'
        '<input id="{{ name }}" name="{{ name }}">{% endfor %}'
        "{% for id, choices in slots.items() %}<fieldset><legend>Créneau {{ id }}</legend>"
        "{% for rank in (1, 2, 3) %}<select name=\"atelier_{{ id }}_{{ rank }}\">"
        '{% for w in choices %}<option value="{{ w.id }}">{{ w.title }}</option>{% endfor %}'
        "</select>{% endfor %}</fieldset>{% endfor %}{% for error in errors %}<p>{{ error }}"
        "</p>{% endfor %}<button>Envoyer</button></form><!--{{ padding }}-->")
    person_page = app.jinja_env.from_string(
        '<!doctype html><html lang="fr"><title>{{ title }}</title><h1>{{ r.first_name }} '
        "{{ r.last_name }}</h1><p>{{ r.email }}, {{ r.organisation }}</p>"
        "<ul>{% for s in sessions %}<li>{{ s.starts_at }} {{ s.title }}</li>{% endfor %}"
        "</ul><!--{{ padding }}-->")
    mail_text = app.jinja_env.from_string(
        "Bonjour {{ r.first_name }} {{ r.last_name }},\n\nVotre inscription à {{ title }} "
        "est enregistrée.\n\nVotre inscription : {{ link }}\n\n{{ padding }}")
    mail_html = app.jinja_env.from_string(
        "<p>Bonjour {{ r.first_name }} {{ r.last_name }},</p><p>Votre inscription à "
        '{{ title }} est enregistrée.</p><p><a href="{{ link }}">{{ link }}</a></p>'
        "<!--{{ padding }}-->")

    def padded(template, size: int, **context) -> str:
        page = template.render(padding="", **context)
        return template.render(padding="x" * max(size - len(page.encode()), 0), **context)

    def form_response(errors: list[str], status: int = 200):
        return padded(form_page, sizes["form"], title=event["title"], fields=FLOOR_FIELDS,
                      slots=slots, errors=errors), status

    @app.route("/floor/e/<slug>/register", methods=["GET", "POST"])
    def register(slug: str):
        if slug != event["slug"]:
            abort(404)
        if request.method == "GET":
            return form_response([])
        data = {name: request.form.get(name, "").strip() for name in FLOOR_FIELDS}
        errors = [f"{name} : trop long" for name, limit in FLOOR_FIELDS.items()
                  if len(data[name]) > limit]
        errors += [f"{name} : obligatoire" for name in
                   ("first_name", "last_name", "email", "organisation", "lunch", "privacy")
                   if not data[name]]
        if data["email"] and not re.match(FLOOR_EMAIL, data["email"]):
            errors.append("adresse e-mail invalide")
        if request.form.get("profile") not in FLOOR_PROFILES:
            errors.append("profil")
        if request.form.get("profile") == "student" and not (data["course"]
                                                             and data["course_year"]):
            errors.append("formation")
        choices = {}
        for session_id, offered in slots.items():
            ids = {str(w["id"]) for w in offered}
            chosen = [request.form.get(f"atelier_{session_id}_{rank}", "")
                      for rank in (1, 2, 3)]
            chosen = [c for c in chosen if c]
            if not chosen or any(c not in ids for c in chosen) or len(set(chosen)) < len(
                    chosen):
                errors.append(f"ateliers du créneau {session_id}")
            choices[session_id] = chosen
        if errors:
            return form_response(errors, 400)
        token = secrets.token_urlsafe(32)
        with engine.begin() as connection:
            registration_id = connection.execute(insert(registrations).values(
                token=token, event_id=event["id"], status="confirmed",
                workshops=json.dumps(choices), **data)).inserted_primary_key[0]
            outbox_id = connection.execute(insert(outbox).values(
                registration_id=registration_id, to_address=data["email"],
                status="pending")).inserted_primary_key[0]
        link = f"{base_url}/floor/r/{token}"
        message = EmailMessage()
        message["From"] = "Journée <ne-pas-repondre@journee.local>"
        message["To"] = data["email"]
        message["Subject"] = f"Inscription confirmée : {event['title']}"
        message.set_content(padded(mail_text, sizes["mail_text"], r=data,
                                   title=event["title"], link=link), cte="quoted-printable")
        message.add_alternative(padded(mail_html, sizes["mail_html"], r=data,
                                       title=event["title"], link=link),
                                subtype="html", cte="quoted-printable")
        message.add_attachment(calendar(), maintype="text", subtype="calendar",
                               filename="journee.ics")
        with smtplib.SMTP(os.environ["JOURNEE_SMTP_HOST"],
                          int(os.environ["JOURNEE_MAIL_SMTP_PORT"])) as smtp:
            smtp.send_message(message)
        with engine.begin() as connection:
            connection.execute(update(outbox).where(outbox.c.id == outbox_id)
                               .values(status="sent"))
        return redirect(f"/floor/e/{slug}/register/done")

    @app.get("/floor/r/<token>")
    def person(token: str):
        with engine.connect() as connection:
            row = connection.execute(select(registrations).where(
                registrations.c.token == token)).mappings().one_or_none()
        if row is None:
            abort(404)
        return padded(person_page, sizes["person"], title=event["title"], r=row,
                      sessions=sessions)

    @app.get("/")
    def index():
        return "floor"

    return app
