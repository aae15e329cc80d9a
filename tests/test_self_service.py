"""An attendee's self-service page: see, edit, cancel, add to the calendar, change the
e-mail address, download or erase one's data."""

import json
import re
from datetime import date

import pytest
from sqlalchemy import select
from support.pages import csrf_token_from, text_of
from support.registration import (
    FORM_URL,
    field_error,
    input_value,
    plain_text,
    register,
    registration_by_email,
    self_service_links,
    sent_to,
    set_today,
    slot_of,
    valid_data,
)

from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.mail_models import OutboxMessage
from journee.programme.models import WorkshopMode
from journee.registration.models import Profile, RegistrationStatus, WorkshopChoice

#: Today is 1 February 2018 for the registration views (``registration_open``).
pytestmark = pytest.mark.usefixtures("registration_open")


@pytest.fixture
def zoe(client, irts):
    assert register(client, irts).status_code == 302
    return registration_by_email("zoe.martin@example.org")


def _edit_data(event, **overrides):
    data = valid_data(event, **overrides)
    for name in ("privacy", "website"):
        data.pop(name, None)
    return data


def test_page_shows_the_registration(client, irts, zoe):
    response = client.get(f"/r/{zoe.token}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    text = text_of(response.get_data(as_text=True))
    for expected in ("Confirmée", "Zoé Martin", "zoe.martin@example.org", "06 12 34 56 78",
                     "IRTS-IDS Normandie", "Étudiant·e – ES, 2e année",
                     "Protection de l’enfance", "Déjeuner sur place Oui",
                     "Atelier n° 3 : Protection de l’enfance", "Modifier mon inscription",
                     "Annuler mon inscription", "Ajouter la journée à mon agenda"):
        assert expected in text, expected
    # Choices come in rank order.
    assert text.index("Atelier n° 3") < text.index("Atelier n° 1") < text.index("Atelier n° 5")


def test_unknown_or_partial_token_is_404(client, zoe):
    assert client.get("/r/inconnu").status_code == 404
    assert client.get(f"/r/{zoe.token[:-1]}").status_code == 404
    assert client.get(f"/r/{zoe.token[:-1]}/calendar.ics").status_code == 404
    assert client.post(f"/r/{zoe.token[:-1]}/annuler").status_code == 404


def test_edit_form_is_prefilled(client, irts, zoe):
    html = client.get(f"/r/{zoe.token}/modifier").get_data(as_text=True)
    slot = slot_of(irts)
    assert input_value(html, "first_name") == "Zoé"
    assert input_value(html, "email") == "zoe.martin@example.org"
    assert f'<option selected value="{slot.workshops[2].id}">' in html
    assert 'name="privacy"' not in html
    assert 'name="website"' not in html


def test_edit_details_and_choices(client, irts, zoe):
    slot = slot_of(irts)
    response = client.post(f"/r/{zoe.token}/modifier", data=_edit_data(irts, **{
        "last_name": "Martin-Durand", "profile": "professional", "lunch": "non",
        f"atelier_{slot.id}_1": str(slot.workshops[5].id),
        f"atelier_{slot.id}_2": str(slot.workshops[2].id),
        f"atelier_{slot.id}_3": ""}))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/r/{zoe.token}"
    registration = registration_by_email("zoe.martin@example.org")
    assert registration.last_name == "Martin-Durand"
    assert registration.profile == Profile.PROFESSIONAL
    assert (registration.course, registration.course_year) == (None, None)
    assert registration.lunch is False
    assert [(c.rank, c.workshop_id) for c in registration.choices] == [
        (1, slot.workshops[5].id), (2, slot.workshops[2].id)]
    assert "Vos modifications sont enregistrées." in text_of(
        client.get(f"/r/{zoe.token}").get_data(as_text=True))


def test_edit_uses_the_same_rules(client, irts, zoe):
    slot = slot_of(irts)
    response = client.post(f"/r/{zoe.token}/modifier", data=_edit_data(irts, **{
        "first_name": "", f"atelier_{slot.id}_2": str(slot.workshops[2].id)}))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert field_error(html, "first_name") == "Indiquez votre prénom."
    assert field_error(html, f"atelier_{slot.id}_2") == \
        "Vous avez déjà choisi cet atelier en 1er\u00a0choix."
    assert registration_by_email("zoe.martin@example.org").first_name == "Zoé"


def test_edit_refused_after_the_deadline(client, irts, zoe, monkeypatch):
    set_today(monkeypatch, date(2018, 3, 2))
    page = client.get(f"/r/{zoe.token}")
    text = text_of(page.get_data(as_text=True))
    assert "votre inscription ne peut plus être modifiée en ligne" in text
    assert "Modifier mon inscription" not in text
    response = client.post(f"/r/{zoe.token}/modifier", data=_edit_data(irts, last_name="X"))
    assert response.status_code == 302
    assert registration_by_email("zoe.martin@example.org").last_name == "Martin"
    assert "La date limite est passée" in text_of(
        client.get(response.headers["Location"]).get_data(as_text=True))


def test_edit_allowed_on_the_deadline_day(client, irts, zoe, monkeypatch):
    set_today(monkeypatch, date(2018, 3, 1))
    response = client.post(f"/r/{zoe.token}/modifier", data=_edit_data(irts, last_name="X"))
    assert response.status_code == 302
    assert registration_by_email("zoe.martin@example.org").last_name == "X"


def test_cancel_asks_first_then_promotes_the_first_waiting(client, irts):
    irts.capacity = 1
    db.session.commit()
    for email in ("zoe.martin@example.org", "attente1@example.org", "attente2@example.org"):
        register(client, irts, email=email)
    zoe = registration_by_email("zoe.martin@example.org")
    page = client.get(f"/r/{zoe.token}/annuler")
    assert "Oui, annuler mon inscription" in text_of(page.get_data(as_text=True))
    assert registration_by_email("zoe.martin@example.org").status == RegistrationStatus.CONFIRMED

    response = client.post(f"/r/{zoe.token}/annuler")
    assert response.status_code == 302
    assert registration_by_email("zoe.martin@example.org").status == RegistrationStatus.CANCELLED
    assert registration_by_email("attente1@example.org").status == RegistrationStatus.CONFIRMED
    assert registration_by_email("attente2@example.org").status == RegistrationStatus.WAITLISTED
    promotions = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "promotion")).all()
    assert [m.to_address for m in promotions] == ["attente1@example.org"]
    text = text_of(client.get(f"/r/{zoe.token}").get_data(as_text=True))
    assert "Votre inscription est annulée." in text
    assert "Annulée" in text
    assert "Modifier mon inscription" not in text
    # A cancelled registration cannot be edited any more.
    assert client.get(f"/r/{zoe.token}/modifier").status_code == 302


