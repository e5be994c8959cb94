"""Fixtures: an app on a real database built by the real migrations, a client, a CLI runner.

The migrated, content-loaded database is built once per run and copied for each test,
so every test starts from the same real schema without paying for migrations again.
By default the databases are SQLite files; with TEST_DATABASE_URL set to a PostgreSQL
URL (a role that may create databases), each test gets its own PostgreSQL database,
copied from a template database the same way.
"""

import os
import secrets
import shutil
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from werkzeug.datastructures import MultiDict

from app import create_app
from app.config import normalise_database_url
from app.content.loader import load_library
from app.content.store import store_library
from app.extensions import db

TEST_DATABASE_URL = normalise_database_url(os.environ.get("TEST_DATABASE_URL", ""))
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="exercises SQLite itself (file copies, PRAGMAs)")


class PostgresDatabases:
    """Throwaway PostgreSQL databases: a copy is CREATE DATABASE … TEMPLATE."""

    def __init__(self, admin_url: str):
        self.base = make_url(admin_url)
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def create(self, template: str | None = None) -> str:
        name = f"{self.base.database}_{uuid.uuid4().hex[:12]}"
        source = f" TEMPLATE {make_url(template).database}" if template else ""
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{source}'))
        return self.base.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        """Drop a test database, ending any connection of ours still open to it.

        Not DROP … WITH (FORCE): it refuses, for a role that is not a superuser, when an
        autovacuum worker happens to be in the database (the worker has no role). A plain
        DROP stops such a worker itself, and waits for the connections ended here to go.
        """
        name = make_url(url).database
        with self.admin.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = :name AND usename = current_user AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))


POSTGRES = PostgresDatabases(TEST_DATABASE_URL) if ON_POSTGRES else None


def make_test_app(database: Path | str, **overrides):
    """An app on the given database (a SQLite file, or a PostgreSQL URL), configured for tests."""
    config = {
        "TESTING": True,
        "SECRET_KEY": secrets.token_hex(16),
        "SQLALCHEMY_DATABASE_URI": database if isinstance(database, str) else f"sqlite:///{database}",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,  # test_security turns it on to prove the limit
        "SERVICE_WORKER": "",  # no service worker: tests/e2e/test_offline.py builds and serves its own
    }
    if ON_POSTGRES:
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": NullPool}  # many short-lived apps
    return create_app(config | overrides)


def empty_database(directory: Path) -> Path | str:
    """A new database with no tables at all."""
    return POSTGRES.create() if POSTGRES else directory / f"{uuid.uuid4().hex[:8]}.sqlite"


def copy_database(source: Path | str, directory: Path) -> Path | str:
    """A copy of a database that nobody is connected to."""
    if POSTGRES:
        return POSTGRES.create(template=str(source))
    target = directory / f"{uuid.uuid4().hex[:8]}.sqlite"
    shutil.copyfile(source, target)
    return target


def drop_database(database: Path | str) -> None:
    if POSTGRES:
        POSTGRES.drop(str(database))


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """A database at the head migration, with the content loaded."""
    database = empty_database(tmp_path_factory.mktemp("template"))
    app = make_test_app(database)
    with app.app_context():
        upgrade()
        store_library(load_library())
        db.engine.dispose()  # SQLite: checkpoints the WAL; PostgreSQL: frees the template
    yield database
    drop_database(database)


def copy_template(template_db, directory: Path):
    return copy_database(template_db, directory)


@pytest.fixture
def db_path(template_db, tmp_path):
    """A fresh copy of the template: a SQLite file path, or on PostgreSQL its URL."""
    database = copy_template(template_db, tmp_path)
    yield database
    drop_database(database)


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


class _FormReader(HTMLParser):
    """Collects each form's action and the values a browser would submit from it."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, MultiDict]] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append((a.get("action") or "", MultiDict()))
        if not self.forms:
            return
        fields = self.forms[-1][1]
        kind = a.get("type", "text")
        if tag == "input" and a.get("name") and kind not in ("submit", "button", "image", "reset"):
            if kind not in ("checkbox", "radio") or "checked" in a:
                fields.add(a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else ""))
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = a.get("name"), None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a and not self._select_chosen:
                fields.add(self._select, value)
                self._select_chosen = True
        elif tag == "textarea":
            self._textarea = a.get("name")
            fields.add(self._textarea, "")

    def handle_data(self, data):
        if self._textarea and self.forms:
            fields = self.forms[-1][1]
            fields.setlist(self._textarea, [fields.get(self._textarea, "") + data])

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.forms[-1][1].add(self._select, self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea:
            fields = self.forms[-1][1]
            value = fields[self._textarea]
            # Like a browser, drop the one newline that may follow <textarea>.
            fields.setlist(self._textarea, [value[2:] if value.startswith("\r\n") else value.removeprefix("\n")])
            self._textarea = None


def read_form(page: str, action: str | None = None) -> tuple[str, MultiDict]:
    """The form on the page (the one posting to `action`, if given): its action and current values.

    Values come as the page renders them, so a test submits exactly what a browser would,
    after changing only what a person would type or pick.
    """
    reader = _FormReader()
    reader.feed(page)
    for form_action, fields in reader.forms:
        if action is None or form_action == action:
            return form_action, fields
    raise AssertionError(f"no form posting to {action!r} on the page")


def page_token(page: str) -> str:
    """The CSRF token the page's forms send (every form of a session sends the same; the
    menu's sign-out form carries none, its script fetches one)."""
    reader = _FormReader()
    reader.feed(page)
    tokens = [fields["csrf_token"] for _, fields in reader.forms if fields.get("csrf_token")]
    assert tokens, "no form on the page carries a CSRF token"
    return tokens[0]


def fill(fields: MultiDict, **answers) -> MultiDict:
    """Type or pick answers in a form read by read_form (a list sets several ticked boxes)."""
    for name, value in answers.items():
        fields.setlist(name, value if isinstance(value, list) else [value])
    return fields


def save_profile(client, **changes):
    """Change the profile through the form at /account, keeping every other answer."""
    action, fields = read_form(client.get("/account").get_data(as_text=True), "/account")
    return client.post(action, data=fill(fields, **changes))
