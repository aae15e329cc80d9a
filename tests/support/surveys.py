"""Questionnaires in tests: people present at the IRTS-IDS day, their invitations, their
answers through the public form; and a PDF's text as ``pdftotext`` reads it."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime

from sqlalchemy import select

from journee.extensions import db
from journee.surveys import jobs, services
from journee.surveys.models import QuestionKind, SurveyInvitation, Wave

from .registration import add, slot_of

DAY_OVER = datetime(2018, 3, 15, 18, 0)
"""UTC: 19 h in Paris on the IRTS-IDS day (Thursday 15 March 2018), after its last
session."""


def people(event, count, *, present=True, workshop=None, prefix="personne"):
    workshop = workshop or slot_of(event).workshops[0]
    found = []
    for number in range(count):
        registration = add(event, "Zoé", f"Durand-{prefix}-{number}",
                           f"{prefix}{number}@example.org", choices=[workshop])
        if present:
            registration.checked_in_at = datetime(2018, 3, 15, 8, 30)
        found.append(registration)
    db.session.commit()
    return found


def invitation_of(registration, wave=Wave.HOT) -> SurveyInvitation:
    return db.session.scalar(select(SurveyInvitation).where(
        SurveyInvitation.registration_id == registration.id, SurveyInvitation.wave == wave))


def answer_data(survey, overall=5, comment="Très riche.", **extra) -> dict:
    data = {}
    for question in survey.questions:
        if question.role == "overall":
            data[f"q{question.id}"] = str(overall)
        elif question.kind == QuestionKind.TEXT and comment is not None:
            data[f"q{question.id}"] = comment
    data.update(extra)
    return data


def invited(event, count, **kwargs):
    """People present, the questionnaire opened, and the « à chaud » invitations out."""
    survey = services.ensure_survey(event)
    db.session.commit()
    found = people(event, count, **kwargs)
    jobs.queue_invitations(DAY_OVER)
    return survey, [(r, invitation_of(r).token) for r in found]


def answer_all(client, survey, invitations, scores, comments=None):
    for index, ((_, token), score) in enumerate(zip(invitations, scores)):
        comment = comments[index] if comments else None
        assert client.post(f"/q/{token}",
                           data=answer_data(survey, score, comment)).status_code == 302


def pdf_text(data: bytes) -> str:
    """The PDF's text as ``pdftotext -layout`` reads it, no-break spaces folded."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", "-", "-"], input=data,
                         capture_output=True, check=True).stdout
    return re.sub(r"[\u00a0\u202f]", " ", out.decode("utf-8"))


def folded(text: str) -> str:
    """Whitespace runs (line ends included) as one space."""
    return re.sub(r"\s+", " ", text)
