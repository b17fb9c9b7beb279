from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import utcnow


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(5), nullable=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # False only for a self-registered account whose address has not yet answered the
    # mailed link: such an account cannot log in (see accounts/registration.py).
    email_confirmed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    # The device session this object was loaded for or logged in with (accounts/session.py),
    # not stored here: Flask-Login puts the key in the cookies in place of the user id.
    session_key = None
    session_id = None

    def get_session_key(self) -> str:
        return self.session_key

    def set_password(self, password: str) -> None:
        # Werkzeug defaults to scrypt.
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class LoginThrottle(db.Model):
    """Login attempts counted per (account, client) pair, and per client alone (account
    digest "*"), within a window that restarts once it is over. One row per key, updated by
    a single UPSERT, so parallel attempts are counted exactly (see accounts/ratelimit.py)."""

    __tablename__ = "login_throttles"

    # A digest, so the table holds no e-mail address in clear.
    account_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
