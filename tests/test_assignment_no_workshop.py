"""After publication: the people left without a workshop are told, once; choices are
frozen; the attendee's page says plainly where they stand. The e-mails are read as a
real SMTP server receives them."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from support.pages import text_of
from support.smtp import calendar_of, prose_of, received_by, sending_to, subject_of

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
def app(app_factory, smtp):
    """An app as deployed: each commit sends what it queued to the SMTP server."""
    app = app_factory(**sending_to(smtp))
    with app.app_context():
        yield app


def sent_to(smtp, address: str, subject_start: str):
    return [m for m in received_by(smtp, address) if subject_of(m).startswith(subject_start)]


NO_WORKSHOP = "Pas d’atelier pour vous"
ASSIGNMENT = "Votre atelier"


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
        profile=Profile.PROFESSIONAL, lunch=False,
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
    return client.post(f"{page_url(event, slot)}publier", data={"confirme": "1"},
                       follow_redirects=True)


def placed() -> dict[int, Assignment]:
    db.session.expire_all()
    return {a.registration_id: a for a in db.session.scalars(select(Assignment))}


def test_publication_tells_each_person_without_a_workshop_once(organiser_client, irts, slot,
                                                               people, smtp):
    response = run_and_publish(organiser_client, irts, slot)
    page = text_of(response.get_data(as_text=True))
    assert "Répartition publiée : 2 e-mails envoyés" in page
    assert "2 personnes sans atelier ont été prévenues." in page

    left_out = [r for r in people if r.id not in placed()]
    assert len(left_out) == 2
    [message] = sent_to(smtp, left_out[0].email, NO_WORKSHOP)
    assert subject_of(message) == f"Pas d’atelier pour vous : {text_of(irts.title)}"
    body = prose_of(message)
    assert "Vous n’avez pas de place dans un atelier de la séance" in body
    assert "Tous les ateliers que vous aviez choisis étaient complets." in body
    two = next(w for w in slot.workshops if w.number == 2)
    assert f"- Atelier n° 2 : {two.title}" in body
    assert "Atelier n° 1 :" not in body
    assert f"écrivez à l’équipe organisatrice : {CONTACT}" in body
    assert message["Reply-To"] == CONTACT
    assert sent_to(smtp, people[3].email, NO_WORKSHOP) == []

    response = organiser_client.post(f"{page_url(irts, slot)}publier", data={"confirme": "1"},
                                     follow_redirects=True)
    assert "sans atelier ont été prévenues" not in text_of(response.get_data(as_text=True))
    assert len(sent_to(smtp, left_out[0].email, NO_WORKSHOP)) == 1


def test_someone_placed_then_left_out_again_is_told_again(organiser_client, irts, slot,
                                                          people, smtp):
    run_and_publish(organiser_client, irts, slot)
    someone = next(r for r in people if r.id not in placed())
    two = next(w for w in slot.workshops if w.number == 2)
    organiser_client.post(f"{page_url(irts, slot)}personnes/{someone.id}",
                          data={f"p{someone.id}-workshop": str(two.id)})
    organiser_client.post(f"{page_url(irts, slot)}publier", data={"confirme": "1"})
    assert len(sent_to(smtp, someone.email, ASSIGNMENT)) == 1
    db.session.delete(placed()[someone.id])
    db.session.commit()
    organiser_client.post(f"{page_url(irts, slot)}publier", data={"confirme": "1"})
    assert len(sent_to(smtp, someone.email, NO_WORKSHOP)) == 2


def test_the_page_says_plainly_who_has_a_workshop_and_who_has_none(client, organiser_client,
                                                                     irts, slot, people):
    run_and_publish(organiser_client, irts, slot)
    assignments = placed()
    left_out = next(r for r in people if r.id not in assignments)
    page = text_of(client.get(f"/r/{left_out.token}").get_data(as_text=True))
    assert "Vous n’avez pas de place dans un atelier de cette séance." in page
    assert "Vous restez inscrit·e à la journée." in page
    assert f"Pour demander une place dans un atelier, écrivez à l’équipe organisatrice : {CONTACT}." in page
    assert "l’équipe vous dira" not in page

    lucky = people[3]
    workshop = assignments[lucky.id].workshop
    page = text_of(client.get(f"/r/{lucky.token}").get_data(as_text=True))
    assert f"Votre atelier : Atelier n° {workshop.number} : {workshop.title}" in page
    assert f"Pour demander un changement d’atelier, écrivez à l’équipe organisatrice : {CONTACT}." in page
    assert "pas de place" not in page


def test_published_choices_are_shown_read_only_and_cannot_be_changed(
        client, organiser_client, registration_open, irts, slot, people):
    run_and_publish(organiser_client, irts, slot)
    lucky = people[3]
    html = client.get(f"/r/{lucky.token}/modifier").get_data(as_text=True)
    assert f'name="atelier_{slot.id}_1"' not in html
    page = text_of(html)
    assert "La répartition est publiée : vos choix ne peuvent plus être modifiés." in page

    data = {name: value for name, value in _form_values(html).items()}
    three = next(w for w in slot.workshops if w.number == 3)
    data[f"atelier_{slot.id}_1"] = str(three.id)
    response = client.post(f"/r/{lucky.token}/modifier", data=data)
    page = text_of(response.get_data(as_text=True))
    assert "la répartition est publiée, vos choix ne peuvent plus être modifiés. " \
           "Rien n’a été enregistré." in page
    assert "modifications sont enregistrées" not in page
    db.session.expire_all()
    two = next(w for w in slot.workshops if w.number == 2)
    assert [(c.rank, c.workshop_id) for c in db.session.get(Registration, lucky.id).choices] \
        == [(1, two.id)]

    del data[f"atelier_{slot.id}_1"]
    data["phone"] = "02 35 00 00 00"
    response = client.post(f"/r/{lucky.token}/modifier", data=data, follow_redirects=True)
    page = text_of(response.get_data(as_text=True))
    assert "Vos modifications sont enregistrées." in page, page[page.find("erreur") - 50:][:600]
    db.session.expire_all()
    saved = db.session.get(Registration, lucky.id)
    assert saved.phone == "02 35 00 00 00"
    assert [(c.rank, c.workshop_id) for c in saved.choices] == [(1, two.id)]


def _form_values(html: str) -> dict[str, str]:
    """The edit form's text inputs and selected options, as a browser would send them."""
    import re

    values = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or (kind and kind.group(1) in ("radio", "checkbox")
                        and "checked" not in tag):
            continue
        values[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html,
                                 flags=re.DOTALL):
        selected = re.search(r'<option[^>]*value="([^"]*)"[^>]*selected', body)
        values[name] = selected.group(1) if selected else ""
    return values