def test_waiting_person_sees_their_position(client, irts):
    irts.capacity = 1
    db.session.commit()
    for email in ("zoe.martin@example.org", "attente1@example.org", "attente2@example.org"):
        register(client, irts, email=email)
    second = registration_by_email("attente2@example.org")
    text = text_of(client.get(f"/r/{second.token}").get_data(as_text=True))
    assert "Liste d’attente (position n° 2 sur la liste d’attente)" in text


def test_calendar_download(client, irts, zoe):
    response = client.get(f"/r/{zoe.token}/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.data.startswith(b"BEGIN:VCALENDAR")


def test_first_come_edit_keeps_its_own_place_and_refuses_a_full_workshop(client, irts):
    irts.workshop_mode = WorkshopMode.FIRST_COME
    slot = slot_of(irts)
    slot.workshops[0].capacity = 1
    slot.workshops[1].capacity = 1
    db.session.commit()

    def pick(index, email):
        data = valid_data(irts, email=email)
        for rank in (1, 2, 3):
            data.pop(f"atelier_{slot.id}_{rank}")
        data[f"atelier_{slot.id}"] = str(slot.workshops[index].id)
        return data

    client.post(FORM_URL, data=pick(0, "zoe.martin@example.org"))
    client.post(FORM_URL, data=pick(1, "autre@example.org"))
    zoe = registration_by_email("zoe.martin@example.org")
    edit = {k: v for k, v in pick(0, "zoe.martin@example.org").items()
            if k not in ("privacy", "website")}
    # Her own full workshop is still hers to keep.
    assert client.post(f"/r/{zoe.token}/modifier", data=edit | {"last_name": "M."}) \
        .status_code == 302
    # Workshop 2 is full: refused, and nothing changes.
    response = client.post(f"/r/{zoe.token}/modifier",
                           data=edit | {f"atelier_{slot.id}": str(slot.workshops[1].id),
                                        "last_name": "Autre"})
    assert response.status_code == 200
    assert "vient d’être complet" in field_error(response.get_data(as_text=True),
                                                 f"atelier_{slot.id}")
    zoe = registration_by_email("zoe.martin@example.org")
    assert zoe.last_name == "M."
    assert [c.workshop_id for c in zoe.choices] == [slot.workshops[0].id]


# A new e-mail address -------------------------------------------------------------------

ADDRESS_LINK = re.compile(r"http://journee\.test(/r/adresse/[A-Za-z0-9_.\-]+)")


def test_a_new_address_takes_effect_once_confirmed_from_the_link_sent_to_it(client, irts,
                                                                            zoe):
    response = client.post(f"/r/{zoe.token}/modifier", follow_redirects=True, data=_edit_data(
        irts, email="Zoe.Nouvelle@example.org", last_name="Martin-Durand"))
    text = text_of(response.get_data(as_text=True))
    assert ("Un e-mail a été envoyé à zoe.nouvelle@example.org pour confirmer la nouvelle "
            "adresse") in text
    registration = registration_by_email("zoe.martin@example.org")
    assert registration.last_name == "Martin-Durand"  # the other fields are saved
    [message] = sent_to("zoe.nouvelle@example.org", "address_change")
    body = plain_text(message)
    assert f"la journée d’étude « {text_of(irts.title)} »" in " ".join(body.split())
    assert zoe.token not in body and "Zoé" not in body  # no way in before confirming
    path = ADDRESS_LINK.search(body)[1]

    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "zoe.nouvelle@example.org" in text_of(page.get_data(as_text=True))
    assert registration_by_email("zoe.martin@example.org") is not None  # a GET changes nothing
    confirmed = client.post(path)
    assert confirmed.headers["Location"] == f"/r/{zoe.token}"
    assert registration_by_email("zoe.martin@example.org") is None
    assert registration_by_email("zoe.nouvelle@example.org").id == zoe.id
    assert "Votre nouvelle adresse e-mail est confirmée" in text_of(
        client.get(f"/r/{zoe.token}").get_data(as_text=True))
    # The link served once.
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404


def test_a_new_address_already_registered_looks_the_same_and_its_owner_gets_their_link(
        client, irts, zoe):
    register(client, irts, email="autre@example.org")
    other = registration_by_email("autre@example.org")
    answers = []
    for address in ("autre@example.org", "libre@example.org"):
        response = client.post(f"/r/{zoe.token}/modifier",
                               data=_edit_data(irts, email=address), follow_redirects=True)
        answers.append(text_of(response.get_data(as_text=True)).replace(address, "…"))
    assert answers[0] == answers[1]
    assert "Un e-mail a été envoyé à … pour confirmer la nouvelle adresse" in answers[0]
    assert "déjà inscrite" not in answers[0]
    # Nothing changed for either registration; the owner got their own link, not Zoé's.
    assert registration_by_email("zoe.martin@example.org").id == zoe.id
    assert registration_by_email("autre@example.org").id == other.id
    assert sent_to("autre@example.org", "address_change") == []
    [notice] = sent_to("autre@example.org", "self_service_link")
    assert self_service_links(notice) == [f"/r/{other.token}"]


def test_an_address_link_expires_after_a_day_and_cannot_be_forged(client, irts, zoe,
                                                                   monkeypatch):
    from itsdangerous.timed import TimestampSigner

    client.post(f"/r/{zoe.token}/modifier", data=_edit_data(irts, email="tard@example.org"))
    [message] = sent_to("tard@example.org", "address_change")
    path = ADDRESS_LINK.search(plain_text(message))[1]
    assert client.get(path[:-2] + "xx").status_code == 404
    sent_at = TimestampSigner.get_timestamp(None)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: sent_at + 25 * 3600)
    response = client.post(path)
    assert response.status_code == 404
    assert "Ce lien de confirmation n’est plus valable" in text_of(
        response.get_data(as_text=True))
    assert registration_by_email("tard@example.org") is None


