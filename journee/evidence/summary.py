"""The figures of the summary sheet, from the database: registered, present per
half-day, hours delivered, certificates, questionnaire response and satisfaction rates."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from ..attendance.services.certificates import present_attendees
from ..attendance.services.completion import completion_recipients, half_day_minutes
from ..attendance.services.half_day_presence import attended_half_days
from ..attendance.services.signin import HalfDay, half_days
from ..extensions import db
from ..programme.models import Event
from ..registration.models import Registration, RegistrationStatus
from ..surveys import services as surveys
from ..surveys.models import Wave


@dataclass(frozen=True)
class HalfDayPresence:
    half_day: HalfDay
    minutes: int
    present: int


@dataclass(frozen=True)
class Summary:
    organiser: str
    registered: int
    """Confirmed registrations."""
    half_days: list[HalfDayPresence]
    attendees: int
    """People who attended at least one half-day."""
    minutes_delivered: int
    """Sum over people of the durations of the half-days they attended."""
    certificates: int
    completion_certificates: int
    invitations: dict[Wave, tuple[int, int]]
    """Per wave: invitations sent, and answered."""
    responses: dict[Wave, int]
    satisfaction: float | None
    """Share of 4 and 5 out of 5 to the overall question, both waves together."""
    generated_at: datetime

    @property
    def average_minutes(self) -> int | None:
        return round(self.minutes_delivered / self.attendees) if self.attendees else None


def summary(event: Event, now: datetime) -> Summary:
    """The summary of the action at *now* (UTC, naive), in a few queries."""
    attended = attended_half_days(event)
    per_half_day = Counter((h.day, h.label) for halves in attended.values() for h in halves)
    presence = [HalfDayPresence(h, half_day_minutes([h]), per_half_day[(h.day, h.label)])
                for h in half_days(event)]
    registered = db.session.scalar(
        select(func.count()).select_from(Registration)
        .where(Registration.event_id == event.id,
               Registration.status == RegistrationStatus.CONFIRMED))
    survey = surveys.survey_of(event)
    invitations = surveys.invitation_counts(survey) if survey else {}
    responses = surveys.response_counts(survey) if survey else {}
    return Summary(
        organiser=event.host_organisation or current_app.config["INSTITUTE_NAME"],
        registered=registered, half_days=presence,
        attendees=sum(1 for halves in attended.values() if halves),
        minutes_delivered=sum(half_day_minutes(halves) for halves in attended.values()),
        certificates=len(present_attendees(event)),
        completion_certificates=len(completion_recipients(event)), invitations=invitations,
        responses=responses, satisfaction=surveys.results(survey).rate if survey else None,
        generated_at=now)
