"""What the Today screen says and suggests. Pure functions over plain values: no database,
no Flask, so tests call them directly."""

from collections.abc import Sequence

from app.content.snapshot import RoutineView

PRACTICE_TIMES = {"morning": "In the morning", "evening": "In the evening", "both": "Morning and evening"}
MINUTES_CHOICES = (5, 10, 15, 20)


def greeting(local_hour: int) -> str:
    """"Good morning" from 5 to 11, "Good afternoon" to 17, then "Good evening"."""
    if 5 <= local_hour < 12:
        return "Good morning"
    if 12 <= local_hour < 18:
        return "Good afternoon"
    return "Good evening"


def part_of_day(local_hour: int, practice_time: str = "both") -> str:
    """Which session the suggestion is for, "morning" or "evening": the one the person chose,
    or, for both, the next one (the morning's from 4 am until 2 pm)."""
    if practice_time in ("morning", "evening"):
        return practice_time
    return "morning" if 4 <= local_hour < 14 else "evening"


def suggest_routine(routines: Sequence[RoutineView], goal_slugs: Sequence[str], minutes: int,
                    recent_slugs: Sequence[str], allowed: frozenset[str] | None = None) -> RoutineView | None:
    """The routine to offer today, from the library's active `routines` (shortest first):

    - only routines in `allowed` when given (what today's standing skin check permits);
    - those serving one of the person's goals first (any goal when none match or none are set);
    - within the time they said they have (`minutes`), else the shortest that serves them;
    - not the one they did last, when another fits as well, so practice has some variety.
    None when nothing is allowed."""
    pool = [routine for routine in routines if allowed is None or routine.slug in allowed]
    serving = [routine for routine in pool if any(goal.slug in goal_slugs for goal in routine.goals)] or pool
    if not serving:
        return None
    fitting = [routine for routine in serving if routine.minutes <= minutes] or serving[:1]
    last = recent_slugs[0] if recent_slugs else None
    fresh = [routine for routine in fitting if routine.slug != last] or fitting
    # The longest that fits: the most of the time they set aside, without going over.
    return max(fresh, key=lambda routine: (routine.minutes, -fresh.index(routine)))
