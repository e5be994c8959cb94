"""Catalog pages, served from the library snapshot: no query for content. The filtering
rules sit in small helpers."""

from flask import abort, render_template, request
from flask_login import current_user
from sqlalchemy import text

from app.account.summary import week_glance
from app.catalog import bp
from app.catalog.forms import LENGTHS, RoutineFilterForm
from app.catalog.personal import oil_suggestion, personal_notes, playable_today
from app.content import guide_copy
from app.content.loader import GoalData
from app.content.snapshot import RoutineView, catalog, routine_or_404
from app.extensions import db
from app.programmes.enrolments import following
from app.revalidation import shared_with_visitors
from app.timezones import to_local, utc_now
from app.today import greeting, part_of_day, suggest_routine


def goal_or_404(slug: str) -> GoalData:
    return catalog().goal(slug) or abort(404)


@bp.get("/")
@shared_with_visitors
def home():
    """Today for a signed-in person; the catalog's front page for everyone else."""
    if current_user.is_authenticated:
        return today()
    return render_template("catalog/home.html", goals=catalog().goals)


def today():
    now = utc_now()
    local = to_local(now, current_user.time_zone)
    glance = week_glance(current_user, now)
    routines = catalog().active_routines
    allowed = playable_today(routines)
    programme = following(current_user, now)
    suggestion = None
    if programme is not None and not programme.progress.finished:
        # The programme's day first, when today's skin check allows it.
        day = programme.programme.day(programme.progress.current_day)
        suggestion = catalog().routines_by_slug.get(day.routine) if day.routine in allowed else None
    if suggestion is None:
        recent = [glance.last_routine.slug] if glance.last_routine else []
        suggestion = suggest_routine(routines, current_user.goal_slugs, current_user.practice_minutes, recent, allowed)
    return render_template("catalog/today.html", greeting=greeting(local.hour), suggestion=suggestion,
                           moment=part_of_day(local.hour, current_user.practice_time), glance=glance,
                           programme=programme)


@bp.get("/goals")
@shared_with_visitors
def goals():
    return render_template("catalog/goals.html", goals=catalog().goals)


@bp.get("/goals/<slug:slug>")
@shared_with_visitors
def goal(slug: str):
    goal = goal_or_404(slug)
    routines = catalog().routines_for_goal(goal)
    return render_template(
        "catalog/goal.html", goal=goal, routines=routines, notes=personal_notes(routines), oil=oil_suggestion()
    )


FILTERS = ("goal", "length", "skin_type")


def matches(routine: RoutineView, filters: dict[str, str]) -> bool:
    """Whether the routine passes every filter chosen (an empty value is no filter)."""
    if filters.get("goal") and not any(goal.slug == filters["goal"] for goal in routine.goals):
        return False
    if filters.get("length"):
        _, shortest, longest = LENGTHS[filters["length"]]
        if not shortest <= routine.total_seconds <= longest:
            return False
    return not filters.get("skin_type") or filters["skin_type"] in routine.skin_types


def nearest_matches(routines: list[RoutineView], filters: dict[str, str]) -> tuple[str, list[RoutineView]]:
    """When nothing passes every filter: the routines that pass all but one, trying to drop
    the skin type, then the length, then the goal; with the name of the filter dropped."""
    for dropped in ("skin_type", "length", "goal"):
        if filters.get(dropped):
            found = [routine for routine in routines if matches(routine, filters | {dropped: ""})]
            if found:
                return dropped, found
    return "", []


@bp.get("/routines")
@shared_with_visitors
def routines():
    library = list(catalog().active_routines)
    preset = {}
    if not request.args and current_user.is_authenticated and current_user.skin_type:
        preset = {"skin_type": current_user.skin_type}  # a member sees what suits their skin first
    form = RoutineFilterForm(catalog().goals, library, formdata=request.args or None, data=preset)
    if request.args and not form.validate():
        return render_template("catalog/routines.html", form=form, routines=[], notes={}, oil="", nearest=None), 400
    filters = {name: form[name].data or "" for name in FILTERS}
    shown = [routine for routine in library if matches(routine, filters)]
    dropped, nearest = ("", []) if shown else nearest_matches(library, filters)
    notes = personal_notes(shown or nearest)
    # Recommended for you first; otherwise the library's order (shortest first).
    shown.sort(key=lambda routine: not (notes.get(routine.id) and notes[routine.id].recommended))
    return render_template("catalog/routines.html", form=form, routines=shown, notes=notes, oil=oil_suggestion(),
                           nearest={"dropped": form[dropped].label.text if dropped else "", "routines": nearest})


@bp.get("/routines/<slug:slug>")
@shared_with_visitors
def routine(slug: str):
    routine = routine_or_404(slug)
    return render_template("catalog/routine.html", routine=routine, note=personal_notes([routine]).get(routine.id))


@bp.get("/safety")
@shared_with_visitors
def safety():
    return render_template("catalog/safety.html")


@bp.get("/guide")
@shared_with_visitors
def guide():
    """The beginner's guide: how often, what to expect, the pressure scale, hygiene, when to stop."""
    return render_template("catalog/guide.html", guide=guide_copy(), goals=catalog().goals)


@bp.get("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
