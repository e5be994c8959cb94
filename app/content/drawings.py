"""The drawing vocabulary (drawings.yaml) as values, and the scene one step's drawing shows.

Pure functions over plain values: the loader parses the file into these dataclasses and
checks every step against its drawing; templates render a `Scene`; tests read the geometry
with `path_points`. Paths use absolute commands only (M L H V Q C A Z), so a front-view stroke
drawn on the person's left can be mirrored onto their right (x → axis − x) and read by the
mirror mode in the same coordinates.
"""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

COMMAND_ARGS = {"M": 2, "L": 2, "H": 1, "V": 1, "Q": 4, "C": 6, "A": 7, "Z": 0}
_TOKEN = re.compile(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)")
# Hands that are tools, and the need each stands for (a step that needs the tool shows it).
TOOL_HANDS = {"roller-large": "roller", "roller-small": "roller", "gua-sha": "gua-sha", "cool-cloth": "cool-cloth"}
SHOWN_TOOLS = frozenset(TOOL_HANDS.values())
NO_HAND = "none"
# A hand on the person's left, turned this far clockwise, has its fingers up and in and the rest
# of the hand below and outside the face, where it hides nothing.
OUTSIDE_TURN = 45
NEAR_MIDDLE_X, NEAR_MIDDLE_TURN = 80, 35
# Seconds one part of a move takes on screen: the step's own pace, kept between these so a
# slow circle still visibly turns and a quick tap is still followed by the eye.
PART_SECONDS = (0.8, 8.0)
# Motions whose hand arrives, holds and leaves (fractions of its part: arrive by, leave from).
HOLDS = {"exercise": (0.25, 0.85), "lay": (0.3, 0.85), "prepare": (0.3, 0.85), "rest": (0.3, 0.85)}
# A laid hand rests at its stroke's start: it comes in from the end, rests, and goes back.
COMES_IN = ("lay",)
STEPPED = {"pinch": 5}  # a pinch moves along its path in this many stops; press-hold stops at each point
STRETCH_OUT = 0.6  # a stretch-release moves the skin out in this share of its part, back in the rest


def _commands(d: str) -> list[tuple[str, list[float]]]:
    """[(command, numbers)], one entry per repetition of a command's numbers; ValueError for a
    path that does not start with M, a relative or unknown command, or a wrong count of numbers."""
    tokens = _TOKEN.findall(d)
    if not tokens or tokens[0] != "M":
        raise ValueError(f"path {d!r} must start with M")
    groups: list[tuple[str, list[float]]] = []
    for token in tokens:
        if token.isalpha():
            if token not in COMMAND_ARGS:
                raise ValueError(f"path {d!r}: use the absolute commands M L H V Q C A Z, not {token!r}")
            groups.append((token, []))
        else:
            groups[-1][1].append(float(token))
    result = []
    for command, numbers in groups:
        size = COMMAND_ARGS[command]
        if (size == 0 and numbers) or (size and (not numbers or len(numbers) % size)):
            raise ValueError(f"path {d!r}: {command} has {len(numbers)} numbers")
        result += [(command, numbers[i:i + size]) for i in range(0, len(numbers), size)] if size else [(command, [])]
    return result


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def mirror_path(d: str, axis: float) -> str:
    """The path reflected left to right (x → axis − x); arcs turn the other way."""
    parts = []
    for command, numbers in _commands(d):
        if command == "A":
            rx, ry, rotation, large, sweep, x, y = numbers
            numbers = [rx, ry, -rotation, large, 1 - sweep, axis - x, y]
        elif command in "MLQC":
            numbers = [axis - value if index % 2 == 0 else value for index, value in enumerate(numbers)]
        elif command == "H":
            numbers = [axis - numbers[0]]
        parts.append(command + " ".join(_number(value) for value in numbers))
    return " ".join(parts)


def path_points(d: str) -> list[tuple[float, float]]:
    """Every point a path names (ends and control points), in order: for geometry checks."""
    points, current = [], (0.0, 0.0)
    for command, numbers in _commands(d):
        if command == "H":
            current = (numbers[0], current[1])
            points.append(current)
        elif command == "V":
            current = (current[0], numbers[0])
            points.append(current)
        elif command == "A":
            current = (numbers[5], numbers[6])
            points.append(current)
        elif numbers:
            pairs = [(numbers[i], numbers[i + 1]) for i in range(0, len(numbers), 2)]
            points += pairs
            current = pairs[-1]
    return points


def end_point(d: str) -> tuple[float, float]:
    """Where a path ends: the last named point."""
    return path_points(d)[-1]


