"""Progress logic as pure functions over plain values: no database, no Flask.

Days are calendar days in the user's time zone; callers convert stored UTC times first.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.timezones import to_local

CHECKIN_EVERY_DAYS = 28


@dataclass(frozen=True)
class Streaks:
    current: int
    longest: int


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_of(day: int) -> int:
    """The day number of the Monday that starts day number `day`'s week (day 1 was a Monday)."""
    return day - (day + 6) % 7


def days_so_far_this_week(today: date) -> range:
    """Monday to today, as day numbers."""
    return range(week_start(today).toordinal(), today.toordinal() + 1)


def local_day_number(moment_utc: datetime, zone_name: str) -> int:
    """The day number (date.toordinal) of a naive UTC moment's calendar day in the zone."""
    return to_local(moment_utc, zone_name).date().toordinal()


def streaks(days: Iterable[int], today: int, rest_days_per_week: int = 0) -> Streaks:
    """Current and longest streak, in days practised; `days` and `today` are day numbers
    (date.toordinal), as the stored summary keeps them.

    Forgiving: up to `rest_days_per_week` missed days in a calendar week (Monday to
    Sunday) do not break a streak. Today not practised yet does not break it either:
    the day is not over.

    Walks the days practised and counts each gap between them week by week, so its cost
    follows the days practised rather than every calendar day since the first (equal to a
    day-by-day walk: tests/test_progress.py checks this with hypothesis).
    """
    practised = sorted({day for day in days if day <= today})
    if not practised:
        return Streaks(0, 0)
    current = longest = 0
    missed_this_week: Counter[int] = Counter()

    def miss(first: int, last: int) -> None:
        """Count the missed days first..last (inclusive) against their weeks' rest days."""
        nonlocal current
        while current and first <= last:
            # Only days missed while a streak runs use up its rest days: a new streak
            # starts with the whole week's allowance, like the very first one.
            week = week_of(first)
            in_week = min(last, week + 6)
            missed_this_week[week] += in_week - first + 1
            if missed_this_week[week] > rest_days_per_week:
                current = 0
                missed_this_week.clear()
            first = in_week + 1

    previous = practised[0]
    for day in practised:
        if day - previous > 1:
            miss(previous + 1, day - 1)
        current += 1
        if current > longest:
            longest = current
        previous = day
    miss(previous + 1, today - 1)  # today itself is not over
    return Streaks(current, longest)


@dataclass(frozen=True)
class WeekTotals:
    sessions: int
    minutes: int
    target: int

    @property
    def target_met(self) -> bool:
        return self.sessions >= self.target


def goal_minutes(
    seconds_per_routine: Mapping[int, int], goals_by_routine: Mapping[int, Sequence[str]]
) -> dict[str, int]:
    """Whole minutes per goal, the most practised first. A routine serving two goals counts
    for both; one the library no longer maps to a goal counts for none."""
    seconds: Counter[str] = Counter()
    for routine_id, total in seconds_per_routine.items():
        for slug in goals_by_routine.get(routine_id, ()):
            seconds[slug] += total
    return {slug: round(total / 60) for slug, total in seconds.most_common()}


@dataclass(frozen=True)
class CalendarDay:
    day: date
    sessions: int
    future: bool


