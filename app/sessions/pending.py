"""A session finished before signing in waits in the signed session cookie, then is saved.

The cookie travels with the visitor, so this works with any number of app processes.
"""

from datetime import datetime

from flask import session

from app.models import User
from app.sessions.logbook import routine_by_slug, store_log

PENDING_KEY = "pending_log"


def keep_pending_log(routine_slug: str, completed_at: datetime, values: dict) -> None:
    session[PENDING_KEY] = {"routine": routine_slug, "completed_at": completed_at.isoformat(), "values": values}


def has_pending_log() -> bool:
    return PENDING_KEY in session


def save_pending_log(user: User):
    """Store the waiting log for this user, if there is one; return it."""
    pending = session.pop(PENDING_KEY, None)
    if not pending:
        return None
    routine = routine_by_slug(pending["routine"])
    if routine is None:
        return None
    return store_log(user, routine, datetime.fromisoformat(pending["completed_at"]), pending["values"])
