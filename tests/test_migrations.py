"""Migrations keep data through a round trip, match the models, and backups restore."""

import sqlite3
import threading
from datetime import datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from app.content.loader import load_library
from app.content.store import store_library
from app.extensions import db
from app.models import ProgressSnapshot, Routine, SessionLog, User
from tests.conftest import copy_database, drop_database, empty_database, make_test_app, sqlite_only


def fill(app):
    """Content, a user and a session: the kind of data an upgrade must carry."""
    with app.app_context():
        store_library(load_library())
        user = User(email="keep@example.com")
        user.set_password("a long enough password")
        routine = db.session.scalar(select(Routine).limit(1))
        db.session.add(user)
        db.session.add(
            SessionLog(user=user, routine=routine, client_id="c1", completed_at=datetime(2026, 1, 2, 20, 0),
                       seconds_spent=300, skin_feel=4, notes="kept")
        )
        db.session.commit()


def test_upgrade_downgrade_upgrade_round_trip(tmp_path):
    original = empty_database(tmp_path)
    app = make_test_app(original)
    with app.app_context():
        upgrade()
    fill(app)
    with app.app_context():
        db.engine.dispose()
    copy = copy_database(original, tmp_path)

    copy_app = make_test_app(copy)
    with copy_app.app_context():
        assert db.session.scalar(select(SessionLog.notes)) == "kept"
        db.session.rollback()  # end the read: on PostgreSQL its locks would block the downgrade
        downgrade(revision="base")
        tables = set(db.inspect(db.engine).get_table_names())
        assert tables <= {"alembic_version"}
        upgrade()
        assert db.session.scalar(select(func.count()).select_from(SessionLog)) == 0
        db.engine.dispose()
    fill(copy_app)
    with copy_app.app_context():
        assert db.session.scalar(select(SessionLog.notes)) == "kept"
        db.engine.dispose()
    drop_database(copy)
    drop_database(original)


def test_models_match_the_migrations(tmp_path):
    database = empty_database(tmp_path)
    app = make_test_app(database)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"render_as_batch": True})
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    drop_database(database)
    assert differences == []


@sqlite_only
def test_backup_while_serving_restores_the_data(app, runner, tmp_path):
    fill_user_logs = [f"note {n}" for n in range(20)]
    client = app.test_client()
    password = "a long enough password"
    client.post("/auth/register", data={"email": "b@example.com", "password": password, "confirm": password})
    writing = threading.Event()

    def keep_logging():
        for number, note in enumerate(fill_user_logs):
            client.post("/sessions/new", data={"client_id": f"b{number}", "routine": "quick-tapping-wake-up",
                                               "minutes": "4", "skin_feel": "3", "discomfort": "no", "notes": note})
            writing.set()

    writer = threading.Thread(target=keep_logging)
    writer.start()
    writing.wait(timeout=10)
    backup = tmp_path / "backup.sqlite"
    result = runner.invoke(args=["backup", str(backup)])
    writer.join()

    assert result.exit_code == 0, result.output
    with sqlite3.connect(backup) as restored:
        assert restored.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        users = restored.execute("SELECT email FROM users").fetchall()
        logs = restored.execute("SELECT count(*) FROM session_logs").fetchone()[0]
    assert users == [("b@example.com",)]
    assert 1 <= logs <= len(fill_user_logs)
    restored_app = make_test_app(backup)
    with restored_app.app_context():
        assert db.session.scalar(select(User.email)) == "b@example.com"
        db.engine.dispose()


def fill_old_schema(app) -> None:
    """A routine, a user, a session log and a progress summary, written with the columns every
    revision since e8195143dce9 has (the models may have more by now: the content loader's
    routines and steps do)."""
    with app.app_context():
        db.session.execute(text(
            "INSERT INTO routines (slug, title, summary, level, skin_types, safety_notes, retired)"
            " VALUES ('kept', 'Kept', 'Kept.', 'beginner', '[]', '[]', false)"))
        db.session.execute(text(
            "INSERT INTO users (email, password_hash, display_name, time_zone, goal_slugs, weekly_target,"
            " rest_days_per_week, checkin_every_sessions, skin_flags, log_version, created_at)"
            " VALUES ('keep@example.com', 'x', '', 'UTC', '[]', 4, 2, 10, '{}', 1, '2026-01-01 00:00:00')"))
        db.session.execute(text(
            "INSERT INTO session_logs (user_id, routine_id, client_id, completed_at, seconds_spent, skin_feel,"
            " discomfort, notes, created_at) SELECT users.id, routines.id, 'c1', '2026-01-02 20:00:00', 300, 4,"
            " false, 'kept', '2026-01-02 20:00:00' FROM users, routines WHERE routines.slug = (SELECT min(slug)"
            " FROM routines)"))
        db.session.execute(text("INSERT INTO progress_snapshots (user_id, log_version, time_zone, data) "
                                "SELECT id, 1, 'UTC', '{}' FROM users"))
        db.session.commit()
        db.engine.dispose()


def filled_at_revision(tmp_path, revision: str):
    """A new database migrated to `revision` holding fill_old_schema's rows, and an app on it."""
    database = empty_database(tmp_path)
    app = make_test_app(database)
    with app.app_context():
        upgrade(revision=revision)
        db.engine.dispose()
    fill_old_schema(app)
    return database, app


def test_the_sign_ins_migration_keeps_every_row_and_ids_are_never_reused(tmp_path):
    """Rebuilding users and session logs for AUTOINCREMENT (SQLite) must cascade into nothing."""
    database, app = filled_at_revision(tmp_path, "e8195143dce9")
    with app.app_context():
        upgrade()
        assert db.session.scalar(select(SessionLog.notes)) == "kept"
        assert db.session.scalar(select(func.count()).select_from(ProgressSnapshot)) == 1
        gone = db.session.scalar(select(User))
        gone_id, gone_log = gone.id, db.session.scalar(select(SessionLog.id))
        db.session.delete(gone)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(SessionLog)) == 0  # the cascade still works
        db.engine.dispose()
    fill(app)
    with app.app_context():
        assert db.session.scalar(select(User.id)) > gone_id
        assert db.session.scalar(select(SessionLog.id)) > gone_log
        db.engine.dispose()
    drop_database(database)


def test_the_time_zone_migration_gives_stored_logs_their_owners_zone(tmp_path):
    database, app = filled_at_revision(tmp_path, "7a1c3e5f9b20")
    with app.app_context():
        db.session.execute(text("UPDATE users SET time_zone = 'Asia/Tokyo'"))
        db.session.commit()
        upgrade()
        log = db.session.scalar(select(SessionLog))
        assert (log.time_zone, log.clock_ahead, log.notes, log.completed_at) == (
            "Asia/Tokyo", False, "kept", datetime(2026, 1, 2, 20))
        db.engine.dispose()
    drop_database(database)