def circle_path(cx: float, cy: float, r: float) -> str:
    """Eleven twelfths of a circle, from the top, clockwise on the person's left: the gap shows
    the arrowhead, so a circle never reads as a hook."""
    end = math.radians(-90 + 330)
    return f"M{_number(cx)} {_number(cy - r)} A{_number(r)} {_number(r)} 0 1 1 " \
           f"{_number(cx + r * math.cos(end))} {_number(cy + r * math.sin(end))}"


def spot_path(x: float, y: float) -> str:
    return f"M{_number(x)} {_number(y)} L{_number(x)} {_number(y + 0.01)}"


@dataclass(frozen=True)
class Stroke:
    """One path a hand (or nothing, `hand=False`) travels; kind is path, circle or spot."""

    d: str
    hand: bool = True
    kind: str = "path"


@dataclass(frozen=True)
class View:
    name: str
    viewbox: str
    lines: tuple[str, ...]
    zones: dict[str, str]
    # x → axis − x mirrors a stroke onto the person's right; None where the view has one side.
    axis: float | None


@dataclass(frozen=True)
class Hand:
    label: str
    paths: tuple[str, ...]
    size: float = 1


@dataclass(frozen=True)
class Drawing:
    """One move: `parts` in order, each the strokes done at once, drawn on the person's left;
    `direction` is (from, to, path) as a step declares it ("" where it has none)."""

    key: str
    view: str
    motion: str
    zone: str
    direction: tuple[str, str, str]
    hand: str
    label: str
    parts: tuple[tuple[Stroke, ...], ...]
    mirror: bool = False
    turn: float | None = None
    area: str = ""

    @property
    def tool(self) -> str:
        return TOOL_HANDS.get(self.hand, "")

    def hand_turn(self, start: tuple[float, float]) -> float:
        """Degrees the hand is turned at a stroke starting at `start` (on your left): as drawn, else,
        on a mirrored front view, from outside the face, and flatter still near the middle of the face
        so the two hands never cross."""
        if self.turn is not None:
            return self.turn
        if not (self.mirror and self.view == "front"):
            return 0
        return OUTSIDE_TURN + (NEAR_MIDDLE_TURN if start[0] > NEAR_MIDDLE_X else 0)


@dataclass(frozen=True)
class PlacedStroke:
    """A stroke as drawn: its path, its place in the order (1 first), and its SMIL timeline
    (`times` and `points` for animateMotion, `shown` the keyTimes of when its hand is seen)."""

    d: str
    order: int
    hand: bool
    mirrored: bool
    start: tuple[float, float]
    times: str
    points: str
    shown: str
    turn: float = 0


@dataclass(frozen=True)
class Scene:
    drawing: Drawing
    view: View
    zone_shape: str
    strokes: tuple[PlacedStroke, ...]
    parts: int
    loop_seconds: float
    avoid: tuple[tuple[str, str], ...]
    label: str

    @property
    def numbered(self) -> bool:
        return self.parts > 1

    @property
    def starts(self) -> list[PlacedStroke]:
        """The strokes the move begins with: where the start dot goes."""
        return [stroke for stroke in self.strokes if stroke.order == 1 and stroke.hand] or list(self.strokes[:1])

    @property
    def numbers(self) -> list[tuple[int, float, float]]:
        """(order, x, y) for each part's label, beside the start of its first stroke."""
        seen: dict[int, PlacedStroke] = {}
        for stroke in self.strokes:
            seen.setdefault(stroke.order, stroke)
        return [(order, s.start[0] + (9 if s.mirrored else -9), s.start[1] - 9) for order, s in seen.items()]


@dataclass(frozen=True)
class Drawings:
    """The whole vocabulary: views, hands and tools, motion symbols, and the drawings by key."""

    views: dict[str, View]
    hands: dict[str, Hand]
    motions: dict[str, tuple[str, ...]]
    drawings: dict[str, Drawing]
    zone_labels: dict[str, str]

    def scene(self, step, rules: Iterable = ()) -> Scene:
        """The scene for a step (a StepData); `rules` are today's skin-check rules, whose
        `skip_zones` are hatched as areas to avoid."""
        avoid = frozenset(zone for rule in rules for zone in rule.skip_zones)
        return scene(self, step, avoid)


def _fraction(value: float) -> str:
    return "1" if value >= 1 else f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def _line_fractions(d: str) -> list[float]:
    """Where each named point of a path lies along it, 0 to 1 (straight lines between points)."""
    points = path_points(d)
    lengths = [0.0]
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        lengths.append(lengths[-1] + math.hypot(x2 - x1, y2 - y1))
    total = lengths[-1] or 1
    return [length / total for length in lengths]


