"""Static files under a fingerprint of their content: /static/<fingerprint>/css/site.css.

One fingerprint covers the whole folder, so the player's JavaScript modules, which import
each other by relative paths, stay inside the same fingerprinted tree. A fingerprinted
URL never changes meaning, so browsers may keep it for a year without asking again; a
deploy that changes any file changes every URL. The fingerprint is computed from the
files, so every process of a deploy agrees on it.
"""

import hashlib
from pathlib import Path

from flask import Flask, current_app, request, send_from_directory

FINGERPRINT_KEY = "STATIC_FINGERPRINT"
YEAR = 365 * 24 * 60 * 60


def folder_fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def serve_static(fingerprint: str, filename: str):
    """The current file. Under an older fingerprint (a page cached before a deploy) it is
    still served, but only briefly cached, since its content may differ from that URL's."""
    current = fingerprint == current_app.config[FINGERPRINT_KEY]
    return send_fingerprinted(current_app.static_folder, filename, current=current)


def send_fingerprinted(folder: str, filename: str, *, current: bool, mimetype: str | None = None):
    """A file of a fingerprinted folder: kept a year, unchanged, when asked for under the
    current fingerprint; asked for again each time otherwise. 404 if absent."""
    # No byte ranges: Flask-Compress would compress a 206's slice under the whole file's
    # Content-Range. Conditional GETs still answer 304. The file is read whole, so
    # Flask-Compress packs it in one piece: streamed, its iterator would leave the file open.
    response = send_from_directory(folder, filename, max_age=YEAR if current else 0, conditional=False,
                                   mimetype=mimetype)
    response.make_conditional(request)
    response.make_sequence()
    response.direct_passthrough = False  # a passed-through list is never closed, nor its file
    if current:
        response.cache_control.public = True
        response.cache_control.immutable = True
    return response


def add_fingerprint(endpoint: str, values: dict) -> None:
    if endpoint == "static":
        values.setdefault("fingerprint", current_app.config[FINGERPRINT_KEY])


def init_app(app: Flask) -> None:
    """Replace Flask's own static route (create the app with static_folder=None)."""
    app.static_folder = "static"
    app.config[FINGERPRINT_KEY] = folder_fingerprint(Path(app.static_folder))
    app.add_url_rule("/static/<fingerprint>/<path:filename>", endpoint="static", view_func=serve_static)
    app.url_defaults(add_fingerprint)
