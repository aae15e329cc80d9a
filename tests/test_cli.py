import re

from journee.auth.models import User
from journee.extensions import db
from journee.programme.models import Event


def test_demo_command_loads_once(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "11\u00a0séances, 6\u00a0ateliers" in result.output
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 2
    again = runner.invoke(args=["demo", "--if-empty"])
    assert again.exit_code == 0 and "démo non chargée" in again.output
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 2
    refused = runner.invoke(args=["demo"])
    assert refused.exit_code != 0


def test_create_organiser_prints_a_password_that_works(runner):
    result = runner.invoke(args=["create-organiser", "Claire@Exemple.fr", "--admin"])
    assert result.exit_code == 0, result.output
    password = re.search(r"Mot de passe \(affiché une seule fois\)\s:\s(\S+)", result.output)[1]
    user = db.session.scalar(db.select(User))
    assert user.email == "claire@exemple.fr" and user.is_admin
    assert user.check_password(password) and not user.check_password("autre")
    assert user.password_hash.startswith("scrypt:")
    skipped = runner.invoke(args=["create-organiser", "autre@exemple.fr", "--if-none"])
    assert "existe déjà" in skipped.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    duplicate = runner.invoke(args=["create-organiser", "claire@exemple.fr"])
    assert duplicate.exit_code != 0


def test_login_with_the_printed_password(runner, client):
    result = runner.invoke(args=["create-organiser", "orga@exemple.fr"])
    password = re.search(r"une seule fois\)\s:\s(\S+)", result.output)[1]
    # Whoever runs the command on the server lets the account create its days.
    assert db.session.scalar(db.select(User).filter_by(email="orga@exemple.fr")) \
        .may_create_events
    bad = client.post("/connexion", data={"email": "orga@exemple.fr", "password": "faux"})
    assert bad.status_code == 401
    assert "Adresse e-mail ou mot de passe incorrect" in bad.get_data(as_text=True)
    good = client.post("/connexion?next=https://evil.example/",
                       data={"email": "orga@exemple.fr", "password": password})
    assert good.status_code == 302 and good.headers["Location"] == "/admin/"
    assert client.get("/admin/journees/nouvelle").status_code == 200
