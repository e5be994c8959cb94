"""Glowstep: guided facial massage routines, and the habit that keeps them going."""

import os
from pathlib import Path

from flask import Flask
from werkzeug.routing import BaseConverter, IntegerConverter

from app.config import (
    Config,
    create_private_sqlite_file,
    database_url_from_env,
    engine_options,
    load_or_create_secret_key,
)
from app.extensions import cache, compress, csrf, db, login_manager, migrate

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, extensions, content, blueprints, errors, CLI."""
    app = Flask(__name__, instance_relative_config=True, static_folder=None)  # app.static_files serves it
    Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
    configure(app, test_config)
    register_extensions(app)
    register_content(app)
    register_blueprints(app)
    register_errors(app)
    register_commands(app)
    return app


def configure(app: Flask, test_config: dict | None) -> None:
    app.config.from_object(Config)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("GLOWSTEP")
    if url := database_url_from_env():
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    if test_config:
        app.config.update(test_config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **engine_options(app.config["SQLALCHEMY_DATABASE_URI"]), **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    create_private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or load_or_create_secret_key(app.instance_path)


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    csrf.init_app(app)
    login_manager.init_app(app)
    compress.init_app(app)  # registered first, so its after_request runs last: it sees the final page
    cache.init_app(app)
    from app.auth.attempts import init_app as init_attempts
    from app.auth.sign_ins import init_app as init_sign_ins

    init_attempts(app)
    init_sign_ins(app)


def register_content(app: Flask) -> None:
    from app.content import init_app

    init_app(app)


class SlugConverter(BaseConverter):
    """Slugs as our content files spell them; anything else is a 404 before any query."""

    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"


class RowIdConverter(IntegerConverter):
    """Row ids within a 32-bit integer, so an absurd id is a 404 on every database."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=2**31 - 1)


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["slug"] = SlugConverter
    app.url_map.converters["row_id"] = RowIdConverter
    from app.account import bp as account_bp
    from app.auth import bp as auth_bp
    from app.catalog import bp as catalog_bp
    from app.fragments import init_app as init_fragments
    from app.mirror import init_app as init_mirror
    from app.offline import bp as offline_bp
    from app.onboarding import bp as onboarding_bp
    from app.player import bp as player_bp
    from app.programmes import bp as programmes_bp
    from app.reminders import bp as reminders_bp
    from app.sessions import bp as sessions_bp
    from app.static_files import init_app as init_static_files
    from app.template_helpers import init_app as init_template_helpers

    for blueprint in (catalog_bp, player_bp, auth_bp, sessions_bp, account_bp, reminders_bp, onboarding_bp,
                      programmes_bp, offline_bp):
        app.register_blueprint(blueprint)
    init_mirror(app)
    init_template_helpers(app)
    init_static_files(app)
    init_fragments(app)  # after the static files: fragments link to them under their fingerprint


def register_errors(app: Flask) -> None:
    from app.errors import init_app as init_errors
    from app.security import init_app as init_security
    from app.stale_forms import init_app as init_stale_forms

    init_security(app)
    init_errors(app)
    init_stale_forms(app)


def register_commands(app: Flask) -> None:
    from app.cli import init_app

    init_app(app)
