"""Mirror mode: the step's zone and strokes drawn on the person's own camera image, on their
device only.

Architecture (issue 16, Decisions). Camera permission is inherited, and MediaPipe's wasm glue
needs 'unsafe-eval'. We keep the player one page (its clock, Start-in-place and focus mode stay
in one document) and give it only `camera=(self)`: when Mirror is switched on, the player embeds
a same-origin frame, /mirror/frame (allow="camera"), whose response alone carries
`script-src 'self' 'unsafe-eval'` and `frame-ancestors 'self'`. A separate mirror page would
have had to run the whole player under the wider script policy, or duplicate it. The frame
holds the camera, the model and the overlay; the player page tells it the current step's
drawing and state by postMessage (same origin only), and it answers with its status.

The model files are copied at set-up (`make vendor`, run by `make run` and `make test`) from
the pinned npm package into app/vendor/face_mesh/ (git-ignored) and served under their own
fingerprint, /mirror/model/<fingerprint>/<file>, kept a year: a change to the site's CSS or JS
does not make anyone download the 10 MB model again.
"""

from functools import cache
from pathlib import Path

from flask import Blueprint, Flask, current_app, g

from app.mirror.anchors import FaceAnchors, parse_face_anchors
from app.security import EMBEDS_MIRROR_PERMISSIONS_POLICY
from app.static_files import folder_fingerprint

bp = Blueprint("mirror", __name__, url_prefix="/mirror")
ANCHORS_KEY = "glowstep.face_anchors"
MODEL_FINGERPRINT_KEY = "MIRROR_MODEL_FINGERPRINT"
MODEL_DIR = Path(__file__).resolve().parent.parent / "vendor" / "face_mesh"
EMBEDS_MIRROR = "embeds_mirror"


@cache
def model_fingerprint(folder: str) -> str | None:
    """The vendored model's own fingerprint (16 MB hashed once per process), None if absent."""
    return folder_fingerprint(Path(folder)) if Path(folder).is_dir() else None


def face_anchors() -> FaceAnchors:
    return current_app.extensions[ANCHORS_KEY]


def mirror_placements(zones: list[str]) -> list[str]:
    """Template global for the page that embeds the mirror (mirror/_panel.html): the
    placement of each step's zone, in order. Marks the response so that it lets the frame use
    the camera (see allow_camera)."""
    g.setdefault(EMBEDS_MIRROR, True)
    return face_anchors().step_placements(zones)


def allow_camera(response):
    """camera=(self) on exactly the pages that embed the mirror; every other page keeps the
    site's camera=()."""
    if g.get(EMBEDS_MIRROR):
        response.headers["Permissions-Policy"] = EMBEDS_MIRROR_PERMISSIONS_POLICY
    return response


def init_app(app: Flask) -> None:
    """Validate face_anchors.yaml at start-up (a broken file stops the app, as content does)
    and fingerprint the vendored model, if `make vendor` has copied it."""
    from app.content import drawings

    with app.app_context():
        viewbox = drawings().views["front"].viewbox
    anchors_file = Path(app.config["CONTENT_DIR"]) / "face_anchors.yaml"
    app.extensions[ANCHORS_KEY] = parse_face_anchors(anchors_file, viewbox)
    app.config[MODEL_FINGERPRINT_KEY] = model_fingerprint(app.config.setdefault("MIRROR_MODEL_DIR", str(MODEL_DIR)))
    app.add_template_global(mirror_placements)
    app.after_request(allow_camera)
    app.register_blueprint(bp)


from app.mirror import routes  # noqa: E402,F401  (routes attach themselves to bp)
