"""Gather a user's history with a few queries, then hand plain values to app.progress."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.content.snapshot import RoutineView, catalog
from app.extensions import db
from app.models import Routine, SessionLog, User
from app.progress import (
    CalendarDay,
    LoggedSession,
    Milestone,
    Streaks,
    WeekFeel,
    WeekTotals,
    calendar_weeks,
    checkin_due,
    feel_trend,
    goal_minutes,
    milestones,
    streaks,
    week_totals,
)
from app.summaries import practice_summary_of
from app.timezones import to_local


@dataclass(frozen=True)
class ProgressOverview:
    streaks: Streaks
    week: WeekTotals
    minutes_per_goal: dict[str, int]
    calendar: list[list[CalendarDay]]
    days_practised: int
    last: LoggedSession | None
    last_routine: RoutineView | None
    checkin_due: bool
    total_sessions: int
    today: date  # in the person's zone
    feel: list[WeekFeel]
    milestones: list[Milestone]


def checkin_since(user: User) -> datetime:
    return user.checkin_acknowledged_at or user.created_at


def routine_of(session: LoggedSession | None) -> RoutineView | None:
    """The library's routine behind a logged session (None for none, or one since removed)."""
    return catalog().routines_by_id.get(session.routine_id) if session else None


def progress_overview(user: User, now_utc: datetime, programmes_finished: int = 0) -> ProgressOverview:
    summary = practice_summary_of(user)
    library = catalog()
    today = to_local(now_utc, user.time_zone).date()
    calendar = calendar_weeks(summary.sessions_per_day, today)
    streak = streaks(summary.sessions_per_day, today.toordinal(), user.rest_days_per_week)
    return ProgressOverview(
        streaks=streak,
        week=week_totals(summary, today, user.weekly_target),
        minutes_per_goal=goal_minutes(summary.seconds_per_routine, library.goals_by_routine_id),
        calendar=calendar,
        days_practised=sum(1 for week in calendar for day in week if day.sessions),
        last=summary.last,
        last_routine=routine_of(summary.last),
        checkin_due=checkin_due(
            summary.recent_utc,
            checkin_since(user),
            now_utc,
            user.checkin_every_sessions,
        ),
        total_sessions=summary.total_sessions,
        today=today,
        feel=feel_trend(summary, today),
        milestones=milestones(summary.total_sessions, streak.longest, programmes_finished),
    )


@dataclass(frozen=True)
class WeekGlance:
    """What Today shows of a person's practice: this week, the streak, what came last."""

    streak: int  # the current streak, in days
    week: WeekTotals
    days: list[CalendarDay]  # this week, Monday to Sunday
    total_sessions: int
    last_routine: RoutineView | None


def week_glance(user: User, now_utc: datetime) -> WeekGlance:
    """The part of progress_overview that Today needs, without the 12-week calendar, the feel
    trend, goal minutes and milestones it would not show."""
    summary = practice_summary_of(user)
    today = to_local(now_utc, user.time_zone).date()
    return WeekGlance(
        streak=streaks(summary.sessions_per_day, today.toordinal(), user.rest_days_per_week).current,
        week=week_totals(summary, today, user.weekly_target),
        days=calendar_weeks(summary.sessions_per_day, today, weeks=1)[0],
        total_sessions=summary.total_sessions,
        last_routine=routine_of(summary.last),
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
                # Where the person was: their wall time there, with its UTC offset, and the zone.
                "completed_at_local": to_local(log.completed_at, log.time_zone).isoformat(),
                "time_zone": log.time_zone,
                "clock_ahead": log.clock_ahead,
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


def practice_summary(user: User, first_day: date | None = None, last_day: date | None = None) -> dict:
    """What an esthetician would want to know, for the printable summary: the sessions
    between two of the person's local dates (either end open)."""
    logs = [log for log in user_logs(user)
            if (first_day or date.min) <= to_local(log.completed_at, user.time_zone).date() <= (last_day or date.max)]
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
        "feel_by_month": feel_by_month(logs, user.time_zone),
        "first_day": first_day,
        "last_day": last_day,
    }


def feel_by_month(logs: list[SessionLog], zone_name: str) -> list[tuple[date, float, int]]:
    """(first of the month, mean skin feel, sessions) for each month with sessions, in order."""
    months: dict[date, list[int]] = defaultdict(list)
    for log in logs:
        months[to_local(log.completed_at, zone_name).date().replace(day=1)].append(log.skin_feel)
    return [(month, round(sum(feels) / len(feels), 1), len(feels)) for month, feels in sorted(months.items())]
