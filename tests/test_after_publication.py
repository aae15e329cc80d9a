"""After publication, someone without a workshop can take a place left (first come,
first served) or wait for one in a full workshop; a freed place goes to the first one
waiting, once. People left without a workshop after the publication are told too. The
e-mails are read as a real SMTP server receives them, their calendars parsed back."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select
from support.pages import text_of
from support.registration import OPEN_DAY, set_today
from support.smtp import calendar_of, prose_of, received_by, sending_to, subject_of

from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.programme.models import SessionKind
from journee.registration import operations
from journee.registration.models import (
    Assignment,
    AssignmentSource,
    NoWorkshopNotice,
    Profile,
    Registration,
    RegistrationStatus,
    WorkshopChoice,
    WorkshopWaitlistEntry,
)
from journee.workshops import jobs

#: Today is 1 February 2018 for the registration views: cancelling is open.
pytestmark = pytest.mark.usefixtures("registration_open")

CONTACT = "claire.lagu@irtsnormandie.ids.fr"


@pytest.fixture
def app(app_factory, smtp):
    """An app as deployed: each commit sends what it queued to the SMTP server."""
    app = app_factory(**sending_to(smtp))
    with app.app_context():
        yield app


@pytest.fixture
def slot(irts):
    """The IRTS-IDS workshops slot: workshop 1 has one place, the others three."""
    slot = next(s for s in irts.sessions if s.kind == SessionKind.WORKSHOPS)
    for workshop in slot.workshops:
        workshop.capacity = 1 if workshop.number == 1 else 3
    db.session.commit()
    return slot


def workshop(slot, number: int):
    return next(w for w in slot.workshops if w.number == number)


def person(event, slot, n: int, ranks: list[int],
           status=RegistrationStatus.CONFIRMED) -> Registration:
    registration = Registration(
        event=event, status=status, first_name=f"Prénom{n}",
        last_name=f"Nom{n:02d}", email=f"personne{n}@example.org", organisation=f"Org{n}",
        profile=Profile.PROFESSIONAL, lunch=False,
        choices=[WorkshopChoice(session_id=slot.id, workshop_id=workshop(slot, number).id,
                                rank=rank) for rank, number in enumerate(ranks, start=1)])
    db.session.add(registration)
    return registration


@pytest.fixture
def people(irts, slot):
    """Three people who only want workshop 1 (one place), and one who wants 2."""
    crowd = [person(irts, slot, n, [1]) for n in range(3)] + [person(irts, slot, 3, [2])]
    db.session.commit()
    return crowd


def page_url(event, slot) -> str:
    return f"/admin/journees/{event.id}/repartition/{slot.id}/"


@pytest.fixture
def published(organiser_client, irts, slot, people):
    """Run and publish: one of the first three is in workshop 1, the two others have
    none; returns (holder, the two left out) ."""
    organiser_client.post(page_url(irts, slot), data={"strategy": "first_choices",
                                                      "seed": "7"})
    organiser_client.post(f"{page_url(irts, slot)}publier", data={"confirme": "1"})
    placed = assignments()
    holder = next(r for r in people[:3] if r.id in placed)
    return holder, [r for r in people[:3] if r.id not in placed]


def assignments() -> dict[int, Assignment]:
    db.session.expire_all()
    return {a.registration_id: a for a in db.session.scalars(select(Assignment))}


def waiting() -> list[tuple[int, int]]:
    db.session.expire_all()
    return [(e.registration_id, e.workshop_id) for e in db.session.scalars(
        select(WorkshopWaitlistEntry).order_by(WorkshopWaitlistEntry.id))]


def take(client, registration, slot, workshop_id, **options):
    return client.post(f"/r/{registration.token}/ateliers/{slot.id}/prendre",
                       data={f"prendre-{slot.id}-workshop": str(workshop_id)}, **options)


def wait_for(client, registration, slot, workshop_id):
    return client.post(f"/r/{registration.token}/ateliers/{slot.id}/attendre",
                       data={f"attendre-{slot.id}-workshop": str(workshop_id)})


def label(workshop) -> str:
    """The workshop's label as the page's text reads it."""
    return f"Atelier n° {workshop.number} : {workshop.title}"


def vevents(calendar: Calendar) -> dict[str, tuple[int, str, str]]:
    """SEQUENCE, SUMMARY and STATUS per UID."""
    return {str(e["uid"]): (int(e["sequence"]), str(e["summary"]), str(e["status"]))
            for e in calendar.walk("VEVENT")}


def assert_updated_day(before: Calendar, after: Calendar, slot, workshop) -> None:
    """The day's events keep their UIDs, each with a higher SEQUENCE; the slot's event
    « Ateliers (répartition à venir) » is cancelled, and the workshop's event added."""
    old, new = vevents(before), vevents(after)
    [pending] = [uid for uid, (_, summary, _) in old.items()
                 if summary == "Ateliers (répartition à venir)"]
    assert old.keys() <= new.keys()
    assert all(new[uid][0] > old[uid][0] for uid in old)
    assert new[pending][2] == "CANCELLED"
    assert {status for uid, (_, _, status) in new.items() if uid != pending} == {"CONFIRMED"}
    [added] = new.keys() - old.keys()
    assert workshop.title in new[added][1]


