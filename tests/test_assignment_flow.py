"""The workshop assignment from the organiser's page to the attendee's inbox and calendar."""

from __future__ import annotations

import email
import re
from collections import Counter
from email import policy

import pytest
from icalendar import Calendar
from sqlalchemy import func, select
from support.pages import text_of

from journee.extensions import db
from journee.mail_models import OutboxMessage
from journee.programme.models import SessionKind
from journee.registration.models import (
    Assignment,
    AssignmentSource,
    Profile,
    Registration,
    RegistrationStatus,
    WorkshopChoice,
)
from journee.workshops import services
from journee.workshops.models import AssignmentPublication, AssignmentRun

CAPACITY = 3
PROFILES = [Profile.STUDENT, Profile.PROFESSIONAL, Profile.TRAINER, Profile.MANAGER]
ORGANISATIONS = ["IRTS-IDS Normandie", "ADSEAM", "Conseil départemental", "CCAS du Havre"]


@pytest.fixture
def slot(irts):
    """The IRTS-IDS workshops slot, with 3 places per workshop to force competition."""
    slot = next(s for s in irts.sessions if s.kind == SessionKind.WORKSHOPS)
    for workshop in slot.workshops:
        workshop.capacity = CAPACITY
    db.session.commit()
    return slot


def add_registration(event, slot, n: int, ranks: list[int], *,
                     status=RegistrationStatus.CONFIRMED, email_address: str | None = None):
    """Someone ranking the workshops numbered *ranks* (best first)."""
    workshops = {w.number: w for w in slot.workshops}
    registration = Registration(
        event=event, status=status, first_name=f"Prénom{n}", last_name=f"Nom{n:02d}",
        email=email_address or f"personne{n}@example.org",
        organisation=ORGANISATIONS[n % len(ORGANISATIONS)], profile=PROFILES[n % 4],
        choices=[WorkshopChoice(session_id=slot.id, workshop_id=workshops[number].id,
                                rank=rank)
                 for rank, number in enumerate(ranks, start=1)])
    db.session.add(registration)
    return registration


@pytest.fixture
def crowd(irts, slot):
    """16 confirmed people, most wanting workshops 1 and 2, plus one waitlisted and one
    cancelled registration who want workshop 1 too."""
    wishes = [[1, 2, 3], [1, 2, 4], [2, 1, 5], [1, 3, 2], [2, 1, 6], [1, 2, 3],
              [3, 1, 2], [1, 4, 5], [2, 3, 1], [5, 6, 1], [4, 1, 2], [6, 5, 4],
              [1, 2, 6], [2, 1, 3], [3, 4, 5], [1, 5, 2]]
    people = [add_registration(irts, slot, n, ranks) for n, ranks in enumerate(wishes)]
    add_registration(irts, slot, 90, [1, 2, 3], status=RegistrationStatus.WAITLISTED)
    add_registration(irts, slot, 91, [1, 2, 3], status=RegistrationStatus.CANCELLED)
    db.session.commit()
    return people


def page_url(event, slot) -> str:
    return f"/admin/journees/{event.id}/repartition/{slot.id}/"


def run(client, event, slot, **fields):
    data = {"strategy": "first_choices", "max_profile_share": "50",
            "max_per_organisation": "3", "seed": "7"}
    data.update(fields)
    return client.post(page_url(event, slot), data={k: v for k, v in data.items()
                                                    if v is not None})


def assignments() -> dict[int, Assignment]:
    db.session.expire_all()
    return {a.registration_id: a for a in db.session.scalars(select(Assignment))}


def test_running_from_the_page_places_people_within_capacities(organiser_client, irts,
                                                                slot, crowd):
    response = run(organiser_client, irts, slot)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("#rapport")
    placed = assignments()
    assert len(placed) == 16  # 18 places, everyone ranked 3 of 6: nobody left out
    sizes = Counter(a.workshop_id for a in placed.values())
    assert max(sizes.values()) <= CAPACITY
    assert all(a.source == AssignmentSource.SOLVER and not a.locked for a in placed.values())
    for registration in crowd:
        item = placed[registration.id]
        ranked = [c.workshop_id for c in registration.choices]
        assert item.rank == (ranked.index(item.workshop_id) + 1
                             if item.workshop_id in ranked else None)
    run_row = db.session.scalar(select(AssignmentRun))
    assert run_row.seed == 7 and run_row.created_by == "organisatrice@example.org"

    page = text_of(organiser_client.get(page_url(irts, slot)).get_data(as_text=True))
    firsts = sum(1 for a in placed.values() if a.rank == 1)
    share = f"{100 * firsts / 16:.1f}".replace(".", ",")
    assert f"Premier choix {share} % ({firsts} sur 16)" in page
    assert "tirage au sort n° 7" in page
    assert "Places obtenues, par profil" in page and "Composition des ateliers" in page
    assert "Rien n’est visible des participant·es" in page


