"""The organiser's side of facilitator links: create, send, revoke, replace, send to all."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from support.pages import csrf_token_from, text_of

from journee.audit.log import record
from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.facilitation.models import FacilitatorLink
from journee.mail_models import OutboxMessage
from journee.programme.models import Event, Participation

BASE_URL = "http://journee.test"


@pytest.fixture
def team(irts):
    """Workshop 1's facilitators; the first two get an e-mail address, the others none."""
    slot = next(s for s in irts.workshop_sessions if s.workshops)
    workshop = slot.workshops[0]
    people = []
    for participation in workshop.facilitators:
        if participation.person not in people:
            people.append(participation.person)
    people[0].email = "benoit.cesselin@example.org"
    people[1].email = "jm.dilubenzi@example.org"
    db.session.commit()
    return {"event": irts, "workshop": workshop, "people": people}


def base(event) -> str:
    return f"/admin/journees/{event.id}/animateurs"


def links_of(person) -> list[FacilitatorLink]:
    db.session.expire_all()
    return db.session.scalars(select(FacilitatorLink).filter_by(person_id=person.id)
                              .order_by(FacilitatorLink.id)).all()


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def bodies(mail) -> tuple[str, str]:
    return (mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content())


def flashes(client, event) -> str:
    return text_of(client.get(base(event)).get_data(as_text=True))


# The page ----------------------------------------------------------------------------

def test_page_lists_facilitators_by_workshop(organiser_client, team):
    event = team["event"]
    response = organiser_client.get(base(event))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    slot = team["workshop"].session
    for workshop in slot.workshops:
        assert workshop.title in text
        assert workshop.room.name in text
        for participation in workshop.facilitators:
            assert participation.person.full_name in text
    assert "10 h 45 – 12 h 30" in text and "Salle Salle" not in text
    assert "Formateur·rice (atelier)" in text and "Praticien·ne (atelier)" in text
    assert "Aucun lien." in text
    # Each address in a small form of its own, to change it in place.
    assert re.search(r'<input type="email" id="adresse-\d+-\d+" name="email"[^>]*'
                     r'value="benoit\.cesselin@example\.org"', html)
    # Two people with an address, none sent yet.
    assert "2 animateur·rices avec une adresse e-mail n’ont pas encore reçu de lien" in text
    assert "Envoyer les liens à tous" in text
    assert f'href="/admin/journees/{event.id}/journal"' in html
    assert "ne voient pas l’e-mail ni le téléphone" in text
    # Someone who is only a speaker (not a workshop facilitator) is not listed.
    assert "Vincent MEYER" not in text


def test_page_costs_a_fixed_number_of_queries(app_factory):
    """The account, the event, the facilitators with their workshops, the links: the same
    few queries whether nobody or everybody has a link. Each request has its own app
    context and session here, as behind a real server."""
    from sqlalchemy import event as sa_event

    app = app_factory()
    with app.app_context():
        event_id, people = _demo_with_organiser()
        engine = db.engine
    client = app.test_client()
    client.post("/connexion", data={"email": "organisatrice@example.org",
                                    "password": "mot-de-passe-solide"})
    page = f"/admin/journees/{event_id}/animateurs"

    def queries_for_page() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])
        sa_event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(page).status_code == 200
        finally:
            sa_event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    before = queries_for_page()
    for person_id in people:
        assert client.post(f"{page}/{person_id}/creer").status_code == 302
    with app.app_context():
        assert len(db.session.scalars(select(FacilitatorLink)).all()) == len(people)
    # However many links: a fixed few, one of them the institute's look that every page
    # reads (journee.branding).
    assert queries_for_page() == before <= 6


def _demo_with_organiser() -> tuple[int, list[int]]:
    """The demo days and an organiser of IRTS-IDS; its id and all its facilitators' ids."""
    from journee.auth.models import User
    from journee.demo import load_demo
    from journee.programme.models import EventMembership

    irts = next(e for e in load_demo(original_dates=True)
                if e.slug == "travail-social-epreuve-numerique-2018")
    user = User(email="organisatrice@example.org", name="Orga")
    user.set_password("mot-de-passe-solide")
    db.session.add_all([user, EventMembership(event=irts, user=user)])
    db.session.commit()
    people = {p.person_id for s in irts.workshop_sessions for w in s.workshops
              for p in w.facilitators}
    return irts.id, sorted(people)


