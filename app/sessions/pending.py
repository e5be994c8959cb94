"""A session finished before signing in waits in the signed session cookie, then is saved.

The cookie travels with the visitor, so this works with any number of app processes.
A typed time waits as the wall time it was: it becomes an instant in the zone the browser
sent with the form, else, at sign-in, in the account's zone (app.timezones).
"""

from datetime import datetime

from flask import flash, session

from app.models import SessionLog, User
from app.sessions.logbook import routine_by_slug, store_log
from app.timezones import from_local, utc_now

PENDING_KEY = "pending_log"


def keep_pending_log(routine_slug: str, typed: datetime | None, zone_name: str | None, values: dict) -> None:
    """Keep a visitor's log: the wall time typed (None: it was logged as it happened, now),
    and the zone their browser sent (None: read in their account's zone at sign-in)."""
    session[PENDING_KEY] = {
        "routine": routine_slug,
        "typed": typed.isoformat() if typed else None,
        "zone": zone_name,
        "at": utc_now().isoformat() if typed is None else None,
        "values": values,
    }


def has_pending_log() -> bool:
    return PENDING_KEY in session


def save_pending_log(user: User) -> SessionLog | None:
    """Store the waiting log for this user, if there is one; return it."""
    pending = session.pop(PENDING_KEY, None)
    if not pending:
        return None
    routine = routine_by_slug(pending["routine"])
    if routine is None:
        return None
    zone_name = pending.get("zone") or user.time_zone
    if pending.get("typed"):
        resolved = from_local(datetime.fromisoformat(pending["typed"]), zone_name)
        if resolved.note:
            flash(resolved.note, "info")
        completed_at = resolved.utc
    else:  # "completed_at": a log kept before typed times waited as wall times
        completed_at = datetime.fromisoformat(pending.get("at") or pending["completed_at"])
    return store_log(user, routine, completed_at, zone_name, pending["values"])
