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
        "RATELIMIT_ENABLED": False,  # test_security turns it on to prove the limit
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


# --- Accounts and session logs, as a person uses them (for the issue 4 tests) -------------

PASSWORD = "a long enough passphrase"


class AuthActions:
    """Register, sign in and sign out through the real forms."""

    def __init__(self, client):
        self.client = client

    def register(self, email="ana@example.com", password=PASSWORD, display_name="Ana", query=""):
        return self.client.post(
            f"/auth/register{query}",
            data={"display_name": display_name, "email": email, "password": password, "confirm": password},
        )

    def login(self, email="ana@example.com", password=PASSWORD, remember=False, query=""):
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return self.client.post(f"/auth/login{query}", data=data)

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def log_form(**overrides) -> dict:
    """A valid session log, as the form at /sessions/new posts it."""
    return {
        "client_id": secrets.token_hex(8),
        "routine": "quick-morning-depuff",
        "completed_at": "",
        "minutes": "5",
        "skin_feel": "4",
        "discomfort": "no",
        "discomfort_kind": "",
        "notes": "",
    } | overrides


def log_session(client, **overrides) -> int:
    """Log a session by hand as the signed-in user; the id of the stored log."""
    response = client.post("/sessions/new", data=log_form(**overrides))
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