def test_the_same_seed_gives_the_same_assignment(organiser_client, irts, slot, crowd):
    run(organiser_client, irts, slot, seed="42")
    first = {r: a.workshop_id for r, a in assignments().items()}
    run(organiser_client, irts, slot, seed="42")
    assert {r: a.workshop_id for r, a in assignments().items()} == first
    assert db.session.scalar(select(func.count(AssignmentRun.id))) == 2


def test_a_random_seed_is_drawn_and_recorded(organiser_client, irts, slot, crowd):
    run(organiser_client, irts, slot, seed="")
    seed = db.session.scalar(select(AssignmentRun.seed))
    assert seed is not None
    page = text_of(organiser_client.get(page_url(irts, slot)).get_data(as_text=True))
    assert f"tirage au sort n° {seed}" in page


def test_waitlisted_and_cancelled_people_get_no_workshop(organiser_client, irts, slot, crowd):
    run(organiser_client, irts, slot)
    others = db.session.scalars(select(Registration.id).where(
        Registration.status != RegistrationStatus.CONFIRMED)).all()
    assert len(others) == 2
    assert not set(others) & set(assignments())


def test_someone_cancelling_loses_their_place_at_the_next_run(organiser_client, irts, slot,
                                                              crowd):
    run(organiser_client, irts, slot)
    crowd[0].status = RegistrationStatus.CANCELLED
    db.session.commit()
    run(organiser_client, irts, slot)
    assert crowd[0].id not in assignments()


def test_moving_someone_by_hand_locks_them_across_runs(organiser_client, irts, slot, crowd):
    run(organiser_client, irts, slot)
    person = crowd[9]  # ranked 5, 6, 1
    target = next(w for w in slot.workshops if w.number == 4)  # outside their choices
    before = assignments()
    # Make room in workshop 4 if it is full.
    if sum(a.workshop_id == target.id for a in before.values()) >= CAPACITY:
        target.capacity = CAPACITY + 1
        db.session.commit()

    response = organiser_client.post(
        f"{page_url(irts, slot)}personnes/{person.id}",
        data={f"p{person.id}-workshop": str(target.id), f"p{person.id}-locked": "y"})
    assert response.status_code == 302
    item = assignments()[person.id]
    assert (item.workshop_id, item.source, item.locked) == (target.id,
                                                            AssignmentSource.ORGANISER, True)
    assert item.rank is None and item.flagged_free

    for seed in ("1", "2", "3"):
        run(organiser_client, irts, slot, seed=seed)
        item = assignments()[person.id]
        assert (item.workshop_id, item.locked, item.source) == (
            target.id, True, AssignmentSource.ORGANISER)
    page = organiser_client.get(page_url(irts, slot)).get_data(as_text=True)
    row = re.search(rf'<tr id="personne-{person.id}">.*?</tr>', page, re.S).group(0)
    assert "Hors de ses choix" in row and "Verrouillé·e" in row

    organiser_client.post(f"{page_url(irts, slot)}personnes/{person.id}/deverrouiller")
    assert not assignments()[person.id].locked
    run(organiser_client, irts, slot, seed="1")
    assert assignments()[person.id].workshop_id != target.id  # back to one of their choices


def test_a_full_workshop_refuses_a_move(organiser_client, irts, slot, crowd):
    run(organiser_client, irts, slot)
    placed = assignments()
    full_id, _ = Counter(a.workshop_id for a in placed.values()).most_common(1)[0]
    person = next(r for r in crowd if placed[r.id].workshop_id != full_id)

    response = organiser_client.post(
        f"{page_url(irts, slot)}personnes/{person.id}",
        data={f"p{person.id}-workshop": str(full_id), f"p{person.id}-locked": "y"},
        follow_redirects=True)
    assert "est complet (3 places)" in text_of(response.get_data(as_text=True))
    assert assignments()[person.id].workshop_id != full_id


