"""What the signed-in user's profile says about a routine: recommended, or worth a warning."""

from collections.abc import Sequence
from dataclasses import dataclass

from flask_login import current_user

from app.content import safety_copy
from app.content.snapshot import RoutineView
from app.player.plan import changes_in_words, flags_from_answers, plan_session


@dataclass(frozen=True)
class PersonalNote:
    recommended: bool
    warning: str


def personal_notes(routines: Sequence[RoutineView]) -> dict[int, PersonalNote]:
    if not current_user.is_authenticated:
        return {}
    flags = flags_from_answers(current_user.skin_flags, safety_copy()["skin_check"])
    goals, skin = set(current_user.goal_slugs), current_user.skin_type
    notes = {}
    for routine in routines:
        recommended = bool(goals or skin) and (
            (not goals or any(goal.slug in goals for goal in routine.goals))
            and (not skin or skin in routine.skin_types)
        )
        warning = ""
        if flags:
            plan = plan_session(routine.steps, flags)
            if plan.changed:
                warning = f"Your skin check flags areas this routine works on: {changes_in_words(plan)}. " \
                    "The player adapts it for you."
        notes[routine.id] = PersonalNote(recommended, warning)
    return notes


def oil_suggestion() -> str:
    if current_user.is_authenticated and current_user.skin_type:
        return safety_copy()["oil_by_skin_type"][current_user.skin_type]
    return ""


def playable_today(routines: Sequence[RoutineView]) -> frozenset[str]:
    """The slugs of the routines the signed-in person's standing skin check leaves something
    of today (every routine, when nothing is ticked)."""
    flags = flags_from_answers(current_user.skin_flags, safety_copy()["skin_check"])
    return frozenset(routine.slug for routine in routines if not flags or plan_session(routine.steps, flags).steps)
