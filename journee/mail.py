"""E-mail through an outbox: a message is stored with the change that causes it, then sent.

:func:`queue_email` adds the complete MIME message to the session, so the registration and
its confirmation are committed together or not at all. :func:`deliver_pending` sends what
is waiting, after the commit (for the public forms, by the periodic jobs' runner, woken
or looking for new messages, see :func:`leave_to_worker`); a failed send is recorded on the message and retried later,
by the next call: right after the next commit that queues a message (see
:func:`init_app`: no caller asks for it), by the periodic job :func:`deliver_outbox` (see
:mod:`journee.tasks`), or by ``journee send-mail``.

A message that cannot be written (a template, its calendar, a header that refuses its
value) is marked ``failed`` with the reason, once: it never holds back the others.

Backends, chosen by ``MAIL_BACKEND``: ``file`` (default) writes each message as an
``.eml`` file in ``MAIL_FILE_DIR``, readable by its owner only; ``smtp`` sends through
``MAIL_SMTP_HOST``.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta, timezone
from email import contentmanager, message_from_bytes
from email.encoders import encode_base64, encode_quopri
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.policy import compat32 as COMPAT32
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

from blinker import Namespace
from flask import Flask, current_app, has_app_context
from sqlalchemy import event, insert, or_, select, tuple_, update
from sqlalchemy.exc import SQLAlchemyError

from . import mail_mime, tasks
from .extensions import db
from .mail_mime import Attachment, folded_subject
from .mail_mime import quoted_printable as _quoted_printable
from .mail_models import OutboxMessage, OutboxStatus
from .secret_links import mask_secret_links
from .typography import one_line
from .util.clock import utcnow

COMPAT32_SMTP = COMPAT32.clone(linesep="\r\n")


def build_message(to_address: str, subject: str, text_body: str,
                  html_body: str | None = None, attachments: Iterable[Attachment] = (), *,
                  reply_to: str | None = None, headers: dict[str, str] | None = None) -> bytes:
    """The complete MIME message, as sent.

    :param reply_to: where answers go, since ``MAIL_FROM`` is usually a no-reply address.
    :param headers: more headers, e.g. ``List-Unsubscribe``.
    """
    return _write(to_address, subject, text_body, html_body, tuple(attachments),
                  reply_to=reply_to, headers=headers)[0]


def build_message_and_copy(to_address: str, subject: str, text_body: str,
                           html_body: str | None = None,
                           attachments: Iterable[Attachment] = (), *,
                           reply_to: str | None = None) -> tuple[bytes, bytes]:
    """The message as sent, and the copy kept once it is sent, its secret links masked
    (what :func:`masked_links` gives), made from the bodies rather than by parsing the
    message again."""
    attachments = tuple(attachments)
    raw, payloads = _write(to_address, subject, text_body, html_body, attachments,
                           reply_to=reply_to)
    if any(attachment.mimetype.startswith("text/") and _has_secret_link(attachment.content)
           for attachment in attachments):
        return raw, masked_links(raw)
    masked = {"plain": mask_secret_links(text_body),
              "html": None if html_body is None else mask_secret_links(html_body)}
    copy = raw
    for subtype, payload in payloads.items():
        body = masked[subtype]
        if body in (text_body, html_body):
            continue
        # Only the body changes: swapped in the bytes, as the generator wrote it, rather
        # than writing the whole message (and folding its headers) again.
        written, wanted = _as_written(payload), _as_written(_quoted_printable(body))
        if copy.count(written) != 1:
            return raw, masked_links(raw)
        copy = copy.replace(written, wanted)
    return raw, copy


def _write(to_address: str, subject: str, text_body: str, html_body: str | None,
           attachments: tuple[Attachment, ...], *, reply_to: str | None,
           headers: dict[str, str] | None = None) -> mail_mime.Written:
    """The message, written directly (:func:`mail_mime.write`) or, when it is unusual,
    by the ``email`` package (:func:`_mime`), with the quoted-printable payloads of its
    bodies."""
    # A line break in a title must not break the header (nor be refused by it).
    subject = one_line(subject)
    sender = current_app.config["MAIL_FROM"]
    date = format_datetime(datetime.now(timezone.utc))
    message_id = make_msgid(domain=_domain_of(sender))
    images = _inline_images(html_body) if html_body is not None else []
    written = mail_mime.write(
        sender=sender, to_address=to_address, subject=subject, reply_to=reply_to,
        date=date, message_id=message_id, headers=headers, text_body=text_body,
        html_body=html_body, images=images, attachments=attachments)
    if written is not None:
        return written
    message = _mime(sender, to_address, subject, text_body, html_body, images, attachments,
                    reply_to=reply_to, date=date, message_id=message_id, headers=headers)
    return message.as_bytes(policy=SMTP_POLICY), {
        part.get_content_subtype(): part.get_payload() for part in message.walk()
        if part.get_content_maintype() == "text" and not part.is_attachment()}


def _as_written(payload: str) -> bytes:
    return payload.replace("\n", "\r\n").encode("ascii")


def _has_secret_link(content: bytes) -> bool:
    text = content.decode("utf-8", "replace")
    return mask_secret_links(text) != text


def _set_text(message: EmailMessage, text: str, subtype: str = "plain",
              charset: str = "utf-8", cte: str | None = None, disposition=None,
              filename=None, cid=None, params=None, headers=None) -> None:
    """``email``'s ``set_text_content`` (with its steps before and after), the body in
    quoted-printable by :func:`_quoted_printable`."""
    if cte != "quoted-printable" or charset != "utf-8":
        contentmanager.set_text_content(message, text, subtype, charset, cte, disposition,
                                        filename, cid, params, headers)
        return
    contentmanager._prepare_set(message, "text", subtype, headers)
    message.set_payload(_quoted_printable(text))
    message.set_param("charset", "utf-8", replace=True)
    message["Content-Transfer-Encoding"] = "quoted-printable"
    contentmanager._finalize_set(message, disposition, filename, cid, params)


_QUICK_TEXT = contentmanager.ContentManager()
"""``email``'s own content manager, but for text in quoted-printable (see _set_text)."""
for _kind, _setter in contentmanager.raw_data_manager.set_handlers.items():
    _QUICK_TEXT.add_set_handler(_kind, _setter)
