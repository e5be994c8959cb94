"""Fixtures: an app on a real SQLite file built by the real migrations, a client, a CLI runner.

The migrated, content-loaded database is built once per run and copied for each test,
so every test starts from the same real schema without paying for migrations again.
"""

import secrets
import shutil
from pathlib import Path

import pytest
from flask_migrate import upgrade

from app import create_app
from app.content.loader import load_library
from app.content.store import store_library
from app.extensions import db


def make_test_app(db_path: Path, **overrides):
    """An app on the given SQLite file, configured for tests."""
    config = {
        "TESTING": True,
        "SECRET_KEY": secrets.token_hex(16),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
        "WTF_CSRF_ENABLED": False,
    }
    return create_app(config | overrides)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    """A database file at the head migration, with the content loaded."""
    path = tmp_path_factory.mktemp("template") / "glowstep.sqlite"
    app = make_test_app(path)
    with app.app_context():
        upgrade()
        store_library(load_library())
        db.engine.dispose()  # checkpoints the WAL into the main file before it is copied
    return path


def copy_template(template_db: Path, directory: Path) -> Path:
    path = directory / "glowstep.sqlite"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture
def db_path(template_db, tmp_path) -> Path:
    return copy_template(template_db, tmp_path)


@pytest.fixture
def app(db_path):
    app = make_test_app(db_path)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
