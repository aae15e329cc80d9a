"""Registration rules: opening and deadline, capacity and waiting list, duplicates, and
first come, first served workshops."""

import email
from datetime import date
from email import policy

import pytest
from icalendar import Calendar
from sqlalchemy import select
from support.pages import text_of
from support.registration import (
    DONE_URL,
    FORM_URL,
    field_error,
    input_value,
    plain_text,
    register,
    registration_by_email,
    registration_count,
    self_service_links,
    sent_to,
    set_today,
    slot_of,
    valid_data,
)

from journee import mail
from journee.extensions import db
from journee.mail_models import OutboxMessage, OutboxStatus
from journee.programme.models import WorkshopMode
from journee.registration import services
from journee.registration.models import RegistrationStatus

#: Today is 1 February 2018 for the registration views (``registration_open``).
pytestmark = pytest.mark.usefixtures("registration_open")


def _emails(n):
    return [f"personne{i}@example.org" for i in range(1, n + 1)]


@pytest.mark.parametrize("today, message", [
    (date(2018, 1, 7), "Inscription gratuite et obligatoire, ouverte à partir du lundi "
                       "8 janvier 2018 et jusqu’au jeudi 1er mars 2018."),
    (date(2018, 3, 2), "Les inscriptions sont closes depuis le jeudi 1er mars 2018."),
    (date(2018, 3, 16), "Cette journée a eu lieu le jeudi 15 mars 2018."),
])
def test_closed_before_opening_and_after_the_deadline(client, irts, monkeypatch, today,
                                                      message):
    set_today(monkeypatch, today)
    page = client.get(FORM_URL)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert message in text_of(html)
    assert 'name="first_name"' not in html
    response = register(client, irts)
    assert message in text_of(response.get_data(as_text=True))
    assert registration_count() == 0


@pytest.mark.parametrize("today", [date(2018, 1, 8), date(2018, 3, 1)])
def test_opening_day_and_deadline_day_are_accepted(client, irts, monkeypatch, today):
    set_today(monkeypatch, today)
    assert register(client, irts).status_code == 302
    assert registration_count() == 1


def test_the_service_refuses_too_even_if_the_view_was_fooled(app, irts):
    attendee = services.Attendee(first_name="A", last_name="B", profile="other",
                                 email="a@example.org")
    with pytest.raises(services.RegistrationClosed):
        services.register(irts.id, attendee, date(2018, 3, 2))
    assert registration_count() == 0


def test_above_capacity_people_go_on_the_waiting_list(client, irts):
    irts.capacity = 2
    db.session.commit()
    for address in _emails(3):
        assert register(client, irts, email=address).status_code == 302
    statuses = [registration_by_email(e).status for e in _emails(3)]
    assert statuses == [RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED,
                        RegistrationStatus.WAITLISTED]
    third = registration_by_email("personne3@example.org")
    [confirmation] = sent_to("personne3@example.org", "confirmation")
    assert confirmation["Subject"].startswith("Liste d’attente")
    assert "vous êtes sur la liste d’attente" in plain_text(confirmation)
    text = text_of(client.get(f"/r/{third.token}").get_data(as_text=True))
    assert "Liste d’attente (position n° 1 sur la liste d’attente)" in text
    # The form warns the next person before they fill it in.
    assert "vous serez placé·e sur la liste d’attente" in text_of(
        client.get(FORM_URL).get_data(as_text=True))


def test_full_without_waiting_list_refuses_and_keeps_the_input(client, irts):
    irts.capacity = 2
    irts.waitlist_enabled = False
    db.session.commit()
    emails = _emails(2)
    for address in emails:
        register(client, irts, email=address)
    response = register(client, irts, email="troisieme@example.org", last_name="Troisième")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Il n’y a plus de place pour cette journée." in text_of(html)
    assert input_value(html, "last_name") == "Troisième"
    assert input_value(html, "email") == "troisieme@example.org"
    assert registration_count() == 2
    assert "Cette journée est complète." in text_of(client.get(FORM_URL).get_data(as_text=True))


