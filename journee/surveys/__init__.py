"""Satisfaction questionnaires (Qualiopi indicators 2 and 30): the editor, the anonymous
answers, the invitations « à chaud » and « à froid » and their reminder, the results."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The data owner, the e-mails' composers and the periodic job."""
    from . import emails, jobs, personal_data
    personal_data.init_app(app)
    emails.init_app(app)
    jobs.init_app(app)
