"""Write a validated Library into the database: upsert by slug, retire what disappeared.

Only catalog tables are touched, so user data is never affected, and running it
twice in a row changes nothing the second time.
"""

from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import delete, insert, select

from app.content.loader import GoalData, Library, RoutineData, StepData
from app.content.snapshot import drop_catalog
from app.extensions import db
from app.models import Goal, Routine, Step, routine_goals


@dataclass
class StoreReport:
    created: int = 0
    updated: int = 0
    retired: int = 0

    def __str__(self) -> str:
        return f"{self.created} routines created, {self.updated} updated, {self.retired} retired"


def _assign(row, values: dict) -> bool:
    """Set only the attributes that differ; report whether anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _goal_values(goal: GoalData, position: int) -> dict:
    values = {f.name: getattr(goal, f.name) for f in fields(goal)}
    return values | {"position": position}


def _routine_values(routine: RoutineData) -> dict:
    return {
        "slug": routine.slug,
        "title": routine.title,
        "summary": routine.summary,
        "level": routine.level,
        "skin_types": list(routine.skin_types),
        "safety_notes": list(routine.safety_notes),
        "cautions_summary": routine.cautions_summary,
        "oil": routine.oil,
        "previous_slugs": list(routine.previous_slugs),
        "retired": False,
    }


def step_values(step: StepData) -> dict[str, Any]:
    """A step's fields as the steps table holds them; the alternative nests as plain values (JSON)."""
    values = {f.name: getattr(step, f.name) for f in fields(step)}
    instead = step_values(step.instead) if step.instead else None
    return values | {"needs": list(step.needs), "tip": step.tip or None, "instead": instead}


def _store_steps(routine: Routine, data: RoutineData) -> bool:
    changed = False
    for position, step_data in enumerate(data.steps, start=1):
        values = step_values(step_data) | {"position": position}
        if position <= len(routine.steps):
            changed |= _assign(routine.steps[position - 1], values)
        else:
            routine.steps.append(Step(**values))
            changed = True
    if len(routine.steps) > len(data.steps):
        del routine.steps[len(data.steps):]
        changed = True
    return changed


def _store_goal_links(routine: Routine, data: RoutineData, goals: dict[str, Goal]) -> bool:
    if [goal.slug for goal in routine.goals] == list(data.goals):
        return False
    db.session.flush()
    db.session.execute(delete(routine_goals).where(routine_goals.c.routine_id == routine.id))
    db.session.execute(
        insert(routine_goals),
        [
            {"routine_id": routine.id, "goal_id": goals[slug].id, "position": position}
            for position, slug in enumerate(data.goals)
        ],
    )
    db.session.expire(routine, ["goals"])
    return True


def store_library(library: Library) -> StoreReport:
    """Upsert goals and routines by slug in one transaction."""
    report = StoreReport()
    goals = {goal.slug: goal for goal in db.session.scalars(select(Goal))}
    for position, goal_data in enumerate(library.goals):
        goal = goals.get(goal_data.slug)
        if goal is None:
            goal = goals[goal_data.slug] = Goal(slug=goal_data.slug)
            db.session.add(goal)
        _assign(goal, _goal_values(goal_data, position))

    routines = {routine.slug: routine for routine in db.session.scalars(select(Routine))}
    for data in library.routines:
        # A renamed routine keeps its row, so the sessions logged with it follow the new name.
        known = (routines.get(slug) for slug in (data.slug, *data.previous_slugs))
        routine = next((row for row in known if row is not None), None)
        is_new = routine is None
        if is_new:
            routine = Routine(slug=data.slug)
            db.session.add(routine)
        changed = _assign(routine, _routine_values(data))
        changed |= _store_steps(routine, data)
        changed |= _store_goal_links(routine, data, goals)
        if is_new:
            report.created += 1
        elif changed:
            report.updated += 1

    wanted = {slug for data in library.routines for slug in (data.slug, *data.previous_slugs)}
    for slug, routine in routines.items():
        if slug not in wanted and not routine.retired:
            routine.retired = True
            report.retired += 1
    db.session.commit()
    # This process reads the new library on its next request; other processes restart.
    drop_catalog()
    return report
