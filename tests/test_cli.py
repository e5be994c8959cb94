"""`flask content load`: idempotent upserts by slug, retiring what left the files."""

import shutil

import yaml
from markupsafe import escape

from app.content.loader import CONTENT_DIR
from app.extensions import db
from app.models import Goal, Routine, Step
from tests.conftest import log_session


def catalog_snapshot(app):
    with app.app_context():
        return (
            db.session.scalar(db.select(db.func.count()).select_from(Goal)),
            sorted((r.slug, r.title, r.retired, r.total_seconds) for r in db.session.scalars(db.select(Routine))),
            db.session.scalar(db.select(db.func.count()).select_from(Step)),
        )


def test_load_twice_changes_nothing(app, runner):
    before = catalog_snapshot(app)
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 0, result.output
    assert "0 routines created, 0 updated, 0 retired" in result.output
    assert catalog_snapshot(app) == before


def content_without_a_routine(tmp_path):
    """A copy of the content files with the first routine's file removed, and its days taken
    out of the programmes (which may not name a routine that is gone), as an editor would."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    gone = sorted((content / "routines").glob("*.yaml"))[0]
    gone.unlink()
    programmes = yaml.safe_load((content / "programmes.yaml").read_text())
    for programme in programmes:
        programme["days"] = [day for day in programme["days"] if day["routine"] != gone.stem]
    (content / "programmes.yaml").write_text(yaml.safe_dump(programmes))
    return content, gone


def test_load_updates_by_slug_and_retires_removed_routines(app, runner, tmp_path):
    content, gone = content_without_a_routine(tmp_path)
    renamed = sorted((content / "routines").glob("*.yaml"))[0]
    data = yaml.safe_load(renamed.read_text())
    data["title"] = "A brand new title"
    data["steps"] = data["steps"][:4]
    renamed.write_text(yaml.safe_dump(data))
    app.config["CONTENT_DIR"] = str(content)

    result = runner.invoke(args=["content", "load"])

    assert result.exit_code == 0, result.output
    assert "0 routines created, 1 updated, 1 retired" in result.output
    with app.app_context():
        retired = db.session.scalar(db.select(Routine).where(Routine.slug == gone.stem))
        updated = db.session.scalar(db.select(Routine).where(Routine.slug == renamed.stem))
        assert retired.retired and retired.steps  # kept whole, only hidden
        assert updated.title == "A brand new title" and len(updated.steps) == 4


def test_retired_routine_leaves_listings_but_keeps_its_page_and_its_logs(app, runner, client, auth, tmp_path):
    auth.register()
    content, gone = content_without_a_routine(tmp_path)
    log_id = log_session(client, routine=gone.stem)
    title = yaml.safe_load(CONTENT_DIR.joinpath("routines", gone.name).read_text())["title"]
    app.config["CONTENT_DIR"] = str(content)
    assert runner.invoke(args=["content", "load"]).exit_code == 0

    assert title not in client.get("/routines").get_data(as_text=True)
    page = client.get(f"/routines/{gone.stem}").get_data(as_text=True)
    assert "no longer in our library" in page
    history = client.get("/sessions").get_data(as_text=True)
    assert f'<a href="/sessions/{log_id}">{escape(title)}</a>' in history


def test_broken_content_fails_with_a_clear_message(app, runner, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = sorted((content / "routines").glob("*.yaml"))[0]
    data = yaml.safe_load(path.read_text())
    data["steps"][0]["duration"] = 0
    path.write_text(yaml.safe_dump(data))
    app.config["CONTENT_DIR"] = str(content)
    before = catalog_snapshot(app)

    result = runner.invoke(args=["content", "load"])

    assert result.exit_code != 0
    assert f"routines/{path.name}" in result.output and "'duration' must be positive" in result.output
    assert catalog_snapshot(app) == before


def test_a_rename_keeps_the_row_so_history_shows_the_new_name_and_old_links_redirect(app, runner, client, auth,
                                                                                     tmp_path):
    auth.register()
    log_id = log_session(client, routine="serum-press-in")
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    old = content / "routines" / "serum-press-in.yaml"
    data = yaml.safe_load(old.read_text())
    data.update(slug="serum-glide", title="Serum glide", previous_slugs=["serum-press-in"])
    old.unlink()
    (content / "routines" / "serum-glide.yaml").write_text(yaml.safe_dump(data))
    app.config["CONTENT_DIR"] = str(content)
    with app.app_context():
        row_id = db.session.scalar(db.select(Routine.id).where(Routine.slug == "serum-press-in"))

    result = runner.invoke(args=["content", "load"])

    assert result.exit_code == 0, result.output
    assert "0 routines created, 1 updated, 0 retired" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(Routine.id).where(Routine.slug == "serum-glide")) == row_id
    assert "Serum glide" in client.get(f"/sessions/{log_id}").get_data(as_text=True)
    assert "Serum glide" in client.get("/sessions").get_data(as_text=True)
    response = client.get("/routines/serum-press-in")
    assert response.status_code == 301 and response.location == "/routines/serum-glide"