def test_an_address_already_registered_gets_the_same_answer_and_its_owner_the_link(
        client, irts):
    first = register(client, irts)
    again = register(client, irts, email="ZOE.martin@example.org ", first_name="Zoé bis",
                     phone="07 00 00 00 00")
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"] == DONE_URL
    assert first.get_data() == again.get_data()
    assert registration_count() == 1
    zoe = registration_by_email("zoe.martin@example.org")
    assert (zoe.first_name, zoe.phone) == ("Zoé", "06 12 34 56 78")  # nothing changed
    [notice] = sent_to("zoe.martin@example.org", "self_service_link")
    assert text_of(notice["Subject"]) == f"Votre inscription : {text_of(irts.title)}"
    text = plain_text(notice)
    assert "Votre adresse e-mail vient d’être indiquée pour une inscription" in text
    assert "Vous êtes déjà inscrit·e" in text
    assert "Zoé bis" not in text and "07 00" not in text  # nothing the second one typed
    assert self_service_links(notice) == [f"/r/{zoe.token}"]
    assert len(sent_to("zoe.martin@example.org", "confirmation")) == 1


def test_registering_again_after_cancelling_says_how_to_come_after_all(client, irts):
    register(client, irts)
    zoe = registration_by_email("zoe.martin@example.org")
    client.post(f"/r/{zoe.token}/annuler")
    assert register(client, irts).headers["Location"] == DONE_URL
    [notice] = sent_to("zoe.martin@example.org", "self_service_link")
    text = " ".join(plain_text(notice).split())
    assert "Votre inscription avec cette adresse a été annulée : pour venir finalement" in text
    assert "Vous êtes déjà" not in text
    assert registration_by_email("zoe.martin@example.org").status == \
        RegistrationStatus.CANCELLED


def test_double_click_makes_one_registration(client, irts):
    first, second = register(client, irts), register(client, irts)
    assert first.status_code == second.status_code == 302
    assert registration_count() == 1


def _statements_of(post) -> list[str]:
    """The SQL statements a request runs (the sender's work left out, as in a running app
    where its thread does it after the answer)."""
    from sqlalchemy import event as sqlalchemy_event

    statements: list[str] = []

    def count(_connection, _cursor, statement, *_args):
        statements.append(statement)

    sqlalchemy_event.listen(db.engine, "before_cursor_execute", count)
    try:
        post()
    finally:
        sqlalchemy_event.remove(db.engine, "before_cursor_execute", count)
    return statements


def test_registering_an_address_already_registered_costs_no_more_than_a_new_one(app_factory):
    from journee.demo import load_demo

    app = app_factory(MAIL_DELIVER_AFTER_COMMIT=False)
    with app.app_context():
        irts = load_demo(original_dates=True)[0]
        db.session.commit()
        client = app.test_client()
        client.post(FORM_URL, data=valid_data(irts))  # also warms the statement caches
        new = _statements_of(lambda: client.post(
            FORM_URL, data=valid_data(irts, email="nouvelle@example.org")))
        again = _statements_of(lambda: client.post(FORM_URL, data=valid_data(irts)))
        for statements in (new, again):
            assert sum("INSERT INTO outbox_message" in s for s in statements) == 1
        assert len(again) <= len(new)
        db.session.remove()


def _link_requests():
    db.session.expire_all()
    return [(m.to_address, m.status) for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "link_request")
        .order_by(OutboxMessage.id))]


def test_resending_the_link_answers_the_same_whether_registered_or_not(client, irts):
    register(client, irts)
    answers = []
    for address in ("zoe.martin@example.org", "inconnue@example.org"):
        response = client.post(f"{FORM_URL}/lien", data={"email": address},
                               follow_redirects=True)
        assert response.status_code == 200
        answers.append(text_of(response.get_data(as_text=True)))
    assert answers[0] == answers[1]
    assert "Si cette adresse est inscrite à cette journée, un e-mail" in answers[0]
    # Both were queued alike; the sender wrote to the one registered, and kept nothing
    # of the other.
    assert _link_requests() == [("zoe.martin@example.org", OutboxStatus.SENT),
                                ("", OutboxStatus.SKIPPED)]
    [message] = sent_to("zoe.martin@example.org", "link_request")
    assert text_of(message["Subject"]) == f"Votre lien personnel : {text_of(irts.title)}"
    zoe = registration_by_email("zoe.martin@example.org")
    assert self_service_links(message) == [f"/r/{zoe.token}"]


