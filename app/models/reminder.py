"""A person's practice schedule, and the secret address of its calendar feed."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Reminder(db.Model):
    """When someone means to practise: weekdays (0 = Monday) at a local time of day, in their
    profile's zone. The feed token is a random capability for one read-only calendar; it is
    kept as it is (not hashed) so the account page can show the address again, and it is
    replaced or removed at the person's request (app.reminders)."""

    __tablename__ = "reminders"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    time_of_day: Mapped[str] = mapped_column(String(5), default="21:00")  # "HH:MM", local
    minutes: Mapped[int] = mapped_column(default=10)
    feed_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    starts_on: Mapped[datetime] = mapped_column(DateTime)  # UTC, naive: when the schedule was saved

    user: Mapped["User"] = relationship()  # noqa: F821
