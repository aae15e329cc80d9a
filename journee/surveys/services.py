"""The questionnaire: the ready-made one, its editing, answering once, the results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select, update

from ..errors import JourneeError
from ..extensions import db
from ..programme.models import Event, Workshop
from ..registration.models import Registration
from ..registration.services import attendee_workshops
from .models import (
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    Wave,
)

#: Results per workshop are shown from this many answers: fewer could name someone.
WORKSHOP_THRESHOLD = 5
SCALE = range(1, 6)
SCALE_LABELS = {1: "1 – Pas du tout satisfait·e", 2: "2", 3: "3", 4: "4",
                5: "5 – Tout à fait satisfait·e"}

READY_MADE = (
    (QuestionKind.SCALE, "Dans l’ensemble, êtes-vous satisfait·e de cette journée\u202f?", True,
     "overall"),
    (QuestionKind.SCALE, "Le contenu des interventions vous a-t-il satisfait·e\u202f?", False,
     None),
    (QuestionKind.SCALE, "L’organisation (accueil, horaires, lieu) vous a-t-elle "
     "satisfait·e\u202f?", False, None),
    (QuestionKind.SCALE, "Cette journée vous sera-t-elle utile dans votre pratique\u202f?", False,
     None),
    (QuestionKind.SCALE, "Votre atelier vous a-t-il satisfait·e\u202f?", False, "workshop"),
    (QuestionKind.TEXT, "Vos commentaires libres", False, None),
)


class AlreadyAnswered(JourneeError):
    """This link has been used: a questionnaire is answered once."""


def survey_of(event: Event) -> Survey | None:
    return db.session.scalar(select(Survey).where(Survey.event_id == event.id))


def ensure_survey(event: Event) -> Survey:
    """The event's questionnaire, the ready-made one the first time; the caller commits."""
    survey = survey_of(event)
    if survey is None:
        survey = Survey(event_id=event.id)
        survey.questions = [
            SurveyQuestion(position=index, kind=kind, text=text, required=required,
                           role=role)
            for index, (kind, text, required, role) in enumerate(READY_MADE, start=1)]
        db.session.add(survey)
        db.session.flush()
    return survey


# Editing ------------------------------------------------------------------------------

def add_question(survey: Survey, kind: QuestionKind, text: str, choices: str,
                 required: bool) -> SurveyQuestion:
    position = max((q.position for q in survey.questions), default=0) + 1
    question = SurveyQuestion(position=position, kind=kind, text=text, required=required,
                              choices=choices if kind in (QuestionKind.SINGLE,
                                                          QuestionKind.MULTIPLE) else "")
    survey.questions.append(question)
    db.session.flush()
    return question


def remove_question(survey: Survey, question: SurveyQuestion) -> None:
    """Remove a question and its answers (the other answers stay)."""
    survey.questions.remove(question)
    db.session.flush()


def move_question(survey: Survey, question: SurveyQuestion, step: int) -> None:
    """Swap a question with the one above (*step* −1) or below (+1)."""
    questions = list(survey.questions)
    index = questions.index(question)
    other = index + step
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for position, item in enumerate(questions, start=1):
        item.position = position
    db.session.flush()


# Answering ----------------------------------------------------------------------------

def open_invitation(invitation: SurveyInvitation | None) -> bool:
    return invitation is not None and not invitation.answered


def answer_workshop(invitation: SurveyInvitation) -> int | None:
    """The person's workshop in the day's first workshop slot, recorded with the answer
    for the results per workshop (shown from :data:`WORKSHOP_THRESHOLD` answers)."""
    registration = db.session.get(Registration, invitation.registration_id)
    workshops = attendee_workshops(registration)
    slots = [s.id for s in registration.event.workshop_sessions if s.id in workshops]
    return workshops[slots[0]].id if slots else None