def test_the_no_workshop_email_offers_to_take_a_place_or_to_wait(published, slot, smtp):
    _, left_out = published
    [message] = [m for m in received_by(smtp, left_out[0].email)
                 if subject_of(m).startswith("Pas d’atelier pour vous")]
    body = prose_of(message)
    assert f"- Atelier n° 2 : {workshop(slot, 2).title}" in body
    assert ("Vous pouvez prendre une place dans l’un d’eux dès maintenant, depuis votre "
            "espace personnel : premier arrivé, premier servi.") in body
    assert ("Vous pouvez aussi vous inscrire, depuis votre espace personnel, sur la liste "
            "d’attente d’un atelier complet : si une place s’y libère, elle vous est donnée "
            "automatiquement et vous êtes prévenu·e par e-mail.") in body
    assert f"Votre espace personnel : http://journee.test/r/{left_out[0].token}" in body
    html = message.get_body(("html",)).get_content()
    assert f'href="http://journee.test/r/{left_out[0].token}"' in html


def test_someone_without_a_workshop_takes_a_place_and_gets_their_updated_day(
        client, organiser_client, irts, slot, published, smtp):
    _, (zoe, _) = published
    before = Calendar.from_ical(client.get(f"/r/{zoe.token}/calendar.ics").data)
    page = text_of(client.get(f"/r/{zoe.token}").get_data(as_text=True))
    assert "Vous n’avez pas de place dans un atelier de cette séance." in page
    assert "Prendre une place maintenant" in page
    two = workshop(slot, 2)
    assert f"{label(two)}, {two.room.name} (2 places libres)" in page
    assert f"{label(workshop(slot, 1))}, {workshop(slot, 1).room.name} (complet, personne " \
           "en attente)" in page

    response = take(client, zoe, slot, two.id)
    assert response.status_code == 302
    placed = assignments()[zoe.id]
    assert (placed.workshop_id, placed.published_workshop_id) == (two.id, two.id)
    assert placed.source == AssignmentSource.CHOSEN_LATE and placed.locked
    assert db.session.scalar(select(NoWorkshopNotice).where(
        NoWorkshopNotice.registration_id == zoe.id)) is None

    [confirmation] = [m for m in received_by(smtp, zoe.email)
                      if subject_of(m) == f"Votre atelier : {text_of(irts.title)}"]
    body = prose_of(confirmation)
    assert "vous avez pris une place dans un atelier" in body
    assert f"Atelier n° 2 : {two.title}" in body
    assert f"Salle : {two.room.name}" in body
    assert confirmation["Reply-To"] == CONTACT
    assert_updated_day(before, calendar_of(confirmation), slot, two)

    page = text_of(client.get(f"/r/{zoe.token}").get_data(as_text=True))
    assert f"Votre atelier : {label(two)}" in page
    assert "Prendre une place maintenant" not in page
    assert (f"Pour demander un changement d’atelier, écrivez à l’équipe organisatrice : "
            f"{CONTACT}.") in page
    admin = text_of(organiser_client.get(page_url(irts, slot)).get_data(as_text=True))
    assert "Atelier choisi après publication" in admin
    [entry] = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "attendee.take_workshop_place"))
    assert entry.target == f"Inscription n°\u00a0{zoe.id}\u202f; atelier n°\u00a02"

    # Taking a second place in the same slot is refused.
    response = take(client, zoe, slot, workshop(slot, 3).id, follow_redirects=True)
    assert "Vous avez déjà un atelier dans cette séance." in text_of(
        response.get_data(as_text=True))
    assert assignments()[zoe.id].workshop_id == two.id


