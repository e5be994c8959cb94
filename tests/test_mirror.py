"""Mirror mode on the server: face_anchors.yaml validated on load, the frame's own policy, the
camera allowed only where the mirror is embedded, and the vendored model's caching."""

import json
import re
from pathlib import Path

import pytest
import yaml

from app.content.loader import CONTENT_DIR, ContentError, load_library
from app.mirror.anchors import LANDMARK_COUNT, parse_face_anchors
from tests.conftest import make_test_app

ANCHORS_FILE = CONTENT_DIR / "face_anchors.yaml"
VIEWBOX = "0 0 200 290"
STEP_PAGE = "/routines/quick-tapping-wake-up/play?step=1"


def directives(response) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))


def test_the_anchors_file_places_every_zone_the_routines_use():
    library = load_library()
    anchors = parse_face_anchors(ANCHORS_FILE, library.drawings.views["front"].viewbox)
    used = {step.zone for routine in library.routines for step in routine.steps}
    assert used <= set(anchors.zones)
    # The decision, per zone: the face from landmarks, the neck by offsets from the jaw
    # and chin, the collarbones as a drawing only.
    assert {zone for zone, placement in anchors.zones.items() if placement != "landmarks"} == {
        "neck-side", "neck-front", "collarbone"}
    assert anchors.zones["neck-side"] == anchors.zones["neck-front"] == "offsets"
    assert anchors.zones["collarbone"] == "drawing-only"
    assert {anchors.anchors[name].landmark for name in anchors.fits["offsets"].anchors} == {397, 152, 172}


def test_the_contracts_facial_features_sit_where_the_drawings_put_them():
    """The coordinate contract between the drawings and the mirror: nose tip (100,130), mouth
    corners (84,160)/(116,160), chin (100,214), eyes either side of x=100."""
    anchors = parse_face_anchors(ANCHORS_FILE, VIEWBOX).anchors
    assert (anchors["nose-tip"].x, anchors["nose-tip"].y) == (100, 130)
    assert (anchors["left-mouth"].x, anchors["left-mouth"].y) == (84, 160)
    assert (anchors["right-mouth"].x, anchors["right-mouth"].y) == (116, 160)
    assert (anchors["chin"].x, anchors["chin"].y) == (100, 214)
    # The person's left is drawn at x < 100 and is MediaPipe's "left" (263, 291, 397, 454).
    assert all(anchors[name].x < 100 for name in anchors if name.startswith("left-"))
    assert {anchors[name].landmark for name in anchors if name.startswith("left-")} == {263, 362, 454, 291, 397}


def broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(ANCHORS_FILE.read_text())
    change(data)
    path = tmp_path / "face_anchors.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["anchors"]["chin"].update(at=[100, 300]), "anchor 'chin': [100, 300] lies outside"),
        (lambda d: d["anchors"]["chin"].update(at=[100]), "anchor 'chin': 'at' must be [x, y]"),
        (lambda d: d["anchors"]["chin"].update(landmark=LANDMARK_COUNT), "'landmark' must be a Face Mesh index 0-467"),
        (lambda d: d["anchors"]["chin"].update(landmark=1), "landmarks [1] are given to more than one anchor"),
        (lambda d: d["fits"]["offsets"].update(anchors=["chin", "jaw"]), "fit 'offsets': unknown anchors jaw"),
        (lambda d: d["fits"]["offsets"].update(transform="perspective"), "'transform' is 'perspective'"),
        (lambda d: d["fits"]["landmarks"].update(anchors=["forehead-top", "nose-tip", "chin"]),
         "an affine transform needs at least 3 anchors not on one line"),
        (lambda d: d["fits"]["offsets"].update(anchors=["chin"]), "a similarity transform needs at least 2 anchors"),
        (lambda d: d["zones"].pop("cheeks"), "(missing: cheeks; unknown: none)"),
        (lambda d: d["zones"].update(cheeks="guess"), "zone 'cheeks': 'guess'; expected one of"),
        (lambda d: d["fits"].pop("offsets"), "placement 'offsets' has no entry under 'fits'"),
        (lambda d: d["fits"].update(drawn=d["fits"]["offsets"]), "fits for unknown placements drawn"),
    ],
)
def test_a_broken_anchors_file_says_what_and_where(tmp_path, change, message):
    with pytest.raises(ContentError) as error:
        parse_face_anchors(broken(tmp_path, change), VIEWBOX)
    assert str(error.value).startswith("face_anchors.yaml")
    assert message in str(error.value)


