"""Read and validate the content files; write the library into the database by slug.

Validation is strict and every error names the file and the routine, so a content
writer can fix a file without reading this code.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CONTENT_DIR = Path(__file__).parent
GOAL_SLUGS = (
    "circulation",
    "tension-relief",
    "lymphatic-drainage",
    "product-absorption",
    "puffiness-dark-circles",
    "muscle-tone",
    "collagen-firmness",
)
ZONES = (
    "forehead", "temples", "eyes", "cheeks", "nose",
    "mouth", "chin", "jawline", "neck", "full-face",
)
ZONE_LABELS = {
    "forehead": "Forehead",
    "temples": "Temples",
    "eyes": "Around the eyes",
    "cheeks": "Cheeks",
    "nose": "Nose",
    "mouth": "Around the mouth",
    "chin": "Chin",
    "jawline": "Jawline",
    "neck": "Neck",
    "full-face": "Whole face",
}
SKIN_TYPES = ("normal", "dry", "oily", "combination", "sensitive")
PRESSURES = ("light", "medium", "firm")
LEVELS = ("beginner", "intermediate")
NEEDS = ("oil", "serum", "moisturiser", "roller", "gua-sha", "cool-cloth", "towel")
WHEN_FLAGGED = ("skip", "lighten")


class ContentError(ValueError):
    """A content file is malformed; the message says which file, routine and field."""


@dataclass(frozen=True)
class StepData:
    title: str
    instruction: str
    duration_seconds: int
    repetitions: int
    pressure: str
    direction: str
    zone: str
    illustration: str
    tip: str
    needs: tuple[str, ...]
    when_flagged: str


@dataclass(frozen=True)
class RoutineData:
    slug: str
    title: str
    summary: str
    level: str
    goals: tuple[str, ...]
    skin_types: tuple[str, ...]
    safety_notes: tuple[str, ...]
    steps: tuple[StepData, ...]

    @property
    def total_seconds(self) -> int:
        return sum(step.duration_seconds for step in self.steps)


@dataclass(frozen=True)
class GoalData:
    slug: str
    name: str
    summary: str
    why: str
    evidence_level: str
    evidence: str


@dataclass(frozen=True)
class Illustration:
    zone: str
    label: str
    arrows: tuple[str, ...]


@dataclass(frozen=True)
class Drawings:
    """The face drawing shared by every step, its zone shapes and the step illustrations."""

    viewbox: str
    face: tuple[str, ...]
    zones: dict[str, str]
    illustrations: dict[str, Illustration] = field(default_factory=dict)


@dataclass(frozen=True)
class Library:
    goals: tuple[GoalData, ...]
    routines: tuple[RoutineData, ...]
    drawings: Drawings
    safety: dict[str, Any]


class _Fields:
    """Typed access to one mapping in a content file, with errors that say where."""

    def __init__(self, data: Any, where: str):
        if not isinstance(data, dict):
            raise ContentError(f"{where}: expected a mapping of fields")
        self.data = data
        self.where = where

    def fail(self, message: str) -> ContentError:
        return ContentError(f"{self.where}: {message}")

    def text(self, name: str, *, optional: bool = False) -> str:
        value = self.data.get(name)
        if value is None and optional:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"'{name}' is missing or empty")
        return value.strip()

    def positive_int(self, name: str) -> int:
        value = self.data.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"'{name}' is missing or not a whole number")
        if value <= 0:
            raise self.fail(f"'{name}' must be positive, got {value}")
        return value

    def choice(self, name: str, allowed: tuple[str, ...]) -> str:
        value = self.text(name)
        if value not in allowed:
            raise self.fail(f"'{name}' is {value!r}; expected one of {', '.join(allowed)}")
        return value

    def choices(self, name: str, allowed: tuple[str, ...], *, optional: bool = False) -> tuple[str, ...]:
        value = self.data.get(name)
        if value is None and optional:
            return ()
        if not isinstance(value, list) or not value:
            raise self.fail(f"'{name}' must be a non-empty list")
        unknown = [item for item in value if item not in allowed]
        if unknown:
            listed = ", ".join(map(str, unknown))
            raise self.fail(f"'{name}' has unknown {listed}; expected any of {', '.join(allowed)}")
        return tuple(value)

    def texts(self, name: str) -> tuple[str, ...]:
        value = self.data.get(name)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(f"'{name}' must be a non-empty list of text")
        return tuple(v.strip() for v in value)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContentError(f"{path.name}: cannot be read: {error}") from error


def parse_goals(path: Path) -> tuple[GoalData, ...]:
    raw = _read_yaml(path)
    if not isinstance(raw, list):
        raise ContentError(f"{path.name}: expected a list of goals")
    goals = []
    for index, item in enumerate(raw, start=1):
        fields = _Fields(item, f"{path.name}, goal {index}")
        goal = GoalData(
            slug=fields.choice("slug", GOAL_SLUGS),
            name=fields.text("name"),
            summary=fields.text("summary"),
            why=fields.text("why"),
            evidence_level=fields.text("evidence_level"),
            evidence=fields.text("evidence"),
        )
        goals.append(goal)
    slugs = [goal.slug for goal in goals]
    if sorted(slugs) != sorted(GOAL_SLUGS):
        raise ContentError(f"{path.name}: goals must be exactly {', '.join(GOAL_SLUGS)}; got {', '.join(slugs)}")
    return tuple(goals)


def parse_drawings(path: Path) -> Drawings:
    fields = _Fields(_read_yaml(path), path.name)
    zones = fields.data.get("zones")
    if not isinstance(zones, dict) or set(zones) != set(ZONES):
        raise fields.fail(f"'zones' must give one shape for each of {', '.join(ZONES)}")
    raw_illustrations = fields.data.get("illustrations")
    if not isinstance(raw_illustrations, dict) or not raw_illustrations:
        raise fields.fail("'illustrations' must be a mapping of keys to drawings")
    illustrations = {}
    for key, item in raw_illustrations.items():
        entry = _Fields(item, f"{path.name}, illustration '{key}'")
        illustrations[key] = Illustration(
            zone=entry.choice("zone", ZONES), label=entry.text("label"), arrows=entry.texts("arrows")
        )
    return Drawings(
        viewbox=fields.text("viewbox"),
        face=fields.texts("face"),
        zones={zone: str(shape) for zone, shape in zones.items()},
        illustrations=illustrations,
    )


def parse_step(item: Any, where: str, drawings: Drawings) -> StepData:
    fields = _Fields(item, where)
    step = StepData(
        title=fields.text("title"),
        instruction=fields.text("instruction"),
        duration_seconds=fields.positive_int("duration"),
        repetitions=fields.positive_int("repetitions"),
        pressure=fields.choice("pressure", PRESSURES),
        direction=fields.text("direction"),
        zone=fields.choice("zone", ZONES),
        illustration=fields.text("illustration"),
        tip=fields.text("tip"),
        needs=fields.choices("needs", NEEDS, optional=True),
        when_flagged=fields.choice("when_flagged", WHEN_FLAGGED),
    )
    drawing = drawings.illustrations.get(step.illustration)
    if drawing is None:
        raise fields.fail(f"illustration '{step.illustration}' is not in illustrations.yaml")
    if drawing.zone != step.zone:
        raise fields.fail(f"illustration '{step.illustration}' shows {drawing.zone}, but the step works on {step.zone}")
    return step


def parse_routine(path: Path, drawings: Drawings) -> RoutineData:
    raw = _read_yaml(path)
    slug = raw.get("slug") if isinstance(raw, dict) else None
    fields = _Fields(raw, f"routines/{path.name} (routine '{slug or '?'}')")
    if slug != path.stem:
        raise fields.fail(f"'slug' must match the file name '{path.stem}'")
    raw_steps = fields.data.get("steps")
    if not isinstance(raw_steps, list) or len(raw_steps) < 4:
        raise fields.fail("'steps' must list at least 4 steps")
    return RoutineData(
        slug=fields.text("slug"),
        title=fields.text("title"),
        summary=fields.text("summary"),
        level=fields.choice("level", LEVELS),
        goals=fields.choices("goals", GOAL_SLUGS),
        skin_types=fields.choices("skin_types", SKIN_TYPES),
        safety_notes=fields.texts("safety_notes"),
        steps=tuple(
            parse_step(item, f"{fields.where}, step {number}", drawings)
            for number, item in enumerate(raw_steps, start=1)
        ),
    )


def parse_safety(path: Path) -> dict[str, Any]:
    fields = _Fields(_read_yaml(path), path.name)
    fields.text("reminder")
    for name in ("normal", "not_normal", "see_dermatologist", "hygiene"):
        fields.texts(name)
    for name in ("skip", "ask_first", "skin_check"):
        if not isinstance(fields.data.get(name), list) or not fields.data[name]:
            raise fields.fail(f"'{name}' must be a non-empty list")
    for index, item in enumerate(fields.data["skin_check"], start=1):
        check = _Fields(item, f"{path.name}, skin_check {index}")
        check.text("id")
        check.text("label")
        check.text("advice")
        check.choice("effect", ("adapt", "skip"))
        if not isinstance(check.data.get("zoned"), bool):
            raise check.fail("'zoned' must be true or false")
    return fields.data


def load_library(content_dir: Path = CONTENT_DIR) -> Library:
    """Parse and validate every content file; raise ContentError on the first problem."""
    drawings = parse_drawings(content_dir / "illustrations.yaml")
    routine_files = sorted((content_dir / "routines").glob("*.yaml"))
    if not routine_files:
        raise ContentError(f"routines/: no routine files in {content_dir / 'routines'}")
    return Library(
        goals=parse_goals(content_dir / "goals.yaml"),
        routines=tuple(parse_routine(path, drawings) for path in routine_files),
        drawings=drawings,
        safety=parse_safety(content_dir / "safety.yaml"),
    )
