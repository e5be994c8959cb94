"""Today's session: a routine's steps, adapted to what the skin check flagged.

Pure functions over plain values, so the rules can be tested without a server.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

WHOLE_FACE = "full-face"


class StepLike(Protocol):
    title: str
    zone: str
    pressure: str
    when_flagged: str
    duration_seconds: int


@dataclass(frozen=True)
class SkinFlag:
    """One ticked item of the skin check, and where on the face (empty: everywhere)."""

    check_id: str
    label: str
    effect: str  # "adapt": the step decides (skip or lighten); "skip": affected steps are skipped
    zones: frozenset[str] = frozenset()

    @property
    def whole_face(self) -> bool:
        return not self.zones

    def affects(self, zone: str) -> bool:
        return self.whole_face or zone == WHOLE_FACE or zone in self.zones


@dataclass(frozen=True)
class PlannedStep:
    step: StepLike
    pressure: str
    change: str = ""  # why today's step differs from the routine, if it does


@dataclass
class SessionPlan:
    steps: list[PlannedStep] = field(default_factory=list)
    skipped: list[tuple[StepLike, str]] = field(default_factory=list)

    @property
    def total_seconds(self) -> int:
        return sum(planned.step.duration_seconds for planned in self.steps)

    @property
    def changed(self) -> bool:
        return bool(self.skipped) or any(planned.change for planned in self.steps)


def _reason(flags: Sequence[SkinFlag]) -> str:
    return "; ".join(flag.label.lower() for flag in flags)


def plan_step(step: StepLike, flags: Sequence[SkinFlag]) -> PlannedStep | str:
    """The step as done today, or the reason it is skipped."""
    affecting = [flag for flag in flags if flag.affects(step.zone)]
    if not affecting:
        return PlannedStep(step, step.pressure)
    reason = _reason(affecting)
    must_skip = any(flag.effect == "skip" for flag in affecting)
    # A whole-face step survives a flag on one area: done lightly, keeping away from that area.
    local_only = step.zone == WHOLE_FACE and all(not flag.whole_face for flag in affecting)
    if local_only and step.when_flagged == "lighten":
        areas = sorted({zone for flag in affecting for zone in flag.zones})
        return PlannedStep(step, "light", f"Light pressure today, and keep away from: {', '.join(areas)} ({reason}).")
    if must_skip or step.when_flagged == "skip":
        return f"Skipped today ({reason})."
    if step.pressure == "light":
        return PlannedStep(step, "light", f"Extra gentle today ({reason}).")
    return PlannedStep(step, "light", f"Light pressure today instead of {step.pressure} ({reason}).")


def plan_session(steps: Sequence[StepLike], flags: Sequence[SkinFlag]) -> SessionPlan:
    """Adapt every step to today's flags; with no flags the routine is unchanged."""
    plan = SessionPlan()
    for step in steps:
        outcome = plan_step(step, flags)
        if isinstance(outcome, PlannedStep):
            plan.steps.append(outcome)
        else:
            plan.skipped.append((step, outcome))
    return plan


def steps_in_words(count: int) -> str:
    return f"{count} step{'' if count == 1 else 's'}"


def changes_in_words(plan: SessionPlan) -> str:
    """What the player would change, e.g. "2 steps skipped, 1 step done gently"."""
    gentle = sum(1 for planned in plan.steps if planned.change)
    parts = [f"{steps_in_words(len(plan.skipped))} skipped"] if plan.skipped else []
    if gentle:
        parts.append(f"{steps_in_words(gentle)} done gently, away from those areas")
    return ", ".join(parts)


def flags_from_answers(answers: dict[str, list[str]], checks: Sequence[dict]) -> list[SkinFlag]:
    """Stored self-check answers ({check id: areas}) as flags; unknown ids are ignored."""
    return [
        SkinFlag(check["id"], check["label"], check["effect"], frozenset(answers[check["id"]]))
        for check in checks
        if check["id"] in answers
    ]