def test_facilitators_take_places_only_when_asked(organiser_client, irts, slot, crowd):
    for workshop in slot.workshops:
        workshop.capacity = 9  # 5 or 6 facilitators each
    db.session.commit()
    run(organiser_client, irts, slot)
    assert len(assignments()) == 16

    run(organiser_client, irts, slot, facilitators_take_place="y")
    sizes = Counter(a.workshop_id for a in assignments().values())
    for workshop in slot.workshops:
        assert sizes[workshop.id] + len({p.person_id for p in workshop.facilitators}) <= 9

    for workshop in slot.workshops:
        workshop.capacity = 3
    db.session.commit()
    response = run(organiser_client, irts, slot, facilitators_take_place="y")
    assert "animateur·rices y occupent une place" in text_of(response.get_data(as_text=True))


def test_nothing_is_shown_to_attendees_before_publication(client, organiser_client, irts,
                                                          slot, crowd):
    run(organiser_client, irts, slot)
    person = crowd[0]
    page = text_of(client.get(f"/r/{person.token}").get_data(as_text=True))
    assert "Votre atelier" not in page
    assert "Vos choix, par ordre de préférence" in page
    events = Calendar.from_ical(client.get(f"/r/{person.token}/calendar.ics").data)
    assert f"{slot.uid}@journee" in {str(e["UID"]) for e in events.walk("VEVENT")}
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def notices() -> list[OutboxMessage]:
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "assignment")
                              .order_by(OutboxMessage.id)).all()


def body_of(message: OutboxMessage) -> str:
    parsed = email.message_from_bytes(message.message, policy=policy.default)
    return parsed.get_body(("plain",)).get_content()


def test_publishing_emails_each_person_their_workshop(client, organiser_client, irts, slot,
                                                      crowd):
    run(organiser_client, irts, slot)
    response = organiser_client.post(f"{page_url(irts, slot)}publier", data={"confirme": "1"},
                                     follow_redirects=True)
    assert "Répartition publiée : 16 e-mails envoyés" in text_of(
        response.get_data(as_text=True))

    placed = assignments()
    sent = notices()
    assert len(sent) == 16
    assert Counter(m.to_address for m in sent) == Counter(r.email for r in crowd)
    person = crowd[0]
    workshop = placed[person.id].workshop
    message = next(m for m in sent if m.to_address == person.email)
    assert message.registration_id == person.id
    body = body_of(message)
    assert f"Atelier n° {workshop.number} : {workshop.title}" in text_of(body)
    assert f"Salle : {workshop.room.name}" in text_of(body)
    assert "10 h 45 – 12 h 30" in body.replace("\u00a0", " ")
    facilitator = workshop.facilitators[0].person.full_name
    assert facilitator in body
    parsed = email.message_from_bytes(message.message, policy=policy.default)
    attached = next(part for part in parsed.iter_attachments())
    uids = {str(e["UID"]) for e in Calendar.from_ical(attached.get_content()).walk("VEVENT")}
    assert f"{workshop.uid}@journee" in uids and f"{slot.uid}@journee" not in uids

    page = text_of(client.get(f"/r/{person.token}").get_data(as_text=True))
    assert f"Votre atelier : Atelier n° {workshop.number} : {workshop.title}" in page
    assert workshop.room.name in page

    mine = Calendar.from_ical(client.get(f"/r/{person.token}/calendar.ics").data)
    programme = Calendar.from_ical(client.get(f"/e/{irts.slug}/programme.ics").data)
    mine_uids = {str(e["UID"]) for e in mine.walk("VEVENT")}
    vevent = next(e for e in programme.walk("VEVENT")
                  if str(e["SUMMARY"]).startswith("Atelier n°") and workshop.title
                  in str(e["SUMMARY"]))
    assert str(vevent["UID"]) == f"{workshop.uid}@journee"
    assert str(vevent["UID"]) in mine_uids
    assert f"{slot.uid}@journee" not in mine_uids
    assert db.session.scalar(select(func.count(AssignmentPublication.id))) == 1


