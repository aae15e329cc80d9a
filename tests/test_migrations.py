"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from journee.extensions import db


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_init_command_upgrades_an_empty_database(app_factory, migrated_database, tmp_path):
    from sqlalchemy import inspect

    app = app_factory(SQLALCHEMY_DATABASE_URI=migrated_database.empty(tmp_path))
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert {"event", "programme_session", "workshop", "participation", "person",
            "user_account", "alembic_version"} <= tables


def test_upgrade_to_digests_keeps_the_links_already_given(app_factory, migrated_database,
                                                           tmp_path):
    """Rows written before the secret links became digests: their links keep working
    until an e-mail needs them again, then a new link replaces them; anonymised ones
    and the copies of sent messages keep no live link."""
    import email
    import email.policy
    from datetime import datetime

    from flask_migrate import upgrade
    from sqlalchemy import select, text

    from journee.demo import load_demo
    from journee.mail import build_message, deliver_pending
    from journee.registration.emails import queue_already_registered
    from journee.registration.models import Registration
    from journee.secret_links import digest

    token = "AncienJetonDInscription_0123456789abcdefghij"
    facilitator_token = "AncienJetonAnimateur-0123456789abcdefghijkl"
    app = app_factory(SQLALCHEMY_DATABASE_URI=migrated_database.empty(tmp_path))
    with app.app_context():
        upgrade(revision="b1e2b3c4d5f6")  # the revision before the digests
        event = load_demo(original_dates=True)[0]
        person_id = event.workshop_sessions[0].workshops[0].facilitators[0].person_id
        db.session.commit()
        now = datetime(2018, 2, 1, 9, 0)
        insert = text(
            "INSERT INTO registration (event_id, token, status, first_name, last_name, email,"
            " organisation, function, profile, sector, accommodation_needed, privacy_version,"
            " consent_photos, consent_future_events, source, created_at, updated_at,"
            " anonymised_at) VALUES (:event_id, :token, 'confirmed', :first, 'Martin', :email,"
            " '', '', 'student', '', false, 'v1', false, false, 'online', :now, :now,"
            " :anonymised_at)")
        db.session.execute(insert, [
            {"event_id": event.id, "token": token, "first": "Zoé",
             "email": "zoe@example.org", "now": now, "anonymised_at": None},
            {"event_id": event.id, "token": "anonyme-2", "first": "Personne", "email": None,
             "now": now, "anonymised_at": now}])
        db.session.execute(text(
            "INSERT INTO facilitator_link (event_id, person_id, token, token_digest, created_at)"
            " VALUES (:event_id, :person_id, :token, :digest, :now)"),
            {"event_id": event.id, "person_id": person_id, "token": facilitator_token,
             "digest": digest(facilitator_token), "now": now})
        body = f"Votre inscription : http://journee.test/r/{token}\n"
        message = build_message("zoe@example.org", "Votre inscription", body,
                                f'<a href="http://journee.test/r/{token}">lien</a>')
        db.session.execute(text(
            "INSERT INTO outbox_message (created_at, kind, to_address, subject, message,"
            " status, attempts) VALUES (:now, 'self_service_link', 'zoe@example.org', 'x',"
            " :message, :status, 1)"),
            [{"now": now, "message": message, "status": status}
             for status in ("sent", "pending")])
        db.session.commit()
        db.session.remove()

        upgrade()

        zoe, anonymised = db.session.scalars(select(Registration).order_by(Registration.id))
        assert (zoe.token_nonce, zoe.token_digest) == (None, digest(token))
        assert (anonymised.token_nonce, anonymised.token_digest) == (None, None)
        sent, pending = [email.message_from_bytes(data, policy=email.policy.default)
                         for data in db.session.scalars(text(
                             "SELECT message FROM outbox_message ORDER BY id"))]
        assert sent.get_body(("plain",)).get_content().strip() \
            == "Votre inscription : http://journee.test/r/…"
        assert sent.get_body(("html",)).get_content().strip() \
            == '<a href="http://journee.test/r/…">lien</a>'
        assert pending.get_body(("plain",)).get_content().strip() == body.strip()

        client = app.test_client()
        page = client.get(f"/r/{token}").get_data(as_text=True)
        assert f"/r/{token}/calendar.ics" in page  # the page links with the link it came by
        assert client.get("/r/anonyme-2").status_code == 404
        assert client.get(f"/f/{facilitator_token}").status_code == 200

        # The next e-mail that needs the link (in another request) gives a new one,
        # which replaces the old.
        zoe_id = zoe.id
        db.session.remove()
        zoe = db.session.get(Registration, zoe_id)
        queue_already_registered(zoe.event_id, zoe.email)
        # The commit sends it, with the one left pending before the upgrade.
        db.session.commit()
        assert deliver_pending() == (0, 0)
        assert zoe.token != token and zoe.token_nonce is not None
        assert client.get(f"/r/{token}").status_code == 404
        assert client.get(f"/r/{zoe.token}").status_code == 200
