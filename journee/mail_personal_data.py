"""The outbox's personal data: who was written to, about what, and the messages' text,
in the rows and in the file backend's ``.eml`` files (see :mod:`journee.data_owners`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import and_, delete, event, func, or_, select, update

from .data_owners import DataOwner, Erasure, PurgeRun, iso, register
from .database import rowcount
from .extensions import db
from .mail import delete_files, delete_old_files
from .mail_models import OutboxMessage, OutboxStatus

#: Where a transaction keeps the ids of the deleted messages whose files go once it
#: is committed (``Session.info``).
FILES_AFTER_COMMIT = "journee.mail_files_after_commit"
#: Where an event's purge sets aside the ids of the messages it deleted.
FILES_SET_ASIDE = "mail_files"


def delete_messages(*where) -> list[int]:
    """Delete the outbox rows matching *where*; return their ids, for their files."""
    message_ids = list(db.session.scalars(select(OutboxMessage.id).where(*where)))
    db.session.execute(delete(OutboxMessage).where(*where)
                       .execution_options(synchronize_session=False))
    return message_ids


def purge_messages(run: PurgeRun, *where) -> None:
    """Delete an event's messages matching *where* in a retention purge: counted, their
    files deleted by the purge's last step if the event's purge is kept."""
    message_ids = delete_messages(*where)
    run.report.add("messages_deleted", len(message_ids))
    run.report.put_aside(FILES_SET_ASIDE, message_ids)


def delete_files_after_commit(message_ids: list[int]) -> None:
    """Delete these messages' files once the transaction is committed, not before: a
    rollback must not leave rows whose files are gone."""
    db.session.info.setdefault(FILES_AFTER_COMMIT, []).extend(message_ids)


def _delete_files_now(session) -> None:
    message_ids = session.info.pop(FILES_AFTER_COMMIT, None)
    if not message_ids:
        return
    try:
        delete_files(message_ids)
    except OSError:
        # The rows are gone and the answer is on its way: the files will go with
        # MAIL_FILE_RETENTION_DAYS, and someone should look at the directory.
        current_app.logger.exception("Fichiers .eml non supprimés après l’effacement.")


def _forget_files(session, transaction) -> None:
    if transaction.parent is None:  # rolled back, or already handled by the commit
        session.info.pop(FILES_AFTER_COMMIT, None)


class MailData(DataOwner):
    """The outbox: each message's recipient, subject, text and error, and its file.

    Exported with the registration they are about; erased with it, with the messages
    sent to the person's address about no registration; deleted with the event's
    registrations, and on their own after ``MAIL_LOG_RETENTION_DAYS`` when they are
    about no registration; their text goes after ``MAIL_BODY_RETENTION_DAYS``, their
    files after ``MAIL_FILE_RETENTION_DAYS``.
    """

    name = "mail"
    columns = tuple(f"outbox_message.{column}"
                    for column in ("to_address", "subject", "message", "last_error"))
    depends_on = ("registration",)
    purge_counts = (
        ("messages_deleted", "E-mails supprimés de la file d’envoi"),
        ("message_bodies_dropped", "Textes d’e-mails déjà envoyés effacés"),
        ("other_messages_deleted", "E-mails sans inscription supprimés"),
        ("mail_files_deleted", "Fichiers .eml supprimés"),
    )

    def export(self, registration) -> dict:
        messages = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.registration_id == registration.id).order_by(OutboxMessage.id))
        return {"e_mails": [
            {"objet": m.subject, "type": m.kind, "a": m.to_address,
             "cree_le": iso(m.created_at), "envoye_le": iso(m.sent_at),
             "etat": m.status.value} for m in messages]}

    def erase(self, erasure: Erasure) -> None:
        conditions = [OutboxMessage.registration_id.in_([r.id for r in erasure.subjects])]
        addresses = {r.email for r in erasure.subjects if r.email}
        if addresses:
            # Messages about the registration sent without a link to it (e.g. a resent
            # self-service link); pending messages of other kinds are left to be sent.
            conditions.append(and_(OutboxMessage.to_address.in_(addresses),
                                   OutboxMessage.status != OutboxStatus.PENDING,
                                   OutboxMessage.registration_id.is_(None)))
        message_ids = delete_messages(or_(*conditions))
        erasure.messages = len(message_ids)
        delete_files_after_commit(message_ids)

    def purge(self, run: PurgeRun) -> None:
        run.report.add("message_bodies_dropped", _drop_message_bodies(run.now))
        other = _delete_other_messages(run.now)
        run.report.add("other_messages_deleted", len(other))
        deleted = run.report.set_aside.get(FILES_SET_ASIDE, []) + other
        if not run.dry_run and deleted:
            run.report.add("mail_files_deleted", _attempt(run, delete_files, deleted))
        days = current_app.config["MAIL_FILE_RETENTION_DAYS"]
        run.report.add("mail_files_deleted", _attempt(
            run, delete_old_files, run.now - timedelta(days=days), dry_run=run.dry_run))


def _attempt(run: PurgeRun, remove, *args, **kwargs) -> int:
    """Delete files with *remove*; an error is the purge's problem, not its failure."""
    try:
        return remove(*args, **kwargs)
    except OSError as error:
        run.report.problems.append(f"Fichiers .eml non supprimés\u202f: {error}")
        return 0


def _drop_message_bodies(now: datetime) -> int:
    """Sent messages keep what the lists show (kind, recipient, subject, state, dates),
    not their text: a copy of the person's data and of their secret link."""
    before = now - timedelta(days=current_app.config["MAIL_BODY_RETENTION_DAYS"])
    return rowcount(db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status != OutboxStatus.PENDING,
               OutboxMessage.message.is_not(None),
               func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at) < before)
        .values(message=None)
        .execution_options(synchronize_session=False)))


def _delete_other_messages(now: datetime) -> list[int]:
    """Delete the messages of no registration sent (or queued) a while ago; return their
    ids. Their recipient and subject are personal data too, kept by no registration's
    retention period."""
    before = now - timedelta(days=current_app.config["MAIL_LOG_RETENTION_DAYS"])
    return delete_messages(
        OutboxMessage.registration_id.is_(None),
        func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at) < before)


def init_app(app: Flask) -> None:
    register(app, MailData())
    if not event.contains(db.session, "after_commit", _delete_files_now):
        event.listen(db.session, "after_commit", _delete_files_now)
        event.listen(db.session, "after_transaction_end", _forget_files)
