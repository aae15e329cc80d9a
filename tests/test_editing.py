"""The programme editor's rules and changes, without HTTP."""

from datetime import date, time

import pytest

from journee.extensions import db
from journee.programme.models import (
    Event,
    EventStatus,
    Participation,
    Person,
    Role,
    Room,
    Session,
    SessionKind,
)
from journee.programme.people import save_person, search_people
from journee.programme.services import (
    NeedsConfirmation,
    Problems,
    delete_room,
    duplicate_event,
    save_event,
    save_room,
)
from journee.programme.sessions import (
    add_participant,
    delete_session,
    move_participant,
    remove_participant,
    save_contribution,
    save_session,
    save_workshop,
    siblings,
)
from journee.programme.slugs import slugify

DAY = date(2026, 3, 12)


def event_data(**overrides):
    data = dict(title="Le numérique : enjeux, risques et opportunités", edition="", slug="",
                starts_on=DAY, ends_on=DAY, contact_email="contact@irts.example",
                registration_opens_on=date(2026, 1, 8), registration_deadline=date(2026, 3, 1),
                capacity=240, workshop_choices=3, retention_days=90)
    data.update(overrides)
    return data


def fields_of(error: Problems) -> list[str]:
    return [p.field for p in error.problems]


@pytest.fixture
def day(app):
    """A day with a plenary in the amphitheatre and a slot of two workshops."""
    event = save_event(None, event_data(slug="journee-test"))
    amphi = save_room(event, None, "Amphithéâtre", 100, True)
    salle = save_room(event, None, "Salle 1", 20, True)
    save_room(event, None, "Salle 2", 20, False)
    db.session.flush()
    plenary = save_session(event, None, kind=SessionKind.PLENARY, title="Conférence",
                           description="", day=DAY, start=time(9), end=time(10, 30),
                           room=amphi)
    slot = save_session(event, None, kind=SessionKind.WORKSHOPS, title="", description="",
                        day=DAY, start=time(10, 45), end=time(12, 30), room=None)
    db.session.flush()
    one = save_workshop(slot, None, number=1, title="Écrans et enfance", sector="",
                        theme="", description="", room=salle, capacity=20)
    two = save_workshop(slot, None, number=2, title="Accès aux droits", sector="",
                        theme="", description="", room=None, capacity=None)
    alice = save_person(None, "Alice", "MARTIN", "Sociologue", "Université")
    bruno = save_person(None, "Bruno", "PETIT")
    db.session.flush()
    add_participant(plenary, alice, Role.SPEAKER)
    add_participant(slot, bruno, Role.PRACTITIONER, workshop=one)
    db.session.commit()
    return dict(event=event, amphi=amphi, salle=salle, plenary=plenary, slot=slot, one=one,
                two=two, alice=alice, bruno=bruno)


def test_slugify_keeps_lowercase_ascii_and_hyphens():
    assert slugify("Le travail social à l’épreuve : 2026 !") == \
        "le-travail-social-a-l-epreuve-2026"
    assert slugify("Ça « marche » ?") == "ca-marche"
    assert slugify("« ! »") == "journee"
    assert slugify("L’Œuvre de Łukasz Ðorđević") == "l-oeuvre-de-lukasz-dordevic"


def test_event_slug_generated_and_unique(app):
    first = save_event(None, event_data())
    db.session.flush()
    second = save_event(None, event_data())
    db.session.flush()
    assert first.slug == "le-numerique-enjeux-risques-et-opportunites"
    assert second.slug == first.slug + "-2"
    with pytest.raises(Problems) as error:
        save_event(None, event_data(slug=first.slug))
    assert fields_of(error.value) == ["slug"]
    with pytest.raises(Problems):
        save_event(None, event_data(slug="Pas Valide"))
    # Editing an event keeps its own slug without complaint.
    assert save_event(first, event_data(slug=first.slug)) is first


def test_event_end_before_start(app):
    with pytest.raises(Problems) as error:
        save_event(None, event_data(ends_on=date(2026, 3, 11),
                                    registration_deadline=None))
    assert fields_of(error.value) == ["ends_on"]
    event = save_event(None, event_data(ends_on=date(2026, 3, 13)))
    assert event.days == [DAY, date(2026, 3, 13)]


def test_deadline_after_the_event(app):
    with pytest.raises(Problems) as error:
        save_event(None, event_data(registration_deadline=date(2026, 3, 13)))
    assert fields_of(error.value) == ["registration_deadline"]
    assert save_event(None, event_data(registration_deadline=DAY))