def test_publishing_again_only_writes_to_those_who_moved(organiser_client, irts, slot, crowd):
    run(organiser_client, irts, slot)
    organiser_client.post(f"{page_url(irts, slot)}publier", data={"confirme": "1"})
    assert len(notices()) == 16

    organiser_client.post(f"{page_url(irts, slot)}publier", data={"confirme": "1"})
    assert len(notices()) == 16  # nothing changed, nobody is written to

    # A new run after publication moves people: told only when published again.
    placed = assignments()
    sizes = Counter(a.workshop_id for a in placed.values())
    target = next(w for w in slot.workshops if sizes[w.id] < CAPACITY)
    person = next(r for r in crowd if placed[r.id].workshop_id != target.id)
    placed[person.id].workshop_id = target.id  # as a run placing them elsewhere does
    db.session.commit()
    page = text_of(organiser_client.get(page_url(irts, slot)).get_data(as_text=True))
    assert "1 personne a changé d’atelier depuis" in page
    assert len(notices()) == 16

    organiser_client.post(f"{page_url(irts, slot)}publier", data={"confirme": "1"})
    sent = notices()
    assert len(sent) == 17
    assert sent[-1].to_address == person.email
    assert f"Atelier n° {target.number} : {target.title}" in text_of(body_of(sent[-1]))


def test_a_move_by_hand_after_publication_is_the_person_s_news_at_once(
        client, organiser_client, irts, slot, crowd):
    run(organiser_client, irts, slot)
    organiser_client.post(f"{page_url(irts, slot)}publier", data={"confirme": "1"})
    assert len(notices()) == 16
    person = crowd[0]
    published = assignments()[person.id].workshop
    other = next(w for w in slot.workshops if w.id != published.id)
    other.capacity = 10
    db.session.commit()
    organiser_client.post(f"{page_url(irts, slot)}personnes/{person.id}",
                          data={f"p{person.id}-workshop": str(other.id)})
    page = text_of(client.get(f"/r/{person.token}").get_data(as_text=True))
    assert f"Votre atelier : Atelier n° {other.number} :" in page
    sent = notices()
    assert len(sent) == 17 and sent[-1].to_address == person.email
    assert f"Atelier n° {other.number} : {other.title}" in text_of(body_of(sent[-1]))
    organiser_client.post(f"{page_url(irts, slot)}publier", data={"confirme": "1"})
    assert len(notices()) == 17


def test_the_attendee_page_shows_the_published_workshop_until_published_again(
        client, organiser_client, irts, slot, crowd):
    run(organiser_client, irts, slot)
    organiser_client.post(f"{page_url(irts, slot)}publier", data={"confirme": "1"})
    person = crowd[0]
    item = assignments()[person.id]
    published = item.workshop
    other = next(w for w in slot.workshops if w.id != published.id)
    item.workshop_id = other.id  # as a new run placing them elsewhere does
    db.session.commit()
    page = text_of(client.get(f"/r/{person.token}").get_data(as_text=True))
    assert f"Votre atelier : Atelier n° {published.number} :" in page


def test_cli_dry_run_prints_the_report_and_writes_nothing(runner, irts, slot, crowd):
    result = runner.invoke(args=["assign", irts.slug, "--dry-run", "--seed", "5",
                                 "--max-profile-share", "50",
                                 "--max-per-organisation", "3"])
    assert result.exit_code == 0, result.output
    assert "tirage au sort n°\u00a05" in result.output
    assert "Premier choix\u00a0:" in result.output
    assert result.output.strip().endswith("Simulation\u202f: rien n’a été enregistré.")
    assert db.session.scalar(select(func.count(Assignment.id))) == 0
    assert db.session.scalar(select(func.count(AssignmentRun.id))) == 0


