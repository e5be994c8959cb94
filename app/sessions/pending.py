"""Sessions finished before signing in wait in the signed session cookie, then are saved.

The cookie travels with the visitor, so this works with any number of app processes.
Several may wait (a visitor's offline queue sends each one it kept), as a list in the order
logged; PENDING_MAX and the cookie's size bound it. A typed time waits as the wall time it
was: it becomes an instant in the zone the browser sent with the form, else, at sign-in, in
the account's zone (app.timezones).
"""

import json
from datetime import datetime

from flask import flash, session

from app.models import SessionLog, User
from app.sessions.logbook import routine_by_slug, store_log
from app.timezones import from_local, utc_now

PENDING_KEY = "pending_logs"
FORMER_KEY = "pending_log"  # a single waiting log, as cookies kept it before the list
PENDING_MAX = 5
# Browsers drop a cookie over 4 KB; the session keeps other things too.
PENDING_MAX_CHARS = 2800


def pending_logs() -> list[dict]:
    former = session.get(FORMER_KEY)
    return list(session.get(PENDING_KEY, [])) + ([former] if former else [])


def keep_pending_log(routine_slug: str, typed: datetime | None, zone_name: str | None, values: dict) -> bool:
    """Keep a visitor's log: the wall time typed (None: it was logged as it happened, now),
    and the zone their browser sent (None: read in their account's zone at sign-in).

    The same client id sent again replaces its earlier copy. Returns False, keeping nothing,
    when the list is full (PENDING_MAX logs, or PENDING_MAX_CHARS of them).
    """
    entry = {
        "routine": routine_slug,
        "typed": typed.isoformat() if typed else None,
        "zone": zone_name,
        "at": utc_now().isoformat() if typed is None else None,
        "values": values,
    }
    waiting = [kept for kept in pending_logs() if kept["values"]["client_id"] != values["client_id"]] + [entry]
    if len(waiting) > PENDING_MAX or len(json.dumps(waiting)) > PENDING_MAX_CHARS:
        return False
    session.pop(FORMER_KEY, None)
    session[PENDING_KEY] = waiting
    return True


def has_pending_log() -> bool:
    return PENDING_KEY in session or FORMER_KEY in session


def save_pending_log(user: User, pending: dict) -> SessionLog | None:
    """Store one waiting log for this user; None when its routine is gone or it was deleted."""
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


def save_pending_logs(user: User) -> list[SessionLog]:
    """Store every waiting log for this user, in the order logged; return those stored."""
    waiting = pending_logs()
    session.pop(PENDING_KEY, None)
    session.pop(FORMER_KEY, None)
    return [log for log in (save_pending_log(user, pending) for pending in waiting) if log is not None]
