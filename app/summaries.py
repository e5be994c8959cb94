"""The stored practice summary (app.models.ProgressSnapshot): read while current, folded
again from the history when not, and carried forward by each new log in its own transaction."""

from flask import current_app
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from app.extensions import db
from app.models import ProgressSnapshot, SessionLog, User
from app.progress import LoggedSession, PracticeSummary, revise, summarise


def logged_sessions(user: User) -> list[LoggedSession]:
    rows = db.session.execute(
        select(SessionLog.id, SessionLog.routine_id, SessionLog.completed_at, SessionLog.seconds_spent,
               SessionLog.skin_feel).where(SessionLog.user_id == user.id)
    )
    return [LoggedSession(*row) for row in rows]


def store_snapshot(user: User, existing: ProgressSnapshot | None, summary: PracticeSummary) -> None:
    """Keep the summary for next time, on a connection of its own: the request's session
    (and the signed-in user in it) stays as it was. Two requests may race to store it;
    either copy is right for the version it names, so losing the race is fine."""
    values = {"log_version": user.log_version, "time_zone": user.time_zone, "data": summary.to_json()}
    table = ProgressSnapshot.__table__
    try:
        with db.engine.begin() as connection:
            if existing is None:
                connection.execute(insert(table).values(user_id=user.id, **values))
            else:
                connection.execute(update(table).where(table.c.user_id == user.id).values(**values))
    except (IntegrityError, OperationalError):
        current_app.logger.info("progress summary not stored for user %s; it is folded again next time", user.id)


def logged(log: SessionLog) -> LoggedSession:
    """What the summary keeps of a stored log (read it before an edit changes it)."""
    return LoggedSession(log.id, log.routine_id, log.completed_at, log.seconds_spent, log.skin_feel)


def fold_into_stored_summary(user: User, removed: LoggedSession | None = None,
                             added: LoggedSession | None = None) -> None:
    """Carry the stored summary forward by one change to the user's logs (a new log is
    `added`, a deletion `removed`, an edit both), inside the transaction that makes it: call
    after the flush that counted it. The next page then reads one row instead of folding the
    whole history again. Only a summary current up to the version just before this change
    moves on, and only when `revise` can carry it; anything else is left for
    `practice_summary_of` to fold again. The user's row is locked by the log-version UPDATE
    until commit, so changes of one person are carried forward one at a time."""
    version = db.session.scalar(select(User.log_version).where(User.id == user.id))
    table = ProgressSnapshot.__table__
    current = (table.c.user_id == user.id) & (table.c.log_version == version - 1) \
        & (table.c.time_zone == user.time_zone)
    data = db.session.scalar(select(table.c.data).where(current))
    if data is None or not PracticeSummary.is_current_format(data):
        return
    summary = revise(PracticeSummary.from_json(data), removed, added, user.time_zone)
    if summary is not None:
        db.session.execute(update(table).where(current).values(log_version=version, data=summary.to_json()))


def commit_log_change(user: User, *, removed: LoggedSession | None = None, added: SessionLog | None = None) -> None:
    """Flush the pending change to one of the user's logs (`added`: a new or edited log;
    `removed`: what the summary kept of a deleted or edited one, read before the change), carry
    the stored summary forward by it, and commit, all in one transaction. Raises what the flush
    or commit raises (IntegrityError for a twin client id)."""
    db.session.flush()
    fold_into_stored_summary(user, removed, logged(added) if added is not None else None)
    db.session.commit()


def practice_summary_of(user: User) -> PracticeSummary:
    """The user's summary: the stored one while it is current, else folded from the history."""
    snapshot = db.session.get(ProgressSnapshot, user.id)
    if snapshot is not None and (snapshot.log_version, snapshot.time_zone) == (user.log_version, user.time_zone) \
            and PracticeSummary.is_current_format(snapshot.data):
        return PracticeSummary.from_json(snapshot.data)
    summary = summarise(logged_sessions(user), user.time_zone)
    store_snapshot(user, snapshot, summary)
    return summary
