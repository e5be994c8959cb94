"""Static files under a fingerprint of their content: /static/<fingerprint>/css/site.css.

One fingerprint covers the whole folder, so the player's JavaScript modules, which import
each other by relative paths, stay inside the same fingerprinted tree. A fingerprinted
URL never changes meaning, so browsers may keep it for a year without asking again; a
deploy that changes any file changes every URL. The fingerprint is computed from the
files, so every process of a deploy agrees on it.

An older fingerprint answers 404: this deploy does not have that file's old bytes, and the
current file under the old name would mix two builds (a page or a service worker's cache of
one deploy with a script of the next). The offline service worker keeps its own copies.
"""

import hashlib
from pathlib import Path

from flask import Flask, abort, current_app, request, send_from_directory

FINGERPRINT_KEY = "STATIC_FINGERPRINT"
YEAR = 365 * 24 * 60 * 60


def folder_fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def serve_static(fingerprint: str, filename: str):
    """The current file, under the current fingerprint only: any other answers 404, never
    the current bytes under an older name (issue 18)."""
    if fingerprint != current_app.config[FINGERPRINT_KEY]:
        abort(404)
    return send_fingerprinted(current_app.static_folder, filename)


def send_fingerprinted(folder: str, filename: str, *, mimetype: str | None = None):
    """A file of a fingerprinted folder, asked for under its current fingerprint: kept a
    year, unchanged. 404 if absent."""
    # No byte ranges: Flask-Compress would compress a 206's slice under the whole file's
    # Content-Range. Conditional GETs still answer 304. The file is read whole, so
    # Flask-Compress packs it in one piece: streamed, its iterator would leave the file open.
    response = send_from_directory(folder, filename, max_age=YEAR, conditional=False, mimetype=mimetype)
    response.make_conditional(request)
    response.make_sequence()
    response.direct_passthrough = False  # a passed-through list is never closed, nor its file
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


def add_fingerprint(endpoint: str, values: dict) -> None:
    if endpoint == "static":
        values.setdefault("fingerprint", current_app.config[FINGERPRINT_KEY])


def init_app(app: Flask) -> None:
    """Replace Flask's own static route (create the app with static_folder=None). STATIC_FOLDER
    (optional) serves another build of the files, e.g. a deploy's copy."""
    app.static_folder = app.config.get("STATIC_FOLDER") or "static"
    app.config[FINGERPRINT_KEY] = folder_fingerprint(Path(app.static_folder))
    app.add_url_rule("/static/<fingerprint>/<path:filename>", endpoint="static", view_func=serve_static)
    app.url_defaults(add_fingerprint)
