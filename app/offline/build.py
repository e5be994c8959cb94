"""Build the service worker (`flask offline build`, run by `make run` and `make test`).

Python knows the static fingerprint (app.static_files); build_sw.mjs hands it to
workbox-build, which writes one self-contained sw.js: Workbox's precache of every static
file under this fingerprint, and our page handling (static/js/offline/sw-pages.js). The
npm packages the pages import (idb, workbox-window) are copied into static/vendor/ first,
since the fingerprint covers them. The output is git-ignored; a deploy builds its own.
"""

import functools
import json
import os
import shutil
import subprocess  # nosec B404
from pathlib import Path

import click
from flask import current_app

from app.offline import bp
from app.static_files import folder_fingerprint

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = Path(__file__).with_name("build_sw.mjs")
DEFAULT_SERVICE_WORKER = ROOT / "build" / "sw.js"
# Copied from node_modules (package.json pins them) and served from our origin.
VENDOR = {
    "idb.js": "idb/build/index.js",
    "workbox-window.js": "workbox-window/build/workbox-window.prod.mjs",
}
BUILD_MARK = 'self.GLOWSTEP_BUILD = "{fingerprint}";'


def copy_vendor(static_folder: Path, node_modules: Path = ROOT / "node_modules") -> None:
    """Copy the browser packages into static/vendor/, without their source-map comment."""
    target = static_folder / "vendor"
    target.mkdir(exist_ok=True)
    for name, source in VENDOR.items():
        text = (node_modules / source).read_text()
        lines = [line for line in text.splitlines() if not line.startswith("//# sourceMappingURL=")]
        (target / name).write_text("\n".join(lines) + "\n")


def build_service_worker(static_folder: Path, out: Path) -> str:
    """Write the service worker for this copy of the static files to `out`; return the
    fingerprint it serves. Raises subprocess.CalledProcessError when the build fails."""
    copy_vendor(static_folder)
    fingerprint = folder_fingerprint(static_folder)
    out.parent.mkdir(parents=True, exist_ok=True)
    config = {
        "globDirectory": str(static_folder),
        "urlPrefix": f"/static/{fingerprint}/",
        "swDest": str(out),
        "importScript": f"/static/{fingerprint}/js/offline/sw-pages.js",
        "mark": BUILD_MARK.format(fingerprint=fingerprint),
    }
    node = shutil.which("node") or "node"
    subprocess.run([node, str(BUILD_SCRIPT)], input=json.dumps(config), text=True, check=True, cwd=ROOT)
    return fingerprint


def service_worker_source(path: str, fingerprint: str) -> str | None:
    """The built service worker, if there is one and it was built for these static files.
    Every page asks (templates/offline/_body.html): the file is read again only when it changes."""
    try:
        modified = os.stat(path).st_mtime_ns
    except OSError:
        return None
    return _read_built(path, modified, fingerprint)


@functools.lru_cache(maxsize=4)
def _read_built(path: str, modified: int, fingerprint: str) -> str | None:
    try:
        source = Path(path).read_text()
    except OSError:
        return None
    return source if source.startswith(BUILD_MARK.format(fingerprint=fingerprint)) else None


@bp.cli.command("build")
def build_command() -> None:
    """Copy the browser packages and build the service worker (SERVICE_WORKER)."""
    static_folder = Path(current_app.static_folder)
    out = Path(current_app.config["SERVICE_WORKER"])
    fingerprint = build_service_worker(static_folder, out)
    click.echo(f"Service worker for static files {fingerprint}: {out}")