def test_registration_opens_after_deadline(app):
    with pytest.raises(Problems) as error:
        save_event(None, event_data(registration_opens_on=date(2026, 3, 2)))
    assert fields_of(error.value) == ["registration_opens_on"]
    assert save_event(None, event_data(registration_opens_on=date(2026, 3, 1)))


def test_contact_email_must_be_valid(app):
    with pytest.raises(Problems) as error:
        save_event(None, event_data(contact_email="pas une adresse"))
    assert fields_of(error.value) == ["contact_email"]
    assert save_event(None, event_data(contact_email=""))


def test_creator_becomes_member(app, make_user):
    user = make_user()
    event = save_event(None, event_data(), creator=user)
    db.session.commit()
    assert [m.user_id for m in event.memberships] == [user.id]
    assert event.status == EventStatus.DRAFT


def test_session_end_must_follow_start(day):
    with pytest.raises(Problems) as error:
        save_session(day["event"], None, kind=SessionKind.BREAK, title="",
                     description="", day=DAY, start=time(15), end=time(15))
    assert fields_of(error.value) == ["end"]
    assert str(error.value.problems[0]) == "L’heure de fin doit être après l’heure de début."
    assert save_session(day["event"], None, kind=SessionKind.BREAK, title="",
                        description="", day=DAY, start=time(15), end=None,
                        room=None).ends_at is None


def test_session_within_event_dates(day):
    with pytest.raises(Problems) as error:
        save_session(day["event"], None, kind=SessionKind.BREAK, title="",
                     description="", day=date(2026, 3, 13), start=time(9),
                     end=time(10), room=None)
    assert fields_of(error.value) == ["day"]
    assert "jeudi 12" in str(error.value)


def test_room_cannot_host_two_sessions_at_once(day):
    with pytest.raises(Problems) as error:
        save_session(day["event"], None, kind=SessionKind.TALKS, title="Récits",
                     description="", day=DAY, start=time(10), end=time(11),
                     room=day["amphi"])
    assert fields_of(error.value) == ["room_id"]
    message = str(error.value)
    assert "Conférence" in message and "9\u00a0h – 10\u00a0h\u00a030" in message
    # Right after the plenary is fine, and so is a workshop's room outside its slot.
    assert save_session(day["event"], None, kind=SessionKind.BREAK, title="",
                        description="", day=DAY, start=time(10, 30),
                        end=time(10, 45), room=day["amphi"])
    with pytest.raises(Problems, match="Atelier"):
        save_session(day["event"], None, kind=SessionKind.TALKS, title="",
                     description="", day=DAY, start=time(11), end=None,
                     room=day["salle"])


def test_editing_a_session_does_not_clash_with_itself(day):
    plenary = day["plenary"]
    before = plenary.sequence
    save_session(day["event"], plenary, kind=SessionKind.PLENARY, title="Nouveau",
                 description="", day=DAY, start=time(9), end=time(10, 15),
                 room=day["amphi"])
    assert plenary.sequence == before + 1 and plenary.ends_at.time() == time(10, 15)


def test_person_in_two_sessions_at_once_needs_confirmation(day):
    event = day["event"]
    other = save_session(event, None, kind=SessionKind.ROUND_TABLE, title="Table",
                         description="", day=DAY, start=time(10), end=time(11),
                         room=None)
    db.session.flush()
    with pytest.raises(NeedsConfirmation) as warning:
        add_participant(other, day["alice"], Role.PANELIST)
    assert "Alice MARTIN" in warning.value.warnings[0]
    assert "Conférence" in warning.value.warnings[0]
    assert len(other.participations) == 0
    part = add_participant(other, day["alice"], Role.PANELIST, confirmed=True)
    assert part in other.participants
    # A session later in the day is no clash.
    later = save_session(event, None, kind=SessionKind.CLOSING, title="",
                         description="", day=DAY, start=time(16), end=None, room=None)
    db.session.flush()
    assert add_participant(later, day["alice"], Role.SPEAKER)


def test_person_in_two_workshops_of_one_slot_needs_confirmation(day):
    with pytest.raises(NeedsConfirmation, match="Bruno PETIT"):
        add_participant(day["slot"], day["bruno"], Role.TRAINER, workshop=day["two"])
    assert add_participant(day["slot"], day["bruno"], Role.TRAINER,
                           workshop=day["two"], confirmed=True)
    # Being in the same workshop under a second role is not two places at once.
    assert add_participant(day["slot"], day["alice"], Role.RAPPORTEUR,
                           workshop=day["one"])


