"""Parts of pages that are the same for everyone, rendered once and kept by Flask-Caching:
a routine's steps and drawings on its page, and the site's header (per kind of visitor and
page). A signed-in person's page then renders only what is theirs (the recommendation, the
skin-check warning).

A template wraps such a part in `{% cache None, "name", key, fragment_version() %}`. The
version joins the library's (app.content.snapshot: any content load that changes a routine
changes it) and the code's (the templates, content files and static files this process runs
with, so a deploy that changes a drawing, the markup or a file a fragment links to under its
fingerprint, such as the header's icon, never reads a fragment an older deploy stored in a
shared Redis). Old entries are never asked for again and expire (CACHE_DEFAULT_TIMEOUT).
"""

from pathlib import Path

from flask import Flask, current_app

from app.content.snapshot import catalog
from app.static_files import FINGERPRINT_KEY, folder_fingerprint

CODE_VERSION_KEY = "FRAGMENT_CODE_VERSION"


def fragment_version() -> str:
    """"<code>.<library>": 18 and 16 hex digits, the same in every process of one deploy."""
    return f"{current_app.config[CODE_VERSION_KEY]}.{catalog().version}"


def init_app(app: Flask) -> None:
    templates = Path(app.root_path) / app.template_folder
    app.config[CODE_VERSION_KEY] = (folder_fingerprint(templates)[:6]
                                    + folder_fingerprint(Path(app.config["CONTENT_DIR"]))[:6]
                                    + app.config[FINGERPRINT_KEY][:6])
    app.add_template_global(fragment_version)
