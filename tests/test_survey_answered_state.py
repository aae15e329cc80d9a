"""Who answered the questionnaire is kept only while a reminder may still leave: then
the invitation says no more than that the person was invited, and the rates still
count the answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from support.surveys import DAY_OVER, answer_data, invited

from journee.data_owners import person_data
from journee.extensions import db
from journee.programme.models import WorkshopMode
from journee.surveys import jobs, services
from journee.surveys.models import SurveyInvitation, Wave


@pytest.fixture
def first_come(irts):
    irts.workshop_mode = WorkshopMode.FIRST_COME
    db.session.commit()
    return irts


def rows():
    db.session.expire_all()
    return [(i.answered, i.reminded, i.token_digest is not None) for i in db.session.scalars(
        select(SurveyInvitation).order_by(SurveyInvitation.id))]


def test_who_answered_is_forgotten_once_no_reminder_can_leave(client, first_come):
    survey, [(answered, token), (silent, silent_token)] = invited(first_come, 2)
    assert client.post(f"/q/{token}", data=answer_data(survey)).status_code == 302
    jobs.queue_reminders(DAY_OVER + timedelta(days=3))
    assert rows() == [(True, False, False), (False, True, True)]
    assert person_data(answered)["questionnaire_de_satisfaction"][0]["repondu"] is True

    # A reminder may still leave up to 17 days after the invitation: all is kept.
    assert jobs.forget_who_answered(DAY_OVER + timedelta(days=17)) == 0
    assert rows() == [(True, False, False), (False, True, True)]
    # The day after, nothing tells the two apart any more.
    assert jobs.forget_who_answered(DAY_OVER + timedelta(days=18)) == 2
    assert rows() == [(False, False, False), (False, False, False)]
    assert jobs.forget_who_answered(DAY_OVER + timedelta(days=19)) == 0
    # The rates still count the answers and the invitations.
    assert services.invitation_counts(survey) == {Wave.HOT: (2, 1)}
    # The unused link no longer works, and the person's page no longer offers it.
    assert client.get(f"/q/{silent_token}").status_code == 404
    assert "Répondre au questionnaire" not in client.get(
        f"/r/{silent.token}").get_data(as_text=True)
    assert person_data(silent)["questionnaire_de_satisfaction"] == [
        {"envoi": "à chaud", "invitation_le": "2018-03-15", "repondu": "non conservé",
         "relance": "non conservé"}]
