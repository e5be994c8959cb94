"""The routine library as read-only values, read from the database once per process.

Goals, routines and steps change only when `flask content load` runs, which is part of a
deploy: app processes start (or are reloaded) after it, and `store_library` drops the
snapshot of the process it runs in. So catalog, routine and player pages need no query
for content at all, and every process, however many, serves what the database holds.

The values are plain frozen dataclasses (the loader's own, for goals and steps), never ORM
objects: they are shared between threads and must never be attached to a request's
session. Writes look routines up in the database (`app.sessions.logbook.routine_by_slug`).
"""

import hashlib
import threading
from dataclasses import dataclass

from flask import Flask, abort, current_app, redirect, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.content.loader import NEEDS, GoalData, StepData
from app.extensions import db
from app.models import Goal, Routine, Step

EXTENSION_KEY = "glowstep.catalog"
# How a card names what a routine needs.
NEED_LABELS = {"serum": "serum", "moisturiser": "moisturiser", "roller": "a facial roller",
               "gua-sha": "a gua sha stone", "cool-cloth": "a cool cloth", "towel": "a towel"}


@dataclass(frozen=True)
class RoutineView:
    id: int
    slug: str
    title: str
    summary: str
    level: str
    skin_types: tuple[str, ...]
    safety_notes: tuple[str, ...]
    retired: bool
    goals: tuple[GoalData, ...]
    steps: tuple[StepData, ...]
    cautions_summary: str = ""
    oil: str = "skin-type"
    previous_slugs: tuple[str, ...] = ()

    @property
    def total_seconds(self) -> int:
        return sum(step.duration_seconds for step in self.steps)

    @property
    def needs(self) -> tuple[str, ...]:
        """What the steps ask for besides hands and oil (oil advice is given apart), in the
        library's order: tools, a cloth, products."""
        wanted = {need for step in self.steps for need in step.needs}
        return tuple(need for need in NEEDS if need in wanted and need != "oil")

    @property
    def minutes(self) -> int:
        """Total length rounded to whole minutes, at least one."""
        return max(1, round(self.total_seconds / 60))


@dataclass(frozen=True)
class Catalog:
    goals: tuple[GoalData, ...]
    # Every routine, retired ones included: old logs link to them.
    routines_by_slug: dict[str, RoutineView]
    # The library as people browse it: shortest first.
    active_routines: tuple[RoutineView, ...]
    routines_by_id: dict[int, RoutineView]
    goals_by_routine_id: dict[int, tuple[str, ...]]
    # An old slug (before a rename) and the routine's slug now.
    renamed: dict[str, str]
    # A digest of everything above: equal in every process reading the same library, and
    # changed by any content load that changes it (app.fragments keys rendered steps by it).
    version: str

    def goal(self, slug: str) -> GoalData | None:
        return next((goal for goal in self.goals if goal.slug == slug), None)

    def routines_for_goal(self, goal: GoalData) -> list[RoutineView]:
        return [routine for routine in self.active_routines if goal in routine.goals]


def goal_data(goal: Goal) -> GoalData:
    return GoalData(goal.slug, goal.name, goal.summary, goal.why, goal.evidence_level, goal.evidence)


def step_from_values(values: dict) -> StepData:
    """A step from the plain values the steps table holds (a row's columns, or a nested alternative)."""
    instead = values.get("instead")
    return StepData(
        values["title"], values["instruction"], values["duration_seconds"], values["repetitions"], values["pressure"],
        values["direction"], values["zone"], values["illustration"], values["tip"] or "", tuple(values["needs"]),
        values["when_flagged"], values["motion"], values["per"], values["rows"], values["hold_seconds"],
        values["direction_from"], values["direction_to"], values["direction_path"],
        step_from_values(instead) if instead else None, values.get("cue") or "",
    )


def step_data(step: Step) -> StepData:
    return step_from_values({column.key: getattr(step, column.key) for column in Step.__table__.columns})


def read_catalog(session: Session) -> Catalog:
    goals = {goal.id: goal_data(goal) for goal in session.scalars(select(Goal).order_by(Goal.position))}
    routines = session.scalars(select(Routine).options(selectinload(Routine.goals), selectinload(Routine.steps)))
    views = [
        RoutineView(
            routine.id, routine.slug, routine.title, routine.summary, routine.level, tuple(routine.skin_types),
            tuple(routine.safety_notes), routine.retired, tuple(goals[goal.id] for goal in routine.goals),
            tuple(step_data(step) for step in routine.steps), routine.cautions_summary, routine.oil,
            tuple(routine.previous_slugs),
        )
        for routine in routines
    ]
    active = sorted((view for view in views if not view.retired), key=lambda view: (view.total_seconds, view.title))
    return Catalog(
        tuple(goals.values()), {view.slug: view for view in views}, tuple(active), {view.id: view for view in views},
        {view.id: tuple(goal.slug for goal in view.goals) for view in views},
        {old: view.slug for view in views for old in view.previous_slugs},
        library_version(tuple(goals.values()), views),
    )


def library_version(goals: tuple[GoalData, ...], routines: list[RoutineView]) -> str:
    """16 hex digits from the goals, and the routines in slug order (the query's row order
    may differ between processes): the values' reprs are plain tuples, strings and numbers."""
    text = repr((goals, sorted(routines, key=lambda view: view.slug)))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class CatalogHolder:
    """One snapshot per app, read on first use; a lock keeps threads from reading it twice."""

    def __init__(self):
        self.lock = threading.Lock()
        self.snapshot: Catalog | None = None

    def get(self) -> Catalog:
        snapshot = self.snapshot
        if snapshot is None:
            with self.lock:
                if self.snapshot is None:
                    # Read in the request's own session (no second connection: on a pool of
                    # one, a second checkout would be the same connection, mid-transaction).
                    self.snapshot = read_catalog(db.session)
                snapshot = self.snapshot
        return snapshot

    def drop(self) -> None:
        with self.lock:
            self.snapshot = None


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = CatalogHolder()


def catalog() -> Catalog:
    return current_app.extensions[EXTENSION_KEY].get()


def routine_or_404(slug: str) -> RoutineView:
    """A routine with its goals and steps, retired ones included (old logs link to them).
    A slug from before a rename answers 301 to the same page under the current slug.
    Here, not in a blueprint, because the catalog and the player both look routines up."""
    routine = catalog().routines_by_slug.get(slug)
    if routine is None and slug in catalog().renamed:
        view_args = (request.view_args or {}) | {"slug": catalog().renamed[slug]}
        abort(redirect(url_for(request.endpoint, **view_args, **request.args.to_dict(flat=False)), 301))
    return routine or abort(404)


def drop_catalog() -> None:
    """Forget the snapshot, so the next request reads the library again (after a content load)."""
    holder = current_app.extensions.get(EXTENSION_KEY)
    if holder is not None:
        holder.drop()
