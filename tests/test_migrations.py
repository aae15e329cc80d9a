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
