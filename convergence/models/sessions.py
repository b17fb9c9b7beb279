from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class UserSession(db.Model):
    """One logged-in device. The browser holds a random key (in the session cookie and
    the remember-me cookie); the table only its digest, so a copy of the table opens no
    session. Logout, a password change or reset, and « déconnecter mes autres appareils »
    revoke rows; a revoked or long-unused row logs nobody in."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Written at most every SESSION_TOUCH_SECONDS, not on every request.
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # "Firefox, Android": enough to recognise one's devices, not the full User-Agent.
    device: Mapped[str] = mapped_column(String(80), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
