"""Staff accounts and roles per event, managed by administrators."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

from sqlalchemy import select

from journee.auth.models import User
from journee.extensions import db
from journee.mail_models import OutboxMessage
from journee.programme.models import EventMembership

from conftest import text_of


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
    text = message_from_bytes(message.message, policy=policy.default).get_body(
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
