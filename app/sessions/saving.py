"""Saving a valid log form, from the log page or the player's finish screen: a member's
session is stored; a visitor's is kept until they sign in (app.sessions.pending)."""

from flask import flash, url_for
from flask_login import current_user

from app.sessions.forms import SessionLogForm
from app.sessions.logbook import routine_by_slug, store_log
from app.sessions.pending import PENDING_MAX, keep_pending_log
from app.timezones import LocalTime, utc_now


def flash_time_note(typed: LocalTime | None) -> None:
    """Tell the person how a typed time that did not exist, or happened twice, was read."""
    if typed is not None and typed.note:
        flash(typed.note, "info")


def log_zone(form: SessionLogForm) -> str | None:
    """The zone a typed time is read in: a member's profile zone, else the visitor's browser's."""
    return current_user.time_zone if current_user.is_authenticated else form.browser_zone()


def save_log_form(form: SessionLogForm, zone_name: str | None) -> str | None:
    """Store (or, for a visitor, keep) the session of a validated form; returns where to go
    next. None when a visitor already has PENDING_MAX sessions waiting: that is flashed, and
    the caller shows the form again as typed."""
    routine = routine_by_slug(form.routine.data)
    if not current_user.is_authenticated:
        if not keep_pending_log(routine.slug, form.completed_at.data, zone_name, form.log_values()):
            flash(f"Up to {PENDING_MAX} sessions can wait for an account. Sign in or create one to save them, "
                  "then log this one.", "info")
            return None
        flash("Sign in or create an account, and your session is saved straight after.", "info")
        return url_for("auth.login")
    typed = form.typed_time()
    flash_time_note(typed)
    log = store_log(current_user, routine, typed.utc if typed else utc_now(), zone_name, form.log_values())
    if log is None:  # its client id belongs to a session the person deleted (a tombstone)
        flash("You deleted that session, so it was not logged again.", "info")
        return url_for("sessions.history")
    flash("Session logged. Well done.", "success")
    return url_for("sessions.detail", log_id=log.id)
