"""Catalog pages, served from the library snapshot: no query for content. The filtering
rules sit in small helpers."""

from flask import abort, render_template, request
from sqlalchemy import text

from app.catalog import bp
from app.catalog.forms import LENGTHS, RoutineFilterForm
from app.catalog.personal import oil_suggestion, personal_notes
from app.content.loader import GoalData
from app.content.snapshot import RoutineView, catalog
from app.extensions import db
from app.revalidation import shared_with_visitors


def goal_or_404(slug: str) -> GoalData:
    return catalog().goal(slug) or abort(404)


@bp.get("/")
@shared_with_visitors
def home():
    return render_template("catalog/home.html", goals=catalog().goals)


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
@shared_with_visitors
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
@shared_with_visitors
def routine(slug: str):
    routine = routine_or_404(slug)
    return render_template("catalog/routine.html", routine=routine, note=personal_notes([routine]).get(routine.id))


@bp.get("/safety")
@shared_with_visitors
def safety():
    return render_template("catalog/safety.html")


@bp.get("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
