"""The ``journee`` command group (also reachable as ``flask --app journee``)."""

import secrets
import signal

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext
from flask.cli import run_command as flask_run_command
from flask.helpers import get_debug_flag
from flask_migrate import upgrade
from werkzeug.serving import is_running_from_reloader

from .extensions import db


def _create_app(*_args, **_kwargs) -> Flask:
    from . import create_app
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """Journée : organiser des journées d'étude interprofessionnelles."""


@click.command("run", params=flask_run_command.params,
               short_help="Run the development server and the periodic jobs.")
@click.pass_context
def run_command(ctx: click.Context, **options) -> None:
    """Run a local development server, with the periodic jobs (e-mails, reminders, purge) in a thread
    beside it: the embedded default. Under gunicorn, run ``journee worker`` as well."""
    from . import tasks

    app = ctx.ensure_object(ScriptInfo).load_app()
    reload = options["reload"]
    if reload is None:
        reload = get_debug_flag()
    # With the reloader, this process only watches the files; its child serves.
    runner = None
    if not reload or is_running_from_reloader():
        runner = tasks.start_in_process(app)
    try:
        ctx.invoke(flask_run_command, **options)
    finally:
        if runner is not None:
            runner.stop()


main.add_command(run_command)


def register_commands(app: Flask) -> None:
    app.cli.add_command(init_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(create_organiser_command)
    app.cli.add_command(send_mail_command)
    app.cli.add_command(assign_command)
    app.cli.add_command(purge_command)
    app.cli.add_command(tick_command)
    app.cli.add_command(worker_command)
    from .backup import backup_command
    app.cli.add_command(backup_command)


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database to the latest schema."""
    upgrade()
    click.echo(f"Base de données à jour\u202f: {db.engine.url.render_as_string(hide_password=True)}")


@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Ne rien faire si des journées existent déjà.")
@click.option("--original-dates", is_flag=True,
              help="Garder les dates de 2018 au lieu de décaler la journée IRTS-IDS.")
def demo_command(if_empty: bool, original_dates: bool) -> None:
    """Load the demo days (IRTS-IDS Normandie and ETSUP)."""
    from .demo import load_demo
    from .programme.models import Event

    if db.session.scalar(db.select(db.func.count(Event.id))):
        if if_empty:
            click.echo("Des journées existent déjà\u202f: démo non chargée.")
            return
        raise click.ClickException("La base contient déjà des journées.")
    events = load_demo(original_dates=original_dates)
    db.session.commit()
    for event in events:
        workshops = sum(len(s.workshops) for s in event.sessions)
        click.echo(f"Chargé «\u202f{event.title}\u202f»\u202f: {len(event.sessions)}\u00a0séances, "
                   f"{workshops}\u00a0ateliers.")


@click.command("create-organiser")
@with_appcontext
@click.argument("email")
@click.option("--name", default="", help="Nom affiché.")
@click.option("--admin/--no-admin", default=False,
              help="Administrateur\u202f: accès à toutes les journées et aux comptes.")
@click.option("--if-none", is_flag=True, help="Ne rien faire si un compte existe déjà.")
def create_organiser_command(email: str, name: str, admin: bool, if_none: bool) -> None:
    """Create a staff account and print its password once."""
    from .auth.models import User

    if if_none and db.session.scalar(db.select(db.func.count(User.id))):
        click.echo("Un compte organisateur existe déjà.")
        return
    email = email.strip().lower()
    if db.session.scalar(db.select(User).filter_by(email=email)):
        raise click.ClickException(f"Le compte {email} existe déjà.")
    password = secrets.token_urlsafe(12)
    # Whoever runs this command on the server allows the account to create events.
    user = User(email=email, name=name or email, is_admin=admin, may_create_events=True)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    kind = "administrateur" if admin else "organisateur"
    click.echo(f"Compte {kind} créé\u202f: {email}")
    click.echo(f"Mot de passe (affiché une seule fois)\u202f: {password}")


@click.command("send-mail")
@with_appcontext
@click.option("--limit", default=1000, show_default=True,
              help="Nombre maximal de messages à envoyer.")
def send_mail_command(limit: int) -> None:
    """Send the e-mails waiting in the outbox (failed ones are tried again)."""
    from .mail import deliver_pending, delivery_summary

    click.echo(delivery_summary(*deliver_pending(limit)))


@click.command("assign")
@with_appcontext
@click.argument("event_slug")
@click.option("--slot", "slot_id", type=int,
              help="Identifiant d’une séance d’ateliers, pour ne répartir qu’elle "
                   "(par défaut, toute la journée d’un coup).")
@click.option("--seed", type=int, help="Numéro du tirage au sort (au hasard par défaut).")
@click.option("--dry-run", is_flag=True, help="Calculer et afficher sans rien enregistrer.")
@click.option("--max-profile-share", type=click.IntRange(1, 100),
              help="Part maximale d’un même profil par atelier, en % "
                   "(sans plafond par défaut).")
@click.option("--min-group-size", type=click.IntRange(min=1), default=4, show_default=True,
              help="La part maximale d’un profil ne compte qu’à partir de ce nombre "
                   "de personnes dans l’atelier.")
@click.option("--max-per-organisation", type=click.IntRange(min=1),
              help="Nombre maximal de personnes d’une même structure par atelier.")
@click.option("--strategy", type=click.Choice(["first_choices", "leximin", "fairness"]),
              default="first_choices", show_default=True,
              help="Le plus de premiers choix\u202f; ou personne plus bas dans sa liste qu’il "
                   "n’est nécessaire (leximin)\u202f; ou une pondération des rangs (fairness).")
@click.option("--allow-free-places", is_flag=True,
              help="Donner une place hors de ses choix à qui n’en a pas dans ses choix.")
@click.option("--facilitators-take-place", is_flag=True,
              help="Les animateur·rices occupent une place de leur atelier.")
@click.option("--avoid-same-theme", is_flag=True,
              help="Ne pas donner deux fois le même thème à une personne.")
def assign_command(event_slug: str, slot_id: int | None, seed: int | None, dry_run: bool,
                   max_profile_share: int | None, min_group_size: int,
                   max_per_organisation: int | None, strategy: str, allow_free_places: bool,
                   facilitators_take_place: bool, avoid_same_theme: bool) -> None:
    """Assign the confirmed attendees of an event to its workshops, the whole day at once."""
    from .programme.models import Event
    from .workshops.report import report_text
    from .workshops.services import (
        AssignmentProblem,
        RunOptions,
        report_names,
        run_assignment,
        slot_label,
        workshop_slots,
    )

    event = db.session.scalar(db.select(Event).filter_by(slug=event_slug))
    if event is None:
        raise click.ClickException(f"Aucune journée «\u202f{event_slug}\u202f».")
    slots = [s for s in workshop_slots(event) if slot_id is None or s.id == slot_id]
    if not slots:
        raise click.ClickException("Aucune séance d’ateliers à répartir"
                                   + (f" (séance {slot_id})." if slot_id else "."))
    options = RunOptions(strategy=strategy, max_profile_share=max_profile_share,
                         min_group_size=min_group_size,
                         max_per_organisation=max_per_organisation,
                         allow_unranked=allow_free_places,
                         facilitators_take_place=facilitators_take_place,
                         avoid_same_theme=avoid_same_theme, seed=seed)
    try:
        result = run_assignment(slots, options, created_by="journee assign", dry_run=dry_run)
    except AssignmentProblem as problem:
        db.session.rollback()
        raise click.ClickException(str(problem)) from None
    labels = ", ".join(f"« {slot_label(s)} »" for s in slots)
    click.echo(f"Séance{'s' if len(slots) > 1 else ''} répartie{'s' if len(slots) > 1 else ''}"
               f"{' ensemble' if len(slots) > 1 else ''} : {labels}")
    click.echo(report_text(result.report, report_names(event), strategy))
    if dry_run:
        db.session.rollback()
        click.echo("Simulation\u202f: rien n’a été enregistré.")
    else:
        db.session.commit()
        click.echo("Répartition enregistrée (non publiée).")


@click.command("purge")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="Dire ce qui serait effacé, sans rien effacer.")
def purge_command(dry_run: bool) -> None:
    """Apply the retention rules: accommodation needs, old registrations, old e-mails, old
    log entries. Exits with 1 when something could not be purged (the rest is)."""
    from .gdpr.purge import purge
    from .util.clock import today_in

    report = purge(today_in("Europe/Paris"), dry_run=dry_run)
    for line in report.lines():
        click.echo(line)
    if dry_run:
        db.session.rollback()
        click.echo("Simulation\u202f: rien n’a été effacé.")
    else:
        db.session.commit()
    for problem in report.problems:
        click.echo(problem, err=True)
    if report.problems:
        click.get_current_context().exit(1)


@click.command("tick")
@with_appcontext
def tick_command() -> None:
    """Run once each periodic job that is due (for cron), then those new work wakes (a
    confirmation a public form left to the worker); exits with 1 if one failed."""
    from .tasks import run_due, run_woken

    outcomes = run_due()
    outcomes += run_woken()
    if not outcomes:
        click.echo("Aucune tâche périodique n’est activée.")
    for outcome in outcomes:
        click.echo(outcome.line(), err=outcome.failed)
    if any(outcome.failed for outcome in outcomes):
        click.get_current_context().exit(1)


@click.command("worker")
@with_appcontext
@click.option("--max-sleep", type=click.FloatRange(min=0.1), default=60, show_default=True,
              help="Attente maximale entre deux tours, en secondes.")
def worker_command(max_sleep: float) -> None:
    """Run the periodic jobs until SIGTERM or Ctrl+C; several workers may run at once."""
    from .tasks import Runner, duration, registered

    jobs = registered(current_app)
    if not jobs:
        raise click.ClickException("Aucune tâche périodique n’est activée.")
    click.echo("Tâches périodiques\u202f: " + " ; ".join(
        f"{job.title} (période\u202f: {duration(job.every.total_seconds())})" for job in jobs)
        + ". Arrêt par SIGTERM ou Ctrl+C.")
    runner = Runner(current_app._get_current_object(), max_sleep,
                    report=lambda outcome: click.echo(outcome.line(), err=outcome.failed))
    # The signals are taken here, in the main thread, while the rounds run in another:
    # a job under way finishes its run, then the worker stops.
    stop_signals = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    try:
        thread = runner.start()
        received = None
        while received is None and thread.is_alive():
            received = signal.sigtimedwait(stop_signals, 1)
            # A debugger or a profiler attaching (ptrace) wakes the wait with no signal.
            if received is not None and received.si_signo not in stop_signals:
                received = None
        runner.stop()
        thread.join()
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, stop_signals)
    name = signal.Signals(received.si_signo).name if received else "fin de la boucle"
    click.echo(f"Tâches périodiques arrêtées ({name}).")

