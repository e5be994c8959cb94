"""The mirror frame (its own document, with the wider script policy) and the vendored model."""

from flask import abort, current_app, render_template, url_for

from app.mirror import MODEL_FINGERPRINT_KEY, bp, face_anchors
from app.security import MIRROR_FRAME_HEADERS
from app.static_files import send_fingerprinted

WASM = "application/wasm"  # so the browser may compile it while it downloads


@bp.get("/frame")
def frame():
    """The camera, the model and the overlay. Only ever embedded by the player page; the
    same for everyone, so any cache may keep it as it keeps static pages."""
    fingerprint = current_app.config[MODEL_FINGERPRINT_KEY]
    # The folder's URL, ending in "/": the model's script asks for its other files by name.
    model_url = url_for("mirror.model", fingerprint=fingerprint, filename="face_mesh.js")[:-len("face_mesh.js")] \
        if fingerprint else None
    body = render_template("mirror/frame.html", model_url=model_url, fits=face_anchors().frame_config(),
                           pause_off_ms=1000 * current_app.config["MIRROR_PAUSE_OFF_SECONDS"])
    return body, 200, MIRROR_FRAME_HEADERS


@bp.get("/model/<fingerprint>/<path:filename>")
def model(fingerprint: str, filename: str):
    """A file of the vendored MediaPipe Face Mesh, kept a year under the current fingerprint."""
    if fingerprint != current_app.config[MODEL_FINGERPRINT_KEY]:
        abort(404)  # never today's model under another build's name (issue 18's rule for static files)
    return send_fingerprinted(current_app.config["MIRROR_MODEL_DIR"], filename,
                              mimetype=WASM if filename.endswith(".wasm") else None)
