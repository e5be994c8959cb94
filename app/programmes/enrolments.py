"""A person's enrolment in a programme, read and written for the views (Today included)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.content import programmes
from app.content.programmes import Programme
from app.extensions import db
from app.models import Enrolment, Routine, SessionLog, User
from app.programmes.days import ProgrammeProgress, programme_progress
from app.timezones import to_local


@dataclass(frozen=True)
class Following:
    enrolment: Enrolment
    programme: Programme
    progress: ProgrammeProgress


def current_enrolment(user: User) -> Enrolment | None:
    return db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.ended_at.is_(None)))


def following(user: User, now: datetime) -> Following | None:
    """The programme the person follows now, and where they are in it (two queries)."""
    enrolment = current_enrolment(user)
    programme = programmes().get(enrolment.programme_slug) if enrolment else None
    if programme is None:  # none, or a programme the files no longer have
        return None
    rows = db.session.execute(
        select(SessionLog.completed_at, Routine.slug).join(Routine)
        .where(SessionLog.user_id == user.id, SessionLog.completed_at >= enrolment.started_at)
        .order_by(SessionLog.completed_at, SessionLog.id))
    practised = [(to_local(moment, user.time_zone).date(), slug) for moment, slug in rows]
    today = to_local(now, user.time_zone).date()
    days = [day.routine for day in programme.days]
    return Following(enrolment, programme, programme_progress(days, practised, today))


def leave_current(user: User, now: datetime) -> None:
    """End the current enrolment (if any) in the caller's transaction, noting a finish."""
    current = following(user, now)
    if current is not None:
        current.enrolment.ended_at = now
        if current.progress.finished and current.enrolment.finished_at is None:
            current.enrolment.finished_at = now
    elif (enrolment := current_enrolment(user)) is not None:
        enrolment.ended_at = now


def programmes_finished(user: User, current: Following | None) -> int:
    """Programmes finished: those left after their last day, and the current one if done."""
    past = db.session.scalar(select(func.count(Enrolment.id)).where(
        Enrolment.user_id == user.id, Enrolment.finished_at.is_not(None)))
    return past + (1 if current is not None and current.progress.finished else 0)
