"""Filters and globals the templates share."""

from datetime import datetime

from flask import Flask, g
from flask_login import current_user

from app.content.snapshot import NEED_LABELS
from app.models import DISCOMFORT_KINDS
from app.sessions.pending import has_pending_log
from app.timezones import to_local


def local_datetime(moment_utc: datetime, fmt: str = "%a %d %b %Y, %H:%M") -> str:
    """A stored UTC time in the signed-in user's time zone."""
    zone_name = current_user.time_zone if current_user.is_authenticated else None
    return to_local(moment_utc, zone_name).strftime(fmt)


def show_disclaimer() -> str:
    """Note that this page shows the disclaimer in its body, so the footer leaves its copy out
    (one a page). Returns "" so a template can call it inline. Called in a cached fragment it
    would be skipped on a cache hit: call it outside {% cache %}."""
    g.disclaimer_shown = True
    return ""


def disclaimer_shown() -> bool:
    """Whether the page rendered so far showed the disclaimer (the footer renders last)."""
    return g.get("disclaimer_shown", False)


def init_app(app: Flask) -> None:
    app.add_template_filter(local_datetime)
    app.add_template_global(DISCOMFORT_KINDS, "discomfort_kinds")
    app.add_template_global(NEED_LABELS, "need_labels")
    app.add_template_global(has_pending_log)
    app.add_template_global(show_disclaimer)
    app.add_template_global(disclaimer_shown)