def test_event_page_links_to_the_facilitator_links_and_the_log(organiser_client, team):
    html = organiser_client.get(f"/admin/journees/{team['event'].id}/").get_data(as_text=True)
    assert f'href="{base(team["event"])}"' in html
    assert f'href="/admin/journees/{team["event"].id}/journal"' in html


# Create and send -------------------------------------------------------------------

def test_create_sends_the_link_by_email(organiser_client, team, delivered):
    event, person = team["event"], team["people"][0]
    response = organiser_client.post(f"{base(event)}/{person.id}/creer")
    assert response.status_code == 302 and response.location.endswith(base(event))
    [link] = links_of(person)
    assert link.is_active and link.event_id == event.id and link.sent_at is not None
    assert link.created_by == "Organisateur·rice organisatrice@example.org"
    assert len(link.token) >= 40

    [message] = outbox()
    assert message.kind == "facilitator_link" and message.to_address == person.email
    mail = delivered(message)
    assert " ".join(mail["Subject"].split()) == f"Votre espace animateur·rice : {text_of(event.title)}"
    assert mail["Reply-To"] == event.contact_email
    text, html = bodies(mail)
    url = f"{BASE_URL}/f/{link.token}"
    assert url in text and f'href="{url}"' in html
    assert f"Bonjour {person.first_name}" in text
    assert "Atelier n°\u00a01" in text and "jeudi 15\u00a0mars 2018, 10\u00a0h\u00a045" in text
    assert f"12\u00a0h\u00a030, {team['workshop'].room.name}" in text  # « Salle 1 »
    assert "Ce lien vous est personnel\u202f: ne le transférez pas." in text
    assert "liste des participant·es" in text and "feuille d’émargement" in text
    assert event.contact_email in text
    assert "e-mail et téléphone" not in text  # not allowed for this event
    assert "Ce lien vous est personnel" in html

    page = flashes(organiser_client, event)
    assert f"Le lien de {person.full_name} est créé et envoyé par e-mail à {person.email}." \
        in page
    assert "Actif depuis le" in page and "Envoyé par e-mail le" in page
    assert "Jamais utilisé." in page
    # The link works; the organiser then sees when it was last used.
    assert organiser_client.get(f"/f/{link.token}").status_code == 200
    assert "Utilisé pour la dernière fois le" in flashes(organiser_client, event)


def test_create_without_email_shows_the_link_to_copy(organiser_client, team):
    event, person = team["event"], team["people"][2]
    assert not person.email
    organiser_client.post(f"{base(event)}/{person.id}/creer")
    [link] = links_of(person)
    assert link.is_active and link.sent_at is None
    assert outbox() == []
    html = organiser_client.get(base(event)).get_data(as_text=True)
    assert re.search(rf'<span class="link-box" id="lien-[0-9-]+">{BASE_URL}/f/{link.token}</span>',
                     html)
    # « Copier le lien »: hidden until the script shows it; it says so in a live region.
    assert re.search(r'<button type="button" class="button small" hidden data-copy="lien-', html)
    assert 'role="status" id="copie-' in html
    text = text_of(html)
    assert f"{person.full_name} n’a pas d’adresse e-mail" in text
    assert "Pas envoyé par e-mail." in text


def test_a_link_that_cannot_be_derived_again_is_not_replaced_by_showing_the_page(
        app, organiser_client, team):
    """After a new secret key (or for a link from before digests), the page says so
    rather than showing a new link that would silently replace the one given."""
    event, person = team["event"], team["people"][2]
    organiser_client.post(f"{base(event)}/{person.id}/creer")
    [link] = links_of(person)
    token, stored = link.token, link.token_digest
    app.config["SECRET_KEY"] = "une-autre-cle-secrete-" + "x" * 32
    text = text_of(organiser_client.get(base(event)).get_data(as_text=True))
    assert "Ce lien ne peut plus être affiché" in text and "remplacez-le" in text
    assert "Lien à transmettre" not in text
    [link] = links_of(person)
    assert link.token_digest == stored
    assert organiser_client.get(f"/f/{token}").status_code == 200


