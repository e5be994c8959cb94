"""Today's session: a routine's steps, adapted to the skin check's answers.

Pure functions over plain values, so the rules can be tested without a server. The rules
themselves are data (safety.yaml, `skin_check`), grounded in /work/shared/SAFETY-NOTES.md:

- an area marked (breakout, flare, broken or sunburnt skin, infection, a treated area) leaves
  out every step that touches it; a step may name an `instead:` alternative, else it is dropped;
- a no-session answer (fever, unexplained swelling, toxin in the last 48 hours, …) leaves
  nothing to play;
- a limit (toxin within 14 days, retinoids, rosacea-prone skin) caps the pressure and bars
  tools or motions on every step.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from app.content.loader import FACE_ZONES, NECK_ZONES, PRESSURES, ZONES

# Time ranges a time-limited answer is given in: (first day, day it ends), counted from treatment.
RANGE_DAYS = {"48h": (0, 2), "14d": (2, 14), "28d": (14, 28)}
LATER = "older"
# Areas a profile may have stored before the neck was split into sides, front and collarbone.
FORMER_ZONES = {"neck": NECK_ZONES}


class StepLike(Protocol):
    title: str
    pressure: str
    when_flagged: str
    duration_seconds: int
    motion: str
    needs: tuple[str, ...]
    touches: frozenset[str]
    instead: "StepLike | None"


@dataclass(frozen=True)
class SkinAnswer:
    """One answer of the skin check: the areas marked (empty: everywhere) and, for a
    time-limited check, the time range ("48h", "14d", "28d" or "older")."""

    check_id: str
    zones: frozenset[str] = frozenset()
    when: str = ""


@dataclass(frozen=True)
class SkinRule:
    """What one answer asks of today's session."""

    check_id: str
    label: str
    advice: str
    skip_zones: frozenset[str] = frozenset()
    no_session: bool = False
    max_pressure: str = "firm"
    no_needs: frozenset[str] = frozenset()
    no_motions: frozenset[str] = frozenset()

    def blocks(self, step: StepLike) -> bool:
        return bool(
            step.touches & self.skip_zones
            or set(step.needs) & self.no_needs
            or step.motion in self.no_motions
        )


@dataclass(frozen=True)
class PlannedStep:
    step: StepLike
    pressure: str
    change: str = ""  # why today's step differs from the routine, if it does


@dataclass
class SessionPlan:
    steps: list[PlannedStep] = field(default_factory=list)
    skipped: list[tuple[StepLike, str]] = field(default_factory=list)
    # The answers that rule out any session today; when set, `steps` is empty.
    no_session: list[SkinRule] = field(default_factory=list)

    @property
    def total_seconds(self) -> int:
        return sum(planned.step.duration_seconds for planned in self.steps)

    @property
    def changed(self) -> bool:
        return bool(self.skipped or self.no_session) or any(planned.change for planned in self.steps)

    @property
    def mostly_dropped(self) -> bool:
        """More than half the routine is left out today: worth suggesting another."""
        return len(self.skipped) > len(self.steps)


def rule_for(check: Mapping, answer: SkinAnswer) -> SkinRule | None:
    """The rule an answer to `check` sets, or None (a time-limited answer from longer ago)."""
    data = check["when"].get(answer.when) if check["asks"] == "when" else check["rule"]
    if data is None:
        return None
    zones = frozenset(data.get("skip_zones", ()))
    if data.get("skip_areas"):
        zones |= answer.zones or frozenset(FACE_ZONES)
    return SkinRule(
        check["id"], check["label"], check["advice"], zones, bool(data.get("no_session")),
        data.get("max_pressure", "firm"), frozenset(data.get("no_needs", ())), frozenset(data.get("no_motions", ())),
    )


def rules_for(answers: Sequence[SkinAnswer], checks: Sequence[Mapping]) -> list[SkinRule]:
    """The rules today's answers set, in the order of the checks; unknown ids are ignored."""
    by_id = {answer.check_id: answer for answer in answers}
    rules = (rule_for(check, by_id[check["id"]]) for check in checks if check["id"] in by_id)
    return [rule for rule in rules if rule is not None]


def _reason(rules: Sequence[SkinRule]) -> str:
    return "; ".join(rule.label.lower() for rule in rules)


def _over(step: StepLike, cap: str) -> bool:
    return PRESSURES.index(step.pressure) > PRESSURES.index(cap)


def _why_not(step: StepLike, rules: Sequence[SkinRule], cap: str) -> list[SkinRule]:
    """The rules that keep the step out as written: they block it, or cap a pressure it can't drop to."""
    capped = _over(step, cap) and step.when_flagged != "lighten"
    return [rule for rule in rules if rule.blocks(step) or (capped and rule.max_pressure == cap)]


def plan_step(step: StepLike, rules: Sequence[SkinRule]) -> PlannedStep | str:
    """The step as done today (or its `instead:` alternative), or the reason it is left out."""
    cap = min((rule.max_pressure for rule in rules), key=PRESSURES.index, default=PRESSURES[-1])
    chosen, change = step, ""
    against = _why_not(step, rules, cap)
    if against:
        if step.instead is None or _why_not(step.instead, rules, cap):
            return f"Left out today ({_reason(against)})."
        chosen, change = step.instead, f"Instead of “{step.title}” today ({_reason(against)})."
    if _over(chosen, cap):
        limiting = _reason([rule for rule in rules if rule.max_pressure == cap])
        return PlannedStep(chosen, cap, f"{cap.capitalize()} pressure today instead of {chosen.pressure} ({limiting}).")
    return PlannedStep(chosen, chosen.pressure, change)


