"""Gather a user's history with a few queries, then hand plain values to app.progress."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Goal, Routine, SessionLog, User, routine_goals
from app.progress import (
    CalendarDay,
    PracticeItem,
    Streaks,
    WeekTotals,
    calendar_weeks,
    checkin_due,
    minutes_per_goal,
    practice_days,
    streaks,
    this_week,
)
from app.timezones import to_local


def goal_slugs_by_routine() -> dict[int, tuple[str, ...]]:
    rows = db.session.execute(
        select(routine_goals.c.routine_id, Goal.slug)
        .join(Goal, Goal.id == routine_goals.c.goal_id)
        .order_by(routine_goals.c.routine_id, routine_goals.c.position)
    )
    slugs: dict[int, list[str]] = defaultdict(list)
    for routine_id, slug in rows:
        slugs[routine_id].append(slug)
    return {routine_id: tuple(values) for routine_id, values in slugs.items()}


def practice_items(user: User) -> list[PracticeItem]:
    goals = goal_slugs_by_routine()
    rows = db.session.execute(
        select(SessionLog.completed_at, SessionLog.seconds_spent, SessionLog.routine_id).where(
            SessionLog.user_id == user.id
        )
    )
    return [PracticeItem(moment, seconds, goals.get(routine_id, ())) for moment, seconds, routine_id in rows]


def latest_log(user: User) -> SessionLog | None:
    return db.session.scalar(
        select(SessionLog)
        .where(SessionLog.user_id == user.id)
        .options(joinedload(SessionLog.routine))
        .order_by(SessionLog.completed_at.desc(), SessionLog.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class ProgressOverview:
    streaks: Streaks
    week: WeekTotals
    minutes_per_goal: dict[str, int]
    calendar: list[list[CalendarDay]]
    days_practised: int
    last: SessionLog | None
    checkin_due: bool
    total_sessions: int


def progress_overview(user: User, now_utc: datetime) -> ProgressOverview:
    items = practice_items(user)
    today = to_local(now_utc, user.time_zone).date()
    per_day = practice_days((item.completed_at for item in items), user.time_zone)
    calendar = calendar_weeks(per_day, today)
    return ProgressOverview(
        streaks=streaks(per_day, today, user.rest_days_per_week),
        week=this_week(items, user.time_zone, today, user.weekly_target),
        minutes_per_goal=minutes_per_goal(items),
        calendar=calendar,
        days_practised=sum(1 for week in calendar for day in week if day.sessions),
        last=latest_log(user),
        checkin_due=checkin_due(
            [item.completed_at for item in items],
            user.checkin_acknowledged_at or user.created_at,
            now_utc,
            user.checkin_every_sessions,
        ),
        total_sessions=len(items),
    )


def user_logs(user: User) -> list[SessionLog]:
    return list(
        db.session.scalars(
            select(SessionLog)
            .where(SessionLog.user_id == user.id)
            .options(joinedload(SessionLog.routine))
            .order_by(SessionLog.completed_at, SessionLog.id)
        )
    )


def iso_or_none(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def user_export(user: User) -> dict:
    """Everything we hold about the user, as plain JSON-ready values."""
    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "time_zone": user.time_zone,
            "skin_type": user.skin_type,
            "goals": user.goal_slugs,
            "weekly_target": user.weekly_target,
            "rest_days_per_week": user.rest_days_per_week,
            "checkin_every_sessions": user.checkin_every_sessions,
            "skin_check": user.skin_flags,
            "checkin_acknowledged_at": iso_or_none(user.checkin_acknowledged_at),
            "created_at": user.created_at.isoformat(),
        },
        "sessions": [
            {
                "completed_at_utc": log.completed_at.isoformat(),
                "routine": log.routine.slug,
                "routine_title": log.routine.title,
                "seconds_spent": log.seconds_spent,
                "skin_feel": log.skin_feel,
                "discomfort": log.discomfort,
                "discomfort_kind": log.discomfort_kind,
                "notes": log.notes,
                "client_id": log.client_id,
            }
            for log in user_logs(user)
        ],
    }


@dataclass(frozen=True)
class RoutinePractice:
    routine: Routine
    sessions: int
    minutes: int
    first: datetime
    last: datetime


def practice_summary(user: User) -> dict:
    """What an esthetician would want to know, for the printable summary."""
    logs = user_logs(user)
    by_routine: dict[int, list[SessionLog]] = defaultdict(list)
    for log in logs:
        by_routine[log.routine_id].append(log)
    routines = [
        RoutinePractice(
            group[0].routine,
            len(group),
            round(sum(log.seconds_spent for log in group) / 60),
            group[0].completed_at,
            group[-1].completed_at,
        )
        for group in by_routine.values()
    ]
    weeks = max(1, ((logs[-1].completed_at - logs[0].completed_at).days + 1) / 7) if logs else 1
    return {
        "user": user,
        "routines": sorted(routines, key=lambda practice: -practice.sessions),
        "sessions": len(logs),
        "per_week": round(len(logs) / weeks, 1),
        "reactions": Counter(log.discomfort_kind for log in logs if log.discomfort),
        "reaction_logs": [log for log in logs if log.discomfort],
        "notes": [log for log in logs if log.notes],
    }
