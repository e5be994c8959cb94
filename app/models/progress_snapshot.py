"""A user's practice summary, stored so the progress page reads one row, not the history."""

from sqlalchemy import JSON, ForeignKey, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db
from app.models.session_log import SessionLog
from app.models.user import User


class ProgressSnapshot(db.Model):
    """app.progress.PracticeSummary as JSON. It is current while its log version and time
    zone match the user's; otherwise the progress page folds the history again and replaces
    it. It keeps time per routine, so a change in which goals a routine serves needs no
    refold. It is derived data: losing it loses nothing."""

    __tablename__ = "progress_snapshots"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    log_version: Mapped[int]
    time_zone: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict] = mapped_column(JSON)


@event.listens_for(Session, "before_flush")
def count_log_changes(session: Session, flush_context, instances) -> None:
    """Any added, edited or deleted session log moves its owner's log version on, in the
    same transaction, with an atomic UPDATE (two processes logging at once both count)."""
    changed = [
        log for log in (*session.new, *session.dirty, *session.deleted)
        if isinstance(log, SessionLog) and (log not in session.dirty or session.is_modified(log))
    ]
    for user in {log.user for log in changed if log.user is not None}:
        if user not in session.new:  # a new user has no stored summary to outdate
            user.log_version = User.log_version + 1
