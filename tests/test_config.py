"""Configuration: secrets are generated, never literal; SQLite is tuned on every connection."""

from sqlalchemy import text

from app import create_app
from app.config import database_url_from_env, load_or_create_secret_key
from app.extensions import db
from tests.conftest import sqlite_only


def test_secret_key_is_generated_once_and_reused(tmp_path):
    first = load_or_create_secret_key(str(tmp_path))
    second = load_or_create_secret_key(str(tmp_path))
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_comes_from_the_environment_first(monkeypatch, db_path):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}"})
    assert app.config["SECRET_KEY"] == "from-the-environment"


def test_database_url_overrides_the_default(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/other.sqlite")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/other.sqlite"


def test_postgres_urls_use_psycopg3(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@localhost/glowstep")
    assert database_url_from_env() == "postgresql+psycopg://u:p@localhost/glowstep"


def test_default_database_lives_in_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    with app.app_context():
        assert str(db.engine.url.database).startswith(app.instance_path)


@sqlite_only
def test_every_sqlite_connection_is_tuned(app):
    with app.app_context():
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 5000