def test_moving_a_session_onto_a_persons_other_session_warns(day):
    event, slot = day["event"], day["slot"]
    add_participant(slot, day["alice"], Role.PRACTITIONER, workshop=day["two"])
    db.session.flush()
    before = slot.sequence
    with pytest.raises(NeedsConfirmation, match="Alice MARTIN"):
        save_session(event, slot, kind=SessionKind.WORKSHOPS, title="", description="",
                     day=DAY, start=time(10), end=time(12), room=None)
    assert slot.starts_at.time() == time(10, 45) and slot.sequence == before
    save_session(event, slot, kind=SessionKind.WORKSHOPS, title="", description="",
                 day=DAY, start=time(10), end=time(12), room=None, confirmed=True)
    assert slot.starts_at.time() == time(10) and slot.sequence == before + 1


def test_workshop_capacity_above_room_needs_confirmation(day):
    slot, salle = day["slot"], day["salle"]
    with pytest.raises(NeedsConfirmation, match="20\u00a0places"):
        save_workshop(slot, day["one"], number=1, title="Écrans", sector="", theme="",
                      description="", room=salle, capacity=30)
    assert day["one"].capacity == 20
    save_workshop(slot, day["one"], number=1, title="Écrans", sector="", theme="",
                  description="", room=salle, capacity=30, confirmed=True)
    assert day["one"].capacity == 30
    save_workshop(slot, day["one"], number=1, title="Écrans", sector="", theme="",
                  description="", room=salle, capacity=15)
    assert day["one"].capacity == 15


def test_workshop_number_unique_in_session_and_room_free(day):
    with pytest.raises(Problems) as error:
        save_workshop(day["slot"], None, number=1, title="Doublon", sector="",
                      theme="", description="", room=None, capacity=None)
    assert fields_of(error.value) == ["number"]
    with pytest.raises(Problems) as error:
        save_workshop(day["slot"], day["two"], number=2, title="Accès", sector="",
                      theme="", description="", room=day["salle"], capacity=None)
    assert fields_of(error.value) == ["room_id"]
    assert save_workshop(day["slot"], None, number=3, title="Nouveau", sector="",
                         theme="", description="", room=None, capacity=None)


def test_workshops_only_in_workshop_sessions(day):
    with pytest.raises(Problems):
        save_workshop(day["plenary"], None, number=1, title="Non", sector="",
                      theme="", description="", room=None, capacity=None)


def test_reorder_and_remove_keep_positions(day):
    plenary = day["plenary"]
    people = [save_person(None, f"P{n}") for n in range(3)]
    db.session.flush()
    for person in people:
        add_participant(plenary, person, Role.SPEAKER)
    db.session.flush()
    names = lambda: [p.person.first_name for p in siblings(plenary)]  # noqa: E731
    assert names() == ["Alice", "P0", "P1", "P2"]
    sequence = plenary.sequence
    last = siblings(plenary)[-1]
    move_participant(last, -1)
    assert names() == ["Alice", "P0", "P2", "P1"]
    move_participant(siblings(plenary)[0], -1)  # already first
    assert names() == ["Alice", "P0", "P2", "P1"]
    remove_participant(siblings(plenary)[1])
    db.session.commit()
    assert names() == ["Alice", "P2", "P1"]
    assert [p.position for p in siblings(plenary)] == [0, 1, 2]
    assert plenary.sequence > sequence
    assert db.session.get(Person, people[0].id) is not None  # the person stays


def test_room_names_unique_per_event(day, app):
    with pytest.raises(Problems) as error:
        save_room(day["event"], None, "amphithéâtre", None, True)
    assert fields_of(error.value) == ["name"]
    other = save_event(None, event_data(slug="autre"))
    assert save_room(other, None, "Amphithéâtre", None, True)


def test_delete_room_leaves_sessions_without_room(day):
    delete_room(day["event"], day["amphi"])
    db.session.commit()
    assert day["plenary"].room is None
    assert [r.name for r in day["event"].rooms] == ["Salle 1", "Salle 2"]


