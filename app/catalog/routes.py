"""Catalog pages, served from the library snapshot: no query for content. The filtering
rules sit in small helpers."""

from flask import abort, render_template, request
from flask_login import current_user
from sqlalchemy import text

from app.account.summary import progress_overview
from app.catalog import bp
from app.catalog.forms import LENGTHS, RoutineFilterForm
from app.catalog.personal import oil_suggestion, personal_notes, playable_today
from app.content.loader import GoalData
from app.content.snapshot import RoutineView, catalog
from app.extensions import db
from app.timezones import to_local, utc_now
from app.today import greeting, part_of_day, suggest_routine


def goal_or_404(slug: str) -> GoalData:
    return catalog().goal(slug) or abort(404)


@bp.get("/")
def home():
    """Today for a signed-in person; the catalog's front page for everyone else."""
    if current_user.is_authenticated:
        return today()
    return render_template("catalog/home.html", goals=catalog().goals)


def today():
    now = utc_now()
    local = to_local(now, current_user.time_zone)
    overview = progress_overview(current_user, now)
    recent = [overview.last_routine.slug] if overview.last_routine else []
    routines = catalog().active_routines
    suggestion = suggest_routine(routines, current_user.goal_slugs, current_user.practice_minutes, recent,
                                 playable_today(routines))
    return render_template("catalog/today.html", greeting=greeting(local.hour), moment=part_of_day(local.hour, current_user.practice_time),
                           suggestion=suggestion, overview=overview, this_week=overview.calendar[-1])


@bp.get("/goals")
def goals():
    return render_template("catalog/goals.html", goals=catalog().goals)


@bp.get("/goals/<slug:slug>")
def goal(slug: str):
    goal = goal_or_404(slug)
    routines = catalog().routines_for_goal(goal)
    return render_template(
        "catalog/goal.html", goal=goal, routines=routines, notes=personal_notes(routines), oil=oil_suggestion()
    )


def filter_routines(routines: list[RoutineView], form: RoutineFilterForm) -> list[RoutineView]:
    """Narrow the routines to each filter the visitor chose."""
    if form.goal.data:
        routines = [routine for routine in routines if any(goal.slug == form.goal.data for goal in routine.goals)]
    if form.length.data:
        _, shortest, longest = LENGTHS[form.length.data]
        routines = [routine for routine in routines if shortest <= routine.total_seconds <= longest]
    if form.skin_type.data:
        routines = [routine for routine in routines if form.skin_type.data in routine.skin_types]
    return routines


@bp.get("/routines")
def routines():
    form = RoutineFilterForm(catalog().goals, formdata=request.args)
    if request.args and not form.validate():
        return render_template("catalog/routines.html", form=form, routines=[], notes={}, oil=""), 400
    routines = filter_routines(list(catalog().active_routines), form)
    return render_template(
        "catalog/routines.html", form=form, routines=routines, notes=personal_notes(routines), oil=oil_suggestion()
    )


def routine_or_404(slug: str) -> RoutineView:
    """A routine with its goals and steps, retired ones included (old logs link to them)."""
    return catalog().routines_by_slug.get(slug) or abort(404)


@bp.get("/routines/<slug:slug>")
def routine(slug: str):
    routine = routine_or_404(slug)
    return render_template("catalog/routine.html", routine=routine, note=personal_notes([routine]).get(routine.id))


@bp.get("/safety")
def safety():
    return render_template("catalog/safety.html")


@bp.get("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
