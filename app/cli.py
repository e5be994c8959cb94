"""Command-line tools: `flask content load|check|sheet`, `flask backup PATH`, `flask users reset-password EMAIL`."""

import sqlite3
from pathlib import Path

import click
from flask import Flask, current_app, render_template
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from app.auth.forms import PASSWORD_MAX, PASSWORD_MIN
from app.auth.sign_ins import end_sign_ins
from app.content import load_library_programmes
from app.content.loader import ContentError, Library, load_library
from app.content.store import store_library
from app.extensions import db
from app.models import User, normalise_email

content_cli = AppGroup("content", help="Validate and load the routine library.")
users_cli = AppGroup("users", help="Help people with their accounts.")


def validated_library() -> Library:
    """The content files, programmes included, validated; a problem ends the command with its message."""
    content_dir = Path(current_app.config["CONTENT_DIR"])
    try:
        library = load_library(content_dir)
        load_library_programmes(content_dir, library)
    except ContentError as error:
        raise click.ClickException(str(error)) from error
    return library


@content_cli.command("load")
def load_content() -> None:
    """Validate the content files and upsert goals and routines by slug."""
    library = validated_library()
    report = store_library(library)
    click.echo(f"Content loaded: {len(library.goals)} goals; {report}.")


@content_cli.command("check")
def check_content() -> None:
    """Validate the content files without touching the database."""
    library = validated_library()
    click.echo(f"Content is valid: {len(library.goals)} goals, {len(library.routines)} routines.")


@content_cli.command("sheet")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), required=False)
def contact_sheet(path: Path | None) -> None:
    """Write every step's drawing beside its text to one HTML file (default: instance/contact-sheet.html),
    for whoever edits content. The page carries its own styles, so it opens straight from disk."""
    library = validated_library()
    path = path or Path(current_app.instance_path) / "contact-sheet.html"
    static = Path(current_app.root_path) / "static" / "css"
    styles = "\n".join((static / name).read_text(encoding="utf-8") for name in ("site.css", "drawings.css"))
    with current_app.test_request_context():
        page = render_template("content/sheet.html", routines=library.routines, styles=styles)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    count = sum(1 + (step.instead is not None) for routine in library.routines for step in routine.steps)
    click.echo(f"Contact sheet: {count} drawings written to {path}")


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_database(path: Path) -> None:
    """Write a consistent copy of the SQLite database to PATH, while the app keeps serving."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise click.ClickException("`flask backup` copies SQLite databases; for PostgreSQL use pg_dump.")
    draft = path.with_name(path.name + ".partial")
    source = sqlite3.connect(url.database)
    target = sqlite3.connect(draft)
    try:
        # The online backup API copies a single consistent snapshot, WAL included.
        source.backup(target)
    finally:
        target.close()
        source.close()
    draft.replace(path)  # a reader never sees a half-written backup
    click.echo(f"Backed up {url.database} to {path}.")


@users_cli.command("reset-password")
@click.argument("email")
@click.password_option("--password", prompt="New password", help="The new password (asked for when not given).")
def reset_password(email: str, password: str) -> None:
    """Set a new password for EMAIL's account and end every sign-in it has. There is no
    e-mail to send a reset link with: tell the person their new password another way."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise click.ClickException(f"No account has the email {email}.")
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise click.ClickException(f"Use {PASSWORD_MIN} to {PASSWORD_MAX} characters.")
    user.set_password(password)
    ended = end_sign_ins(user.id)
    db.session.commit()
    click.echo(f"New password set for {user.email}; {ended} sign-in{'' if ended == 1 else 's'} ended.")


def init_app(app: Flask) -> None:
    app.cli.add_command(content_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(backup_database)