def plan_session(steps: Sequence[StepLike], rules: Sequence[SkinRule]) -> SessionPlan:
    """Adapt every step to today's rules; with no rules the routine is unchanged."""
    stop = [rule for rule in rules if rule.no_session]
    if stop:
        return SessionPlan(no_session=stop)
    plan = SessionPlan()
    for step in steps:
        outcome = plan_step(step, rules)
        if isinstance(outcome, PlannedStep):
            plan.steps.append(outcome)
        else:
            plan.skipped.append((step, outcome))
    if plan.skipped and not any(planned.step.touches for planned in plan.steps):
        # Only getting ready is left: there is no session to get ready for.
        alone = [(planned.step, "Left out today: nothing else is left.") for planned in plan.steps]
        plan.skipped = alone + plan.skipped
        plan.steps = []
    return plan


def steps_in_words(count: int) -> str:
    return f"{count} step{'' if count == 1 else 's'}"


def changes_in_words(plan: SessionPlan) -> str:
    """What the player would change, e.g. "2 steps left out, 1 step done gently"."""
    if plan.no_session:
        return "no session today"
    gentle = sum(1 for planned in plan.steps if planned.change)
    parts = [f"{steps_in_words(len(plan.skipped))} left out"] if plan.skipped else []
    if gentle:
        parts.append(f"{steps_in_words(gentle)} done differently")
    return ", ".join(parts)


def range_today(when: str, answered_on: date, today: date, offered: Sequence[str]) -> str:
    """A time range given on `answered_on`, as it stands `today`.

    Counted from the most recent day the range allows, so an answer only ever moves to a
    later range once enough days have passed: "48h" answered 3 days ago is "14d" today, and
    a range past the last one the check offers is "older" (the answer has lapsed).
    """
    if when not in RANGE_DAYS:
        return LATER
    days = RANGE_DAYS[when][0] + (today - answered_on).days
    return next((name for name in offered if name in RANGE_DAYS and days < RANGE_DAYS[name][1]), LATER)


def answers_from_stored(stored: Mapping, checks: Sequence[Mapping], today: date) -> list[SkinAnswer]:
    """The profile's standing answers as of `today`.

    `stored` maps a check id to its areas (a list), or to {"zones": [...], "when": range,
    "answered_on": "YYYY-MM-DD"} for a time-limited check. A time-limited answer without the
    day it was given cannot be aged, so it does not count: the player asks it every session.
    """
    answers = []
    for check in checks:
        value = stored.get(check["id"])
        if value is None:
            continue
        if isinstance(value, list):
            value = {"zones": value}
        zones = frozenset(
            area for zone in value.get("zones", ()) for area in FORMER_ZONES.get(zone, (zone,)) if area in ZONES
        )
        if check["asks"] != "when":
            answers.append(SkinAnswer(check["id"], zones))
            continue
        try:
            answered_on = date.fromisoformat(value.get("answered_on", ""))
        except (TypeError, ValueError):
            continue
        when = range_today(value.get("when", ""), answered_on, today, tuple(check["when"]))
        if when != LATER:
            answers.append(SkinAnswer(check["id"], zones, when))
    return answers


def answers_as_args(answers: Sequence[SkinAnswer]) -> dict[str, list[str]]:
    """Answers as the skin check's query parameters (and form data): {"breakout": ["y"],
    "breakout_zones": ["cheeks"], "toxin": ["14d"]}."""
    args: dict[str, list[str]] = {}
    for answer in answers:
        args[answer.check_id] = [answer.when or "y"]
        if answer.zones:
            args[f"{answer.check_id}_zones"] = sorted(answer.zones)
    return args


def answers_in_words(answers: Sequence[SkinAnswer], checks: Sequence[Mapping], zone_labels: Mapping[str, str]) -> str:
    """Answers in one line, e.g. "Inflamed spots, a breakout or cystic acne (cheeks, chin)";
    empty when there are none."""
    labels = {check["id"]: check["label"] for check in checks}
    parts = []
    for answer in answers:
        where = ", ".join(zone_labels[zone].lower() for zone in sorted(answer.zones))
        parts.append(f"{labels[answer.check_id]}{f' ({where})' if where else ''}")
    return "; ".join(parts)


def flags_from_answers(stored: Mapping, checks: Sequence[Mapping], today: date | None = None) -> list[SkinRule]:
    """The rules the profile's standing answers set today."""
    return rules_for(answers_from_stored(stored, checks, today or date.today()), checks)


class RoutineLike(Protocol):
    slug: str
    goals: tuple
    steps: Sequence[StepLike]


def suggest_instead(current: RoutineLike, routines: Sequence[RoutineLike], rules: Sequence[SkinRule]):
    """Another routine for today when most of `current` is left out: one sharing a goal
    (else any) that today's rules leave mostly whole, or None."""
    fits = [
        routine for routine in routines
        if routine.slug != current.slug and not plan_session(routine.steps, rules).mostly_dropped
        and plan_session(routine.steps, rules).steps
    ]
    related = [routine for routine in fits if set(routine.goals) & set(current.goals)]
    return next(iter(related or fits), None)