def test_a_move_after_publication_is_e_mailed_at_once_to_that_person_only(
        organiser_client, irts, slot, people, smtp):
    run_and_publish(organiser_client, irts, slot)
    left_out = [r for r in people if r.id not in placed()]
    someone, other = left_out[0], left_out[1]
    two = next(w for w in slot.workshops if w.number == 2)
    response = organiser_client.post(f"{page_url(irts, slot)}personnes/{someone.id}",
                                     data={f"p{someone.id}-workshop": str(two.id)},
                                     follow_redirects=True)
    page = text_of(response.get_data(as_text=True))
    assert "La répartition étant publiée, cette personne en est prévenue par e-mail." in page
    [message] = sent_to(smtp, someone.email, ASSIGNMENT)
    assert f"Atelier n° 2 : {two.title}" in prose_of(message)
    summaries = [str(e["summary"]) for e in calendar_of(message).walk("VEVENT")]
    assert any(two.title in summary for summary in summaries)
    assert "Ateliers (répartition à venir)" not in summaries
    assert sent_to(smtp, other.email, ASSIGNMENT) == []
    # Their page says it too, and publishing again writes to them no more.
    db.session.expire_all()
    assert placed()[someone.id].published_workshop_id == two.id
    organiser_client.post(f"{page_url(irts, slot)}publier", data={"confirme": "1"})
    assert len(sent_to(smtp, someone.email, ASSIGNMENT)) == 1

    # Taken out again: told at once that they have no workshop (they were told so at the
    # first publication too), and only once.
    assert len(sent_to(smtp, someone.email, NO_WORKSHOP)) == 1
    organiser_client.post(f"{page_url(irts, slot)}personnes/{someone.id}",
                          data={f"p{someone.id}-workshop": "0"})
    assert len(sent_to(smtp, someone.email, NO_WORKSHOP)) == 2
    organiser_client.post(f"{page_url(irts, slot)}publier", data={"confirme": "1"})
    assert len(sent_to(smtp, someone.email, NO_WORKSHOP)) == 2