def test_a_link_request_costs_the_same_database_work_for_any_address(app_factory):
    """Equal by construction: the same statements, in the same order, whether or not the
    address is registered (the sender does the looking up, after the answer)."""
    from journee.demo import load_demo

    # A running app leaves delivery to its sender thread: the request only wakes it.
    app = app_factory(MAIL_DELIVER_AFTER_COMMIT=False)
    with app.app_context():
        irts = load_demo(original_dates=True)[0]
        db.session.commit()
        client = app.test_client()
        assert client.post(FORM_URL, data=valid_data(irts)).status_code == 302

        def cost(address: str) -> tuple[bytes, list[str]]:
            answers = []
            statements = _statements_of(lambda: answers.append(
                client.post(f"{FORM_URL}/lien", data={"email": address})))
            assert answers[0].status_code == 302
            return answers[0].get_data(), statements

        cost("echauffement@example.org")
        known, unknown = cost("zoe.martin@example.org"), cost("inconnue@example.org")
        assert known == unknown
        assert any("INSERT INTO outbox_message" in s for s in known[1])
        assert not any("FROM registration" in s for s in known[1])
        mail.deliver_pending()
        assert [status for _, status in _link_requests()] == [
            OutboxStatus.SKIPPED, OutboxStatus.SENT, OutboxStatus.SKIPPED]
        db.session.remove()


def test_resend_page_validates_its_address(client, irts):
    response = client.post(f"{FORM_URL}/lien", data={"email": "pas une adresse"})
    assert "Saisissez une adresse e-mail valide" in field_error(
        response.get_data(as_text=True), "email")


# First come, first served ---------------------------------------------------------------

@pytest.fixture
def first_come(irts):
    irts.workshop_mode = WorkshopMode.FIRST_COME
    slot = slot_of(irts)
    slot.workshops[0].capacity = 1
    slot.workshops[1].capacity = 2
    db.session.commit()
    return irts


def _pick(event, index):
    slot = slot_of(event)
    data = valid_data(event)
    for rank in (1, 2, 3):
        data.pop(f"atelier_{slot.id}_{rank}")
    data[f"atelier_{slot.id}"] = str(slot.workshops[index].id)
    return data


def test_first_come_shows_one_choice_with_places_left(client, first_come):
    slot = slot_of(first_come)
    html = client.get(FORM_URL).get_data(as_text=True)
    assert f'<fieldset class="field" id="atelier_{slot.id}">' in html
    text = text_of(html)
    assert "Atelier n° 1 : Handicap enfant (1 place restante)" in text
    assert "Atelier n° 2 : Handicap adulte (2 places restantes)" in text
    assert "(40 places restantes)" in text


def test_first_come_takes_the_place_with_the_registration(client, first_come):
    slot = slot_of(first_come)
    assert client.post(FORM_URL, data=_pick(first_come, 0)).status_code == 302
    registration = registration_by_email("zoe.martin@example.org")
    assert [(c.rank, c.workshop_id) for c in registration.choices] == [
        (1, slot.workshops[0].id)]
    html = client.get(FORM_URL).get_data(as_text=True)
    assert ("Atelier n° 1 : Handicap enfant (Complet : plus aucune place dans cet atelier.)"
            in text_of(html))
    assert f'disabled id="atelier_{slot.id}-0"' in html


def test_first_come_the_workshop_taken_is_in_the_page_the_calendar_and_the_email(
        client, first_come):
    slot = slot_of(first_come)
    workshop = slot.workshops[1]
    assert client.post(FORM_URL, data=_pick(first_come, 1)).status_code == 302
    registration = registration_by_email("zoe.martin@example.org")

    page = text_of(client.get(f"/r/{registration.token}").get_data(as_text=True))
    assert f"Votre atelier : Atelier n° {workshop.number} : {workshop.title}" in page
    assert workshop.room.name in page

    mail.deliver_pending()
    [sent] = db.session.scalars(select(OutboxMessage.message)).all()
    message = email.message_from_bytes(sent, policy=policy.default)
    [attached] = [part.get_content() for part in message.iter_attachments()]
    downloaded = client.get(f"/r/{registration.token}/calendar.ics").data
    for data in (attached, downloaded):
        events = {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}
        assert f"{slot.uid}@journee" not in events
        mine = events[f"{workshop.uid}@journee"]
        assert workshop.title in str(mine["SUMMARY"])
        assert workshop.room.name in str(mine["LOCATION"])


