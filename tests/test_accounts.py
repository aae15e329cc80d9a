"""Staff accounts and roles per event, managed by administrators."""

from __future__ import annotations

import re

from sqlalchemy import select
from support.pages import text_of
from support.registration import delivered_message

from journee.auth.models import User
from journee.extensions import db
from journee.mail_models import OutboxMessage
from journee.programme.models import Event, EventMembership


def test_only_administrators_manage_accounts(make_user, login, irts):
    client = login(make_user(events=[irts]))
    assert client.get("/admin/comptes/").status_code == 403
    assert client.post("/admin/comptes/nouveau", data={"email": "x@example.org"}
                       ).status_code == 403
    assert db.session.scalar(select(User).filter_by(email="x@example.org")) is None


def test_administrator_creates_an_account_that_chooses_its_password(app, make_user, login):
    client = login(make_user("admin@example.org", admin=True))
    response = client.post("/admin/comptes/nouveau", data={
        "email": "Benevole@Example.org", "name": "Camille Bénévole", "active": "y"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).filter_by(email="benevole@example.org"))
    assert user is not None and not user.is_admin and user.name == "Camille Bénévole"
    message = db.session.scalars(select(OutboxMessage).filter_by(kind="account_created")).one()
    text = delivered_message(message.id).get_body(
        ("plain",)).get_content()
    assert "Un compte a été créé pour vous" in text
    link = re.search(r"http://journee\.test(/connexion/nouveau-mot-de-passe/\S+)", text)[1]
    assert client.post(link, data={"password": "une longue phrase secrète",
                                   "confirm": "une longue phrase secrète"}).status_code == 302
    assert db.session.get(User, user.id).check_password("une longue phrase secrète")


def test_account_form_errors_are_french_and_keep_the_input(make_user, login):
    client = login(make_user("admin@example.org", admin=True))
    page = client.post("/admin/comptes/nouveau", data={"email": "pas-une-adresse",
                                                       "name": "Zoé <b>"})
    text = text_of(page.get_data(as_text=True))
    assert "Cette adresse e-mail n’est pas valide." in text
    assert 'value="Zoé &lt;b&gt;"' in page.get_data(as_text=True)
    duplicate = client.post("/admin/comptes/nouveau", data={"email": "admin@example.org"})
    assert "Un compte existe déjà avec cette adresse." in text_of(
        duplicate.get_data(as_text=True))


def test_reception_staff_only_reach_their_events_welcome_pages(make_user, login, irts, demo):
    etsup = demo["travail-social-2-0-etsup-2018"]
    admin = login(make_user("admin@example.org", admin=True))
    volunteer = make_user("accueil@example.org")
    response = admin.post(f"/admin/comptes/{volunteer.id}/roles",
                          data={"role-event_id": str(irts.id), "role-role": "reception"})
    assert response.status_code == 302
    membership = db.session.scalars(select(EventMembership).filter_by(
        user_id=volunteer.id)).one()
    assert (membership.event_id, membership.role) == (irts.id, "reception")

    admin.post("/deconnexion")
    client = login(volunteer)
    assert client.get(f"/admin/journees/{irts.id}/").status_code == 403
    assert client.get(f"/admin/journees/{irts.id}/inscriptions/").status_code == 403
    assert client.get(f"/admin/journees/{etsup.id}/").status_code == 404
    assert client.get("/admin/journees/nouvelle").status_code == 403
    assert client.get("/admin/personnes/").status_code == 403
    home = client.get("/admin/").get_data(as_text=True)
    assert f'href="/admin/journees/{irts.id}/accueil"' in home
    assert "Créer une journée" not in home
    assert client.get(f"/admin/journees/{irts.id}/accueil").status_code == 200


