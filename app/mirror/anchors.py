"""face_anchors.yaml: named points of the front drawing tied to MediaPipe Face Mesh landmarks,
and how each zone is placed on the camera image. Validated on load, with errors that say where."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from app.content.loader import ZONES, ContentError

# MediaPipe Face Mesh (the legacy solution, @mediapipe/face_mesh) gives 468 landmarks without
# iris refinement: indices 0-467 (its canonical_face_model_uv_visualization).
LANDMARK_COUNT = 468
TRANSFORMS = {"affine": 3, "similarity": 2}  # each needs at least this many anchors to be fitted
PLACEMENTS = ("landmarks", "offsets", "drawing-only")
DRAWING_ONLY = "drawing-only"


@dataclass(frozen=True)
class Anchor:
    x: float
    y: float
    landmark: int


@dataclass(frozen=True)
class Fit:
    transform: str  # "affine" or "similarity"
    anchors: tuple[str, ...]


@dataclass(frozen=True)
class FaceAnchors:
    anchors: dict[str, Anchor]
    fits: dict[str, Fit]  # keyed by placement: "landmarks", "offsets"
    zones: dict[str, str]  # zone -> placement

    def step_placements(self, zones: list[str]) -> list[str]:
        """The placement of each step's zone, in the steps' order (for the player page)."""
        return [self.zones[zone] for zone in zones]

    def frame_config(self) -> dict[str, Any]:
        """What the mirror frame's script fits: per placement, its transform and its points as
        [x, y, landmark] in the front drawing's coordinates."""
        return {
            placement: {
                "transform": fit.transform,
                "points": [[self.anchors[name].x, self.anchors[name].y, self.anchors[name].landmark]
                           for name in fit.anchors],
            }
            for placement, fit in self.fits.items()
        }


def viewbox_bounds(viewbox: str) -> tuple[float, float, float, float]:
    """(min x, min y, max x, max y) of an SVG viewBox "x y width height"."""
    x, y, width, height = (float(part) for part in viewbox.split())
    return x, y, x + width, y + height


def _mapping(value: Any, where: str) -> dict:
    if not isinstance(value, dict) or not value:
        raise ContentError(f"{where}: expected a mapping")
    return value


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_anchor(name: str, raw: Any, bounds: tuple[float, float, float, float], where: str) -> Anchor:
    raw = _mapping(raw, f"{where}, anchor '{name}'")
    at, landmark = raw.get("at"), raw.get("landmark")
    if not (isinstance(at, list) and len(at) == 2 and all(map(_number, at))):
        raise ContentError(f"{where}, anchor '{name}': 'at' must be [x, y] in the front drawing's coordinates")
    x, y = at
    if not (bounds[0] <= x <= bounds[2] and bounds[1] <= y <= bounds[3]):
        raise ContentError(f"{where}, anchor '{name}': {at} lies outside the drawing's viewBox")
    if isinstance(landmark, bool) or not isinstance(landmark, int) or not 0 <= landmark < LANDMARK_COUNT:
        raise ContentError(f"{where}, anchor '{name}': 'landmark' must be a Face Mesh index 0-{LANDMARK_COUNT - 1}")
    return Anchor(float(x), float(y), landmark)


def _collinear(points: list[Anchor]) -> bool:
    first, *rest = points
    return all(abs((b.x - first.x) * (c.y - first.y) - (b.y - first.y) * (c.x - first.x)) < 1e-6
               for b in rest for c in rest)


def parse_fit(placement: str, raw: Any, anchors: dict[str, Anchor], where: str) -> Fit:
    where = f"{where}, fit '{placement}'"
    raw = _mapping(raw, where)
    transform, names = raw.get("transform"), raw.get("anchors")
    if transform not in TRANSFORMS:
        raise ContentError(f"{where}: 'transform' is {transform!r}; expected one of {', '.join(TRANSFORMS)}")
    if not isinstance(names, list) or len(set(map(str, names))) != len(names):
        raise ContentError(f"{where}: 'anchors' must be a list of distinct anchor names")
    if unknown := [name for name in names if name not in anchors]:
        raise ContentError(f"{where}: unknown anchors {', '.join(map(str, unknown))}")
    points = [anchors[name] for name in names]
    if len(points) < TRANSFORMS[transform] or (transform == "affine" and _collinear(points)):
        need = "an affine transform needs at least 3 anchors not on one line" if transform == "affine" \
            else "a similarity transform needs at least 2 anchors"
        raise ContentError(f"{where}: {need}")
    return Fit(transform, tuple(names))


def parse_face_anchors(path: Path, viewbox: str) -> FaceAnchors:
    """Read and validate face_anchors.yaml against the front drawing's viewBox.

    Raises ContentError naming the file and the entry: an anchor outside the viewBox, a
    landmark index outside 0-467 or used twice, a fit that cannot be solved, a zone of the
    drawing vocabulary (loader.ZONES) without a placement, or a placement with no fit.
    """
    where = path.name
    try:
        raw = _mapping(yaml.safe_load(path.read_text(encoding="utf-8")), where)
    except (OSError, yaml.YAMLError) as error:
        raise ContentError(f"{where}: cannot be read: {error}") from error
    bounds = viewbox_bounds(viewbox)
    anchors = {str(name): parse_anchor(str(name), item, bounds, where)
               for name, item in _mapping(raw.get("anchors"), f"{where}, anchors").items()}
    landmarks = [anchor.landmark for anchor in anchors.values()]
    if repeated := sorted({index for index in landmarks if landmarks.count(index) > 1}):
        raise ContentError(f"{where}: landmarks {repeated} are given to more than one anchor")
    fits = {str(placement): parse_fit(str(placement), item, anchors, where)
            for placement, item in _mapping(raw.get("fits"), f"{where}, fits").items()}
    if extra := set(fits) - set(PLACEMENTS):
        raise ContentError(f"{where}: fits for unknown placements {', '.join(sorted(extra))}")
    zones = _mapping(raw.get("zones"), f"{where}, zones")
    if set(zones) != set(ZONES):
        missing = ", ".join(sorted(set(ZONES) - set(zones))) or "none"
        unknown = ", ".join(sorted(set(zones) - set(ZONES))) or "none"
        raise ContentError(f"{where}: 'zones' must place each of {', '.join(ZONES)}"
                           f" (missing: {missing}; unknown: {unknown})")
    for zone, placement in zones.items():
        if placement not in PLACEMENTS:
            raise ContentError(f"{where}, zone '{zone}': {placement!r}; expected one of {', '.join(PLACEMENTS)}")
        if placement != DRAWING_ONLY and placement not in fits:
            raise ContentError(f"{where}, zone '{zone}': placement '{placement}' has no entry under 'fits'")
    return FaceAnchors(anchors=anchors, fits=fits, zones=dict(zones))