def test_create_twice_keeps_one_link(organiser_client, team):
    event, person = team["event"], team["people"][0]
    organiser_client.post(f"{base(event)}/{person.id}/creer")
    organiser_client.post(f"{base(event)}/{person.id}/creer")
    assert len(links_of(person)) == 1
    assert len(outbox()) == 1
    assert f"{person.full_name} a déjà un lien actif" in flashes(organiser_client, event)


def test_send_again(organiser_client, team, delivered):
    event, person = team["event"], team["people"][0]
    organiser_client.post(f"{base(event)}/{person.id}/creer")
    [link] = links_of(person)
    link.sent_at = datetime(2018, 3, 1, 8, 0)
    db.session.commit()
    organiser_client.post(f"{base(event)}/{person.id}/envoyer")
    messages = outbox()
    assert len(messages) == 2
    assert f"/f/{link.token}" in bodies(delivered(messages[1]))[0]
    assert links_of(person)[0].sent_at > datetime(2018, 3, 1, 8, 0)
    assert "est envoyé à nouveau" in flashes(organiser_client, event)


def test_send_needs_a_link_and_an_address(organiser_client, team):
    event, with_email, without = team["event"], team["people"][0], team["people"][2]
    organiser_client.post(f"{base(event)}/{with_email.id}/envoyer")
    assert "n’a pas de lien actif" in flashes(organiser_client, event)
    organiser_client.post(f"{base(event)}/{without.id}/creer")
    organiser_client.post(f"{base(event)}/{without.id}/envoyer")
    assert outbox() == []


# The state of each link's last e-mail -----------------------------------------------

BROKEN_ADDRESS = "benoit.cesselin@example.org\nBcc: autre@example.org"
"""An address a header refuses (imported with a line break): its message cannot be
written."""


def test_a_link_whose_email_cannot_be_written_is_not_reported_as_sent(organiser_client,
                                                                      team, delivered):
    event, person = team["event"], team["people"][0]
    person.email = BROKEN_ADDRESS
    db.session.commit()
    organiser_client.post(f"{base(event)}/{person.id}/creer")
    [link] = links_of(person)
    assert link.is_active and link.sent_at is None
    [message] = outbox()
    assert message.status == "failed" and message.facilitator_link_id == link.id
    assert "linefeed" in message.last_error

    page = flashes(organiser_client, event)
    assert f"Le lien de {person.full_name} est créé, mais l’e-mail à" in page
    assert "n’a pas pu être écrit : le lien n’est pas envoyé." in page
    assert "E-mail non envoyé (le " in page and "ne sera pas réessayé" in page
    assert f"Raison technique : {message.last_error}" in page
    assert "Envoyé par e-mail le" not in page and "et envoyé par e-mail" not in page
    assert "2 animateur·rices avec une adresse e-mail n’ont pas encore reçu de lien" in page

    # Once the address is corrected, sending again reaches the person.
    person.email = "benoit.cesselin@example.org"
    db.session.commit()
    organiser_client.post(f"{base(event)}/{person.id}/envoyer")
    [link] = links_of(person)
    failed, sent = outbox()
    assert sent.status == "sent" and sent.facilitator_link_id == link.id
    assert link.sent_at is not None and f"/f/{link.token}" in bodies(delivered(sent))[0]
    page = flashes(organiser_client, event)
    assert "Envoyé par e-mail le" in page and "E-mail non envoyé" not in page


