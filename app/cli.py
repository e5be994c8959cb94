"""Command-line tools: `flask content load`."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.content.loader import ContentError, Library, load_library
from app.content.store import store_library

content_cli = AppGroup("content", help="Validate and load the routine library.")


def validated_library() -> Library:
    """The content files, validated; a problem ends the command with its message."""
    try:
        return load_library(Path(current_app.config["CONTENT_DIR"]))
    except ContentError as error:
        raise click.ClickException(str(error)) from error


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


def init_app(app: Flask) -> None:
    app.cli.add_command(content_cli)
