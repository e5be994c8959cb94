"""Catalog pages, served from the library snapshot: no query for content. The filtering
rules sit in small helpers."""

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import text

from app.catalog import bp
from app.catalog.forms import LENGTHS, RoutineFilterForm
from app.catalog.personal import oil_suggestion, personal_notes
from app.content import guide_copy
from app.content.loader import GoalData
from app.content.snapshot import RoutineView, catalog
from app.extensions import db


def goal_or_404(slug: str) -> GoalData:
    return catalog().goal(slug) or abort(404)


@bp.get("/")
def home():
    return render_template("catalog/home.html", goals=catalog().goals)


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
    """A routine with its goals and steps, retired ones included (old logs link to them).
    A slug from before a rename answers 301 to the same page under the current slug."""
    routine = catalog().routines_by_slug.get(slug)
    if routine is None and slug in catalog().renamed:
        view_args = (request.view_args or {}) | {"slug": catalog().renamed[slug]}
        abort(redirect(url_for(request.endpoint, **view_args, **request.args.to_dict(flat=False)), 301))
    return routine or abort(404)


@bp.get("/routines/<slug:slug>")
def routine(slug: str):
    routine = routine_or_404(slug)
    return render_template("catalog/routine.html", routine=routine, note=personal_notes([routine]).get(routine.id))


@bp.get("/safety")
def safety():
    return render_template("catalog/safety.html")


@bp.get("/guide")
def guide():
    """The beginner's guide: how often, what to expect, the pressure scale, hygiene, when to stop."""
    return render_template("catalog/guide.html", guide=guide_copy(), goals=catalog().goals)


@bp.get("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
