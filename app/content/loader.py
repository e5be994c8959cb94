"""Read and validate the content files; write the library into the database by slug.

Validation is strict and every error names the file and the routine, so a content
writer can fix a file without reading this code.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.content.drawings import (
    NO_HAND,
    SHOWN_TOOLS,
    Drawing,
    Drawings,
    Hand,
    Stroke,
    View,
    circle_path,
    path_points,
    spot_path,
)

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
    "forehead", "temples", "eyes", "cheeks", "nose", "mouth", "chin", "jawline",
    "neck-side", "neck-front", "collarbone", "full-face",
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
    "neck-side": "Sides of the neck",
    "neck-front": "Front of the neck (throat)",
    "collarbone": "Above the collarbones",
    "full-face": "Whole face",
}
WHOLE_FACE = "full-face"
FACE_ZONES = tuple(zone for zone in ZONES if zone != WHOLE_FACE)
NECK_ZONES = ("neck-side", "neck-front", "collarbone")
# Where a stroke starts or ends: a zone, or one of these landmarks (which no skin check marks).
LANDMARKS = {"ears": "the ears", "hairline": "the hairline"}
POINT_LABELS = {
    "forehead": "the forehead", "temples": "the temples", "eyes": "around the eyes", "cheeks": "the cheeks",
    "nose": "beside the nose", "mouth": "around the mouth", "chin": "the chin", "jawline": "the jaw",
    "neck-side": "the sides of the neck", "neck-front": "the front of the neck", "collarbone": "above the collarbones",
} | LANDMARKS
# Height on the face, top first: a stroke whose end ranks lower than its start moves upward.
HEIGHT = {
    "hairline": 0, "forehead": 1, "temples": 2, "eyes": 2, "nose": 3, "cheeks": 3, "ears": 3,
    "mouth": 4, "jawline": 5, "chin": 5, "neck-side": 6, "neck-front": 6, "collarbone": 7,
}
# Named paths for moves that are not a plain start-to-end stroke; True if the path runs downward.
PATHS = {
    "in-place": ("in place, moving the skin over what lies beneath without sliding", False),
    "centre-outwards": ("from the centre of the face outwards", False),
    "around-the-eye": ("out along the brow bone, round the outer corner and back in under the eye", False),
    "down-and-in": ("down and in, towards the base of the neck", True),
    "across-the-area": ("working across the area, a little at a time", False),
}
# Motions: a glide slides over the skin; a stretch-release moves the skin without sliding.
MOTIONS = ("prepare", "glide", "stretch-release", "circle", "tap", "press-hold", "pinch", "exercise", "lay", "rest")
STROKES = ("glide", "stretch-release")
# Moves that do not work on the skin: they touch no area the skin check can mark.
HANDS_OFF = ("prepare", "rest")
PER = ("side", "total")
TOOLS = ("roller", "gua-sha")
SECONDS_PER_STROKE = 3
# A cue is read at arm's length and spoken between strokes: "at most about 20 words".
CUE_WORDS = 22
# A held move needs a breath of rest before the next hold.
REST_BETWEEN_HOLDS = 2
DRAINAGE_GOAL = "lymphatic-drainage"
SKIN_TYPES = ("normal", "dry", "oily", "combination", "sensitive")
PRESSURES = ("light", "medium", "firm")
LEVELS = ("beginner", "intermediate")
NEEDS = ("oil", "serum", "moisturiser", "roller", "gua-sha", "cool-cloth", "towel")
WHEN_FLAGGED = ("skip", "lighten")
OIL_ADVICE = ("skin-type", "little-or-none", "none")


class ContentError(ValueError):
    """A content file is malformed; the message says which file, routine and field."""


@dataclass(frozen=True)
class StepData:
    """One step. `repetitions` counts `per` side or in total, in each of `rows` rows;
    `direction` is the structured direction in words (from `direction_from` to
    `direction_to`, or the named `direction_path`)."""

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
    motion: str = "glide"
    per: str = "total"
    rows: int = 1
    hold_seconds: int | None = None
    direction_from: str = ""
    direction_to: str = ""
    direction_path: str = ""
    instead: "StepData | None" = None
    # The instruction in at most CUE_WORDS words, for the eye and the ear (the player shows and speaks it).
    cue: str = ""

    @property
    def sides(self) -> int:
        return 2 if self.per == "side" else 1

    @property
    def strokes(self) -> int:
        """How many moves the step asks for in all: reps x sides x rows."""
        return self.repetitions * self.sides * self.rows

    @property
    def touches(self) -> frozenset[str]:
        """The areas the step works on: its zone and the zones it starts or ends in."""
        if self.motion in HANDS_OFF:
            return frozenset()
        if self.zone == WHOLE_FACE:
            return frozenset(FACE_ZONES) - set(NECK_ZONES)
        ends = {self.direction_from, self.direction_to} & set(FACE_ZONES)
        return frozenset({self.zone} | ends)

    @property
    def tools(self) -> frozenset[str]:
        return frozenset(self.needs) & set(TOOLS)

    def count_in_words(self) -> str:
        """E.g. "5 on each side", "3 rows of 5 (15 in all)", "1"."""
        if self.repetitions == 1 and self.rows == 1:
            return "once on each side" if self.per == "side" else "once"
        each = f"{self.repetitions} on each side" if self.per == "side" else f"{self.repetitions}"
        if self.rows > 1:
            return f"{self.rows} rows of {each} ({self.strokes} in all)"
        return each if self.per == "side" else f"{each} in all"


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
    # One line above Start: "Ask your doctor first if you have …"; the notes sit behind it.
    cautions_summary: str = ""
    # Which oil advice the start page gives: the person's skin type, or little-or-none for drainage.
    oil: str = "skin-type"
    # Slugs this routine had before a rename; they answer 301 to the current one.
    previous_slugs: tuple[str, ...] = ()

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
class Library:
    goals: tuple[GoalData, ...]
    routines: tuple[RoutineData, ...]
    drawings: Drawings
    safety: dict[str, Any]
    guide: dict[str, Any] = field(default_factory=dict)


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


def _path(fields: _Fields, value: Any, name: str) -> str:
    """A path in absolute commands, checked by reading its points."""
    if not isinstance(value, str):
        raise fields.fail(f"'{name}' must be a path")
    try:
        path_points(value)
    except ValueError as error:
        raise fields.fail(f"'{name}': {error}") from error
    return value


def _stroke(fields: _Fields, item: Any, name: str) -> Stroke:
    """A stroke: a path, or {path|circle|spot: …, hand: false}."""
    if isinstance(item, str):
        return Stroke(_path(fields, item, name))
    entry = _Fields(item, f"{fields.where}, {name}")
    hand = entry.data.get("hand", True) is not False
    numbers = {"circle": 3, "spot": 2}
    for kind, count in numbers.items():
        value = entry.data.get(kind)
        if value is not None:
            if not (isinstance(value, list) and len(value) == count and all(isinstance(v, int | float) for v in value)):
                raise entry.fail(f"'{kind}' must be {count} numbers")
            return Stroke(circle_path(*value) if kind == "circle" else spot_path(*value), hand, kind)
    return Stroke(_path(entry, entry.data.get("path"), "path"), hand)


def _parse_view(name: str, item: Any, where: str) -> View:
    fields = _Fields(item, f"{where}, view '{name}'")
    zones = fields.data.get("zones")
    if not isinstance(zones, dict) or set(zones) != set(ZONES):
        raise fields.fail(f"'zones' must give one shape for each of {', '.join(ZONES)}")
    viewbox = fields.text("viewbox")
    mirrors = name == "front"
    return View(
        name, viewbox, tuple(_path(fields, d, "lines") for d in fields.texts("lines")),
        {zone: _path(fields, shape, f"zones, {zone}") for zone, shape in zones.items()},
        float(viewbox.split()[2]) + 2 * float(viewbox.split()[0]) if mirrors else None,
    )


def _drawing_direction(entry: _Fields) -> tuple[str, str, str]:
    raw = entry.data.get("direction")
    if raw is None:
        return "", "", ""
    where = _Fields(raw, f"{entry.where}, 'direction'")
    if "path" in where.data:
        return "", "", where.choice("path", tuple(PATHS))
    return where.choice("from", tuple(POINT_LABELS)), where.choice("to", tuple(POINT_LABELS)), ""


def _parse_drawing(key: str, item: Any, where: str, views: dict[str, View], hands: dict[str, Hand]) -> Drawing:
    entry = _Fields(item, f"{where}, drawing '{key}'")
    raw_parts = entry.data.get("parts")
    if not isinstance(raw_parts, list) or not raw_parts or not all(isinstance(p, list) and p for p in raw_parts):
        raise entry.fail("'parts' must list the parts in order, each a non-empty list of strokes")
    turn = entry.data.get("turn")
    if isinstance(turn, bool) or not isinstance(turn, int | float | None):
        raise entry.fail("'turn' must be a number of degrees")
    return Drawing(
        key=key,
        view=entry.choice("view", tuple(views)),
        motion=entry.choice("motion", MOTIONS),
        zone=entry.choice("zone", ZONES),
        direction=_drawing_direction(entry),
        hand=entry.choice("hand", (*hands, NO_HAND)),
        label=entry.text("label"),
        parts=tuple(
            tuple(_stroke(entry, stroke, f"part {number}") for stroke in part)
            for number, part in enumerate(raw_parts, start=1)
        ),
        mirror=entry.data.get("mirror") is True,
        turn=None if turn is None else float(turn),
        area=_path(entry, entry.data["area"], "area") if "area" in entry.data else "",
    )


def parse_drawings(path: Path) -> Drawings:
    """The drawing vocabulary: views (front keeps the first drawings' face), hands and tools, a
    symbol for each motion, and the drawings steps name; errors name the file and the entry."""
    fields = _Fields(_read_yaml(path), path.name)
    sections = {name: _Fields(fields.data.get(name), f"{path.name}, '{name}'") for name in
                ("views", "hands", "motions", "drawings")}
    views = {name: _parse_view(name, item, path.name) for name, item in sections["views"].data.items()}
    if "front" not in views:
        raise sections["views"].fail("the front view is missing")
    hands = {}
    for name, item in sections["hands"].data.items():
        hand = _Fields(item, f"{path.name}, hand '{name}'")
        size = hand.data.get("size", 1)
        if isinstance(size, bool) or not isinstance(size, int | float) or size <= 0:
            raise hand.fail("'size' must be a positive number")
        hands[name] = Hand(hand.text("label"), tuple(_path(hand, d, "paths") for d in hand.texts("paths")), float(size))
    motions = sections["motions"]
    if set(motions.data) != set(MOTIONS):
        raise motions.fail(f"give one symbol for each of {', '.join(MOTIONS)}")
    entries = sections["drawings"].data.items()
    drawings = {key: _parse_drawing(key, item, path.name, views, hands) for key, item in entries}
    return Drawings(
        views=views,
        hands=hands,
        motions={motion: tuple(motions.texts(motion)) for motion in MOTIONS},
        drawings=drawings,
        zone_labels=ZONE_LABELS,
    )


def check_drawing(step: "StepData", drawings: Drawings) -> str:
    """Why the step's drawing does not show the step ("" if it does): the drawing must exist and
    show the step's motion, zone and direction, the tool it needs (roller, stone, cool cloth), and
    one part per row when the step works in rows."""
    drawing = drawings.drawings.get(step.illustration)
    key = step.illustration
    if drawing is None:
        return f"illustration '{key}' is not in drawings.yaml"
    if drawing.motion != step.motion:
        return f"illustration '{key}' shows the motion {drawing.motion}, but the step's motion is {step.motion}"
    if drawing.zone != step.zone:
        return f"illustration '{key}' shows {drawing.zone}, but the step works on {step.zone}"
    declared = (step.direction_from, step.direction_to, step.direction_path)
    if drawing.direction != declared:
        return (f"illustration '{key}' shows the direction {_direction_words(drawing.direction)}, "
                f"but the step's direction is {_direction_words(declared)}")
    needed = "" if step.motion == "prepare" else next(iter(set(step.needs) & SHOWN_TOOLS), "")
    if drawing.tool != needed:
        return f"illustration '{key}' shows {drawing.tool or 'hands'}, but the step uses {needed or 'hands'}"
    if step.rows > 1 and len(drawing.parts) != step.rows:
        return f"illustration '{key}' shows {len(drawing.parts)} parts, but the step works in {step.rows} rows"
    return ""


def _direction_words(direction: tuple[str, str, str]) -> str:
    start, end, path = direction
    if path:
        return f"'{path}'"
    return f"{start} to {end}" if start else "none"


def _direction(fields: _Fields, motion: str) -> tuple[str, str, str, str]:
    """(words, from, to, path) from `direction: {from: A, to: B}` or `direction: {path: NAME}`."""
    raw = fields.data.get("direction")
    if raw is None and motion not in STROKES:
        return "", "", "", ""
    where = _Fields(raw, f"{fields.where}, 'direction'")
    if "path" in where.data:
        path = where.choice("path", tuple(PATHS))
        return PATHS[path][0], "", "", path
    start, end = where.choice("from", tuple(POINT_LABELS)), where.choice("to", tuple(POINT_LABELS))
    return f"from {POINT_LABELS[start]} to {POINT_LABELS[end]}", start, end, ""


def _count(fields: _Fields) -> tuple[int, str, int]:
    """(reps, per, rows): a repeated move says whether it counts per side or in total."""
    reps = fields.positive_int("reps")
    rows = fields.positive_int("rows") if "rows" in fields.data else 1
    if reps > 1 or rows > 1 or "per" in fields.data:
        return reps, fields.choice("per", PER), rows
    return reps, "total", rows


def _cue(fields: _Fields) -> str:
    """The step's cue: required, and short enough to read at a glance and say in a breath."""
    cue = fields.text("cue")
    if len(cue.split()) > CUE_WORDS:
        raise fields.fail(f"'cue' has {len(cue.split())} words; keep it to {CUE_WORDS} (the instruction says the rest)")
    return cue


def parse_step(item: Any, where: str, *, alternative: bool = False) -> StepData:
    """One step and its optional `instead:` alternative; errors name the field."""
    fields = _Fields(item, where)
    motion = fields.choice("motion", MOTIONS)
    words, start, end, path = _direction(fields, motion)
    reps, per, rows = _count(fields)
    hold = fields.positive_int("hold_seconds") if motion == "press-hold" or "hold_seconds" in fields.data else None
    instead = None
    if "instead" in fields.data:
        if alternative:
            raise fields.fail("'instead' cannot have an 'instead' of its own")
        instead = parse_step(fields.data["instead"], f"{where}, 'instead'", alternative=True)
    step = StepData(
        title=fields.text("title"),
        instruction=fields.text("instruction"),
        cue=_cue(fields),
        duration_seconds=fields.positive_int("duration"),
        repetitions=reps,
        pressure=fields.choice("pressure", PRESSURES),
        direction=words,
        zone=fields.choice("zone", ZONES),
        illustration=fields.text("illustration"),
        tip=fields.text("tip", optional=True),
        needs=fields.choices("needs", NEEDS, optional=True),
        when_flagged=fields.choice("when_flagged", WHEN_FLAGGED),
        motion=motion,
        per=per,
        rows=rows,
        hold_seconds=hold,
        direction_from=start,
        direction_to=end,
        direction_path=path,
        instead=instead,
    )
    _check_step_rules(step, fields)
    return step


def _moves_upward(step: StepData) -> bool:
    if step.direction_path:
        return False
    return HEIGHT[step.direction_to] < HEIGHT[step.direction_from]


def _check_step_rules(step: StepData, fields: _Fields) -> None:
    """Technique rules that hold for every step (SAFETY-NOTES: neck strokes, pace)."""
    if step.hold_seconds:
        least = (step.hold_seconds + REST_BETWEEN_HOLDS) * step.strokes
        if step.duration_seconds < least:
            raise fields.fail(
                f"'duration': {step.duration_seconds} s is too short for {step.strokes} holds of "
                f"{step.hold_seconds} s with {REST_BETWEEN_HOLDS} s rest between them; give it at least {least} s"
            )
    if step.motion not in STROKES:
        return
    if "neck-front" in step.touches:
        raise fields.fail("'zone': strokes never run over the front of the throat; work down the sides of the neck")
    if step.touches & set(NECK_ZONES) and _moves_upward(step):
        raise fields.fail("'direction': neck strokes run down the sides of the neck, never upward over the throat")
    least = SECONDS_PER_STROKE * step.strokes
    if step.duration_seconds < least:
        raise fields.fail(
            f"'duration': {step.duration_seconds} s leaves less than {SECONDS_PER_STROKE} s for each of "
            f"{step.strokes} slow strokes; give it at least {least} s or ask for fewer"
        )


def _check_drainage(steps: list[StepData], where: str) -> None:
    """Lymphatic drainage is a light stretch-and-release of the skin, never an oiled glide."""
    for number, step in enumerate(steps, start=1):
        for part, label in ((step, ""), (step.instead, ", 'instead'")):
            if part is None:
                continue
            if part.pressure != "light":
                raise ContentError(
                    f"{where}, step {number}{label}: 'pressure': drainage routines use light pressure only"
                )
            if part.motion == "glide":
                raise ContentError(
                    f"{where}, step {number}{label}: 'motion': drainage routines stretch and release the skin; "
                    "'glide' is not allowed"
                )


def parse_routine(path: Path, drawings: Drawings) -> RoutineData:
    raw = _read_yaml(path)
    slug = raw.get("slug") if isinstance(raw, dict) else None
    fields = _Fields(raw, f"routines/{path.name} (routine '{slug or '?'}')")
    if slug != path.stem:
        raise fields.fail(f"'slug' must match the file name '{path.stem}'")
    raw_steps = fields.data.get("steps")
    if not isinstance(raw_steps, list) or len(raw_steps) < 4:
        raise fields.fail("'steps' must list at least 4 steps")
    steps = [parse_step(item, f"{fields.where}, step {number}") for number, item in enumerate(raw_steps, 1)]
    goals = fields.choices("goals", GOAL_SLUGS)
    oil = fields.choice("oil", OIL_ADVICE)
    if DRAINAGE_GOAL in goals:
        _check_drainage(steps, fields.where)
        if oil == "skin-type":
            raise fields.fail("'oil': drainage routines use little or no oil; say 'little-or-none'")
    # Last, so a broken technique rule is reported as such, not as a drawing that disagrees.
    for number, step in enumerate(steps, start=1):
        for part, label in ((step, ""), (step.instead, ", 'instead'")):
            problem = check_drawing(part, drawings) if part else ""
            if problem:
                raise fields.fail(f"step {number}{label}: {problem}")
    previous = fields.data.get("previous_slugs", [])
    if not isinstance(previous, list) or not all(isinstance(old, str) and old.strip() for old in previous):
        raise fields.fail("'previous_slugs' must be a list of slugs")
    return RoutineData(
        slug=fields.text("slug"),
        title=fields.text("title"),
        summary=fields.text("summary"),
        level=fields.choice("level", LEVELS),
        goals=goals,
        skin_types=fields.choices("skin_types", SKIN_TYPES),
        safety_notes=fields.texts("safety_notes"),
        steps=tuple(steps),
        cautions_summary=fields.text("cautions_summary", optional=True),
        oil=oil,
        previous_slugs=tuple(old.strip() for old in previous),
    )


RULE_KEYS = ("skip_areas", "skip_zones", "no_session", "max_pressure", "no_needs", "no_motions")
ASKS = ("where", "when", "yes")
TIME_RANGES = ("48h", "14d", "28d")


def _check_rule(rule: Any, where: str) -> None:
    """One skin-check rule: only known keys, with values the plan can apply."""
    fields = _Fields(rule, where)
    unknown = set(fields.data) - set(RULE_KEYS)
    if unknown or not fields.data:
        raise fields.fail(f"a rule needs some of {', '.join(RULE_KEYS)}; unknown: {', '.join(sorted(unknown))}")
    if "max_pressure" in fields.data:
        fields.choice("max_pressure", PRESSURES)
    for name, allowed in (("skip_zones", FACE_ZONES), ("no_needs", NEEDS), ("no_motions", MOTIONS)):
        fields.choices(name, allowed, optional=True)


def _parse_skin_check(item: Any, where: str) -> None:
    check = _Fields(item, where)
    for name in ("id", "label", "advice"):
        check.text(name)
    asks = check.choice("asks", ASKS)
    if asks == "when":
        ranges = _Fields(check.data.get("when"), f"{where}, 'when'")
        unknown = set(ranges.data) - set(TIME_RANGES)
        if unknown or not ranges.data:
            listed = ", ".join(sorted(unknown))
            raise ranges.fail(f"give a rule for some of {', '.join(TIME_RANGES)}; unknown: {listed}")
        for name, rule in ranges.data.items():
            _check_rule(rule, f"{where}, 'when', {name}")
    else:
        _check_rule(check.data.get("rule"), f"{where}, 'rule'")
    # Whether the check asks where on the face: the form and every template read this one key.
    check.data["zoned"] = asks == "where" or check.data.get("asks_where") is True


def parse_safety(path: Path) -> dict[str, Any]:
    fields = _Fields(_read_yaml(path), path.name)
    fields.text("reminder")
    for name in ("normal", "not_normal", "see_dermatologist", "hygiene"):
        fields.texts(name)
    for name in ("skip", "ask_first", "red_flags", "skin_check", "pressure_scale"):
        if not isinstance(fields.data.get(name), list) or not fields.data[name]:
            raise fields.fail(f"'{name}' must be a non-empty list")
    where = f"{path.name}, pressure_scale"
    scale = [_Fields(item, where).choice("name", PRESSURES) for item in fields.data["pressure_scale"]]
    if scale != list(PRESSURES):
        raise fields.fail(f"'pressure_scale' must define {', '.join(PRESSURES)} in that order")
    for index, item in enumerate(fields.data["skin_check"], start=1):
        _parse_skin_check(item, f"{path.name}, skin_check {index}")
    ranges = _Fields(fields.data.get("time_ranges"), f"{path.name}, time_ranges")
    for name in (*TIME_RANGES, "older"):
        ranges.text(name)
    return fields.data


def parse_guide(path: Path) -> dict[str, Any]:
    """The beginner's guide: an intro and sections, each with an id, a title and paragraphs."""
    fields = _Fields(_read_yaml(path), path.name)
    fields.text("intro")
    sections = fields.data.get("sections")
    if not isinstance(sections, list) or not sections:
        raise fields.fail("'sections' must be a non-empty list")
    for index, item in enumerate(sections, start=1):
        section = _Fields(item, f"{path.name}, section {index}")
        section.text("id")
        section.text("title")
        section.texts("paragraphs")
    return fields.data


def load_library(content_dir: Path = CONTENT_DIR) -> Library:
    """Parse and validate every content file; raise ContentError on the first problem."""
    drawings = parse_drawings(content_dir / "drawings.yaml")
    routine_files = sorted((content_dir / "routines").glob("*.yaml"))
    if not routine_files:
        raise ContentError(f"routines/: no routine files in {content_dir / 'routines'}")
    routines = tuple(parse_routine(path, drawings) for path in routine_files)
    seen: dict[str, str] = {}
    for routine in routines:
        for slug in (routine.slug, *routine.previous_slugs):
            if slug in seen:
                raise ContentError(f"routines/{routine.slug}.yaml: slug '{slug}' is also used by '{seen[slug]}'")
            seen[slug] = routine.slug
    return Library(
        goals=parse_goals(content_dir / "goals.yaml"),
        routines=routines,
        drawings=drawings,
        safety=parse_safety(content_dir / "safety.yaml"),
        guide=parse_guide(content_dir / "guide.yaml"),
    )
