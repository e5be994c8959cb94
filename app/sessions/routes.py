"""Session log pages: log (from the player or by hand), history, view, edit, delete."""

import uuid

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.content import safety_copy
from app.content.snapshot import catalog
from app.extensions import db
from app.form_helpers import small_number
from app.models import SessionLog
from app.progress import repeated_reaction
from app.sessions import bp
from app.sessions.forms import SessionLogForm, minutes_shown
from app.sessions.logbook import active_routine_choices, owned_log_or_404, previous_log, routine_by_slug, store_log
from app.sessions.pending import keep_pending_log
from app.sessions.undo import UNDO_MINUTES, keep_for_undo, restore, undo_waiting
from app.stale_forms import keeps_typed_input
from app.timezones import to_local, to_utc, utc_now


def user_zone() -> str:
    return current_user.time_zone if current_user.is_authenticated else "UTC"


def blank_log_form(routine_slug: str | None = None, spent_seconds: int | None = None) -> SessionLogForm:
    """A fresh log form with its own client id, so a doubled submit stores one session."""
    form = SessionLogForm(client_id=uuid.uuid4().hex)
    form.set_routines(active_routine_choices(routine_slug))
    if request.method == "GET":
        if routine_slug in catalog().routines_by_slug:
            form.routine.data = routine_slug
        if spent_seconds:
            form.minutes.data = minutes_shown(spent_seconds)
            form.seconds.data = str(spent_seconds)
    return form


@bp.route("/new", methods=["GET", "POST"])
@keeps_typed_input
def new():
    form = blank_log_form(request.args.get("routine", ""))
    if not form.validate_on_submit():
        return render_template("sessions/new.html", form=form), 400 if form.errors else 200
    routine = routine_by_slug(form.routine.data)
    completed_at = to_utc(form.completed_at.data, user_zone()) if form.completed_at.data else utc_now()
    if not current_user.is_authenticated:
        keep_pending_log(routine.slug, completed_at, form.log_values())
        flash("Sign in or create an account, and your session is saved straight after.", "info")
        return redirect(url_for("auth.login"))
    log = store_log(current_user, routine, completed_at, form.log_values())
    flash("Session logged. Well done.", "success")
    return redirect(url_for("sessions.detail", log_id=log.id))


@bp.get("")
@login_required
def history():
    query = (
        select(SessionLog)
        .where(SessionLog.user_id == current_user.id)
        .options(joinedload(SessionLog.routine))
        .order_by(SessionLog.completed_at.desc(), SessionLog.id.desc())
    )
    number = small_number(request.args.get("page", "1")) or abort(404)  # past the last page is a 404 too
    page = db.paginate(query, page=number, per_page=current_app.config["SESSIONS_PER_PAGE"], max_per_page=100)
    undo_form = FlaskForm() if undo_waiting(utc_now()) else None
    return render_template("sessions/history.html", page=page, undo_form=undo_form, undo_minutes=UNDO_MINUTES)


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
    if request.method == "GET":
        form.routine.data = log.routine.slug
        form.completed_at.data = to_local(log.completed_at, current_user.time_zone).replace(tzinfo=None)
        form.minutes.data = minutes_shown(log.seconds_spent)
        form.seconds.data = str(log.seconds_spent)
        form.skin_feel.data = str(log.skin_feel)
        form.discomfort.data = "yes" if log.discomfort else "no"
        form.discomfort_kind.data = log.discomfort_kind or ""
        form.notes.data = log.notes
    if not form.validate_on_submit():
        return render_template("sessions/edit.html", form=form, log=log), 400 if form.errors else 200
    values = form.log_values()
    values.pop("client_id")  # a log keeps the id it was first stored with
    for name, value in values.items():
        setattr(log, name, value)
    log.routine = routine_by_slug(form.routine.data)
    if form.completed_at.data:
        log.completed_at = to_utc(form.completed_at.data, current_user.time_zone)
    db.session.commit()
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
    db.session.delete(log)
    db.session.commit()
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
