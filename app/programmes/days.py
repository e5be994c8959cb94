"""Where a person is in a programme: pure, over plain values.

A day is done by doing that day's routine on a local calendar date, and at most one day a
date: the programme moves on when you practise, not by the calendar, so a missed day waits
kindly. Other routines count as practice (streaks, progress) but do not move the programme.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ProgrammeProgress:
    days_done: int
    total_days: int
    today_done: bool  # a programme day was done today

    @property
    def finished(self) -> bool:
        return self.days_done >= self.total_days

    @property
    def current_day(self) -> int:
        """The day to do next (1-based), or the last day once finished."""
        return min(self.days_done + 1, self.total_days)


def programme_progress(routine_of_day: Sequence[str], practised: Sequence[tuple[date, str]],
                       today: date) -> ProgrammeProgress:
    """`routine_of_day`: each day's routine slug, in order; `practised`: (local date, routine
    slug) of every session since enrolling, in time order; `today`: the local date."""
    done, last_date = 0, None
    for day, routine in practised:
        if done < len(routine_of_day) and routine == routine_of_day[done] and day != last_date:
            done += 1
            last_date = day
    return ProgrammeProgress(done, len(routine_of_day), last_date == today)
