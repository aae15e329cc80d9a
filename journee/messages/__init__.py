"""The organisers' messages to the people registered: the composer, the list of what was
sent, the per-event texts of the automatic e-mails, and the opt-out of their messages."""

from flask import Flask

from . import emails, personal_data


def init_app(app: Flask) -> None:
    emails.init_app(app)
    personal_data.init_app(app)