def test_search_people_ignores_case_and_accents(app):
    save_person(None, "Élodie", "DURAND", organisation="IRTS-IDS Normandie")
    save_person(None, "Łukasz", "Ðorđević")
    save_person(None, "Marc", "Lefèvre", organisation="ETSUP")
    db.session.flush()
    everyone = db.select(Person)

    def search(query, **paging):
        return search_people(query, among=everyone, **paging)

    assert [p.first_name for p in search("elodie")[0]] == ["Élodie"]
    assert [p.first_name for p in search("LEFEVRE")[0]] == ["Marc"]
    assert [p.first_name for p in search("irts durand")[0]] == ["Élodie"]
    assert search("")[1] == 3
    page, total = search("", page=2, per_page=2)
    assert total == 3 and len(page) == 1
    only_marc = everyone.where(Person.last_name == "Lefèvre")
    assert search_people("", among=only_marc)[1] == 1


def test_person_needs_first_name_and_valid_email(app):
    with pytest.raises(Problems) as error:
        save_person(None, " ", email="faux")
    assert fields_of(error.value) == ["first_name", "email"]
    assert save_person(None, "Zoé", email="zoe@example.org").email == "zoe@example.org"


def test_duplicate_event(day, make_user):
    source = day["event"]
    user = make_user(events=[source])
    source.status = EventStatus.PUBLISHED
    add_participant(day["plenary"], day["bruno"], Role.MODERATOR)
    save_contribution(day["plenary"], None, "Présentation du dispositif", "")
    db.session.commit()
    contribution = day["plenary"].contributions[0]
    add_participant(day["plenary"], day["alice"], Role.PRESENTER,
                    contribution=contribution)
    db.session.commit()
    people_before = db.session.scalar(db.select(db.func.count(Person.id)))

    copy = duplicate_event(source, date(2027, 3, 11), title="Édition 2027")
    db.session.commit()

    assert copy.id != source.id and copy.status == EventStatus.DRAFT
    assert copy.title == "Édition 2027" and copy.slug == "edition-2027"
    assert (copy.starts_on, copy.ends_on) == (date(2027, 3, 11), date(2027, 3, 11))
    assert copy.registration_deadline == date(2027, 2, 28)  # 364 days later
    assert copy.registration_opens_on == date(2027, 1, 7)
    assert [r.name for r in copy.rooms] == ["Amphithéâtre", "Salle 1", "Salle 2"]
    assert {r.id for r in copy.rooms}.isdisjoint({r.id for r in source.rooms})
    assert [(s.starts_at.time(), s.ends_at.time()) for s in copy.sessions] == \
        [(s.starts_at.time(), s.ends_at.time()) for s in source.sessions]
    assert all(s.starts_at.date() == date(2027, 3, 11) for s in copy.sessions)
    assert {s.uid for s in copy.sessions}.isdisjoint({s.uid for s in source.sessions})
    new_plenary, new_slot = copy.sessions
    assert new_plenary.room.event_id == copy.id and new_plenary.room.name == "Amphithéâtre"
    assert [(p.person_id, p.role) for p in new_plenary.participants] == \
        [(day["alice"].id, Role.SPEAKER), (day["bruno"].id, Role.MODERATOR)]
    assert [c.title for c in new_plenary.contributions] == ["Présentation du dispositif"]
    assert [p.person_id for p in new_plenary.contributions[0].presenters] == [day["alice"].id]
    assert [w.number for w in new_slot.workshops] == [1, 2]
    assert {w.uid for w in new_slot.workshops}.isdisjoint(
        {w.uid for w in day["slot"].workshops})
    workshop = new_slot.workshops[0]
    assert workshop.room.event_id == copy.id and workshop.capacity == 20
    assert [(p.person_id, p.session_id) for p in workshop.facilitators] == \
        [(day["bruno"].id, new_slot.id)]
    assert db.session.scalar(db.select(db.func.count(Person.id))) == people_before
    assert [m.user_id for m in copy.memberships] == [user.id]
    # The original is untouched.
    assert source.status == EventStatus.PUBLISHED and len(day["plenary"].participants) == 2
    assert db.session.scalar(db.select(db.func.count(Participation.id))) == 8


def test_duplicate_with_taken_slug(day):
    with pytest.raises(Problems):
        duplicate_event(day["event"], date(2027, 3, 11), slug="journee-test")
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 1


def test_delete_session_removes_its_workshops(day):
    delete_session(day["event"], day["slot"])
    db.session.commit()
    assert [s.kind for s in day["event"].sessions] == [SessionKind.PLENARY]
    assert db.session.scalar(db.select(db.func.count(Session.id))) == 1
    assert db.session.get(Room, day["salle"].id) is not None
