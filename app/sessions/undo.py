"""Undo for a deleted session log: the deleted row is kept in the signed session cookie for
UNDO_MINUTES, and put back as it was (same client id and every value) when asked in time.

The cookie travels with the person, so any process can undo; nothing is kept once the
window has passed, and the log stays deleted. Every column is copied, so a column added
later is restored too.
"""

from datetime import datetime, timedelta

from flask import session
from sqlalchemy import DateTime
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import DeletedLog, SessionLog, User
from app.summaries import commit_log_change
from app.timezones import utc_now

UNDO_KEY = "undo_log"
UNDO_MINUTES = 5
NOT_KEPT = ("id", "user_id")


def keep_for_undo(log: SessionLog) -> None:
    """Remember the log (called as it is deleted)."""
    values = {}
    for column in SessionLog.__table__.columns:
        if column.name not in NOT_KEPT:
            value = getattr(log, column.key)
            values[column.key] = value.isoformat() if isinstance(value, datetime) else value
    session[UNDO_KEY] = {"deleted_at": utc_now().isoformat(), "values": values}


def undo_waiting(now: datetime) -> bool:
    """Whether a deleted log can still be put back."""
    kept = session.get(UNDO_KEY)
    return bool(kept) and now - datetime.fromisoformat(kept["deleted_at"]) <= timedelta(minutes=UNDO_MINUTES)


def restore(user: User, now: datetime) -> SessionLog | None:
    """Put the deleted log back for `user` (committed), or None when the window has passed or
    nothing is waiting. A log with the same client id stored again meanwhile wins."""
    if not undo_waiting(now):
        session.pop(UNDO_KEY, None)
        return None
    values = dict(session.pop(UNDO_KEY)["values"])
    for column in SessionLog.__table__.columns:
        if isinstance(column.type, DateTime) and values.get(column.key) is not None:
            values[column.key] = datetime.fromisoformat(values[column.key])
    # Looked up before the log is added: the lookup's autoflush would insert it outside the try.
    tombstone = db.session.get(DeletedLog, (user.id, values["client_id"]))
    log = SessionLog(user=user, **values)
    db.session.add(log)
    if tombstone is not None:
        db.session.delete(tombstone)  # put back: its client id is a live log's again
    try:
        commit_log_change(user, added=log)
    except IntegrityError:
        db.session.rollback()
        return None
    return log
