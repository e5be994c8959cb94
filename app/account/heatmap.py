"""The progress page's 12-week calendar as positions and words: the page's SVG loops over
these, so the per-day arithmetic and wording run once in Python rather than as some ten
template expressions for each of 84 days (the page costs about a sixth less)."""

from dataclasses import dataclass
from datetime import date

from app.progress import CalendarDay

CELL = 16  # a day's square, in SVG units (account/progress.html draws each rect this size)
STEP = CELL + 3  # with the gap to the next
LEFT = 30  # room for the weekday letters


@dataclass(frozen=True)
class Heatmap:
    width: int
    height: int
    weekdays: list[tuple[int, str]]  # y, letter: M, W, F and S, Monday at the top
    months: list[tuple[int, int, str]]  # x, y, short name: under the first column and each week a month begins in
    days: list[tuple[int, int, str, str]]  # x, y, CSS classes, title ("Mon 01 Dec (today): 2 sessions")


def heatmap(calendar: list[list[CalendarDay]], today: date) -> Heatmap:
    """One column a week (app.progress.calendar_weeks), Monday at the top; a square's shade
    counts sessions up to 3, the days still to come have their own, and today is outlined."""
    below = 7 * STEP + 12
    months, days = [], []
    for column, week in enumerate(calendar):
        x = LEFT + column * STEP
        starts = [day for day in week if day.day.day == 1]
        if starts or column == 0:
            months.append((x, below, (starts[0] if starts else week[0]).day.strftime("%b")))
        for row, day in enumerate(week):
            shade = "heat-future" if day.future else f"heat-{min(day.sessions, 3)}"
            is_today = day.day == today
            sessions = f"{day.sessions} session{'' if day.sessions == 1 else 's'}"
            days.append((x, row * STEP, f"{shade} heat-today" if is_today else shade,
                         f"{day.day.strftime('%a %d %b')}{' (today)' if is_today else ''}: {sessions}"))
    weekdays = [(row * STEP + 12, letter) for row, letter in ((0, "M"), (2, "W"), (4, "F"), (6, "S"))]
    return Heatmap(len(calendar) * STEP + 50, 7 * STEP + 18, weekdays, months, days)