def test_cli_stores_an_unpublished_assignment(runner, irts, slot, crowd):
    result = runner.invoke(args=["assign", irts.slug, "--slot", str(slot.id), "--seed", "5",
                                 "--strategy", "fairness"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("Répartition enregistrée (non publiée).")
    assert len(assignments()) == 16
    assert db.session.scalar(select(AssignmentRun.seed)) == 5
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    unknown = runner.invoke(args=["assign", "inconnue"])
    assert unknown.exit_code != 0 and "Aucune journée" in unknown.output


def test_another_events_slot_is_not_found(organiser_client, demo, irts, slot, crowd):
    etsup = demo["travail-social-2-0-etsup-2018"]
    assert organiser_client.get(page_url(etsup, slot)).status_code == 404
    other_session = next(s for s in etsup.sessions)
    assert organiser_client.get(
        f"/admin/journees/{irts.id}/repartition/{other_session.id}/").status_code == 404
    plenary = next(s for s in irts.sessions if s.kind != SessionKind.WORKSHOPS)
    assert organiser_client.get(page_url(irts, plenary)).status_code == 404
    assert organiser_client.post(f"{page_url(irts, plenary)}publier").status_code == 404
    outsider = crowd[0]
    assert organiser_client.post(
        f"/admin/journees/{etsup.id}/repartition/{slot.id}/personnes/{outsider.id}",
        data={}).status_code == 404


def test_the_page_needs_an_organiser_of_the_event(client, make_user, login, irts, slot):
    assert client.get(page_url(irts, slot)).status_code == 302  # to the login page
    login(make_user(email="autre@example.org"))
    assert client.get(page_url(irts, slot)).status_code == 404
    assert client.post(f"{page_url(irts, slot)}publier", data={"confirme": "1"}).status_code == 404


def test_forms_are_protected_against_csrf(csrf_app, irts_on_csrf_app):
    from support.pages import csrf_token_from

    from journee.auth.models import User
    from journee.programme.models import EventMembership

    event, slot = irts_on_csrf_app
    user = User(email="orga@example.org", name="orga", is_admin=False)
    user.set_password("mot-de-passe-solide")
    db.session.add_all([user, EventMembership(event=event, user=user)])
    db.session.commit()
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/connexion").get_data(as_text=True))
    client.post("/connexion", data={"email": user.email, "password": "mot-de-passe-solide",
                                    "csrf_token": token})
    assert client.post(f"{page_url(event, slot)}publier").status_code == 400
    page = client.get(page_url(event, slot)).get_data(as_text=True)
    refused = client.post(page_url(event, slot), data={"strategy": "first_choices"})
    assert "Aucune inscription confirmée" not in refused.get_data(as_text=True)
    response = client.post(page_url(event, slot), data={
        "strategy": "first_choices", "csrf_token": csrf_token_from(page)})
    assert "Aucune inscription confirmée à répartir." in text_of(
        response.get_data(as_text=True))


@pytest.fixture
def irts_on_csrf_app(csrf_app):
    from journee.demo import load_demo

    events = load_demo(original_dates=True)
    db.session.commit()
    event = events[0]
    return event, next(s for s in event.sessions if s.kind == SessionKind.WORKSHOPS)


def test_a_run_with_everyone_locked_keeps_them_and_reports(organiser_client, irts, slot):
    person = add_registration(irts, slot, 1, [2, 3, 4])
    db.session.commit()
    workshop = next(w for w in slot.workshops if w.number == 3)
    organiser_client.post(f"{page_url(irts, slot)}personnes/{person.id}",
                          data={f"p{person.id}-workshop": str(workshop.id),
                                f"p{person.id}-locked": "y"})
    response = run(organiser_client, irts, slot, seed="3")
    assert response.status_code == 302
    item = assignments()[person.id]
    assert (item.workshop_id, item.rank, item.locked) == (workshop.id, 2, True)
    page = text_of(organiser_client.get(page_url(irts, slot)).get_data(as_text=True))
    assert "Premier choix 0,0 % (0 sur 1)" in page
    assert "Un de ses choix 100,0 % (1)" in page


@pytest.fixture
def afternoon(irts, slot):
    """A second workshops slot: « n° 1 » there is workshop 1 of the morning given again."""
    from datetime import timedelta

    from journee.programme.models import Session, Workshop

    first = next(w for w in slot.workshops if w.number == 1)
    afternoon = Session(event=irts, kind=SessionKind.WORKSHOPS, title="Ateliers (suite)",
                        starts_at=slot.starts_at + timedelta(hours=4),
                        ends_at=slot.starts_at + timedelta(hours=5), position=99)
    afternoon.workshops = [Workshop(number=1, title=first.title, capacity=CAPACITY),
                           Workshop(number=2, title="Écrire avec les personnes", capacity=8),
                           Workshop(number=3, title="Le numérique en foyer", capacity=8)]
    db.session.add(afternoon)
    db.session.commit()
    return afternoon


def rank_afternoon(people, afternoon, ranks):
    workshops = {w.number: w for w in afternoon.workshops}
    for registration in people:
        registration.choices += [
            WorkshopChoice(session_id=afternoon.id, workshop_id=workshops[n].id, rank=rank)
            for rank, n in enumerate(ranks, start=1)]
    db.session.commit()


def test_the_whole_day_is_placed_at_once_and_nobody_gets_a_workshop_twice(
        organiser_client, irts, slot, afternoon, crowd):
    rank_afternoon(crowd, afternoon, [1, 2, 3])
    response = run(organiser_client, irts, slot, portee="journee")
    assert response.status_code == 302

    placed = Counter()
    title_of = {w.id: w.title for s in (slot, afternoon) for w in s.workshops}
    for item in db.session.scalars(select(Assignment)):
        placed[item.registration_id, title_of[item.workshop_id]] += 1
    assert max(placed.values()) == 1
    morning = {a.registration_id for a in db.session.scalars(
        select(Assignment).where(Assignment.session_id == slot.id))}
    later = {a.registration_id for a in db.session.scalars(
        select(Assignment).where(Assignment.session_id == afternoon.id))}
    assert len(morning) == len(later) == 16
    runs = db.session.scalars(select(AssignmentRun)).all()
    assert {r.session_id for r in runs} == {slot.id, afternoon.id}
    assert len({r.seed for r in runs}) == 1
    page = text_of(organiser_client.get(page_url(irts, afternoon)).get_data(as_text=True))
    assert "pour toute la journée (toutes les séances d’ateliers ensemble)" in page


def test_one_slot_alone_keeps_the_others_and_their_workshops(organiser_client, irts, slot,
                                                             afternoon, crowd):
    rank_afternoon(crowd, afternoon, [1, 2, 3])
    run(organiser_client, irts, slot, portee="seance")
    assert db.session.scalar(select(func.count(Assignment.id)).where(
        Assignment.session_id == afternoon.id)) == 0
    morning = {a.registration_id: a.workshop.title for a in db.session.scalars(
        select(Assignment).where(Assignment.session_id == slot.id))}
    run(organiser_client, irts, afternoon, portee="seance")
    for item in db.session.scalars(select(Assignment).where(
            Assignment.session_id == afternoon.id)):
        assert item.workshop.title != morning[item.registration_id]


def test_the_page_compares_both_priorities_before_the_first_run(organiser_client, irts, slot,
                                                                 crowd):
    page = text_of(organiser_client.get(page_url(irts, slot)).get_data(as_text=True))
    assert "Les deux priorités, sur les inscriptions actuelles" in page
    assert "Personne plus bas dans sa liste qu’il n’est nécessaire" in page
    assert db.session.scalar(select(func.count(Assignment.id))) == 0
    assert db.session.scalar(select(func.count(AssignmentRun.id))) == 0


def test_the_report_names_who_has_no_workshop_and_why_in_paris_time(organiser_client, irts,
                                                                     slot, crowd):
    for workshop in slot.workshops:
        workshop.capacity = 2  # 12 places for 16 people
    db.session.commit()
    run(organiser_client, irts, slot)
    html = organiser_client.get(page_url(irts, slot)).get_data(as_text=True)
    page = text_of(html)
    left_out = [r for r in crowd if r.id not in assignments()]
    assert len(left_out) == 4
    for registration in left_out:
        assert (f"{registration.first_name} {registration.last_name} "
                f"{slot.display_title}") in page
    assert "Tous ses choix étaient complets" in page
    assert "heure UTC" not in page and "graine" not in page.lower()
    run_row = db.session.scalar(select(AssignmentRun))
    from datetime import timezone
    from zoneinfo import ZoneInfo
    local = run_row.created_at.replace(tzinfo=timezone.utc).astimezone(ZoneInfo("Europe/Paris"))
    assert f"à {local.hour}\u00a0h" in html
    body, details = page.split("Détails techniques")
    assert "borne" not in body and "relaxation" not in body


def test_cli_places_the_whole_day_and_names_the_people_left_out(runner, irts, slot,
                                                                afternoon, crowd):
    rank_afternoon(crowd, afternoon, [1])
    result = runner.invoke(args=["assign", irts.slug, "--seed", "3", "--avoid-same-theme",
                                 "--strategy", "leximin", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Séances réparties ensemble :")
    assert "tirage au sort n°\u00a03" in result.output
    # Workshop 1 is given twice and has 3 places: those who had it in the morning
    # cannot have it again, and 3 places cannot take 16 people anyway.
    assert "Sans atelier\u00a0:\n" in result.output
    assert "a déjà cet atelier dans une autre séance" in result.output or (
        "tous ses choix étaient complets" in result.output)
    assert "n°\u00a01\u202f: " in result.output and "Étudiant·e" in result.output
    assert "highs" not in result.output.split("Détails techniques")[0]
    one = runner.invoke(args=["assign", irts.slug, "--slot", str(afternoon.id), "--seed", "3"])
    assert one.exit_code == 0, one.output
    assert one.output.startswith("Séance répartie : « Ateliers (suite)")
    assert db.session.scalar(select(func.count(Assignment.id)).where(
        Assignment.session_id == slot.id)) == 0


def test_a_run_records_whether_it_placed_the_whole_day(organiser_client, irts, slot,
                                                       afternoon, crowd):
    rank_afternoon(crowd, afternoon, [1, 2, 3])
    run(organiser_client, irts, slot, portee="seance")
    alone = db.session.scalars(select(AssignmentRun)).one()
    assert alone.whole_day is False
    assert "whole_day" not in {f for f in vars(services.RunOptions())}
    run(organiser_client, irts, slot, portee="journee")
    together = db.session.scalars(select(AssignmentRun).where(
        AssignmentRun.id != alone.id)).all()
    assert {r.whole_day for r in together} == {True}
    page = text_of(organiser_client.get(page_url(irts, slot)).get_data(as_text=True))
    assert "pour toute la journée (toutes les séances d’ateliers ensemble)" in page


def test_the_run_time_is_shown_in_the_event_timezone(organiser_client, irts, slot, crowd):
    from datetime import datetime

    run(organiser_client, irts, slot)
    stored = db.session.scalars(select(AssignmentRun)).one()
    stored.created_at = datetime(2026, 1, 15, 12, 5)  # UTC
    irts.timezone = "America/Cayenne"  # UTC−3 all year
    db.session.commit()
    page = text_of(organiser_client.get(page_url(irts, slot)).get_data(as_text=True))
    assert "Calculée le jeudi 15 janvier 2026 à 9 h 05" in page


def test_the_comparison_loads_the_data_once_for_both_strategies(
        organiser_client, irts, slot, crowd, monkeypatch):
    calls = []
    original = services._solver_input

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "_solver_input", counted)
    page = organiser_client.get(page_url(irts, slot))
    assert page.status_code == 200
    assert len(calls) == 1


# The page's controls: one move menu and one lock toggle per person ------------------------

def row_of(html: str, person) -> str:
    return re.search(rf'<tr id="personne-{person.id}">.*?</tr>', html, re.S).group(0)


def test_each_row_has_one_move_menu_and_one_lock_toggle(organiser_client, irts, slot, crowd):
    run(organiser_client, irts, slot)
    html = organiser_client.get(page_url(irts, slot)).get_data(as_text=True)
    person = crowd[0]
    row = row_of(html, person)
    assert row.count("<select") == 1 and row.count("<button") == 2
    assert 'type="checkbox"' not in row
    options = re.findall(r"<option[^>]*>([^<]*)</option>", row)
    assert len(options) == len(slot.workshops) + 1 and options[-1] == "Sans atelier"
    current = assignments()[person.id].workshop
    assert re.search(rf'<option selected value="{current.id}">|'
                     rf'<option value="{current.id}" selected>', row)
    assert 'aria-label="Atelier de Prénom0 Nom00"' in row
    assert 'aria-pressed="false"' in row and ">Verrouiller</button>" in row
    # The toggle locks, then unlocks.
    organiser_client.post(f"{page_url(irts, slot)}personnes/{person.id}/verrouiller")
    assert assignments()[person.id].locked
    row = row_of(organiser_client.get(page_url(irts, slot)).get_data(as_text=True), person)
    assert 'aria-pressed="true"' in row and ">Verrouiller</button>" in row
    assert "deverrouiller" in row
    organiser_client.post(f"{page_url(irts, slot)}personnes/{person.id}/deverrouiller")
    assert not assignments()[person.id].locked


def test_moving_to_no_workshop_frees_the_place(organiser_client, irts, slot, crowd):
    run(organiser_client, irts, slot)
    person = crowd[3]
    response = organiser_client.post(f"{page_url(irts, slot)}personnes/{person.id}",
                                     data={f"p{person.id}-workshop": "0"},
                                     follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Prénom3 Nom03 : sans atelier" in text_of(html)
    assert person.id not in assignments()
    unassigned = re.search(r'<caption id="legende-sans-atelier">.*?</table>', html, re.S)
    assert "Prénom3 Nom03" in unassigned.group(0)
    # Asked again: said, nothing else happens.
    response = organiser_client.post(f"{page_url(irts, slot)}personnes/{person.id}",
                                     data={f"p{person.id}-workshop": "0"},
                                     follow_redirects=True)
    assert "Prénom3 Nom03 était déjà sans atelier." in text_of(response.get_data(as_text=True))
    # A workshop that is not of this slot is refused.
    response = organiser_client.post(f"{page_url(irts, slot)}personnes/{person.id}",
                                     data={f"p{person.id}-workshop": "999999"},
                                     follow_redirects=True)
    assert "Choisissez un des ateliers proposés" in text_of(response.get_data(as_text=True))
    # A move by hand places and locks.
    target = next(w for w in slot.workshops
                  if sum(a.workshop_id == w.id for a in assignments().values()) < CAPACITY)
    organiser_client.post(f"{page_url(irts, slot)}personnes/{person.id}",
                          data={f"p{person.id}-workshop": str(target.id)})
    item = assignments()[person.id]
    assert (item.workshop_id, item.locked) == (target.id, True)


def test_publishing_states_the_counts_and_waits_for_confirmation(organiser_client, irts,
                                                                 slot, crowd):
    run(organiser_client, irts, slot)
    for person in crowd[:2]:
        organiser_client.post(f"{page_url(irts, slot)}personnes/{person.id}",
                              data={f"p{person.id}-workshop": "0"})
    crowd[5].email = None
    db.session.commit()
    page = organiser_client.get(page_url(irts, slot)).get_data(as_text=True)
    link = f'href="{page_url(irts, slot)}publier">Publier la répartition…</a>'
    assert link in page
    confirm = organiser_client.get(f"{page_url(irts, slot)}publier")
    assert confirm.status_code == 200
    text = text_of(confirm.get_data(as_text=True))
    assert "Publier la répartition ?" in text
    assert "13 personnes recevront un e-mail avec leur atelier ;" in text
    assert "2 personnes restent sans atelier, dont 2 recevront un e-mail qui le leur dit ;" in text
    assert "1 personne concernée n’a pas d’adresse e-mail : prévenez-la autrement." in text
    # Posting without the confirmation shows the same page and sends nothing.
    again = organiser_client.post(f"{page_url(irts, slot)}publier")
    assert "13 personnes recevront" in text_of(again.get_data(as_text=True))
    assert notices() == [] and services.publication(slot) is None
    response = organiser_client.post(f"{page_url(irts, slot)}publier",
                                     data={"confirme": "1"}, follow_redirects=True)
    assert "Répartition publiée : 13 e-mails envoyés" in text_of(
        response.get_data(as_text=True))
    assert len(notices()) == 13
    # Published again with nothing changed: nobody.
    text = text_of(organiser_client.get(f"{page_url(irts, slot)}publier").get_data(
        as_text=True))
    assert "Publier à nouveau la répartition ?" in text
    assert "0 personne recevra un e-mail avec son atelier" in text
    assert "2 personnes restent sans atelier, dont 0 recevra un e-mail" in text


def test_workshop_counts_agree_with_their_number(organiser_client, irts, slot, crowd):
    slot.workshops[0].capacity = 1
    slot.workshops[1].capacity = None
    db.session.commit()
    run(organiser_client, irts, slot)
    sizes = Counter(a.workshop_id for a in assignments().values())
    text = text_of(organiser_client.get(page_url(irts, slot)).get_data(as_text=True))
    first, second, third = slot.workshops[:3]
    assert f"{sizes[first.id]} / 1 place prise" in text
    assert f"{sizes[third.id]} / 3 places prises" in text
    # Neither the workshop nor its room has a number of places: no « / ».
    second.room = None
    db.session.commit()
    text = text_of(organiser_client.get(page_url(irts, slot)).get_data(as_text=True))
    count = sizes[second.id]
    assert f"{count} personne{'s' if count > 1 else ''} (places non limitées)." in text