def calendar_weeks(per_day: Mapping[int, int], today: date, weeks: int = 12) -> list[list[CalendarDay]]:
    """The last `weeks` weeks, Monday to Sunday, ending with the current week; `per_day` is
    sessions by day number (date.toordinal)."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    return [
        [
            CalendarDay(day, per_day.get(day.toordinal(), 0), day > today)
            for day in (first + timedelta(weeks=week, days=offset) for offset in range(7))
        ]
        for week in range(weeks)
    ]


def checkin_weeks_passed(since: datetime, now: datetime) -> bool:
    """Four weeks since the last check-in acknowledgement (or sign-up)."""
    return now - since >= timedelta(days=CHECKIN_EVERY_DAYS)


def checkin_due(
    session_times: Sequence[datetime], since: datetime, now: datetime, every_sessions: int
) -> bool:
    """A check-in with an esthetician is due after N sessions or 4 weeks since the last one,
    whichever comes first; `since` is the last acknowledgement (or sign-up)."""
    sessions_since = sum(1 for moment in session_times if moment > since)
    if sessions_since == 0:
        return False
    return sessions_since >= every_sessions or checkin_weeks_passed(since, now)


def repeated_reaction(kinds_newest_first: Sequence[str | None]) -> bool:
    """The same discomfort logged in the two most recent sessions: the advice gets firmer."""
    return len(kinds_newest_first) >= 2 and kinds_newest_first[0] is not None and (
        kinds_newest_first[0] == kinds_newest_first[1]
    )


# --- The stored summary: what the progress page needs of a whole history, small enough to
# keep beside the user and to read in one query, however many sessions they logged.

RECENT_KEPT = 100  # the largest "check in every N sessions" a profile allows


# The stored summary's format. A stored summary of another version is folded again from the
# history (app.account.summary), so a new field never meets an old row.
SUMMARY_VERSION = 3


def per_day_counts(first_day: int, sessions: list[int], seconds: list[int]) -> tuple[Counter[int], Counter[int]]:
    """Stored per-day lists (PracticeSummary.to_json) as sessions and seconds by day number,
    for the days practised."""
    practised = [offset for offset, count in enumerate(sessions) if count]
    return (Counter({first_day + offset: sessions[offset] for offset in practised}),
            Counter({first_day + offset: seconds[offset] for offset in practised}))


@dataclass(frozen=True)
class LoggedSession:
    """The few fields the summary keeps of a session."""

    id: int
    routine_id: int
    completed_at: datetime  # naive UTC
    seconds: int
    skin_feel: int = 3  # 1 (unhappy) to 5 (great)


@dataclass(frozen=True)
class PracticeSummary:
    """A whole history folded. Days are day numbers (date.toordinal) in the person's zone, so
    reading a stored summary makes no date objects: a two-year history has some 700 days."""

    sessions_per_day: Counter[int]
    seconds_per_day: Counter[int]
    # Per routine, not per goal: which goals a routine serves is the library's to say, today.
    seconds_per_routine: Counter[int]
    total_sessions: int
    recent_utc: tuple[datetime, ...]  # the newest sessions' times, newest first, at most RECENT_KEPT
    last: LoggedSession | None
    # Per week (its Monday's day number): the sum and the number of skin-feel answers.
    feel_per_week: dict[int, tuple[int, int]]

    def to_json(self) -> dict:
        """The stored form: days as day numbers (date.toordinal), the per-day totals as two lists
        from the first day practised to the last, so reading it back is a few arrays of numbers
        rather than hundreds of date strings (JSON numbers read several times faster)."""
        last, per_day = self.last, self.sessions_per_day
        first = min(per_day) if per_day else 0
        span = max(per_day) - first + 1 if per_day else 0
        sessions, seconds = [0] * span, [0] * span
        for day, count in per_day.items():
            offset = day - first
            sessions[offset], seconds[offset] = count, self.seconds_per_day[day]
        return {
            "version": SUMMARY_VERSION,
            "first_day": first,
            "sessions": sessions,
            "seconds": seconds,
            "routines": dict(self.seconds_per_routine),
            "total": self.total_sessions,
            "recent": [moment.isoformat() for moment in self.recent_utc],
            "last": [last.id, last.routine_id, last.completed_at.isoformat(), last.seconds, last.skin_feel]
            if last else None,
            "feel": [[week, total, count] for week, (total, count) in self.feel_per_week.items()],
        }

    @classmethod
    def from_json(cls, data: dict) -> "PracticeSummary":
        """Read a stored summary of SUMMARY_VERSION (check `is_current_format` first)."""
        last = data["last"]
        return cls(
            *per_day_counts(data["first_day"], data["sessions"], data["seconds"]),
            Counter({int(routine_id): seconds for routine_id, seconds in data["routines"].items()}),
            data["total"],
            tuple(datetime.fromisoformat(moment) for moment in data["recent"]),
            LoggedSession(last[0], last[1], datetime.fromisoformat(last[2]), last[3], last[4]) if last else None,
            {week: (total, count) for week, total, count in data["feel"]},
        )

    @staticmethod
    def is_current_format(data: dict) -> bool:
        return data.get("version") == SUMMARY_VERSION


def summarise(sessions: Sequence[LoggedSession], zone_name: str) -> PracticeSummary:
    """Fold a whole history into per-day and per-routine totals, in the user's time zone."""
    local_days = [local_day_number(session.completed_at, zone_name) for session in sessions]
    seconds_per_day: Counter[int] = Counter()
    seconds_per_routine: Counter[int] = Counter()
    for day, session in zip(local_days, sessions, strict=True):
        seconds_per_day[day] += session.seconds
        seconds_per_routine[session.routine_id] += session.seconds
    feel: dict[int, list[int]] = {}
    for day, session in zip(local_days, sessions, strict=True):
        totals = feel.setdefault(week_of(day), [0, 0])
        totals[0] += session.skin_feel
        totals[1] += 1
    newest_first = sorted(sessions, key=lambda session: (session.completed_at, session.id), reverse=True)
    return PracticeSummary(
        Counter(local_days),
        seconds_per_day,
        seconds_per_routine,
        len(sessions),
        tuple(session.completed_at for session in newest_first[:RECENT_KEPT]),
        newest_first[0] if newest_first else None,
        {week: (total, count) for week, (total, count) in feel.items()},
    )


