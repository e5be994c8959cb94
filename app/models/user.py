"""People who use Glowstep, and what they told us about their skin and plans."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.timezones import utc_now

PASSWORD_METHOD = "scrypt"


class User(UserMixin, db.Model):
    __tablename__ = "users"

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
    # Goes up with every change to the user's session logs, so a stored progress summary
    # knows whether it is still current (app.models.progress_snapshot).
    log_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)

    session_logs: Mapped[list["SessionLog"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]


def normalise_email(email: str) -> str:
    """One spelling per address, whatever the case or stray spaces."""
    return email.strip().lower()
