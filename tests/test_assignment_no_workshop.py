"""After publication: the people left without a workshop are told, once; choices are
frozen; the attendee's page says plainly where they stand."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from support.pages import text_of
from support.registration import plain_text, sent_to

from journee.extensions import db
from journee.programme.models import SessionKind
from journee.registration.models import (
    Assignment,
    Profile,
    Registration,
    RegistrationStatus,
    WorkshopChoice,
)

CONTACT = "claire.lagu@irtsnormandie.ids.fr"


@pytest.fixture
def slot(irts):
    """The IRTS-IDS workshops slot: workshop 1 has one place, the others three."""
    slot = next(s for s in irts.sessions if s.kind == SessionKind.WORKSHOPS)
    for workshop in slot.workshops:
        workshop.capacity = 1 if workshop.number == 1 else 3
    db.session.commit()
    return slot


def person(event, slot, n: int, ranks: list[int]) -> Registration:
    workshops = {w.number: w for w in slot.workshops}
    registration = Registration(
        event=event, status=RegistrationStatus.CONFIRMED, first_name=f"Prénom{n}",
        last_name=f"Nom{n:02d}", email=f"personne{n}@example.org", organisation=f"Org{n}",
        profile=Profile.PROFESSIONAL,
        choices=[WorkshopChoice(session_id=slot.id, workshop_id=workshops[number].id,
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


def run_and_publish(client, event, slot):
    client.post(page_url(event, slot), data={"strategy": "first_choices", "seed": "7"})
    return client.post(f"{page_url(event, slot)}publier", follow_redirects=True)


def placed() -> dict[int, Assignment]:
    db.session.expire_all()
    return {a.registration_id: a for a in db.session.scalars(select(Assignment))}


def test_publication_tells_each_person_without_a_workshop_once(organiser_client, irts, slot,
                                                               people):
    response = run_and_publish(organiser_client, irts, slot)
    page = text_of(response.get_data(as_text=True))
    assert "Répartition publiée : 2 e-mails envoyés" in page
    assert "2 personnes sans atelier ont été prévenues." in page

    left_out = [r for r in people if r.id not in placed()]
    assert len(left_out) == 2
    [message] = sent_to(left_out[0].email, "no_workshop")
    assert message["Subject"].startswith("Pas d’atelier pour vous")
    body = " ".join(plain_text(message).replace("\u202f", " ").replace("\u00a0", " ").split())
    assert "Vous n’avez pas de place dans un atelier de la séance" in body
    assert "Tous les ateliers que vous aviez choisis étaient complets." in body
    two = next(w for w in slot.workshops if w.number == 2)
    assert f"- Atelier n° 2 : {two.title}" in body
    assert "Atelier n° 1 :" not in body
    assert f"écrivez à l’équipe organisatrice : {CONTACT}" in body
    assert message["Reply-To"] == CONTACT
    assert sent_to(people[3].email, "no_workshop") == []

    response = organiser_client.post(f"{page_url(irts, slot)}publier", follow_redirects=True)
    assert "sans atelier" not in text_of(response.get_data(as_text=True))
    assert len(sent_to(left_out[0].email, "no_workshop")) == 1


def test_someone_placed_then_left_out_again_is_told_again(organiser_client, irts, slot,
                                                          people):
    run_and_publish(organiser_client, irts, slot)
    someone = next(r for r in people if r.id not in placed())
    two = next(w for w in slot.workshops if w.number == 2)
    organiser_client.post(f"{page_url(irts, slot)}personnes/{someone.id}",
                          data={f"p{someone.id}-workshop": str(two.id)})
    organiser_client.post(f"{page_url(irts, slot)}publier")
    assert len(sent_to(someone.email, "assignment")) == 1
    db.session.delete(placed()[someone.id])
    db.session.commit()
    organiser_client.post(f"{page_url(irts, slot)}publier")
    assert len(sent_to(someone.email, "no_workshop")) == 2
