"""Catalog pages. Views gather data and render; the filtering rules sit in small helpers."""

from flask import abort, render_template, request
from sqlalchemy import select, text
from sqlalchemy.orm import selectinload

from app.catalog import bp
from app.catalog.forms import LENGTHS, RoutineFilterForm
from app.catalog.personal import needs_steps, oil_suggestion, personal_notes
from app.extensions import db
from app.models import Goal, Routine


def all_goals() -> list[Goal]:
    return list(db.session.scalars(select(Goal).order_by(Goal.position)))


def active_routines():
    """Routines still in the library, with their goals (and steps, if warnings need them)."""
    query = (
        select(Routine)
        .where(Routine.retired.is_(False))
        .options(selectinload(Routine.goals))
        .order_by(Routine.total_seconds, Routine.title)
    )
    return query.options(selectinload(Routine.steps)) if needs_steps() else query


def goal_or_404(slug: str) -> Goal:
    return db.session.scalar(select(Goal).where(Goal.slug == slug)) or abort(404)


@bp.get("/")
def home():
    return render_template("catalog/home.html", goals=all_goals())


@bp.get("/goals")
def goals():
    return render_template("catalog/goals.html", goals=all_goals())


@bp.get("/goals/<slug:slug>")
def goal(slug: str):
    goal = goal_or_404(slug)
    routines = db.session.scalars(active_routines().where(Routine.goals.contains(goal))).all()
    return render_template(
        "catalog/goal.html", goal=goal, routines=routines, notes=personal_notes(routines), oil=oil_suggestion()
    )


def filter_routines(query, form: RoutineFilterForm):
    """Narrow the routine query by each filter the visitor chose."""
    if form.goal.data:
        query = query.where(Routine.goals.any(Goal.slug == form.goal.data))
    if form.length.data:
        _, shortest, longest = LENGTHS[form.length.data]
        query = query.where(Routine.total_seconds.between(shortest, longest))
    routines = db.session.scalars(query).all()
    if form.skin_type.data:
        # Skin types are a short JSON list; matching in Python keeps this portable.
        routines = [routine for routine in routines if form.skin_type.data in routine.skin_types]
    return routines


@bp.get("/routines")
def routines():
    goals = all_goals()
    form = RoutineFilterForm(goals, formdata=request.args)
    if request.args and not form.validate():
        return render_template("catalog/routines.html", form=form, routines=[], notes={}, oil=""), 400
    routines = filter_routines(active_routines(), form)
    return render_template(
        "catalog/routines.html", form=form, routines=routines, notes=personal_notes(routines), oil=oil_suggestion()
    )


def routine_or_404(slug: str) -> Routine:
    """A routine with its goals and steps, retired ones included (old logs link to them)."""
    return db.session.scalar(
        select(Routine)
        .where(Routine.slug == slug)
        .options(selectinload(Routine.goals), selectinload(Routine.steps))
    ) or abort(404)


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
