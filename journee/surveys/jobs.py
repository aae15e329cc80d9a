"""The questionnaire's e-mails, as a periodic job (see :mod:`journee.tasks`).

« À chaud »: once the event's last session has ended (in its timezone), an invitation to
each person marked present. « À froid »: *cold_days* after the last day, to the same
people (to every confirmed person when no presence was noted at all). Each invitation
is followed by one reminder, :data:`REMINDER_DAYS` later, to those who have not answered.

Only events whose organisers opened the questionnaire (it then exists) are concerned.
An invitation's row is unique per survey, registration and wave and is inserted with its
e-mail: whichever runner inserts it queues the e-mail, the others insert nothing. A
reminder is claimed by one conditional UPDATE of ``reminded`` in the same way.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import exists, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .. import secret_links, tasks
from ..extensions import db
from ..mail import queue_to_compose
from ..programme.models import Event, EventStatus
from ..registration.models import Registration, RegistrationStatus
from ..util.clock import utcnow
from .emails import INVITATION, REMINDER
from .models import REMINDER_DAYS, Survey, SurveyInvitation, Wave

SURVEY_JOB = "survey-invitations"
#: After this many days past its due date, a wave no longer starts (a questionnaire
#: opened long after the day sends nothing « à chaud »).
LATE_LIMIT = 14
DEFAULT_END = time(18, 0)
#: Who answered is kept as long as a reminder may still leave (:data:`REMINDER_DAYS`,
#: then at most :data:`LATE_LIMIT` days late), then forgotten.
ANSWERED_KEPT_DAYS = REMINDER_DAYS + LATE_LIMIT


def day_end(event: Event) -> datetime:
    """When the event's last session ends, in UTC (naive, like ``utcnow``)."""
    ends = [s.ends_at or s.starts_at for s in event.sessions]
    local = max(ends) if ends else datetime.combine(event.ends_on, DEFAULT_END)
    return local.replace(tzinfo=ZoneInfo(event.timezone)).astimezone(UTC).replace(tzinfo=None)


def due_waves(event: Event, survey: Survey, now: datetime) -> list[Wave]:
    """The waves whose invitations may leave at *now* (UTC, naive)."""
    waves = []
    hot = day_end(event)
    if hot <= now < hot + timedelta(days=LATE_LIMIT):
        waves.append(Wave.HOT)
    today = now.replace(tzinfo=UTC).astimezone(ZoneInfo(event.timezone)).date()
    cold = event.ends_on + timedelta(days=survey.cold_days)
    if cold <= today < cold + timedelta(days=LATE_LIMIT):
        waves.append(Wave.COLD)
    return waves


def queue_invitations(now: datetime | None = None) -> tuple[int, int]:
    """Queue the invitations and reminders due at *now* that nobody has queued; return
    how many of each. Each is committed with its row, one person at a time."""
    now = now or utcnow()
    surveys = db.session.scalars(
        select(Survey).join(Survey.event)
        .where(Event.status == EventStatus.PUBLISHED,
               Event.ends_on >= now.date() - timedelta(days=400))
        .order_by(Survey.id)).all()
    invited = 0
    for survey in surveys:
        event = survey.event
        today = now.replace(tzinfo=UTC).astimezone(ZoneInfo(event.timezone)).date()
        for wave in due_waves(event, survey, now):
            for registration_id in _awaiting(survey, wave):
                if _claim(survey, registration_id, wave, today):
                    registration = db.session.get(Registration, registration_id)
                    queue_to_compose(INVITATION[wave], registration.email, registration.id)
                    db.session.commit()
                    invited += 1
                else:
                    db.session.rollback()
    return invited, queue_reminders(now)


def _present(event_id: int):
    return exists().where(Registration.event_id == event_id,
                          Registration.checked_in_at.is_not(None))


