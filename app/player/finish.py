"""The finish screen's counts: the streak and this week's sessions as they stand once this
session is logged. Pure, over the per-day counts of app.progress (day numbers in the person's
zone)."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from app.progress import days_so_far_this_week, streaks


@dataclass(frozen=True)
class FinishCounts:
    streak_days: int
    week_sessions: int
    week_target: int


def counts_with_this_session(
    sessions_per_day: Counter[int], today: date, rest_days_per_week: int, week_target: int, counted: bool = False
) -> FinishCounts:
    """Streak and this week's sessions including the session just finished (unless `counted`:
    it is logged already); `sessions_per_day` is by day number (date.toordinal). The streak
    forgives rest days as app.progress.streaks does."""
    today_number = today.toordinal()
    per_day = sessions_per_day if counted else sessions_per_day + Counter({today_number: 1})
    this_week = sum(per_day.get(day, 0) for day in days_so_far_this_week(today))
    return FinishCounts(streaks(per_day, today_number, rest_days_per_week).current, this_week, week_target)
