"""People who use Glowstep, and what they told us about their skin and plans."""

import secrets
from datetime import datetime
from functools import cache

from flask_login import UserMixin
from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.timezones import utc_now

PASSWORD_METHOD = "scrypt"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # A deleted account's id is never handed to the next person who registers.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80), default="")
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    skin_type: Mapped[str | None] = mapped_column(String(16))
    goal_slugs: Mapped[list[str]] = mapped_column(JSON, default=list)
    weekly_target: Mapped[int] = mapped_column(default=4)  # sessions a week
    rest_days_per_week: Mapped[int] = mapped_column(default=2)
    checkin_every_sessions: Mapped[int] = mapped_column(default=10)
    # The profile's standing skin self-check: {check id: [areas]} (an empty list means all over).
    skin_flags: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    checkin_acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Chosen at onboarding (app.onboarding): how long and when they like to practise.
    practice_minutes: Mapped[int] = mapped_column(default=10, server_default="10")
    practice_time: Mapped[str] = mapped_column(String(8), default="evening", server_default="evening")
    onboarded_at: Mapped[datetime | None] = mapped_column(DateTime)  # UTC; None until finished or skipped
    # Goes up with every change to the user's session logs, so a stored progress summary
    # knows whether it is still current (app.models.progress_snapshot).
    log_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)

    session_logs: Mapped[list["SessionLog"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    sign_ins: Mapped[list["SignIn"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    # The token of the sign-in this object was loaded through (or just started): what
    # Flask-Login keeps in the session and the remember-me cookie. Never stored.
    sign_in_token = None  # str once set; a plain attribute, not a column

    def get_id(self) -> str:
        """Flask-Login's identity: "<user id>:<sign-in token>" (app.auth.sign_ins)."""
        return f"{self.id}:{self.sign_in_token}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]


@cache
def stand_in_hash() -> str:
    """A hash of a random password, made once per process with the same method and cost."""
    return generate_password_hash(secrets.token_hex(16), method=PASSWORD_METHOD)


def password_matches(user: User | None, password: str) -> bool:
    """Whether `password` is this account's. With no account, the same hash is still run
    (against a stand-in), so an unknown email takes as long to refuse as a wrong password
    and the timing tells nobody which emails have accounts."""
    if user is None:
        check_password_hash(stand_in_hash(), password)
        return False
    return user.check_password(password)


def normalise_email(email: str) -> str:
    """One spelling per address, whatever the case or stray spaces."""
    return email.strip().lower()
