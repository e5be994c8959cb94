"""A person following a programme: when they started, and when they left or finished it.
Leaving keeps the row (and every session logged meanwhile); one enrolment is current."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timezones import utc_now


class Enrolment(db.Model):
    __tablename__ = "enrolments"
    __table_args__ = (Index("ix_enrolments_user_ended", "user_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    programme_slug: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)  # UTC, naive
    # Set when the person leaves or switches (UTC); None while current.
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)  # UTC: the last day done