_QUICK_TEXT.add_set_handler(str, _set_text)


def _mime(sender: str, to_address: str, subject: str, text_body: str, html_body: str | None,
          images: list[tuple[str, bytes]], attachments: Iterable[Attachment], *,
          reply_to: str | None, date: str, message_id: str,
          headers: dict[str, str] | None = None) -> EmailMessage:
    """The message built by the ``email`` package: what :func:`mail_mime.write` does not
    write."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to_address
    message["Subject"] = subject if subject.isascii() else _Subject(subject)
    if reply_to:
        message["Reply-To"] = reply_to
    message["Date"] = date
    message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    # Quoted-printable keeps the bodies 7-bit, which every relay accepts, and the .eml
    # files readable.
    message.set_content(text_body, cte="quoted-printable", content_manager=_QUICK_TEXT)
    if html_body is not None:
        message.add_alternative(html_body, subtype="html", cte="quoted-printable",
                                content_manager=_QUICK_TEXT)
        html_part = message.get_payload()[1]
        for cid, data in images:
            html_part.add_related(data, maintype="image", subtype="png", cid=f"<{cid}>",
                                  disposition="inline")
    for attachment in attachments:
        maintype, subtype = attachment.mimetype.split("/", 1)
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype,
                               filename=attachment.filename, params=attachment.params or {})
    return message


InlineImage = Callable[[], "bytes | None"]


def register_inline_image(app: Flask, cid: str, image: InlineImage) -> None:
    """Let HTML bodies show ``<img src="cid:{cid}">``: ``image()`` gives the PNG, or
    ``None`` to add nothing. The image travels in the message (multipart/related), so
    mail clients that block remote images still show it."""
    app.extensions.setdefault("journee_inline_images", {})[cid] = image


def _inline_images(html_body: str) -> list[tuple[str, bytes]]:
    """``(content id, PNG)`` of each registered image that *html_body* shows."""
    shown = []
    for cid, image in current_app.extensions.get("journee_inline_images", {}).items():
        if f"cid:{cid}" in html_body:
            data = image()
            if data:
                shown.append((cid, data))
    return shown


def queue_email(kind: str, to_address: str, subject: str, text_body: str,
                html_body: str | None = None, attachments: Iterable[Attachment] = (),
                registration_id: int | None = None, *,
                reply_to: str | None = None) -> OutboxMessage:
    """Build a message and add it to the outbox; the caller commits, which delivers it.

    :param kind: what the message is for (``confirmation``, ``promotion``…), for the
        back office.
    """
    subject = one_line(subject)
    try:
        message = build_message(to_address, subject, text_body, html_body, attachments,
                                reply_to=reply_to)
    except Exception as error:
        return queue_failed(kind, to_address, subject, error, registration_id)
    outbox = OutboxMessage(
        kind=kind, to_address=to_address, subject=subject[:300], status=OutboxStatus.PENDING,
        attempts=0, registration_id=registration_id, message=message)
    db.session.add(outbox)
    return outbox


def queue_failed(kind: str, to_address: str, subject: str, error: Exception,
                 registration_id: int | None = None) -> OutboxMessage:
    """Record a message that could not be written, so that the change causing it is
    still saved and the organiser sees what went wrong; errors of the database or the
    system are raised again, since the request can be tried again."""
    if _is_transient(error):
        raise error
    current_app.logger.error("E-mail %s impossible à écrire.", kind, exc_info=error)
    outbox = OutboxMessage(
        kind=kind, to_address=to_address[:254], subject=one_line(subject)[:300],
        status=OutboxStatus.FAILED, attempts=0, registration_id=registration_id,
        last_error=_reason(error))
    db.session.add(outbox)
    return outbox


def _is_transient(error: Exception) -> bool:
    """A busy database, a full disk: worth trying again, unlike a broken message."""
    return isinstance(error, (SQLAlchemyError, OSError))


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def masked_links(raw: bytes) -> bytes:
    """The message with the secret links of its text parts masked (``/r/…``), for the
    copy kept once it is sent: the outbox must not hold what opens a registration.

    Read and written again with the ``compat32`` policy, which keeps the headers as they
    were written, five times quicker than the modern policy's parsing of each header
    (every confirmation goes through here, in the request that registers).
    """
    message = message_from_bytes(raw, policy=COMPAT32)
    changed = False
    for part in message.walk():
        if part.get_content_maintype() != "text":
            continue
        charset = part.get_content_charset() or "utf-8"
        data = part.get_payload(decode=True)
        try:
            text = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            charset, text = "utf-8", data.decode("utf-8", "replace")
        masked = mask_secret_links(text)
        if masked == text:
            continue
        if charset.lower() in ("us-ascii", "ascii"):
            charset = "utf-8"  # for « … »
        part.set_param("charset", charset)
        encoding = part.get("Content-Transfer-Encoding", "").lower()
        del part["Content-Transfer-Encoding"]
        part.set_payload(masked.encode(charset))
        (encode_base64 if encoding == "base64" else encode_quopri)(part)
        changed = True
    return message.as_bytes(policy=COMPAT32_SMTP) if changed else raw


class NothingToSend(Exception):
    """Raised by a composer when the message has lost its purpose (e.g. cancelled)."""


Composer = Callable[[OutboxMessage], None]
"""How to write one kind of message queued with :func:`queue_to_compose`: it fills
``message`` and ``subject`` of the outbox row it is given."""

COMPOSERS = "journee.mail_composers"
"""The key of the composers in ``app.extensions``: kind → :data:`Composer`."""


Preparer = Callable[[list[OutboxMessage]], object]
"""Loads at once what several messages of a kind will need; what it returns is held for
the delivery round (the session keeps its objects only while something refers to them)."""

PREPARERS = "journee.mail_preparers"


def register_composer(app: Flask, kind: str, composer: Composer,
                      prepare: Preparer | None = None) -> None:
    """Say how to write the messages of *kind*; called by each package's ``init_app``.

    :param prepare: called with each claimed batch's messages of *kind* still to write,
        before the first is written: one query for the batch rather than a few for each
        message (a rush's confirmations come ten to a batch).
    """
    composers = app.extensions.setdefault(COMPOSERS, {})
    if kind in composers:
        raise ValueError(f"composer for {kind!r} registered twice")
    composers[kind] = composer
    if prepare is not None:
        app.extensions.setdefault(PREPARERS, {})[kind] = prepare


def composer_for(kind: str) -> Composer | None:
    return current_app.extensions.get(COMPOSERS, {}).get(kind)


def queue_to_compose(kind: str, to_address: str, registration_id: int | None) -> OutboxMessage:
    """Queue a message that the sender will write, not the request.

    Used where a request must stay short (the public registration under a rush): the row
    is written in the caller's transaction, so the e-mail is as durable as the change
    that causes it, while rendering its templates and calendar happens at delivery.
    """
    if composer_for(kind) is None:
        raise ValueError(f"no composer for {kind!r}")
    outbox = OutboxMessage(kind=kind, to_address=to_address, subject="", message=None,
                           status=OutboxStatus.PENDING, attempts=0,
                           registration_id=registration_id)
    db.session.add(outbox)
    return outbox


def queue_many_to_compose(kind: str, recipients: Iterable[tuple[str, int | None]], *,
                          per_minute: int | None = None, mailing_id: int | None = None) -> int:
    """Queue one message of *kind* to each ``(address, registration id)``, for the
    sender to write, in one statement; return how many.

    :param per_minute: the pace: the n-th message is not sent before n / *per_minute*
        minutes from now (see ``OutboxMessage.not_before``); ``None``: all at once.
    """
    if composer_for(kind) is None:
        raise ValueError(f"no composer for {kind!r}")
    now = utcnow()
    rows = [{"kind": kind, "to_address": address, "subject": "", "message": None,
             "status": OutboxStatus.PENDING, "attempts": 0, "created_at": now,
             "registration_id": registration_id, "mailing_id": mailing_id,
             "not_before": (now + timedelta(minutes=index / per_minute)
                            if per_minute else None)}
            for index, (address, registration_id) in enumerate(recipients)]
    if rows:
        # Core's executemany: the ORM's bulk insert costs as much again for these rows.
        db.session.execute(insert(OutboxMessage.__table__), rows)
        # Not in ``session.new``: counted here, so that the commit wakes the sender.
        db.session.info[_QUEUED] = db.session.info.get(_QUEUED, 0) + len(rows)
    return len(rows)


class _Subject(str):
    """A subject folded by the legacy :class:`email.header.Header`.

    The folding of ``email.policy.default`` on Python 3.11 can drop the space between
    two encoded words (« à l'épreuve » arrives as « àl'épreuve »); ``Header`` encodes
    the spaces inside the words. The message takes any value with a ``name`` and a
    ``fold`` method as a ready-made header.
    """

    name = "Subject"

    def fold(self, *, policy) -> str:
        return folded_subject(str(self), policy.linesep)


_round: ContextVar[dict | None] = ContextVar("journee_mail_round", default=None)


def shared_in_round(key, make: Callable):
    """``make()``, once per delivery round for each *key*.

    What many messages of a round have in common (an event's programme, its calendar)
    is loaded and drawn once: after a rush, a round writes hundreds of confirmations of
    the same day. Outside a round, ``make()`` is called every time.
    """
    memo = _round.get()
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    return memo[key]


@contextmanager
def sharing_round() -> Iterator[None]:
    """Share what :func:`shared_in_round` makes among the messages queued inside, as a
    delivery round does: a job queueing one reminder per person of a day draws each
    calendar once, not once per person."""
    if _round.get() is not None:
        yield
        return
    memo = _round.set({})
    try:
        yield
    finally:
        _round.reset(memo)


# One delivery at a time in a process: the periodic jobs' thread and a request finishing
# a registration must not pick the same message. Across processes (the CLI next to the
# running app) the claim in _claim keeps two deliverers from sending the same attempt.
_delivery_lock = threading.Lock()


def deliver_pending(limit: int = 100) -> tuple[int, int]:
    """Send up to *limit* waiting messages; return how many were sent and how many failed.

    A failure is recorded on its message (``attempts``, ``last_error``) and never raised:
    a message that could not be sent stays pending for the next call, one that could not
    be written is marked failed. Messages never tried go first, so that one undeliverable
    address cannot hold back new confirmations. Commits the session.
    """
    with _delivery_lock:
        waiting = db.session.execute(
            select(OutboxMessage.id, OutboxMessage.attempts)
            .where(OutboxMessage.status == OutboxStatus.PENDING, _unclaimed(utcnow()),
                   _due(utcnow()))
            .order_by(OutboxMessage.attempts, OutboxMessage.id).limit(limit)).all()
        if not waiting:
            return 0, 0
        sent = failed = 0
        backend, error = None, None
        try:
            backend = _open_backend(current_app.config)
        except Exception as connect_error:  # refused, timed out, bad credentials…
            error = connect_error
        # What the round shares stays loaded through the commit after each message.
        session = db.session()
        expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
        memo = _round.set({})
        try:
            for message in _claimed(waiting):
                compose_error = _compose(message)
                if isinstance(compose_error, SQLAlchemyError):
                    db.session.rollback()
                message.claimed_until = None  # released by the commit that ends its turn
                if isinstance(compose_error, NothingToSend):
                    message.status = OutboxStatus.SKIPPED
                    message.last_error = str(compose_error)
                    db.session.commit()
                    continue
                if compose_error is not None:
                    if not _is_transient(compose_error):
                        message.status = OutboxStatus.FAILED
                    message.last_error = _reason(compose_error)
                    failed += 1
                    db.session.commit()
                    continue
                if backend is not None:
                    error = _send(backend, message)
                if error is None:
                    message.status = OutboxStatus.SENT
                    message.sent_at = utcnow()
                    message.last_error = None
                    message.message = _copy_to_keep(message)
                    sent += 1
                else:
                    message.last_error = _reason(error)
                    failed += 1
                db.session.commit()
        finally:
            _round.reset(memo)
            session.expire_on_commit = expire_on_commit
            if backend is not None:
                backend.close()
        return sent, failed


def keep_copy(outbox: OutboxMessage, message: bytes, copy: bytes) -> None:
    """Give the row its *message*, and the *copy* to keep once it is sent (see
    :func:`build_message_and_copy`), so that the sender need not mask the message."""
    outbox.message = message
    outbox.kept_copy = (message, copy)


def _copy_to_keep(message: OutboxMessage) -> bytes | None:
    """The sent message with its links masked, or no copy at all: an error here must not
    leave a sent message pending, to be sent again."""
    kept = message.kept_copy
    if kept is not None and kept[0] is message.message:
        return kept[1]
    try:
        return masked_links(message.message)
    except Exception:
        current_app.logger.exception("Liens de l’e-mail %s impossibles à masquer : sa copie "
                                     "n’est pas gardée.", message.id)
        return None


def _compose(message: OutboxMessage) -> Exception | None:
    """Write a message queued with :func:`queue_to_compose`, once; return what stopped it."""
    if message.message is not None:
        return None
    try:
        composer = composer_for(message.kind)
        if composer is None:
            raise LookupError(f"no composer for {message.kind!r}")
        composer(message)
    except NothingToSend as reason:
        return reason
    except Exception as error:
        current_app.logger.exception("Rédaction de l’e-mail %s impossible.", message.id)
        return error
    return None


CLAIM = timedelta(minutes=10)
"""How long a deliverer may take to write and send one message before another one takes
it for dead (an SMTP exchange gives up after ``MAIL_SMTP_TIMEOUT``, 10 s by default)."""


def _due(now: datetime):
    """Messages held back to keep a pace (see ``OutboxMessage.not_before``) wait."""
    return or_(OutboxMessage.not_before.is_(None), OutboxMessage.not_before <= now)


def _unclaimed(now: datetime):
    return or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)


CLAIM_BATCH = 10
"""Messages held by one statement: one commit for ten, not one each (under a rush the
claim's commit was a good part of a message's cost, and on PostgreSQL its wait for the
disk). Ten SMTP exchanges that each give up after ``MAIL_SMTP_TIMEOUT`` stay well
within :data:`CLAIM`; a deliverer that dies holds at most ten messages until then."""


def _claimed(waiting: list) -> Iterator[OutboxMessage]:
    """The messages of *waiting* (``(id, attempts)`` rows) that this deliverer holds,
    claimed :data:`CLAIM_BATCH` at a time, in order."""
    for start in range(0, len(waiting), CLAIM_BATCH):
        batch = _claim(waiting[start:start + CLAIM_BATCH])
        _prepare(batch)
        yield from batch


def _prepare(batch: list[OutboxMessage]) -> None:
    """Run the preparers of the batch's kinds (see :func:`register_composer`) and hold
    what they load until the end of the round."""
    preparers = current_app.extensions.get(PREPARERS, {})
    to_write: dict[str, list[OutboxMessage]] = {}
    for message in batch:
        if message.message is None and message.kind in preparers:
            to_write.setdefault(message.kind, []).append(message)
    held = shared_in_round("prepared", list)
    for kind, messages in to_write.items():
        try:
            held.append(preparers[kind](messages))
        except SQLAlchemyError:
            # Each message's composer then loads what it needs, and reports the error.
            db.session.rollback()
            current_app.logger.exception("Préparation des e-mails « %s » impossible.", kind)


def _claim(batch: list) -> list[OutboxMessage]:
    """Count the attempt and hold each message before writing and sending it, in one
    committed conditional UPDATE: a second deliverer that saw the same row finds its
    count changed, and one that lists the pending messages later finds it held, until
    the first one is done with it or :data:`CLAIM` has passed."""
    now = utcnow()
    pairs = [(message_id, attempts) for message_id, attempts in batch]
    claimed = set(db.session.scalars(
        update(OutboxMessage)
        .where(tuple_(OutboxMessage.id, OutboxMessage.attempts).in_(pairs),
               OutboxMessage.status == OutboxStatus.PENDING, _unclaimed(now))
        .values(attempts=OutboxMessage.attempts + 1, claimed_until=now + CLAIM)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)).all())
    db.session.commit()
    if not claimed:
        return []
    messages = {message.id: message for message in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(claimed))
        .execution_options(populate_existing=True))}
    return [messages[message_id] for message_id, _ in pairs if message_id in messages]


def _send(backend: FileBackend | SMTPBackend, message: OutboxMessage) -> Exception | None:
    try:
        backend.send(message)
    except Exception as error:  # refused recipient, lost connection, full disk…
        return error
    return None


def _domain_of(address: str) -> str:
    return parseaddr(address)[1].rpartition("@")[2] or "journee.local"


class FileBackend:
    """Write each message as ``<date>-<outbox id>.eml``, readable by its owner only: the
    default, for a test, a demo or a machine without SMTP (the folder is then the
    mailbox, emptied by the retention purge, see :func:`delete_old_files`)."""

    def __init__(self, directory: str | os.PathLike) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)

    def send(self, message: OutboxMessage) -> None:
        path = self.directory / f"{message.created_at:%Y%m%d-%H%M%S}-{message.id:06d}.eml"
        partial = path.with_suffix(".eml.part")
        partial.unlink(missing_ok=True)  # left by a crash, maybe with looser rights
        # Created with its final rights, so no other account can open it even briefly.
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600),
                       "wb") as file:
            file.write(message.message)
        # A reader of the folder never sees half a message.
        partial.replace(path)

    def close(self) -> None:
        pass


def _written_files(directory: Path):
    """The ``.eml`` files of the file backend (and halves left by a crash) with the
    outbox id each was written for."""
    if not directory.is_dir():
        return
    for path in directory.iterdir():
        if path.name.endswith((".eml", ".eml.part")):
            number = path.name.split(".", 1)[0].rpartition("-")[2]
            yield path, int(number) if number.isdigit() else None


def delete_files(message_ids: Iterable[int]) -> int:
    """Delete the ``.eml`` files written for these outbox messages; return how many."""
    wanted = set(message_ids)
    deleted = 0
    if wanted:
        for path, message_id in _written_files(Path(current_app.config["MAIL_FILE_DIR"])):
            if message_id in wanted:
                path.unlink(missing_ok=True)
                deleted += 1
    return deleted


def delete_old_files(before: datetime, dry_run: bool = False) -> int:
    """Delete the ``.eml`` files written before *before* (naive UTC); return how many."""
    limit = before.replace(tzinfo=timezone.utc).timestamp()
    deleted = 0
    for path, _ in _written_files(Path(current_app.config["MAIL_FILE_DIR"])):
        try:
            old = path.stat().st_mtime < limit
        except FileNotFoundError:  # deleted meanwhile by another purge
            continue
        if old:
            if not dry_run:
                path.unlink(missing_ok=True)
            deleted += 1
    return deleted


class SMTPBackend:
    """One SMTP connection for a batch of messages."""

    def __init__(self, config) -> None:
        host, port, timeout = (config["MAIL_SMTP_HOST"], config["MAIL_SMTP_PORT"],
                               config["MAIL_SMTP_TIMEOUT"])
        self.sender = parseaddr(config["MAIL_FROM"])[1]
        if config["MAIL_SMTP_SSL"]:
            self.connection = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                               context=ssl.create_default_context())
        else:
            self.connection = smtplib.SMTP(host, port, timeout=timeout)
        try:
            if config["MAIL_SMTP_STARTTLS"]:
                self.connection.starttls(context=ssl.create_default_context())
            if config["MAIL_SMTP_USERNAME"]:
                # JOURNEE_* values are read as JSON: a numeric password arrives as int.
                self.connection.login(str(config["MAIL_SMTP_USERNAME"]),
                                      str(config["MAIL_SMTP_PASSWORD"] or ""))
        except Exception:
            self.close()
            raise

    def send(self, message: OutboxMessage) -> None:
        self.connection.sendmail(self.sender, [message.to_address], message.message)

    def close(self) -> None:
        try:
            self.connection.quit()
        except (smtplib.SMTPException, OSError):
            self.connection.close()


def _open_backend(config) -> FileBackend | SMTPBackend:
    backend = config["MAIL_BACKEND"]
    if backend == "file":
        return FileBackend(config["MAIL_FILE_DIR"])
    if backend == "smtp":
        return SMTPBackend(config)
    raise ValueError(f"MAIL_BACKEND inconnu\u202f: {backend!r} (file ou smtp).")


OUTBOX_JOB = "outbox"


def deliver_outbox() -> str:
    """The periodic job: send what is waiting, retries included (:func:`deliver_pending`
    holds each message with its own claim, so runners never send one twice)."""
    return delivery_summary(*deliver_pending(1000))


def _new_messages() -> bool:
    """Whether a message never tried is waiting: one a request left to the worker.

    Messages that failed wait for the period; so does all when ``MAIL_DELIVER_AFTER_COMMIT``
    is off.
    """
    if not current_app.config["MAIL_DELIVER_AFTER_COMMIT"]:
        return False
    now = utcnow()
    return db.session.execute(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.attempts == 0,
               _unclaimed(now), _due(now)).limit(1)).first() is not None


def delivery_summary(sent: int, failed: int) -> str:
    # French keeps 0 and 1 singular: « 0 message envoyé », « 2 messages envoyés ».
    s = "s" if sent > 1 else ""
    return f"{sent} message{s} envoyé{s}, {failed} en échec."


# Delivery after the commit ---------------------------------------------------------------
#
# Whoever commits a transaction that queued messages has them sent: a view, a CLI command,
# a test. The session notes the messages queued as they are flushed, forgets them if the
# transaction is rolled back, and once it is committed wakes this process's runner of
# periodic jobs (``journee run``); with none to wake, a request that said
# :func:`leave_to_worker` leaves them to the worker's look for new messages (``journee
# worker`` beside gunicorn: the answer does not wait for the e-mail), and any other caller
# (a staff page, a CLI process, a test) sends them itself as soon as the transaction has
# ended: SQLAlchemy allows no statement inside ``after_commit`` itself.

_TO_WORKER = "journee.outbox_to_worker"
"""In ``session.info``: the request answers without waiting for its messages (see
:func:`leave_to_worker`)."""
_QUEUED = "journee.outbox_queued"
"""In ``session.info``: how many pending messages the open transaction has flushed."""
_TO_SEND = "journee.outbox_to_send"
"""In ``session.info``: how many messages to send once the committed transaction ends."""


left_to_worker = Namespace().signal("journee.mail.left-to-worker")
"""Sent with the app when a commit has left its messages to the worker."""


def leave_to_worker() -> None:
    """Let the next commit of this request leave the messages it queued to the worker
    beside the server (``journee worker``), which finds them within
    ``TASKS_POLL_SECONDS``: the answer does not wait for the e-mail. For the public forms
    under a rush; pages that tell whether a message has left keep sending it themselves.
    With a runner in this process (``journee run``), it is woken as for any commit; with
    no outbox job at all (``MAIL_AUTO_RETRY_SECONDS`` 0), the request sends them."""
    db.session.info[_TO_WORKER] = True


def _note_queued(session, flush_context) -> None:
    queued = sum(1 for instance in session.new if isinstance(instance, OutboxMessage)
                 and instance.status == OutboxStatus.PENDING)
    if queued:
        session.info[_QUEUED] = session.info.get(_QUEUED, 0) + queued


def _forget_queued(session) -> None:
    if session.in_nested_transaction():
        # Back to a savepoint: what was queued before it stays; waking the sender for
        # nothing costs less than leaving a message to the next round.
        return
    session.info.pop(_QUEUED, None)
    session.info.pop(_TO_SEND, None)
    session.info.pop(_TO_WORKER, None)


def _wake_sender(session) -> None:
    """After a commit: the messages it holds leave now, whoever committed them."""
    if session.in_nested_transaction():
        return  # a savepoint released: the messages leave with the outer commit
    queued = session.info.pop(_QUEUED, 0)
    if not queued or not has_app_context():
        session.info.pop(_TO_WORKER, None)
        return
    app = current_app._get_current_object()
    if not app.config["MAIL_DELIVER_AFTER_COMMIT"]:
        return  # left to the next round of the periodic jobs or to ``journee send-mail``
    if tasks.wake(app, OUTBOX_JOB):
        session.info.pop(_TO_WORKER, None)
        return
    if session.info.pop(_TO_WORKER, False) and OUTBOX_JOB in app.extensions.get(tasks.JOBS, {}):
        # The request answers at once: ``journee worker`` finds the new messages within
        # TASKS_POLL_SECONDS (see _new_messages), writes and sends them.
        left_to_worker.send(app)
        return
    # A publication queues an e-mail per person: they all leave with it.
    session.info[_TO_SEND] = max(queued, 10)


def _send_after_commit(session, transaction) -> None:
    """Send what :func:`_wake_sender` left for this process; any error is logged, never
    raised: a mail server that is down must never turn a saved change into an error."""
    if transaction.parent is not None:
        return
    # Committed, the messages were counted by _wake_sender; otherwise they are gone.
    session.info.pop(_QUEUED, None)
    limit = session.info.pop(_TO_SEND, None)
    if limit is None:
        return
    try:
        deliver_pending(limit)
    except Exception:
        session.rollback()
        current_app.logger.exception("Envoi des e-mails en attente impossible.")


_SESSION_HOOKS = (("after_flush", _note_queued), ("after_rollback", _forget_queued),
                  ("after_commit", _wake_sender),
                  ("after_transaction_end", _send_after_commit))


def init_app(app: Flask) -> None:
    """Send what a commit queued once it is committed (see above), and deliver the
    outbox every ``MAIL_AUTO_RETRY_SECONDS`` (0: never, then run ``journee send-mail``
    yourself)."""
    # The hooks belong to the session class that every app of the process shares.
    for name, hook in _SESSION_HOOKS:
        if not event.contains(db.session, name, hook):
            event.listen(db.session, name, hook)
    interval = app.config["MAIL_AUTO_RETRY_SECONDS"]
    if interval and interval > 0:
        tasks.register(app, tasks.PeriodicJob(
            OUTBOX_JOB, "Envoi des e-mails en attente", timedelta(seconds=interval),
            deliver_outbox, lease=CLAIM, wake_when=_new_messages))