def _awaiting(survey: Survey, wave: Wave) -> list[int]:
    """The people to invite: present (or, for « à froid » at an event where nobody was
    marked present, confirmed), with an address, not yet invited to this wave."""
    if wave == Wave.HOT or db.session.scalar(select(_present(survey.event_id))):
        who = Registration.checked_in_at.is_not(None)
    else:
        who = Registration.status == RegistrationStatus.CONFIRMED
    return list(db.session.scalars(
        select(Registration.id)
        .where(Registration.event_id == survey.event_id, who,
               Registration.status != RegistrationStatus.CANCELLED,
               Registration.email.is_not(None), Registration.email != "",
               Registration.anonymised_at.is_(None),
               ~exists().where(SurveyInvitation.survey_id == survey.id,
                               SurveyInvitation.registration_id == Registration.id,
                               SurveyInvitation.wave == wave))
        .order_by(Registration.id)))


def _claim(survey: Survey, registration_id: int, wave: Wave, today: date) -> bool:
    """Insert the invitation unless someone has; ``True`` when this runner did."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (insert(SurveyInvitation)
                 .values(survey_id=survey.id, registration_id=registration_id,
                         wave=wave, answered=False, reminded=False, invited_on=today,
                         **secret_links.issue(SurveyInvitation.link_purpose))
                 .on_conflict_do_nothing(
                     index_elements=["survey_id", "registration_id", "wave"])
                 .returning(SurveyInvitation.id))
    return db.session.execute(statement).scalar() is not None


def queue_reminders(now: datetime) -> int:
    """One reminder to each invitation left unanswered :data:`REMINDER_DAYS` days."""
    due = now.date() - timedelta(days=REMINDER_DAYS)
    rows = db.session.execute(
        select(SurveyInvitation.id, SurveyInvitation.wave, Registration.id,
               Registration.email)
        .join(Registration, Registration.id == SurveyInvitation.registration_id)
        .where(SurveyInvitation.answered.is_(False), SurveyInvitation.reminded.is_(False),
               SurveyInvitation.invited_on <= due,
               SurveyInvitation.invited_on > due - timedelta(days=LATE_LIMIT),
               Registration.email.is_not(None), Registration.anonymised_at.is_(None))
        .order_by(SurveyInvitation.id)).all()
    reminded = 0
    for invitation_id, wave, registration_id, address in rows:
        taken = db.session.execute(
            update(SurveyInvitation)
            .where(SurveyInvitation.id == invitation_id,
                   SurveyInvitation.reminded.is_(False),
                   SurveyInvitation.answered.is_(False))
            .values(reminded=True).execution_options(synchronize_session=False))
        if taken.rowcount != 1:
            db.session.rollback()
            continue
        queue_to_compose(REMINDER[Wave(wave)], address, registration_id)
        db.session.commit()
        reminded += 1
    return reminded


def forget_who_answered(now: datetime) -> int:
    """Once no reminder can leave, clear what tells who answered: *answered*, *reminded*
    (only those who had not answered got one) and the link of those who did not answer
    (its presence would tell them apart; it stops working). The invitation stays, to
    count those invited until the event's purge. Return the invitations cleared."""
    limit = now.date() - timedelta(days=ANSWERED_KEPT_DAYS)
    cleared = db.session.execute(
        update(SurveyInvitation)
        .where(SurveyInvitation.invited_on < limit,
               or_(SurveyInvitation.answered.is_(True), SurveyInvitation.reminded.is_(True),
                   SurveyInvitation.token_digest.is_not(None)))
        .values(answered=False, reminded=False, token_nonce=None, token_digest=None)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return cleared


def survey_job() -> str:
    forget_who_answered(utcnow())
    invited, reminded = queue_invitations()
    if not invited and not reminded:
        return "aucun questionnaire à envoyer."
    return (f"{invited} invitation{'s' if invited > 1 else ''} et {reminded} "
            f"rappel{'s' if reminded > 1 else ''} au questionnaire mis en file.")


def init_app(app: Flask) -> None:
    """Look for due questionnaires every ``SURVEY_INTERVAL_SECONDS`` (15 minutes by
    default; 0: never)."""
    interval = app.config["SURVEY_INTERVAL_SECONDS"]
    if interval and interval > 0:
        tasks.register(app, tasks.PeriodicJob(
            SURVEY_JOB, "Questionnaires de satisfaction", timedelta(seconds=interval),
            survey_job))
