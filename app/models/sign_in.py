"""A sign-in: one browser or device signed in to one account, until it is ended.

The session cookie and the remember-me cookie both carry the sign-in's token (through
User.get_id()), and only its hash is stored, so a copy of the database signs nobody in.
Ending the row (sign out, "sign out everywhere", a password change, deleting the account)
makes every cookie that carries its token worthless on every process at once.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timezones import utc_now

TOKEN_BYTES = 32
# A sign-in left unused this long has ended by itself: a browser session's idle lifetime,
# and a remember-me cookie's.
IDLE_LIFETIME = timedelta(days=31)
REMEMBERED_IDLE_LIFETIME = timedelta(days=90)
# last_seen_at is written at most this often, so a page view rarely costs a write.
LAST_SEEN_EVERY = timedelta(minutes=5)
USER_AGENT_MAX = 400


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """What is stored of a token: its SHA-256, hex (a random 256-bit token needs no slow hash)."""
    return hashlib.sha256(token.encode()).hexdigest()


class SignIn(db.Model):
    __tablename__ = "sign_ins"
    __table_args__ = {"sqlite_autoincrement": True}  # an ended sign-in's id is never handed out again

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(String(USER_AGENT_MAX), default="")
    remember: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)  # UTC, naive
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)  # UTC, naive
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)  # UTC, naive; None while active

    user: Mapped["User"] = relationship(back_populates="sign_ins")  # noqa: F821

    @property
    def idle_lifetime(self) -> timedelta:
        return REMEMBERED_IDLE_LIFETIME if self.remember else IDLE_LIFETIME

    def is_active(self, now: datetime) -> bool:
        """Not ended, and used within its idle lifetime."""
        return self.ended_at is None and now - self.last_seen_at <= self.idle_lifetime

    def seen(self, now: datetime) -> bool:
        """Note a use at `now`; True when last_seen_at changed (and so needs writing)."""
        if now - self.last_seen_at < LAST_SEEN_EVERY:
            return False
        self.last_seen_at = now
        return True
