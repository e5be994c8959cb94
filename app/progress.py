"""Progress logic as pure functions over plain values: no database, no Flask.

Days are calendar days in the user's time zone; callers convert stored UTC times first.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.timezones import to_local

CHECKIN_EVERY_DAYS = 28


@dataclass(frozen=True)
class Streaks:
    current: int
    longest: int


@dataclass(frozen=True)
class PracticeItem:
    """What the progress page needs of one logged session."""

    completed_at: datetime  # naive UTC
    seconds: int
    goal_slugs: tuple[str, ...] = ()


def practice_days(moments_utc: Iterable[datetime], zone_name: str) -> Counter[date]:
    """Sessions per local calendar day."""
    return Counter(to_local(moment, zone_name).date() for moment in moments_utc)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def streaks(days: Iterable[date], today: date, rest_days_per_week: int = 0) -> Streaks:
    """Current and longest streak, in days practised.

    Forgiving: up to `rest_days_per_week` missed days in a calendar week (Monday to
    Sunday) do not break a streak. Today not practised yet does not break it either:
    the day is not over.
    """
    practised = {day for day in days if day <= today}
    if not practised:
        return Streaks(0, 0)
    current = longest = 0
    missed_this_week: Counter[date] = Counter()
    day = min(practised)
    while day <= today:
        if day in practised:
            current += 1
            longest = max(longest, current)
        elif day != today and current:
            # Only days missed while a streak runs use up its rest days: a new streak
            # starts with the whole week's allowance, like the very first one.
            missed_this_week[week_start(day)] += 1
            if missed_this_week[week_start(day)] > rest_days_per_week:
                current = 0
                missed_this_week.clear()
        day += timedelta(days=1)
    return Streaks(current, longest)


@dataclass(frozen=True)
class WeekTotals:
    sessions: int
    minutes: int
    target: int

    @property
    def target_met(self) -> bool:
        return self.sessions >= self.target


def this_week(items: Sequence[PracticeItem], zone_name: str, today: date, target: int) -> WeekTotals:
    """Sessions and minutes since Monday, local time."""
    monday = week_start(today)
    in_week = [item for item in items if monday <= to_local(item.completed_at, zone_name).date() <= today]
    return WeekTotals(len(in_week), round(sum(item.seconds for item in in_week) / 60), target)


def minutes_per_goal(items: Iterable[PracticeItem]) -> dict[str, int]:
    """Minutes practised towards each goal; a routine serving two goals counts for both."""
    seconds: Counter[str] = Counter()
    for item in items:
        for slug in item.goal_slugs:
            seconds[slug] += item.seconds
    return {slug: round(total / 60) for slug, total in seconds.most_common()}


@dataclass(frozen=True)
class CalendarDay:
    day: date
    sessions: int
    future: bool


def calendar_weeks(per_day: Counter[date], today: date, weeks: int = 12) -> list[list[CalendarDay]]:
    """The last `weeks` weeks, Monday to Sunday, ending with the current week."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    return [
        [
            CalendarDay(day, per_day.get(day, 0), day > today)
            for day in (first + timedelta(weeks=week, days=offset) for offset in range(7))
        ]
        for week in range(weeks)
    ]


def checkin_due(
    session_times: Sequence[datetime], since: datetime, now: datetime, every_sessions: int
) -> bool:
    """A check-in with an esthetician is due after N sessions or 4 weeks since the last one,
    whichever comes first; `since` is the last acknowledgement (or sign-up)."""
    sessions_since = sum(1 for moment in session_times if moment > since)
    if sessions_since == 0:
        return False
    return sessions_since >= every_sessions or now - since >= timedelta(days=CHECKIN_EVERY_DAYS)


def repeated_reaction(kinds_newest_first: Sequence[str | None]) -> bool:
    """The same discomfort logged in the two most recent sessions: the advice gets firmer."""
    return len(kinds_newest_first) >= 2 and kinds_newest_first[0] is not None and (
        kinds_newest_first[0] == kinds_newest_first[1]
    )
