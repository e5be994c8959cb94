"""Installable and offline: the web app manifest, the Workbox-built service worker, the
offline page, and what the browser needs to keep and send session logs made offline."""

from flask import Blueprint

from app.revalidation import init_blueprint

bp = Blueprint("offline", __name__, cli_group="offline")
init_blueprint(bp)

from app.offline import build, routes  # noqa: E402,F401  (routes and commands attach themselves to bp)