def test_a_failed_resend_keeps_the_date_of_the_link_sent_before(organiser_client, team):
    event, person = team["event"], team["people"][0]
    organiser_client.post(f"{base(event)}/{person.id}/creer")
    [link] = links_of(person)
    first_sent = link.sent_at
    person.email = BROKEN_ADDRESS
    db.session.commit()
    organiser_client.post(f"{base(event)}/{person.id}/envoyer")
    [link] = links_of(person)
    assert link.sent_at == first_sent
    assert [m.status for m in outbox()] == ["sent", "failed"]
    page = flashes(organiser_client, event)
    assert "n’a pas pu être écrit : le lien n’est pas envoyé." in page
    assert "est envoyé à nouveau" not in page
    assert "E-mail non envoyé (le " in page and "Envoyé par e-mail le" not in page


def test_an_email_not_sent_yet_is_shown_pending(app, organiser_client, team):
    from journee.mail import deliver_pending

    app.config["MAIL_DELIVER_AFTER_COMMIT"] = False
    event, person = team["event"], team["people"][0]
    organiser_client.post(f"{base(event)}/{person.id}/creer")
    [message] = outbox()
    assert message.status == "pending"
    page = flashes(organiser_client, event)
    assert "E-mail en attente d’envoi depuis le " in page
    assert "Envoyé par e-mail le" not in page
    assert deliver_pending() == (1, 0)
    page = flashes(organiser_client, event)
    assert "Envoyé par e-mail le" in page and "en attente d’envoi depuis" not in page


def test_send_all_names_those_whose_email_cannot_be_written(organiser_client, team):
    event, people = team["event"], team["people"]
    people[0].email = BROKEN_ADDRESS
    db.session.commit()
    organiser_client.post(f"{base(event)}/envoyer-a-tous")
    assert [m.status for m in outbox()] == ["failed", "sent"]
    [failed_link] = links_of(people[0])
    assert failed_link.sent_at is None and links_of(people[1])[0].sent_at is not None
    page = flashes(organiser_client, event)
    assert "Liens envoyés par e-mail : 1 animateur·rice." in page
    assert f"E-mail impossible à écrire, lien non envoyé : {people[0].full_name}." in page
    assert "1 animateur·rice avec une adresse e-mail n’a pas encore reçu de lien" in page


# Revoke and replace --------------------------------------------------------------

def test_revoke_closes_the_space(organiser_client, team):
    event, person = team["event"], team["people"][0]
    organiser_client.post(f"{base(event)}/{person.id}/creer")
    [link] = links_of(person)
    assert organiser_client.get(f"/f/{link.token}").status_code == 200
    response = organiser_client.post(f"{base(event)}/{person.id}/revoquer")
    assert response.status_code == 302
    page = flashes(organiser_client, event)
    assert f"Le lien de {person.full_name} est révoqué" in page
    assert "Aucun lien actif (révoqué le" in page
    [link] = links_of(person)
    assert link.revoked_at is not None
    assert organiser_client.get(f"/f/{link.token}").status_code == 404


def test_replace_revokes_the_old_link_and_sends_the_new(organiser_client, team,
                                                         delivered):
    event, person = team["event"], team["people"][0]
    organiser_client.post(f"{base(event)}/{person.id}/creer")
    [old] = links_of(person)
    organiser_client.post(f"{base(event)}/{person.id}/remplacer")
    assert "ne fonctionne plus" in flashes(organiser_client, event)
    old_again, new = links_of(person)
    assert old_again.id == old.id and old_again.revoked_at is not None
    assert new.is_active and new.token != old.token and new.sent_at is not None
    assert organiser_client.get(f"/f/{old.token}").status_code == 404
    assert organiser_client.get(f"/f/{new.token}").status_code == 200
    last = outbox()[-1]
    text = bodies(delivered(last))[0]
    assert f"/f/{new.token}" in text and f"/f/{old.token}" not in text