def test_first_come_refuses_a_full_workshop(client, first_come):
    slot = slot_of(first_come)
    client.post(FORM_URL, data=_pick(first_come, 0))
    data = _pick(first_come, 0) | {"email": "second@example.org", "last_name": "Second"}
    response = client.post(FORM_URL, data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert field_error(html, f"atelier_{slot.id}") == \
        "L’atelier n°\u00a01 vient d’être complet\u00a0: choisissez-en un autre."
    assert input_value(html, "last_name") == "Second"
    assert registration_by_email("second@example.org") is None
    assert registration_count() == 1
    # Another workshop still has room.
    data[f"atelier_{slot.id}"] = str(slot.workshops[1].id)
    assert client.post(FORM_URL, data=data).status_code == 302


def test_service_refuses_the_last_place_taken_meanwhile(app, first_come):
    """The place check is in the insert itself, not in the form."""
    slot = slot_of(first_come)
    workshop = slot.workshops[0]
    day = date(2018, 2, 1)

    def attendee(email):
        return services.Attendee(first_name="A", last_name="B", profile="other", email=email,
                                 choices={slot.id: [workshop.id]})

    services.register(first_come.id, attendee("un@example.org"), day)
    db.session.commit()
    with pytest.raises(services.WorkshopFull):
        services.register(first_come.id, attendee("deux@example.org"), day)
    db.session.commit()
    assert registration_count() == 1


def test_service_refuses_a_workshop_of_another_slot(app, irts, demo):
    other_event = demo["travail-social-2-0-etsup-2018"]
    other_event.registration_deadline = date(2018, 3, 1)
    db.session.commit()
    slot = slot_of(irts)
    attendee = services.Attendee(first_name="A", last_name="B", profile="other",
                                 email="a@example.org", choices={slot.id: [slot.workshops[0].id]})
    with pytest.raises(services.InvalidChoice):
        services.register(other_event.id, attendee, date(2018, 2, 1))
    db.session.commit()
    assert registration_count() == 0


def test_first_come_does_not_count_the_waiting_list(client, first_come):
    first_come.capacity = 1
    db.session.commit()
    client.post(FORM_URL, data=_pick(first_come, 1))
    waiting = _pick(first_come, 0) | {"email": "attente@example.org"}
    assert client.post(FORM_URL, data=waiting).status_code == 302
    waiting = registration_by_email("attente@example.org")
    assert waiting.status == RegistrationStatus.WAITLISTED
    # No place is held while waiting: the page names the workshop asked for, not « yours ».
    page = text_of(client.get(f"/r/{waiting.token}").get_data(as_text=True))
    assert "Atelier demandé : Atelier n° 1" in page and "Votre atelier" not in page


def test_concurrent_registrations_never_overbook(app, first_come):
    """Twenty people at once for the 5 places of a workshop, then twenty for the last 3
    places of the day: exactly 5, then exactly 3 get in."""
    from concurrent.futures import ThreadPoolExecutor

    slot = slot_of(first_come)
    slot.workshops[1].capacity = 5
    first_come.capacity = None
    db.session.commit()

    def post(data):
        with app.app_context():
            response = app.test_client().post(FORM_URL, data=data)
            db.session.remove()
            return response.status_code

    def crowd(prefix, workshop_index):
        forms = [_pick(first_come, workshop_index) | {"email": f"{prefix}{i}@example.org"}
                 for i in range(20)]
        with ThreadPoolExecutor(max_workers=10) as pool:
            codes = list(pool.map(post, forms))
        assert set(codes) <= {200, 302}
        return codes.count(302)

    assert crowd("atelier", 1) == 5
    db.session.expire_all()
    assert services.workshop_places_left(first_come)[slot.workshops[1].id] == 0

    first_come.capacity = 8
    first_come.waitlist_enabled = False
    db.session.commit()
    assert crowd("journee", 2) == 3
    assert registration_count() == 8
    assert services.places_left(first_come) == 0
