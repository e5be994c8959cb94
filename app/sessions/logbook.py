"""Storing and finding session logs. Every lookup checks the owner in the query itself."""

import hashlib
import re
from datetime import datetime, timedelta

from flask import abort
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.content.snapshot import RoutineView, catalog
from app.extensions import db
from app.models import DeletedLog, Routine, SessionLog, User
from app.summaries import commit_log_change
from app.timezones import is_ahead, utc_now

# After a log from the player is stored, its form comes back the same for this long (Back,
# reload, a second tab): submitting it again finds the stored log instead of adding one.
RESUBMIT_WINDOW = timedelta(minutes=30)


def find_by_client_id(user: User, client_id: str) -> SessionLog | None:
    return db.session.scalar(
        select(SessionLog).where(SessionLog.user_id == user.id, SessionLog.client_id == client_id)
    )


def was_deleted(user: User, client_id: str) -> bool:
    """Whether this user deleted a log with this client id (its tombstone is kept)."""
    return db.session.get(DeletedLog, (user.id, client_id)) is not None


def store_log(
    user: User, routine: Routine, completed_at: datetime, time_zone: str, values: dict
) -> SessionLog | None:
    """Save a log once: a retried or doubled post with the same client id returns the first,
    and a client id whose log was deleted stores nothing and returns None (it stays deleted).

    `completed_at` is naive UTC, `time_zone` the zone the person was in. A time ahead of the
    person's now (a device clock that runs fast) is stored as now and flagged, never refused.
    """
    existing = find_by_client_id(user, values["client_id"])
    if existing is not None:
        return existing
    if was_deleted(user, values["client_id"]):
        return None
    now = utc_now()
    clock_ahead = is_ahead(completed_at, now)
    log = SessionLog(user=user, routine=routine, completed_at=now if clock_ahead else completed_at,
                     time_zone=time_zone, clock_ahead=clock_ahead, **values)
    db.session.add(log)
    try:
        commit_log_change(user, added=log)
    except IntegrityError:  # the twin request committed first
        db.session.rollback()
        existing = find_by_client_id(user, values["client_id"])
        if existing is None:
            raise
        return existing
    return log


def keep_tombstone(log: SessionLog) -> None:
    """Remember a log's client id as it is deleted (in the same transaction)."""
    if not was_deleted(log.user, log.client_id):
        db.session.add(DeletedLog(user_id=log.user_id, client_id=log.client_id))


def newest_log_and_deletion(user: User, routine_id: int) -> tuple[SessionLog | None, datetime | None]:
    """The user's newest log of this routine, and when they last deleted any log: one query."""
    last_deleted = select(func.max(DeletedLog.deleted_at)).where(DeletedLog.user_id == user.id).scalar_subquery()
    row = db.session.execute(
        select(SessionLog, last_deleted)
        .select_from(User)
        .outerjoin(SessionLog, (SessionLog.user_id == User.id) & (SessionLog.routine_id == routine_id))
        .where(User.id == user.id)
        .order_by(SessionLog.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else (None, None)


def player_log_token(user: User, routine_id: int, after: int | None = None) -> tuple[str, SessionLog | None]:
    """The client id for the player's log form, and the log it already stored (or None).

    The pending token, per person and routine, is derived from their newest log of that
    routine: the same on every fetch of the form (Back, reload, two tabs, any process) until
    a log is stored with it, which uses it up. For RESUBMIT_WINDOW after that, the form
    carries the stored log's own id, so sending it again stores nothing new, unless the
    person asks to log another one `after` that log (its id). A deletion changes it too:
    deleting the newest log would otherwise bring back the token that log was stored with,
    which its tombstone keeps from being stored again.
    """
    newest, last_deleted = newest_log_and_deletion(user, routine_id)
    if newest is not None and after != newest.id and newest.created_at > utc_now() - RESUBMIT_WINDOW:
        return newest.client_id, newest
    follows = newest.client_id if newest is not None else ""
    deleted = last_deleted.isoformat() if last_deleted else ""
    return hashlib.sha256(f"{user.id}:{routine_id}:{follows}:{deleted}".encode()).hexdigest()[:32], None


def owned_log_or_404(log_id: int) -> SessionLog:
    """The signed-in user's log, or 404: someone else's log does not exist for them."""
    return db.session.scalar(
        select(SessionLog)
        .where(SessionLog.id == log_id, SessionLog.user_id == current_user.id)
        .options(joinedload(SessionLog.routine))
    ) or abort(404)


def previous_log(log: SessionLog) -> SessionLog | None:
    """The user's session logged just before this one."""
    return db.session.scalar(
        select(SessionLog)
        .where(
            SessionLog.user_id == log.user_id,
            (SessionLog.completed_at < log.completed_at)
            | ((SessionLog.completed_at == log.completed_at) & (SessionLog.id < log.id)),
        )
        .order_by(SessionLog.completed_at.desc(), SessionLog.id.desc())
        .limit(1)
    )


def active_routine_choices(extra_slug: str | None = None) -> list[RoutineView]:
    """Routines to log against: those in the library, plus a retired one already logged."""
    routines = list(catalog().active_routines)
    extra = catalog().routines_by_slug.get(extra_slug) if extra_slug else None
    if extra is not None and extra not in routines:
        routines.append(extra)
    return sorted(routines, key=lambda routine: routine.title)


SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def routine_by_slug(slug: str) -> Routine | None:
    """The routine with this slug; a malformed slug is simply not found (no query)."""
    if not SLUG.fullmatch(slug):
        return None
    return db.session.scalar(select(Routine).where(Routine.slug == slug))