def test_send_all_reaches_everyone_with_an_address_once(organiser_client, team):
    event, people = team["event"], team["people"]
    # The first already has a sent link; a facilitator of another workshop gets an address.
    organiser_client.post(f"{base(event)}/{people[0].id}/creer")
    other_workshop = team["workshop"].session.workshops[1]
    other = other_workshop.facilitators[0].person
    other.email = "autre@example.org"
    db.session.commit()

    organiser_client.post(f"{base(event)}/envoyer-a-tous")
    messages = outbox()
    assert [m.to_address for m in messages] == [people[0].email, people[1].email,
                                                "autre@example.org"]
    assert all(len(links_of(p)) == 1 and links_of(p)[0].sent_at for p in
               (people[0], people[1], other))
    page = flashes(organiser_client, event)
    assert "Liens envoyés par e-mail : 2 animateur·rices." in page
    assert "Sans adresse e-mail, à prévenir vous-même" in page
    assert people[2].full_name in page

    # Nothing left to send: a second click sends nothing.
    organiser_client.post(f"{base(event)}/envoyer-a-tous")
    assert len(outbox()) == 3
    assert ("Aucun lien envoyé : chaque animateur·rice ayant une adresse e-mail a déjà reçu "
            "son lien ou l’attend") in flashes(organiser_client, event)

    # A revoked link is not replaced behind the organiser's back.
    organiser_client.post(f"{base(event)}/{people[1].id}/revoquer")
    organiser_client.post(f"{base(event)}/envoyer-a-tous")
    assert len(outbox()) == 3
    assert not any(link.is_active for link in links_of(people[1]))


def test_actions_are_recorded_in_the_log(organiser_client, team):
    event, person = team["event"], team["people"][0]
    for action in ("creer", "envoyer", "remplacer", "revoquer"):
        organiser_client.post(f"{base(event)}/{person.id}/{action}")
    db.session.expire_all()
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == [
        "facilitator_link.create", "facilitator_link.send", "facilitator_link.send",
        "facilitator_link.regenerate", "facilitator_link.send", "facilitator_link.revoke"]
    assert {e.actor for e in entries} == {"Organisateur·rice organisatrice@example.org"}
    assert {e.target for e in entries} == {person.full_name}
    text = text_of(organiser_client.get(f"/admin/journees/{event.id}/journal")
                   .get_data(as_text=True))
    assert "Révocation du lien personnel d’un·e animateur·rice" in text
    assert "6 entrées" in text


# Access -------------------------------------------------------------------------

