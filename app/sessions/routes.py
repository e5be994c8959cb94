"""Session log pages: log (from the player or by hand), history, view, edit, delete."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import load_only

from app.content import safety_copy
from app.content.snapshot import catalog
from app.extensions import db
from app.form_helpers import small_number
from app.models import SessionLog
from app.progress import repeated_reaction
from app.sessions import bp
from app.sessions.forms import SessionLogForm, blank_log_form, minutes_shown
from app.sessions.logbook import (
    active_routine_choices,
    keep_tombstone,
    owned_log_or_404,
    previous_log,
    routine_by_slug,
)
from app.sessions.saving import flash_time_note, log_zone, save_log_form
from app.sessions.undo import UNDO_MINUTES, keep_for_undo, restore, undo_waiting
from app.stale_forms import keeps_typed_input
from app.summaries import commit_log_change, logged, practice_summary_of
from app.timezones import to_local, utc_now, wall_time


@bp.route("/new", methods=["GET", "POST"])
@keeps_typed_input
def new():
    form = blank_log_form(request.args.get("routine", ""))
    zone_name = log_zone(form)
    form.read_in(zone_name)
    if not form.validate_on_submit():
        return render_template("sessions/new.html", form=form), 400 if form.errors else 200
    destination = save_log_form(form, zone_name)
    if destination is None:  # a visitor with as many sessions waiting as a cookie holds (flashed)
        return render_template("sessions/new.html", form=form), 400
    return redirect(destination)


@bp.get("")
@login_required
def history():
    # Only the columns the list shows; each routine's title comes from the library snapshot
    # (retired routines included) rather than a join that decodes 20 routine rows a page.
    shown = (SessionLog.routine_id, SessionLog.completed_at, SessionLog.seconds_spent, SessionLog.skin_feel,
             SessionLog.discomfort)
    query = (
        select(SessionLog)
        .where(SessionLog.user_id == current_user.id)
        .options(load_only(*shown))
        .order_by(SessionLog.completed_at.desc(), SessionLog.id.desc())
    )
    number = small_number(request.args.get("page", "1")) or abort(404)  # past the last page is a 404 too
    page = db.paginate(query, page=number, per_page=current_app.config["SESSIONS_PER_PAGE"], max_per_page=100,
                       count=False)
    # The stored summary keeps the count, kept in step with every change to the logs: a COUNT
    # grows with the history (1.5 ms on PostgreSQL at 10,000 sessions, in make bench-scale).
    page.total = practice_summary_of(current_user).total_sessions
    undo_form = FlaskForm() if undo_waiting(utc_now()) else None
    return render_template("sessions/history.html", page=page, routines=catalog().routines_by_id, undo_form=undo_form,
                           undo_minutes=UNDO_MINUTES)


def discomfort_advice(log: SessionLog) -> dict | None:
    """What to do after this reaction; firmer when the previous session had the same one."""
    if not log.discomfort or not log.discomfort_kind:
        return None
    before = previous_log(log)
    firmer = repeated_reaction([log.discomfort_kind, before.discomfort_kind if before else None])
    advice = safety_copy()["discomfort"][log.discomfort_kind]
    return {"text": advice["firmer"] if firmer else advice["advice"], "firmer": firmer}


@bp.get("/<row_id:log_id>")
@login_required
def detail(log_id: int):
    log = owned_log_or_404(log_id)
    return render_template(
        "sessions/detail.html",
        log=log,
        local_time=to_local(log.completed_at, current_user.time_zone),
        own_time=to_local(log.completed_at, log.time_zone) if log.time_zone != current_user.time_zone else None,
        advice=discomfort_advice(log),
        delete_form=FlaskForm(),
    )


@bp.route("/<row_id:log_id>/edit", methods=["GET", "POST"])
@keeps_typed_input
@login_required
def edit(log_id: int):
    log = owned_log_or_404(log_id)
    form = SessionLogForm(client_id=log.client_id)
    form.set_routines(active_routine_choices(log.routine.slug))
    form.read_in(current_user.time_zone, kept_utc=log.completed_at)
    if request.method == "GET":
        form.routine.data = log.routine.slug
        form.completed_at.data = wall_time(log.completed_at, current_user.time_zone)
        form.minutes.data = minutes_shown(log.seconds_spent)
        form.seconds.data = str(log.seconds_spent)
        form.skin_feel.data = str(log.skin_feel)
        form.discomfort.data = "yes" if log.discomfort else "no"
        form.discomfort_kind.data = log.discomfort_kind or ""
        form.notes.data = log.notes
    if not form.validate_on_submit():
        return render_template("sessions/edit.html", form=form, log=log), 400 if form.errors else 200
    before = logged(log)
    values = form.log_values()
    values.pop("client_id")  # a log keeps the id it was first stored with
    for name, value in values.items():
        setattr(log, name, value)
    log.routine = routine_by_slug(form.routine.data)
    typed = form.typed_time()
    if typed is not None and typed.utc != log.completed_at:
        flash_time_note(typed)
        log.completed_at, log.clock_ahead = typed.utc, False
    commit_log_change(current_user, removed=before, added=log)
    flash("Session updated.", "success")
    return redirect(url_for("sessions.detail", log_id=log.id))


@bp.post("/<row_id:log_id>/delete")
@login_required
def delete(log_id: int):
    """First a page that asks to confirm; then the log goes, with an Undo for a few minutes."""
    log = owned_log_or_404(log_id)
    form = FlaskForm()
    if not form.validate_on_submit() or request.form.get("confirmed") != "yes":
        return render_template("sessions/delete.html", log=log, form=FlaskForm())
    keep_for_undo(log)
    keep_tombstone(log)
    removed = logged(log)
    db.session.delete(log)
    commit_log_change(current_user, removed=removed)
    flash("Session deleted.", "success")
    return redirect(url_for("sessions.history"))


@bp.post("/undo")
@login_required
def undo():
    """Put back the session deleted a moment ago."""
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("sessions.history"))
    restored = restore(current_user, utc_now())
    if restored is None:
        flash("That session can no longer be put back.", "info")
        return redirect(url_for("sessions.history"))
    flash("Session put back.", "success")
    return redirect(url_for("sessions.detail", log_id=restored.id))
