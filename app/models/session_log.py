"""A practice session someone logged: the heart of their history and streaks."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.catalog import Routine
from app.models.user import User
from app.timezones import DEFAULT_ZONE, utc_now

DISCOMFORT_KINDS = {
    "redness": "Redness that lasts",
    "bruising": "Bruising",
    "breakout": "A breakout",
    "pain": "Pain",
    "worrying": "Something else worrying",
}
NOTES_MAX = 1000


class SessionLog(db.Model):
    __tablename__ = "session_logs"
    __table_args__ = (
        # A retried or doubled post carries the same client id and stores one row.
        UniqueConstraint("user_id", "client_id", name="uq_session_logs_user_client"),
        Index("ix_session_logs_user_completed", "user_id", "completed_at"),
        # The player's log form reads a person's newest log of one routine: by this index it
        # is one step, where the routine's index alone walks every person's logs of it.
        Index("ix_session_logs_user_routine", "user_id", "routine_id", "id"),
        {"sqlite_autoincrement": True},  # a deleted log's id never names another log
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # RESTRICT: content changes retire routines, they never take a log with them.
    routine_id: Mapped[int] = mapped_column(ForeignKey("routines.id", ondelete="RESTRICT"), index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    completed_at: Mapped[datetime] = mapped_column(DateTime)  # UTC, naive, with seconds
    # The IANA zone the person was in: the one completed_at was typed or taken in (app.timezones).
    time_zone: Mapped[str] = mapped_column(String(64), server_default=DEFAULT_ZONE)
    # The time given was ahead of the person's now (an offline device's clock): stored as now instead.
    clock_ahead: Mapped[bool] = mapped_column(default=False, server_default=false())
    seconds_spent: Mapped[int]
    skin_feel: Mapped[int]  # 1 (unhappy) to 5 (great)
    discomfort: Mapped[bool] = mapped_column(default=False)
    discomfort_kind: Mapped[str | None] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)

    user: Mapped[User] = relationship(back_populates="session_logs")
    routine: Mapped[Routine] = relationship()

    @property
    def minutes(self) -> float:
        return self.seconds_spent / 60


class DeletedLog(db.Model):
    """A tombstone: the client id of a session log its owner deleted. A device that comes back
    online with that id (an offline queue, a second tab) finds it here and stores nothing, so a
    deleted log stays deleted. Undo removes it (app.sessions.undo)."""

    __tablename__ = "deleted_logs"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    deleted_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)  # UTC, naive