def test_csrf_token_required(app_factory):
    """With CSRF protection on, as in production. No app context is kept around the
    requests, so each one gets its own, as behind a real server."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        event_id, people = _demo_with_organiser()
    person_id = people[0]

    def link_count() -> int:
        with app.app_context():
            return len(db.session.scalars(select(FacilitatorLink)
                                          .filter_by(person_id=person_id)).all())

    client = app.test_client()
    login_page = client.get("/connexion").get_data(as_text=True)
    assert client.post("/connexion", data={
        "email": "organisatrice@example.org", "password": "mot-de-passe-solide",
        "csrf_token": csrf_token_from(login_page)}).status_code == 302
    page = f"/admin/journees/{event_id}/animateurs"
    url = f"{page}/{person_id}/creer"
    assert client.post(url).status_code == 400
    assert client.post(url, data={"csrf_token": "faux"}).status_code == 400
    assert link_count() == 0
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    assert link_count() == 1


def test_another_events_organiser_gets_404(client, demo, make_user, login, irts):
    etsup = demo["travail-social-2-0-etsup-2018"]
    person = next(s for s in irts.workshop_sessions if s.workshops).workshops[0] \
        .facilitators[0].person
    other = login(make_user(email="autre@example.org", events=[etsup]))
    assert other.get(base(irts)).status_code == 404
    assert other.get(f"/admin/journees/{irts.id}/journal").status_code == 404
    for action in ("creer", "envoyer", "revoquer", "remplacer"):
        assert other.post(f"{base(irts)}/{person.id}/{action}").status_code == 404
    assert other.post(f"{base(irts)}/envoyer-a-tous").status_code == 404
    assert links_of(person) == [] and outbox() == []
    # Their own event's page works.
    assert other.get(base(etsup)).status_code == 200


def test_someone_not_facilitating_this_event_is_404(organiser_client, irts):
    speaker = db.session.scalar(select(Participation).join(Participation.person)
                                .where(Participation.workshop_id.is_(None),
                                       Participation.session.has(event_id=irts.id))).person
    facilitating = db.session.scalar(select(Participation).where(
        Participation.person_id == speaker.id, Participation.workshop_id.is_not(None)))
    assert facilitating is None
    assert organiser_client.post(f"{base(irts)}/{speaker.id}/creer").status_code == 404
    assert organiser_client.post(f"{base(irts)}/999999/creer").status_code == 404
    assert links_of(speaker) == []


def test_anonymous_is_sent_to_login(client, irts):
    response = client.get(base(irts))
    assert response.status_code == 302 and "/connexion" in response.location


# The log page -------------------------------------------------------------------

def test_log_is_paginated_newest_first(organiser_client, irts):
    start = datetime(2018, 3, 15, 8, 0)
    for n in range(105):
        entry = record("facilitator.view_list", actor=f"Animateur·rice n{n:03d}", event=irts,
                       target="Atelier n° 1", rows=n)
        entry.at = start + timedelta(minutes=n)
    db.session.commit()
    url = f"/admin/journees/{irts.id}/journal"
    first = text_of(organiser_client.get(url).get_data(as_text=True))
    assert "105 entrées" in first and "Page 1 sur 2" in first
    assert "n104" in first and "n005" in first and "n004" not in first
    assert first.index("n104") < first.index("n103")
    second = text_of(organiser_client.get(url + "?page=2").get_data(as_text=True))
    assert "n004" in second and "n000" in second and "n005" not in second
    for wrong in ("?page=abc", "?page=-3", "?page=99999999999999999999"):
        assert organiser_client.get(url + wrong).status_code == 200


# The event setting -----------------------------------------------------------------

def test_event_form_sets_whether_facilitators_see_contacts(organiser_client, irts):
    form = organiser_client.get(f"/admin/journees/{irts.id}/modifier").get_data(as_text=True)
    assert ("Les animateur·rices d’atelier voient l’e-mail et le téléphone des "
            "participant·es") in form
    assert 'name="facilitators_see_contact"' in form
    data = {"title": irts.title, "edition": irts.edition, "slug": irts.slug,
            "starts_on": "2018-03-15", "ends_on": "2018-03-15",
            "registration_opens_on": "2018-01-08", "registration_deadline": "2018-03-01",
            "waitlist_enabled": "oui", "workshop_mode": "preferences",
            "workshop_choices": "3", "retention_days": "90",
            "facilitators_see_contact": "y"}
    response = organiser_client.post(f"/admin/journees/{irts.id}/modifier", data=data)
    assert response.status_code == 302, text_of(response.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(Event, irts.id).facilitators_see_contact is True
    form = organiser_client.get(f"/admin/journees/{irts.id}/modifier").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*name="facilitators_see_contact"|'
                     r'<input[^>]*name="facilitators_see_contact"[^>]*checked', form)

    del data["facilitators_see_contact"]
    organiser_client.post(f"/admin/journees/{irts.id}/modifier", data=data)
    db.session.expire_all()
    assert db.session.get(Event, irts.id).facilitators_see_contact is False


# Truthful counts, and the address changed in place ---------------------------------------

def test_nothing_sent_is_never_reported_as_sent(organiser_client, team):
    from journee.facilitation.services import overview

    event = team["event"]
    people = {row.person for t in overview(event).teams for row in t.facilitators}
    for person in people:
        person.email = None
    db.session.commit()
    text = flashes(organiser_client, event)
    assert "Aucun lien n’a été envoyé par e-mail." in text
    assert "a un lien envoyé" not in text and "a reçu son lien" not in text
    assert f"{len(people)} animateur·rices sans adresse e-mail" in text
    organiser_client.post(f"{base(event)}/envoyer-a-tous")
    text = flashes(organiser_client, event)
    assert "Aucun lien envoyé : aucun·e animateur·rice n’a d’adresse e-mail." in text
    assert "Liens envoyés" not in text
    assert outbox() == []


def test_the_summary_counts_links_by_what_became_of_their_email(app, organiser_client, team):
    event, people = team["event"], team["people"]
    organiser_client.post(f"{base(event)}/{people[0].id}/creer")
    text = flashes(organiser_client, event)
    assert "1 lien envoyé par e-mail." in text
    assert "1 animateur·rice avec une adresse e-mail n’a pas encore reçu de lien" in text
    # The mail server does not take the next one: waiting, and said so.
    app.config["MAIL_DELIVER_AFTER_COMMIT"] = False
    organiser_client.post(f"{base(event)}/envoyer-a-tous")
    text = flashes(organiser_client, event)
    assert "1 lien pas encore parti : le serveur d’e-mail ne l’a pas encore accepté" in text
    assert "Liens envoyés par e-mail" not in text
    assert "1 lien envoyé par e-mail." in text and "1 e-mail en attente d’envoi." in text


def test_a_created_link_waiting_for_the_server_is_not_said_sent(app, organiser_client, team):
    app.config["MAIL_DELIVER_AFTER_COMMIT"] = False
    event, person = team["event"], team["people"][0]
    organiser_client.post(f"{base(event)}/{person.id}/creer")
    text = flashes(organiser_client, event)
    assert f"l’e-mail à {person.email} attend" in text
    assert "envoyé par e-mail à" not in text


def test_the_address_is_changed_in_place_checked_and_logged(organiser_client, team):
    event, person = team["event"], team["people"][2]
    workshop = team["workshop"]
    assert person.email is None
    url = f"{base(event)}/{person.id}/adresse"
    row = f"{workshop.id}-{person.id}"
    # A wrong address: the page again, the typed value kept, the error said and linked.
    response = organiser_client.post(url, data={"email": "pas une adresse", "row": row})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<a href="#adresse-{row}">' in html
    assert "Saisissez une adresse e-mail valide" in text_of(html)
    assert re.search(rf'id="adresse-{row}"[^>]*value="pas une adresse"[^>]*'
                     rf'aria-invalid="true" aria-describedby="erreur-adresse-{row}"', html)
    db.session.expire_all()
    assert person.email is None
    # A good one: saved, logged, and the page comes back to the row.
    response = organiser_client.post(url, data={"email": " Paul.Martin@Example.org ",
                                                "row": row})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#personne-{row}")
    db.session.expire_all()
    assert person.email == "Paul.Martin@Example.org"
    [entry] = db.session.scalars(select(AuditEntry).filter_by(
        action="organiser.change_person_email")).all()
    assert entry.event_id == event.id and person.full_name in entry.target
    text = flashes(organiser_client, event)
    assert f"L’adresse e-mail de {person.full_name} est maintenant Paul.Martin@Example.org." \
        in text
    # Now « send to all » reaches them.
    organiser_client.post(f"{base(event)}/envoyer-a-tous")
    assert "Paul.Martin@Example.org" in [m.to_address for m in outbox()]


def test_an_address_shared_with_another_days_programme_is_not_changed_here(
        organiser_client, team, demo):
    from journee.programme.models import Role

    event, person = team["event"], team["people"][0]
    other = demo["travail-social-2-0-etsup-2018"]
    session = other.sessions[0]
    session.participations.append(Participation(person=person, role=Role.SPEAKER,
                                                position=9))
    db.session.commit()
    response = organiser_client.post(f"{base(event)}/{person.id}/adresse",
                                     data={"email": "nouvelle@example.org",
                                           "row": f"{team['workshop'].id}-{person.id}"})
    assert response.status_code == 200
    assert "Vous ne pouvez pas changer l’adresse e-mail de cette personne" in text_of(
        response.get_data(as_text=True))
    db.session.expire_all()
    assert person.email == "benoit.cesselin@example.org"


def test_another_events_organiser_cannot_change_an_address(client, make_user, login, team,
                                                           demo):
    event, person = team["event"], team["people"][0]
    login(make_user(email="etsup@example.org",
                    events=[demo["travail-social-2-0-etsup-2018"]]))
    response = client.post(f"{base(event)}/{person.id}/adresse",
                           data={"email": "pirate@example.org"})
    assert response.status_code == 404
    db.session.expire_all()
    assert person.email == "benoit.cesselin@example.org"