def add_session(summary: PracticeSummary, session: LoggedSession, zone_name: str) -> PracticeSummary:
    """The summary with one more session folded in: equal to `summarise` over the history
    plus `session` (tests/test_progress.py checks this with hypothesis), at a cost that does
    not grow with the history. Edits and deletions still fold the history again."""
    day = local_day_number(session.completed_at, zone_name)
    feel = dict(summary.feel_per_week)
    total, count = feel.get(week_of(day), (0, 0))
    feel[week_of(day)] = (total + session.skin_feel, count + 1)
    newest = max(filter(None, (summary.last, session)), key=lambda logged: (logged.completed_at, logged.id))
    return PracticeSummary(
        summary.sessions_per_day + Counter({day: 1}),
        summary.seconds_per_day + Counter({day: session.seconds}),
        summary.seconds_per_routine + Counter({session.routine_id: session.seconds}),
        summary.total_sessions + 1,
        tuple(sorted((*summary.recent_utc, session.completed_at), reverse=True)[:RECENT_KEPT]),
        newest,
        feel,
    )


def revise(summary: PracticeSummary, removed: LoggedSession | None, added: LoggedSession | None,
           zone_name: str) -> PracticeSummary | None:
    """The summary with `removed` taken out and `added` folded in (an edit is both, a new log
    only `added`, a deletion only `removed`): equal to `summarise` over the history so changed
    (tests/test_progress.py checks this with hypothesis). None when the summary does not hold
    what the change needs: the newest session or one of the RECENT_KEPT newest times goes and
    nothing newer takes its place. The caller then folds the history again."""
    if removed is None:
        return add_session(summary, added, zone_name) if added is not None else summary
    recent = list(summary.recent_utc)
    complete = summary.total_sessions <= RECENT_KEPT
    if complete or removed.completed_at >= recent[-1]:
        recent.remove(removed.completed_at)
        if not complete and (added is None or added.completed_at < summary.recent_utc[-1]):
            return None  # the next-newest time beyond the kept ones is not known
    last = summary.last
    if last is not None and removed.id == last.id:
        if recent and (added is None or added.completed_at <= recent[0]):
            return None  # which session is now the newest is not known
        last = None  # nothing is left, or `added` is the newest
    day = local_day_number(removed.completed_at, zone_name)
    feel = dict(summary.feel_per_week)
    total, count = feel.pop(week_of(day))
    if count > 1:
        feel[week_of(day)] = (total - removed.skin_feel, count - 1)
    kept = PracticeSummary(
        summary.sessions_per_day - Counter({day: 1}),
        summary.seconds_per_day - Counter({day: removed.seconds}),
        summary.seconds_per_routine - Counter({removed.routine_id: removed.seconds}),
        summary.total_sessions - 1,
        tuple(recent),
        last,
        feel,
    )
    return add_session(kept, added, zone_name) if added is not None else kept


@dataclass(frozen=True)
class WeekFeel:
    week: date  # its Monday
    average: float | None  # mean skin feel, 1 to 5; None when nothing was logged that week
    sessions: int


def feel_trend(summary: PracticeSummary, today: date, weeks: int = 12) -> list[WeekFeel]:
    """The mean skin feel of each of the last `weeks` weeks, oldest first, ending this week."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    trend = []
    for offset in range(weeks):
        week = first + timedelta(weeks=offset)
        total, count = summary.feel_per_week.get(week.toordinal(), (0, 0))
        trend.append(WeekFeel(week, round(total / count, 2) if count else None, count))
    return trend


@dataclass(frozen=True)
class Milestone:
    name: str
    reached: bool


def milestones(total_sessions: int, longest_streak: int, programmes_finished: int = 0) -> list[Milestone]:
    """The milestones, in the order they usually come, each reached or not yet."""
    return [
        Milestone("Your first session", total_sessions >= 1),
        Milestone("A first week: seven days in a row", longest_streak >= 7),
        Milestone("10 sessions", total_sessions >= 10),
        Milestone("50 sessions", total_sessions >= 50),
        Milestone("A programme finished", programmes_finished >= 1),
    ]


def week_totals(summary: PracticeSummary, today: date, target: int) -> WeekTotals:
    """Sessions and minutes since Monday, from the per-day totals."""
    days = days_so_far_this_week(today)
    seconds = sum(summary.seconds_per_day.get(day, 0) for day in days)
    return WeekTotals(sum(summary.sessions_per_day.get(day, 0) for day in days), round(seconds / 60), target)
