"""What the signed-in user's profile says about a routine: recommended, or worth a warning."""

from collections.abc import Sequence
from dataclasses import dataclass

from flask_login import current_user

from app.content import safety_copy
from app.content.snapshot import RoutineView
from app.player.plan import SkinRule, changes_in_words, flags_from_answers, plan_session
from app.timezones import to_local, utc_now


@dataclass(frozen=True)
class PersonalNote:
    recommended: bool
    warning: str


def standing_rules() -> list[SkinRule]:
    """The rules the signed-in person's standing skin check sets today (none for a visitor)."""
    if not current_user.is_authenticated:
        return []
    today = to_local(utc_now(), current_user.time_zone).date()  # the person's day, not the server's
    return flags_from_answers(current_user.skin_flags, safety_copy()["skin_check"], today)


def personal_notes(routines: Sequence[RoutineView]) -> dict[int, PersonalNote]:
    if not current_user.is_authenticated:
        return {}
    flags = standing_rules()
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
            if plan.no_session:
                labels = "; ".join(rule.label.lower() for rule in plan.no_session)
                warning = f"Your skin check says no facial massage today ({labels})."
            elif plan.changed:
                warning = f"Your skin check flags areas this routine works on: {changes_in_words(plan)}. " \
                    "The player adapts it for you."
        notes[routine.id] = PersonalNote(recommended, warning)
    return notes


def oil_suggestion() -> str:
    if current_user.is_authenticated and current_user.skin_type:
        return safety_copy()["oil_by_skin_type"][current_user.skin_type]
    return ""


def oil_advice(routine: RoutineView) -> dict[str, str]:
    """The oil advice for the start page, by skin type: the person's own type if the profile
    has one, every type for a visitor; drainage and product-free routines give one line instead."""
    if routine.oil == "little-or-none":
        return {"": "Little or no oil: drainage moves the skin rather than sliding over it."}
    if routine.oil == "none":
        return {"": "No oil or product needed: make-up and sunscreen can stay on."}
    by_type = safety_copy()["oil_by_skin_type"]
    if current_user.is_authenticated and current_user.skin_type:
        return {current_user.skin_type: by_type[current_user.skin_type]}
    return dict(by_type)


def playable_today(routines: Sequence[RoutineView]) -> frozenset[str]:
    """The slugs of the routines the signed-in person's standing skin check leaves something
    of today (every routine, when nothing is ticked)."""
    flags = standing_rules()
    return frozenset(routine.slug for routine in routines if not flags or plan_session(routine.steps, flags).steps)
