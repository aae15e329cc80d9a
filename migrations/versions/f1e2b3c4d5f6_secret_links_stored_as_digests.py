"""secret links stored as digests only; sent messages without live links

Registrations and facilitator links lose their clear ``token``: they keep a nonce (from
which the app derives the token with its secret key) and the token's SHA-256 digest.

Existing links keep working: each clear token is replaced by its digest, with no nonce.
The app cannot derive such a token again, so the next e-mail that needs the link issues
a new nonce and digest (see ``journee.secret_links``), and the old link stops working
then. Giving every row a new link at once would instead break, on the day of the
upgrade, every link already e-mailed to attendees and facilitators of upcoming days.
Anonymised registrations (token « anonyme-<id> ») get no digest: nothing opens them.

Messages already sent get their secret links masked, as the app now does after sending.

Revision ID: f1e2b3c4d5f6
Revises: b1e2b3c4d5f6
Create Date: 2026-12-08 09:00:00

"""
import hashlib
import re
import secrets
from email import message_from_bytes
from email.encoders import encode_base64, encode_quopri
from email.policy import SMTP

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1e2b3c4d5f6'
down_revision = 'b1e2b3c4d5f6'
branch_labels = None
depends_on = None

LINK = re.compile(r"/([rf])/[^/?#\s\"'<>]+")


def _digest(token):
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _masked(raw):
    """The message with ``/r/<token>`` and ``/f/<token>`` masked in its text parts
    (a copy of ``journee.mail.masked_links`` as it was at this revision)."""
    message = message_from_bytes(raw, policy=SMTP)
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
        masked = LINK.sub(r"/\1/…", text)
        if masked == text:
            continue
        if charset.lower() in ("us-ascii", "ascii"):
            charset = "utf-8"
        part.set_param("charset", charset)
        encoding = part.get("Content-Transfer-Encoding", "").lower()
        del part["Content-Transfer-Encoding"]
        part.set_payload(masked.encode(charset))
        (encode_base64 if encoding == "base64" else encode_quopri)(part)
        changed = True
    return message.as_bytes(policy=SMTP) if changed else raw


def upgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_nonce', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('token_digest', sa.String(length=64), nullable=True))

    connection = op.get_bind()
    registration = sa.table('registration', sa.column('id', sa.Integer),
                            sa.column('token', sa.String),
                            sa.column('token_digest', sa.String),
                            sa.column('anonymised_at', sa.DateTime))
    rows = connection.execute(sa.select(registration.c.id, registration.c.token)
                              .where(registration.c.anonymised_at.is_(None))).all()
    if rows:
        connection.execute(
            registration.update().where(registration.c.id == sa.bindparam('row_id'))
            .values(token_digest=sa.bindparam('digest')),
            [{'row_id': row_id, 'digest': _digest(token)} for row_id, token in rows])

    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_constraint('uq_registration_token', type_='unique')
        batch_op.drop_column('token')
        batch_op.create_unique_constraint(batch_op.f('uq_registration_token_digest'),
                                          ['token_digest'])

    # A facilitator link's digest is already the SHA-256 of its token.
    with op.batch_alter_table('facilitator_link', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_nonce', sa.String(length=32), nullable=True))
        batch_op.drop_column('token')

    outbox = sa.table('outbox_message', sa.column('id', sa.Integer),
                      sa.column('status', sa.String), sa.column('message', sa.LargeBinary))
    sent = connection.execute(sa.select(outbox.c.id, outbox.c.message).where(
        outbox.c.status == 'sent', outbox.c.message.is_not(None))).all()
    for message_id, raw in sent:
        masked = _masked(bytes(raw))
        if masked != bytes(raw):
            connection.execute(outbox.update().where(outbox.c.id == message_id)
                               .values(message=masked))


def downgrade():
    """Clear tokens cannot be recovered from digests: every link gets a new token, and
    the links given since the upgrade stop working."""
    connection = op.get_bind()
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token', sa.String(length=64), nullable=True))
    registration = sa.table('registration', sa.column('id', sa.Integer),
                            sa.column('token', sa.String),
                            sa.column('anonymised_at', sa.DateTime))
    rows = connection.execute(sa.select(registration.c.id, registration.c.anonymised_at)).all()
    if rows:
        connection.execute(
            registration.update().where(registration.c.id == sa.bindparam('row_id'))
            .values(token=sa.bindparam('new_token')),
            [{'row_id': row_id,
              'new_token': f'anonyme-{row_id}' if anonymised_at else secrets.token_urlsafe(32)}
             for row_id, anonymised_at in rows])
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_registration_token_digest'), type_='unique')
        batch_op.drop_column('token_digest')
        batch_op.drop_column('token_nonce')
        batch_op.alter_column('token', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_registration_token'), ['token'])

    with op.batch_alter_table('facilitator_link', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token', sa.String(length=64), nullable=True))
    link = sa.table('facilitator_link', sa.column('id', sa.Integer),
                    sa.column('token', sa.String), sa.column('token_digest', sa.String))
    tokens = {row_id: secrets.token_urlsafe(32)
              for row_id in connection.execute(sa.select(link.c.id)).scalars()}
    if tokens:
        connection.execute(
            link.update().where(link.c.id == sa.bindparam('row_id'))
            .values(token=sa.bindparam('new_token'), token_digest=sa.bindparam('digest')),
            [{'row_id': row_id, 'new_token': token, 'digest': _digest(token)}
             for row_id, token in tokens.items()])
    with op.batch_alter_table('facilitator_link', schema=None) as batch_op:
        batch_op.drop_column('token_nonce')
        batch_op.alter_column('token', existing_type=sa.String(length=64), nullable=False)