def test_an_administrator_cannot_lock_themselves_out(make_user, login):
    admin = make_user("admin@example.org", admin=True)
    client = login(admin)
    response = client.post(f"/admin/comptes/{admin.id}/", data={
        "email": "admin@example.org", "name": "", "active": "y"}, follow_redirects=True)
    assert "Vous ne pouvez pas retirer vos propres droits" in text_of(
        response.get_data(as_text=True))
    assert db.session.get(User, admin.id).is_admin


def test_removing_a_role(make_user, login, irts):
    client = login(make_user("admin@example.org", admin=True))
    organiser = make_user(events=[irts])
    membership = db.session.scalars(select(EventMembership).filter_by(
        user_id=organiser.id)).one()
    response = client.post(f"/admin/comptes/{organiser.id}/roles/{membership.id}/retirer")
    assert response.status_code == 302
    assert db.session.get(EventMembership, membership.id) is None
    other = make_user("autre@example.org", events=[irts])
    other_membership = db.session.scalars(select(EventMembership).filter_by(
        user_id=other.id)).one()
    assert client.post(f"/admin/comptes/{organiser.id}/roles/{other_membership.id}/retirer"
                       ).status_code == 404


def test_an_account_without_a_role_creates_days_only_once_allowed(make_user, login, irts):
    """A new account has no role: it sees no day, no person, and creates no day until an
    administrator ticks « Peut créer des journées »."""
    newcomer = make_user("nouvelle@example.org")
    client = login(newcomer)
    day = {"title": "Journée d’essai", "starts_on": "2026-05-01", "ends_on": "2026-05-01",
           "waitlist_enabled": "oui", "workshop_mode": "preferences",
           "workshop_choices": "3", "retention_days": "90"}
    assert client.get("/admin/journees/nouvelle").status_code == 403
    assert client.post("/admin/journees/nouvelle", data=day).status_code == 403
    assert client.get("/admin/personnes/?q=a").status_code == 403
    assert client.post("/admin/personnes/nouvelle", data={"first_name": "Léa"}
                       ).status_code == 403
    home = text_of(client.get("/admin/").get_data(as_text=True))
    assert "Créer une journée" not in home
    assert "Un·e administrateur·rice peut vous donner un rôle sur une journée" in home
    assert db.session.scalar(select(Event).filter_by(title=day["title"])) is None
    client.post("/deconnexion")

    admin = login(make_user("admin@example.org", admin=True))
    form = admin.get(f"/admin/comptes/{newcomer.id}/").get_data(as_text=True)
    assert "Peut créer des journées" in form and 'name="may_create_events"' in form
    assert admin.post(f"/admin/comptes/{newcomer.id}/", data={
        "email": newcomer.email, "name": "Nouvelle", "active": "y",
        "may_create_events": "y"}).status_code == 302
    assert db.session.get(User, newcomer.id).may_create_events
    assert "Peut créer des journées" in text_of(
        admin.get("/admin/comptes/").get_data(as_text=True))
    admin.post("/deconnexion")

    client = login(newcomer)
    assert client.post("/admin/journees/nouvelle", data=day).status_code == 302
    event = db.session.scalar(select(Event).filter_by(title=day["title"]))
    assert [m.user_id for m in event.memberships] == [newcomer.id]
    # The demo days' people stay out of reach: the account organises none of them.
    assert "0 personne pour « a »" in text_of(
        client.get("/admin/personnes/?q=a").get_data(as_text=True))


def test_an_administrator_creates_an_account_allowed_to_create_days(make_user, login):
    client = login(make_user("admin@example.org", admin=True))
    # Without a « name » field at all, as a hand-made request would send it.
    assert client.post("/admin/comptes/nouveau", data={
        "email": "orga@example.org", "active": "y", "may_create_events": "y"}
    ).status_code == 302
    assert client.post("/admin/comptes/nouveau", data={
        "email": "accueil@example.org", "active": "y"}).status_code == 302
    allowed = {user.email: user.may_create_events for user in db.session.scalars(
        select(User).where(User.email != "admin@example.org"))}
    assert allowed == {"orga@example.org": True, "accueil@example.org": False}