# The person's own data ------------------------------------------------------------------

def test_download_my_data(client, irts, zoe):
    register(client, irts, email="autre@example.org", first_name="Inès")
    page = client.get(f"/r/{zoe.token}").get_data(as_text=True)
    assert f'href="/r/{zoe.token}/donnees.json"' in page
    response = client.get(f"/r/{zoe.token}/donnees.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "private, no-store"
    data = json.loads(response.data)
    assert data["inscription"]["email"] == "zoe.martin@example.org"
    assert data["inscription"]["prenom"] == "Zoé"
    assert [m["type"] for m in data["e_mails"]] == ["confirmation"]
    assert "autre@example.org" not in response.get_data(as_text=True)
    assert "Inès" not in response.get_data(as_text=True)


def test_erase_my_data_asks_first_then_erases_and_frees_the_place(client, irts):
    irts.capacity = 1
    db.session.commit()
    for email in ("zoe.martin@example.org", "attente@example.org"):
        register(client, irts, email=email)
    zoe = registration_by_email("zoe.martin@example.org")
    page = client.get(f"/r/{zoe.token}/supprimer")
    text = text_of(page.get_data(as_text=True))
    assert "C’est définitif" in text and "ce lien personnel ne fonctionnera plus" in text
    assert "Votre place sera proposée à la première personne de la liste d’attente." in text
    assert "Oui, supprimer mes données" in text
    assert registration_by_email("zoe.martin@example.org") is not None

    response = client.post(f"/r/{zoe.token}/supprimer")
    assert response.status_code == 302
    done = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Vos données sont supprimées" in done
    assert "Votre lien personnel ne fonctionne plus." in done
    db.session.expire_all()
    assert registration_by_email("zoe.martin@example.org") is None
    assert db.session.scalars(select(WorkshopChoice).filter_by(
        registration_id=zoe.id)).all() == []
    assert db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == "zoe.martin@example.org")).all() == []
    assert client.get(f"/r/{zoe.token}").status_code == 404
    assert client.get(f"/r/{zoe.token}/donnees.json").status_code == 404
    # The place went to the first person waiting, who was told.
    assert registration_by_email("attente@example.org").status == RegistrationStatus.CONFIRMED
    assert len(sent_to("attente@example.org", "promotion")) == 1
    [entry] = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "attendee.erase_self")).all()
    assert (entry.event_id, entry.target, entry.rows) == (irts.id, f"Inscription n°\u00a0{zoe.id}",
                                                           1)
    assert "zoe" not in entry.actor.casefold()