def test_the_last_place_gone_meanwhile_is_refused_with_the_choice_kept(
        client, irts, slot, published, smtp):
    _, (zoe, yann) = published
    two = workshop(slot, 2)
    two.capacity = 2  # person 3 and one more
    db.session.commit()
    assert take(client, yann, slot, two.id).status_code == 302
    response = take(client, zoe, slot, two.id)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = text_of(html)
    assert "Le formulaire contient 1 erreur" in page
    assert ("L’atelier n° 2 vient d’être complet : choisissez-en un autre, ou inscrivez-vous "
            "sur sa liste d’attente.") in page
    assert zoe.id not in assignments()
    assert [m for m in received_by(smtp, zoe.email)
            if subject_of(m).startswith("Votre atelier")] == []
    # Workshop 2 is now among the full ones; 3 still has room.
    assert "(complet, personne en attente)" in page
    assert f'value="{workshop(slot, 3).id}"' in html


def test_a_tampered_or_missing_choice_is_refused_in_french(client, irts, slot, published):
    _, (zoe, _) = published
    response = client.post(f"/r/{zoe.token}/ateliers/{slot.id}/prendre", data={})
    page = text_of(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Atelier : Choisissez un atelier." in page
    other = [s for s in irts.workshop_sessions if s.workshops and s.id != slot.id]
    foreign = other[0].workshops[0].id if other else 999_999
    response = take(client, zoe, slot, foreign)
    assert response.status_code == 200
    assert "Choisissez une des options proposées." in text_of(response.get_data(as_text=True))
    assert zoe.id not in assignments()


def test_the_first_one_waiting_gets_the_place_freed_by_a_cancellation(
        client, irts, slot, published, smtp):
    holder, (zoe, yann) = published
    one = workshop(slot, 1)
    assert wait_for(client, zoe, slot, one.id).status_code == 302
    assert wait_for(client, yann, slot, one.id).status_code == 302
    assert waiting() == [(zoe.id, one.id), (yann.id, one.id)]
    page = text_of(client.get(f"/r/{yann.token}").get_data(as_text=True))
    assert f"Vous êtes sur la liste d’attente de l’atelier {label(one)} (position n° 2)." \
        in page
    before = Calendar.from_ical(client.get(f"/r/{zoe.token}/calendar.ics").data)

    assert client.post(f"/r/{holder.token}/annuler").status_code == 302

    placed = assignments()
    assert placed[zoe.id].workshop_id == one.id
    assert placed[zoe.id].published_workshop_id == one.id
    assert placed[zoe.id].source == AssignmentSource.WORKSHOP_WAITLIST
    assert yann.id not in placed
    assert waiting() == [(yann.id, one.id)]
    [notice] = [m for m in received_by(smtp, zoe.email)
                if subject_of(m).startswith("Une place s’est libérée dans votre atelier")]
    body = prose_of(notice)
    assert "Une place s’est libérée dans l’atelier dont vous attendiez une place" in body
    assert f"Atelier n° 1 : {one.title}" in body
    assert f"Salle : {one.room.name}" in body
    assert_updated_day(before, calendar_of(notice), slot, one)
    page = text_of(client.get(f"/r/{yann.token}").get_data(as_text=True))
    assert "(position n° 1)" in page
    page = text_of(client.get(f"/r/{zoe.token}").get_data(as_text=True))
    assert f"Votre atelier : {label(one)}" in page


def test_an_organiser_move_frees_the_place_for_the_first_one_waiting(
        client, organiser_client, irts, slot, published, smtp):
    holder, (zoe, _) = published
    one, three = workshop(slot, 1), workshop(slot, 3)
    wait_for(client, zoe, slot, one.id)
    response = organiser_client.post(f"{page_url(irts, slot)}personnes/{holder.id}",
                                     data={f"p{holder.id}-workshop": str(three.id)},
                                     follow_redirects=True)
    page = text_of(response.get_data(as_text=True))
    assert (f"{zoe.full_name}, en liste d’attente, prend la place libérée dans l’atelier "
            "n° 1 et en est prévenu·e par e-mail.") in page
    assert assignments()[zoe.id].workshop_id == one.id
    assert len([m for m in received_by(smtp, zoe.email)
                if subject_of(m).startswith("Une place s’est libérée")]) == 1


def test_a_raised_capacity_is_filled_by_the_periodic_job_once(client, irts, slot, published,
                                                              smtp):
    _, (zoe, yann) = published
    one = workshop(slot, 1)
    wait_for(client, zoe, slot, one.id)
    wait_for(client, yann, slot, one.id)
    one.capacity = 2
    db.session.commit()
    assert jobs.update_workshop_places(OPEN_DAY) == (1, 0)
    assert jobs.update_workshop_places(OPEN_DAY) == (0, 0)
    placed = assignments()
    assert placed[zoe.id].workshop_id == one.id and yann.id not in placed
    assert len([m for m in received_by(smtp, zoe.email)
                if subject_of(m).startswith("Une place s’est libérée")]) == 1
    assert [m for m in received_by(smtp, yann.email)
            if subject_of(m).startswith("Une place s’est libérée")] == []


def test_the_waiting_list_is_in_the_person_s_data_and_goes_with_them(client, irts, slot,
                                                                      published):
    _, (zoe, _) = published
    one = workshop(slot, 1)
    wait_for(client, zoe, slot, one.id)
    data = client.get(f"/r/{zoe.token}/donnees.json").get_json()
    assert data["listes_d_attente_d_ateliers"] == [
        {"creneau": slot.display_title, "atelier": one.label}]
    assert client.post(f"/r/{zoe.token}/supprimer").status_code == 302
    assert waiting() == []


def test_leaving_the_waiting_list_gives_the_place_to_no_one(client, irts, slot, published):
    holder, (zoe, _) = published
    one = workshop(slot, 1)
    wait_for(client, zoe, slot, one.id)
    response = client.post(f"/r/{zoe.token}/ateliers/{slot.id}/ne-plus-attendre",
                           follow_redirects=True)
    assert "Vous n’êtes plus sur la liste d’attente de l’atelier n° 1." in text_of(
        response.get_data(as_text=True))
    assert waiting() == []
    client.post(f"/r/{holder.token}/annuler")
    assert zoe.id not in assignments()


def test_a_workshop_with_room_has_no_waiting_list(client, irts, slot, published):
    _, (zoe, _) = published
    response = wait_for(client, zoe, slot, workshop(slot, 2).id)
    assert response.status_code == 200
    assert ("L’atelier n° 2 a de nouveau de la place : prenez-la plutôt que d’attendre."
            in text_of(response.get_data(as_text=True)))
    assert waiting() == []


def test_someone_registered_after_the_publication_is_told_and_offered_the_same(
        client, irts, slot, published, smtp):
    late = person(irts, slot, 9, [1, 2])
    db.session.commit()
    page = text_of(client.get(f"/r/{late.token}").get_data(as_text=True))
    assert "Vous n’avez pas de place dans un atelier de cette séance." in page
    assert "aucun atelier ne vous y a été attribué" in page
    assert "Prendre une place maintenant" in page
    assert "Ou attendre une place dans un atelier complet" in page

    assert jobs.update_workshop_places(OPEN_DAY) == (0, 1)
    assert jobs.update_workshop_places(OPEN_DAY) == (0, 0)
    [message] = [m for m in received_by(smtp, late.email)
                 if subject_of(m).startswith("Pas d’atelier pour vous")]
    assert f"Votre espace personnel : http://journee.test/r/{late.token}" in prose_of(message)


def test_someone_whose_place_was_taken_meanwhile_sees_it_and_can_act(
        client, make_user, irts, slot, published, smtp):
    holder, (zoe, _) = published
    one = workshop(slot, 1)
    wait_for(client, zoe, slot, one.id)
    assert client.post(f"/r/{holder.token}/annuler").status_code == 302
    assert assignments()[zoe.id].workshop_id == one.id
    operations.restore(db.session.get(Registration, holder.id), base_url="http://journee.test",
                       by=make_user(email="accueil@example.org"))
    db.session.commit()
    assert db.session.get(Registration, holder.id).status == RegistrationStatus.CONFIRMED
    assert holder.id not in assignments()
    page = text_of(client.get(f"/r/{holder.token}").get_data(as_text=True))
    assert "Vous n’avez pas de place dans un atelier de cette séance." in page
    assert "aucun atelier ne vous y a été attribué" in page
    assert "Prendre une place maintenant" in page
    assert jobs.update_workshop_places(OPEN_DAY) == (0, 1)
    assert len([m for m in received_by(smtp, holder.email)
                if subject_of(m).startswith("Pas d’atelier pour vous")]) == 1


def test_someone_restored_keeps_a_place_nobody_took(client, make_user, irts, slot,
                                                    published):
    holder, _ = published
    client.post(f"/r/{holder.token}/annuler")
    operations.restore(db.session.get(Registration, holder.id), base_url="http://journee.test",
                       by=make_user(email="accueil@example.org"))
    db.session.commit()
    assert assignments()[holder.id].workshop_id == workshop(slot, 1).id


def test_the_organiser_sees_each_workshop_s_waiting_list(client, organiser_client, irts,
                                                          slot, published):
    _, (zoe, yann) = published
    one = workshop(slot, 1)
    wait_for(client, zoe, slot, one.id)
    wait_for(client, yann, slot, one.id)
    html = organiser_client.get(page_url(irts, slot)).get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", html.split('id="legende-demande"')[1]
                      .split("</table>")[0], flags=re.DOTALL)
    counts = {text_of(row).split(" :")[0]: text_of(row).split()[-1] for row in rows}
    assert counts["n° 1"] == "2"
    assert counts["n° 2"] == "0"
    assert "En liste d’attente" in text_of(html)


