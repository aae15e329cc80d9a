"""A questionnaire per event, its invitations (who may answer) and its answers (who
answered is not kept with them).

Anonymity rests on two tables that share nothing but the survey: ``survey_invitation``
names a registration and holds the digest of its secret link until it is used;
``survey_response`` holds what was answered, the day (never the time) and, for the
results per workshop, the workshop. Answering clears the invitation's link and inserts
the response in one transaction, so a link answers once and the answer cannot be traced
back through it.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import str_enum
from ..programme.models import Event
from ..secret_links import SecretLinked
from ..util.clock import utcnow

DEFAULT_COLD_DAYS = 60
REMINDER_DAYS = 3


class QuestionKind(enum.StrEnum):
    SCALE = "scale"
    SINGLE = "single"
    MULTIPLE = "multiple"
    TEXT = "text"


QUESTION_KIND_LABELS = {
    QuestionKind.SCALE: "Échelle de 1 à 5",
    QuestionKind.SINGLE: "Choix unique",
    QuestionKind.MULTIPLE: "Choix multiple",
    QuestionKind.TEXT: "Texte libre",
}


class Wave(enum.StrEnum):
    HOT = "hot"
    COLD = "cold"


WAVE_LABELS = {Wave.HOT: "à chaud", Wave.COLD: "à froid"}


class Survey(db.Model):
    """An event's questionnaire and its settings."""

    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          unique=True)
    cold_days: Mapped[int] = mapped_column(default=DEFAULT_COLD_DAYS)
    show_rate: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship()
    questions: Mapped[list[SurveyQuestion]] = relationship(
        order_by="SurveyQuestion.position", cascade="all, delete-orphan",
        back_populates="survey")


class SurveyQuestion(db.Model):
    """One question; *role* marks the ready-made ones the results rely on (``overall``:
    the satisfaction rate; ``workshop``: the question about the person's workshop)."""

    __tablename__ = "survey_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    position: Mapped[int]
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind))
    text: Mapped[str] = mapped_column(String(300))
    choices: Mapped[str] = mapped_column(Text, default="")
    """One option per line, for the choice questions."""
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    role: Mapped[str | None] = mapped_column(String(20))

    survey: Mapped[Survey] = relationship(back_populates="questions")

    @property
    def options(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def kind_label(self) -> str:
        return QUESTION_KIND_LABELS[self.kind]


class SurveyInvitation(SecretLinked, db.Model):
    """The right of one registration to answer one wave, once. Its link is cleared when
    it is used; *answered* is all that stays, for the reminder, and only until no
    reminder can leave: then *answered*, *reminded* and any unused link are cleared
    (see :func:`journee.surveys.jobs.forget_who_answered`), and the row only says the
    person was invited."""

    __tablename__ = "survey_invitation"
    __table_args__ = (UniqueConstraint("survey_id", "registration_id", "wave"),)
    link_purpose = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"))
    wave: Mapped[Wave] = mapped_column(str_enum(Wave))
    token_nonce: Mapped[str | None] = mapped_column(String(32))
    token_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    answered: Mapped[bool] = mapped_column(Boolean, default=False, info={"personal": True})
    invited_on: Mapped[date]
    reminded: Mapped[bool] = mapped_column(Boolean, default=False, info={"personal": True})

    survey: Mapped[Survey] = relationship()


class SurveyResponse(db.Model):
    """One anonymous answer to a questionnaire: no person, no link, only the day."""

    __tablename__ = "survey_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    wave: Mapped[Wave] = mapped_column(str_enum(Wave))
    answered_on: Mapped[date]
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop.id", ondelete="SET NULL"))


class SurveyAnswer(db.Model):
    """The answer to one question: a score (1–5), one chosen option (a multiple choice
    gives one row per option) or a text."""

    __tablename__ = "survey_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_response.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_question.id", ondelete="CASCADE"), index=True)
    score: Mapped[int | None]
    choice: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str | None] = mapped_column(Text)