def test_erasing_needs_the_csrf_token(csrf_app):
    from journee.demo import load_demo

    irts = load_demo(original_dates=True)[0]
    db.session.commit()
    client = csrf_app.test_client()
    form = client.get(FORM_URL).get_data(as_text=True)
    client.post(FORM_URL, data=valid_data(irts, csrf_token=csrf_token_from(form)))
    zoe = registration_by_email("zoe.martin@example.org")
    assert client.post(f"/r/{zoe.token}/supprimer").status_code == 400
    assert registration_by_email("zoe.martin@example.org") is not None
    page = client.get(f"/r/{zoe.token}/supprimer").get_data(as_text=True)
    response = client.post(f"/r/{zoe.token}/supprimer",
                           data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    assert registration_by_email("zoe.martin@example.org") is None


def test_page_and_email_offer_web_calendars_and_a_link_that_wraps(client, irts, zoe):
    html = client.get(f"/r/{zoe.token}").get_data(as_text=True)
    assert "Ajouter à Google Agenda" in html and "Ajouter à Outlook" in html
    assert 'href="https://calendar.google.com/calendar/render?action=TEMPLATE&amp;' in html
    assert 'href="https://outlook.live.com/calendar/0/deeplink/compose?' in html
    assert re.search(r'<a href="[^"]*/r/[^"]+" style="overflow-wrap: anywhere; '
                     r'word-break: break-all;">', html)

    [confirmation] = sent_to("zoe.martin@example.org", "confirmation")
    body = confirmation.get_body(("html",)).get_content()
    assert ">Google Agenda</a> ou <a href=\"https://outlook.live.com/" in body
    assert re.search(r'<a href="http://journee\.test/r/[^"]+" style="overflow-wrap:anywhere; '
                     r'word-break:break-all;">', body)


def test_no_web_calendar_for_someone_waiting(client, irts, zoe):
    zoe.status = RegistrationStatus.WAITLISTED
    db.session.commit()
    html = client.get(f"/r/{zoe.token}").get_data(as_text=True)
    assert "Google Agenda" not in html and "Outlook" not in html