def test_once_the_day_is_over_nothing_is_offered(client, monkeypatch, irts, slot, published):
    _, (zoe, _) = published
    set_today(monkeypatch, irts.ends_on + timedelta(days=1))
    page = text_of(client.get(f"/r/{zoe.token}").get_data(as_text=True))
    assert "Vous n’avez pas de place dans un atelier de cette séance." in page
    assert "Prendre une place maintenant" not in page
    response = take(client, zoe, slot, workshop(slot, 2).id, follow_redirects=True)
    assert "La journée est passée : les ateliers ne peuvent plus changer." in text_of(
        response.get_data(as_text=True))
    assert zoe.id not in assignments()


def test_someone_promoted_from_the_day_s_waiting_list_is_told_and_offered_the_same(
        client, irts, slot, published, smtp):
    holder, _ = published
    irts.capacity = db.session.scalar(select(func.count(Registration.id)))
    irts.waitlist_enabled = True
    waiting_person = person(irts, slot, 8, [2], status=RegistrationStatus.WAITLISTED)
    db.session.commit()
    assert client.post(f"/r/{holder.token}/annuler").status_code == 302
    db.session.expire_all()
    assert db.session.get(Registration, waiting_person.id).status \
        == RegistrationStatus.CONFIRMED
    page = text_of(client.get(f"/r/{waiting_person.token}").get_data(as_text=True))
    assert "aucun atelier ne vous y a été attribué" in page
    assert "Prendre une place maintenant" in page
    assert jobs.update_workshop_places(OPEN_DAY) == (0, 1)
    [message] = [m for m in received_by(smtp, waiting_person.email)
                 if subject_of(m).startswith("Pas d’atelier pour vous")]
    assert "Vous pouvez prendre une place dans l’un d’eux dès maintenant" in prose_of(message)
