"""Bare extension instances, bound to the app in create_app()."""

import sqlite3

from flask import g
from flask_caching import Cache
from flask_compress import Compress
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic drop and alter them, which SQLite batch mode needs.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SecretSafeCompress(Compress):
    """Flask-Compress, except for a page that carries this session's CSRF token: compressing
    a secret beside text an attacker can choose (a query parameter echoed into a form) lets
    them guess the secret from the compressed length (BREACH). Signed-in pages carry the
    sign-out form's token, so only pages free of secrets are compressed."""

    def after_request(self, response):
        if "csrf_token" in g:  # Flask-WTF keeps the token it rendered in this request there
            return response
        return super().after_request(response)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
compress = SecretSafeCompress()
cache = Cache()

SQLITE_BUSY_TIMEOUT_MS = 5000


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, _record):
    """Enforce foreign keys, let readers and a writer work at once, and wait on locks."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()