def test_a_broken_anchors_file_stops_the_app_at_start_up(tmp_path, db_path):
    content = tmp_path / "content"
    content.mkdir()
    for item in CONTENT_DIR.iterdir():
        if item.name != "face_anchors.yaml":
            (content / item.name).symlink_to(item)
    broken(content, lambda d: d["zones"].pop("chin"))
    with pytest.raises(ContentError, match="missing: chin"):
        make_test_app(db_path, CONTENT_DIR=str(content))


def test_the_frame_alone_may_eval_and_be_framed_by_our_own_pages(client):
    frame = client.get("/mirror/frame")
    assert frame.status_code == 200
    policy = directives(frame)
    assert policy["script-src"] == "'self' 'unsafe-eval'"
    assert policy["frame-ancestors"] == "'self'"
    assert frame.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "camera=(self)" in frame.headers["Permissions-Policy"]
    # Everything else as strict as the site's default.
    site = directives(client.get("/"))
    assert {k: v for k, v in policy.items() if k not in ("script-src", "frame-ancestors")} == {
        k: v for k, v in site.items() if k not in ("script-src", "frame-ancestors")}


def test_the_step_page_lets_its_own_frame_use_the_camera_and_keeps_the_strict_script_policy(client):
    page = client.get(STEP_PAGE)
    assert "camera=(self)" in page.headers["Permissions-Policy"]
    assert directives(page)["script-src"] == "'self'" and directives(page)["frame-ancestors"] == "'none'"
    # A revalidated copy keeps the same permission (a 304 replaces the stored headers).
    again = client.get(STEP_PAGE, headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304 and "camera=(self)" in again.headers["Permissions-Policy"]


def test_the_step_page_tells_the_mirror_how_each_step_is_placed(client):
    html = client.get("/routines/gua-sha-face-and-neck/play?step=1").get_data(as_text=True)
    placements = json.loads(re.search(r'data-role="mirror-placements">(.*?)</script>', html).group(1))
    steps = re.findall(r'<li class="player-step"', html)
    assert len(placements) == len(steps)
    assert set(placements) <= {"landmarks", "offsets", "drawing-only"} and "offsets" in placements


@pytest.fixture
def model_dir(tmp_path):
    folder = tmp_path / "face_mesh"
    folder.mkdir()
    (folder / "face_mesh.js").write_text("// the model's glue")
    (folder / "face_mesh_solution_simd_wasm_bin.wasm").write_bytes(b"\0asm\1\0\0\0")
    return folder


def test_the_model_is_served_under_its_own_fingerprint_and_kept_a_year(db_path, model_dir):
    client = make_test_app(db_path, MIRROR_MODEL_DIR=str(model_dir)).test_client()
    html = client.get("/mirror/frame").get_data(as_text=True)
    script = re.search(r'<script src="(/mirror/model/([0-9a-f]{12})/face_mesh\.js)">', html)
    assert script, "the frame loads the vendored model from our origin"
    static = re.search(r"/static/([0-9a-f]{12})/", html).group(1)
    assert script.group(2) != static, "a change to the site's CSS or JS leaves the model's URL alone"
    url, fingerprint = script.groups()
    with client.get(url) as response:
        assert response.status_code == 200 and response.get_data(as_text=True) == "// the model's glue"
        assert response.cache_control.max_age == 31536000 and response.cache_control.immutable
    with client.get(url.replace("face_mesh.js", "face_mesh_solution_simd_wasm_bin.wasm")) as wasm:
        assert wasm.mimetype == "application/wasm"
    with client.get(url.replace(fingerprint, "000000000000")) as stale:
        assert stale.status_code == 404
    assert client.get(url.replace("face_mesh.js", "nothing.js")).status_code == 404


def test_without_the_vendored_model_the_frame_loads_no_model(db_path, tmp_path):
    client = make_test_app(db_path, MIRROR_MODEL_DIR=str(tmp_path / "absent")).test_client()
    html = client.get("/mirror/frame").get_data(as_text=True)
    assert "/mirror/model/" not in html and '"model": null' in html
    assert client.get("/mirror/model/abc/face_mesh.js").status_code == 404

