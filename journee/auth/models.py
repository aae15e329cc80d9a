"""Staff accounts."""

from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import String, false
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db, login_manager
from ..util.clock import utcnow


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, info={"personal": True})
    name: Mapped[str] = mapped_column(String(200), default="", info={"personal": True})
    password_hash: Mapped[str] = mapped_column(String(300))
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # Lets an account with no organiser role create events (administrators always may).
    may_create_events: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Written into each session at sign-in; raising it ends every session already open.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        """Sign the account out everywhere: every session cookie issued so far stops
        working, including a copy taken before a logout (the caller commits)."""
        self.session_generation = (self.session_generation or 0) + 1

    def get_id(self) -> str:
        return f"{self.id}.{self.session_generation}"

    @property
    def is_active(self) -> bool:
        return self.active


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _, generation = session_id.partition(".")
    if not (user_id.isdecimal() and generation.isdecimal()):
        return None  # a session from before generations, or not ours
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_generation != int(generation):
        return None
    return user


def hash_password(password: str) -> str:
    """Werkzeug's scrypt, a memory-hard KDF, at the cost ``PASSWORD_HASH_METHOD`` sets
    (Werkzeug's default; the tests lower it, as a password's check reads the cost from
    its hash)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])