def submit(invitation: SurveyInvitation, answers: dict[int, object], today: date) -> None:
    """Record an answer and use up the invitation in the same transaction; the caller
    commits. *answers*: per question id, a score, an option, a list of options or a text.

    The invitation is taken by one conditional UPDATE: of two concurrent submissions of
    the same link, the second updates nothing and is refused."""
    workshop_id = answer_workshop(invitation)
    taken = db.session.execute(
        update(SurveyInvitation)
        .where(SurveyInvitation.id == invitation.id, SurveyInvitation.answered.is_(False))
        .values(answered=True, token_nonce=None, token_digest=None)
        .execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        db.session.rollback()
        raise AlreadyAnswered("Ce questionnaire a déjà reçu une réponse par ce lien\u202f: "
                              "on ne peut y répondre qu’une fois.")
    response = SurveyResponse(survey_id=invitation.survey_id, wave=invitation.wave,
                              answered_on=today, workshop_id=workshop_id)
    db.session.add(response)
    db.session.flush()
    questions = {q.id: q for q in invitation.survey.questions}
    rows = []
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None or value in (None, "", []):
            continue
        if question.kind == QuestionKind.SCALE:
            rows.append(SurveyAnswer(response_id=response.id, question_id=question_id,
                                     score=int(value)))
        elif question.kind == QuestionKind.TEXT:
            rows.append(SurveyAnswer(response_id=response.id, question_id=question_id,
                                     text=str(value)))
        else:
            for choice in value if isinstance(value, list) else [value]:
                rows.append(SurveyAnswer(response_id=response.id, question_id=question_id,
                                         choice=choice))
    db.session.add_all(rows)
    db.session.expire(invitation)


# Results ------------------------------------------------------------------------------

@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int = 0
    counts: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    mean: float | None = None


@dataclass
class Results:
    responses: int
    questions: list[QuestionResult]
    rate: float | None
    """Share of 4 and 5 among the answers to the overall satisfaction question."""


def results(survey: Survey, workshop_id: int | None = None,
            wave: Wave | None = None) -> Results:
    """Counts per question in a few ``GROUP BY`` queries: all answers, or one workshop's,
    of both waves or of one."""
    scope = [SurveyResponse.survey_id == survey.id]
    if workshop_id is not None:
        scope.append(SurveyResponse.workshop_id == workshop_id)
    if wave is not None:
        scope.append(SurveyResponse.wave == wave)
    responses = db.session.scalar(select(func.count()).select_from(SurveyResponse)
                                  .where(*scope))
    joined = (select(SurveyAnswer).join(SurveyResponse,
                                        SurveyResponse.id == SurveyAnswer.response_id)
              .where(*scope))
    answered = dict(db.session.execute(
        joined.with_only_columns(SurveyAnswer.question_id,
                                 func.count(func.distinct(SurveyAnswer.response_id)))
        .group_by(SurveyAnswer.question_id)).all())
    scores: dict[int, dict[int, int]] = {}
    for question_id, score, count in db.session.execute(
            joined.with_only_columns(SurveyAnswer.question_id, SurveyAnswer.score,
                                     func.count())
            .where(SurveyAnswer.score.is_not(None))
            .group_by(SurveyAnswer.question_id, SurveyAnswer.score)):
        scores.setdefault(question_id, {})[score] = count
    choices: dict[int, dict[str, int]] = {}
    for question_id, choice, count in db.session.execute(
            joined.with_only_columns(SurveyAnswer.question_id, SurveyAnswer.choice,
                                     func.count())
            .where(SurveyAnswer.choice.is_not(None))
            .group_by(SurveyAnswer.question_id, SurveyAnswer.choice)):
        choices.setdefault(question_id, {})[choice] = count
    texts: dict[int, list[str]] = {}
    for question_id, text in db.session.execute(
            joined.with_only_columns(SurveyAnswer.question_id, SurveyAnswer.text)
            .where(SurveyAnswer.text.is_not(None))
            .order_by(SurveyAnswer.id)):
        texts.setdefault(question_id, []).append(text)
    items = []
    rate = None
    for question in survey.questions:
        item = QuestionResult(question, answered.get(question.id, 0))
        if question.kind == QuestionKind.SCALE:
            found = scores.get(question.id, {})
            item.counts = [(SCALE_LABELS[s], found.get(s, 0)) for s in SCALE]
            total = sum(found.values())
            if total:
                item.mean = sum(s * n for s, n in found.items()) / total
                if question.role == "overall":
                    rate = (found.get(4, 0) + found.get(5, 0)) / total
        elif question.kind == QuestionKind.TEXT:
            item.texts = texts.get(question.id, [])
        else:
            found = choices.get(question.id, {})
            options = question.options
            item.counts = [(option, found.get(option, 0)) for option in options] + [
                (option, count) for option, count in found.items() if option not in options]
        items.append(item)
    return Results(responses, items, rate)


def workshop_counts(survey: Survey, wave: Wave | None = None) -> dict[int, int]:
    """Answers per workshop (of one wave, if given)."""
    scope = [] if wave is None else [SurveyResponse.wave == wave]
    return dict(db.session.execute(
        select(SurveyResponse.workshop_id, func.count())
        .where(SurveyResponse.survey_id == survey.id,
               SurveyResponse.workshop_id.is_not(None), *scope)
        .group_by(SurveyResponse.workshop_id)).all())


def workshop_results(survey: Survey, workshop: Workshop) -> Results | None:
    """A workshop's results, or ``None`` below :data:`WORKSHOP_THRESHOLD` answers."""
    if workshop_counts(survey).get(workshop.id, 0) < WORKSHOP_THRESHOLD:
        return None
    return results(survey, workshop.id)


@dataclass
class WorkshopResults:
    workshop: Workshop
    responses: int
    results: Results | None
    """``None`` below :data:`WORKSHOP_THRESHOLD` answers: fewer could name someone."""


def results_by_workshop(survey: Survey, event: Event,
                        wave: Wave | None = None) -> list[WorkshopResults]:
    """Every workshop of the day in programme order, with its results from
    :data:`WORKSHOP_THRESHOLD` answers.

    For one wave, a workshop whose other answers are fewer than the threshold (but some)
    is not given either: its results for both waves together are, and the difference
    would show those few answers."""
    counts = workshop_counts(survey, wave)
    everyone = workshop_counts(survey) if wave is not None else counts

    def shown(workshop_id: int) -> bool:
        rest = everyone.get(workshop_id, 0) - counts.get(workshop_id, 0)
        return (counts.get(workshop_id, 0) >= WORKSHOP_THRESHOLD
                and (rest == 0 or rest >= WORKSHOP_THRESHOLD))

    return [WorkshopResults(w, counts.get(w.id, 0),
                            results(survey, w.id, wave) if shown(w.id) else None)
            for slot in event.workshop_sessions for w in slot.workshops]


def invitation_counts(survey: Survey) -> dict[Wave, tuple[int, int]]:
    """Per wave: invitations sent, and answers received (counted from the answers: who
    answered is not kept beyond the reminder, see :func:`jobs.forget_who_answered`)."""
    answers = response_counts(survey)
    rows = db.session.execute(
        select(SurveyInvitation.wave, func.count())
        .where(SurveyInvitation.survey_id == survey.id)
        .group_by(SurveyInvitation.wave)).all()
    # An erasure takes the person's invitation but leaves their anonymous answer: never
    # more answers than invitations.
    return {Wave(wave): (total, min(total, answers.get(Wave(wave), 0))) for wave, total in rows}


def response_counts(survey: Survey) -> dict[Wave, int]:
    """Answers per wave."""
    return {Wave(wave): count for wave, count in db.session.execute(
        select(SurveyResponse.wave, func.count())
        .where(SurveyResponse.survey_id == survey.id).group_by(SurveyResponse.wave))}


def response_rate(invitations: dict[Wave, tuple[int, int]], wave: Wave) -> float | None:
    """Answers over invitations sent for this wave; ``None`` before any invitation."""
    sent, answered = invitations.get(wave, (0, 0))
    return answered / sent if sent else None
