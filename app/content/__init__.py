"""The routine library as data files, and the loader that validates them.

The drawings and safety copy are read straight from the files once per process
(they change only with a deploy); goals, routines and steps live in the database.
"""

from pathlib import Path

from flask import Flask, current_app

from app.content.loader import ZONE_LABELS, Drawings, Library, load_library
from app.content.programmes import Programme, load_programmes
from app.content.snapshot import init_app as init_catalog

EXTENSION_KEY = "glowstep.library"
PROGRAMMES_KEY = "glowstep.programmes"


def init_app(app: Flask) -> None:
    """Validate the content files at start-up, so a broken file stops the app early."""
    app.extensions[EXTENSION_KEY] = library = load_library(Path(app.config["CONTENT_DIR"]))
    app.extensions[PROGRAMMES_KEY] = load_library_programmes(Path(app.config["CONTENT_DIR"]), library)
    init_catalog(app)

    @app.context_processor
    def inject_content():
        return {
            "safety": safety_copy(),
            "drawings": drawings(),
            "zone_labels": ZONE_LABELS,
            "pressure_words": {level["name"]: level["words"] for level in safety_copy()["pressure_scale"]},
        }


def library() -> Library:
    return current_app.extensions[EXTENSION_KEY]


def load_library_programmes(content_dir: Path, of: Library) -> dict[str, Programme]:
    """The programmes file, validated against the library's routines."""
    slugs = {old: routine.slug for routine in of.routines for old in (routine.slug, *routine.previous_slugs)}
    return load_programmes(content_dir / "programmes.yaml", slugs)


def programmes() -> dict[str, Programme]:
    return current_app.extensions[PROGRAMMES_KEY]


def drawings() -> Drawings:
    return library().drawings


def safety_copy() -> dict:
    return library().safety


def guide_copy() -> dict:
    return library().guide
