"""The whole public registration costs a fixed, small number of SQL statements per
request (GET the form, POST it, GET the page it leads to, GET the personal page of the
e-mail's link), whoever
registered before: a count that creeps up is caught here, not in production."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from flask import has_request_context
from sqlalchemy import event as sa_event
from support.pages import csrf_token_from
from support.registration import FORM_URL, registration_by_email, valid_data

from journee.extensions import db

pytestmark = pytest.mark.usefixtures("registration_open")


class Statements:
    """The statements sent while a request is served (the worker's look that follows
    each answer is not the request's)."""

    def __init__(self, app) -> None:
        with app.app_context():
            self.engine = db.engine
        self.seen: list[str] = []
        self.in_transaction: list[bool] = []
        """Whether the database connection was in a transaction when each was sent."""

    def __enter__(self) -> Statements:
        sa_event.listen(self.engine, "before_cursor_execute", self._note)
        return self

    def __exit__(self, *exc) -> None:
        sa_event.remove(self.engine, "before_cursor_execute", self._note)

    def _note(self, connection, cursor, statement, *args) -> None:
        if has_request_context():
            self.seen.append(statement)
            self.in_transaction.append(_in_transaction(connection.connection.driver_connection))


def _in_transaction(driver_connection) -> bool:
    if isinstance(driver_connection, sqlite3.Connection):
        return driver_connection.in_transaction
    return driver_connection.info.transaction_status != psycopg.pq.TransactionStatus.IDLE


def whole_registration(app, answers: dict, address: str) -> list[Statements]:
    """The statements of each of the four requests of one registration (a browser
    follows the POST's redirect), each request in an app context of its own, as
    served."""
    client = app.test_client()
    requests = []
    with Statements(app) as form:
        page = client.get(FORM_URL)
    assert page.status_code == 200
    requests.append(form)
    data = {**answers, "email": address, "csrf_token": csrf_token_from(page.text)}
    with Statements(app) as post:
        answer = client.post(FORM_URL, data=data)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    requests.append(post)
    with Statements(app) as done:  # the event's row and the branding, not the programme
        assert client.get(answer.headers["Location"]).status_code == 200
    requests.append(done)
    with app.app_context():
        token = registration_by_email(address).token
    with Statements(app) as personal:
        assert client.get(f"/r/{token}").status_code == 200
    requests.append(personal)
    return requests


def test_each_request_of_a_registration_costs_a_fixed_number_of_statements(app_factory):
    from journee.demo import load_demo

    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        irts = next(e for e in load_demo(original_dates=True)
                    if e.slug == "travail-social-epreuve-numerique-2018")
        db.session.commit()
        answers = valid_data(irts)
        # PostgreSQL takes the event's row lock before the capacity check (SQLite's
        # write lock serialises registrations by itself): one statement more in the POST.
        locks = 1 if db.engine.dialect.name == "postgresql" else 0
    whole_registration(app, answers, "echauffement@example.org")  # caches filled
    first = whole_registration(app, answers, "aicha@example.org")
    for n in range(5):
        whole_registration(app, answers, f"personne{n}@example.org")
    later = whole_registration(app, answers, "zoe@example.org")

    for statements in first:
        print(len(statements.seen), *statements.seen, sep="\n  ")
    assert [len(s.seen) for s in later] == [len(s.seen) for s in first]
    assert [len(s.seen) for s in first] == [4, 7 + locks, 2, 6]


def test_the_pages_that_only_read_open_no_transaction(app_factory):
    """On PostgreSQL a transaction costs two round trips (BEGIN, ROLLBACK): the pages of
    the registration that only read run without one; the POST writes in one."""
    from journee.demo import load_demo

    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        answers = valid_data(next(e for e in load_demo(original_dates=True)
                                  if e.slug == "travail-social-epreuve-numerique-2018"))
        db.session.commit()
    form, post, done, personal = whole_registration(app, answers, "lecture@example.org")
    for page in (form, done, personal):
        assert page.seen and not any(page.in_transaction), page.seen
    # Its writes after the first share the POST's transaction.
    assert post.seen[-1].startswith("INSERT") and post.in_transaction[-1]