def timeline(motion: str, stroke: Stroke, start: float, end: float) -> tuple[list[float], list[float]]:
    """keyTimes and keyPoints (0 to 1) for a hand that moves during [start, end] of the loop."""
    width = end - start
    if motion in HOLDS:
        arrive, leave = HOLDS[motion]
        points = [1, 1, 0, 0, 1, 1] if motion in COMES_IN else [0, 0, 1, 1, 0, 0]
        return [0, start, start + arrive * width, start + leave * width, end, 1], points
    if motion == "stretch-release":
        return [0, start, start + STRETCH_OUT * width, end, 1], [0, 0, 1, 0, 0]
    stops = _line_fractions(stroke.d) if motion == "press-hold" and stroke.kind == "path" else None
    if motion in STEPPED:
        stops = [index / (STEPPED[motion] - 1) for index in range(STEPPED[motion])]
    if stops and len(stops) > 1:
        times, points = [0.0], [0.0]
        for index, stop in enumerate(stops):
            times += [start + width * index / len(stops), start + width * (index + 0.75) / len(stops)]
            points += [stop, stop]
        return [*times, 1], [*points, 1]
    if motion == "press-hold":
        return [0, start, end, 1], [0, 0, 0, 0]
    return [0, start, end, 1], [0, 0, 1, 1]


def _ordered_parts(drawing: Drawing, view: View, per: str) -> list[list[tuple[Stroke, bool]]]:
    """The parts in the order they are done, each [(stroke, mirrored)]: a move done on each side
    in turn (per side) runs all its parts on your left, then on your right; one done with both
    hands at once pairs each stroke with its mirror."""
    left = [[(stroke, False) for stroke in part] for part in drawing.parts]
    if not drawing.mirror or view.axis is None:
        return left
    right = [[(Stroke(mirror_path(stroke.d, view.axis), stroke.hand, stroke.kind), True) for stroke in part]
             for part in drawing.parts]
    if per == "side":
        return left + right
    return [one + other for one, other in zip(left, right, strict=True)]


def part_seconds(drawing: Drawing, step) -> float:
    """How long one part lasts on screen: the step's seconds per stroke (or per hold), shared by
    the parts of one round unless the parts are the step's rows, within PART_SECONDS."""
    per_stroke = step.duration_seconds / step.strokes
    if step.hold_seconds:
        per_stroke = min(per_stroke, step.hold_seconds + 2)
    if step.rows == 1:
        per_stroke /= len(drawing.parts)
    low, high = PART_SECONDS
    return round(min(max(per_stroke, low), high), 2)


def scene(drawings: Drawings, step, avoid: frozenset[str] = frozenset()) -> Scene:
    """What one step's drawing shows: its strokes in order with their timelines, the zone, the
    areas to avoid today, and an accessible name that says the move (and the avoided areas) in words."""
    drawing = drawings.drawings[step.illustration]
    view = drawings.views[drawing.view]
    parts = _ordered_parts(drawing, view, step.per)
    count = len(parts)
    placed = []
    for order, part in enumerate(parts, start=1):
        start, end = (order - 1) / count, order / count
        for stroke, mirrored in part:
            times, points = timeline(drawing.motion, stroke, start, end)
            shown = "" if count == 1 else f"0;{_fraction(start)};{_fraction(end)}"
            start_point = path_points(stroke.d)[0]
            turn = drawing.hand_turn((view.axis - start_point[0], start_point[1]) if mirrored else start_point)
            placed.append(PlacedStroke(
                stroke.d, order, stroke.hand, mirrored, start_point,
                ";".join(map(_fraction, times)), ";".join(map(_fraction, points)), shown, turn,
            ))
    label = drawing.label + "."
    if drawing.mirror and step.per == "side":
        label += " Your left side first, then your right."
    elif drawing.view == "profile" and step.per == "side":
        label += " Shown on your left side; then do your right."
    hatched = tuple((zone, view.zones[zone]) for zone in drawings.zone_labels if zone in avoid and zone in view.zones)
    if hatched:
        names = ", ".join(drawings.zone_labels[zone].lower() for zone, _ in hatched)
        label += f" Hatched: leave out today: {names}."
    return Scene(drawing, view, drawing.area or view.zones[drawing.zone], tuple(placed), count,
                 round(part_seconds(drawing, step) * count, 2), hatched, label)
