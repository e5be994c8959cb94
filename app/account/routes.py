"""Profile, progress, export and deletion: all of it about the signed-in user only."""

import csv
import io
import json
from datetime import date

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.account import bp
from app.account.forms import PasswordConfirmForm, ProfileForm, StandingSkinCheckForm, SummaryRangeForm
from app.account.heatmap import heatmap
from app.account.summary import practice_summary, progress_overview, user_export
from app.auth.attempts import limit_attempts
from app.auth.sign_ins import forget_sign_in
from app.content import safety_copy
from app.content.snapshot import catalog
from app.extensions import db
from app.models import SessionLog
from app.player.plan import answers_as_args, answers_from_stored
from app.programmes.enrolments import following, programmes_finished
from app.stale_forms import keeps_typed_input
from app.timezones import to_local, utc_now

PROFILE_FIELDS = ("display_name", "time_zone", "skin_type", "goal_slugs", "weekly_target", "rest_days_per_week",
                  "checkin_every_sessions", "show_streak")


def skin_check_formdata(stored: dict, checks: list[dict], today: date) -> MultiDict:
    """The profile's standing answers as the form shows them today: a time-limited answer
    as the range it has aged into (app.player.plan.answers_from_stored)."""
    return MultiDict(answers_as_args(answers_from_stored(stored, checks, today)))


def standing_skin_form(formdata=None) -> StandingSkinCheckForm:
    """The profile's skin check: from `formdata` when sent, else from the stored answers."""
    checks = safety_copy()["skin_check"]
    if formdata is None:
        formdata = skin_check_formdata(current_user.skin_flags, checks, person_today())
    return StandingSkinCheckForm.for_checks(checks, formdata, safety_copy()["time_ranges"])


def person_today() -> date:
    return to_local(utc_now(), current_user.time_zone).date()


@bp.route("/account", methods=["GET", "POST"])
@keeps_typed_input
@login_required
def profile():
    form = ProfileForm(catalog().goals, obj=current_user)
    skin_form = standing_skin_form()
    if form.validate_on_submit():
        for name in PROFILE_FIELDS:
            setattr(current_user, name, getattr(form, name).data)
        current_user.skin_type = form.skin_type.data or None
        db.session.commit()
        flash("Profile saved.", "success")
        return redirect(url_for("account.profile"))
    return render_template("account/profile.html", form=form, skin_form=skin_form), 400 if form.errors else 200


@bp.post("/account/skin-check")
@keeps_typed_input
@login_required
def skin_check():
    skin_form = standing_skin_form(request.form)
    if not skin_form.validate_on_submit():
        form = ProfileForm(catalog().goals, obj=current_user)
        return render_template("account/profile.html", form=form, skin_form=skin_form), 400
    # A time-limited answer keeps the day it was given, so it ages and lapses.
    current_user.skin_flags = skin_form.stored_answers(person_today())
    db.session.commit()
    flash("Skin check saved. Routines that touch those areas now carry a warning.", "success")
    return redirect(url_for("account.profile"))


@bp.get("/progress")
@login_required
def progress():
    now = utc_now()
    overview = progress_overview(current_user, now, programmes_finished(current_user, following(current_user, now)))
    return render_template("account/progress.html", overview=overview, goals=catalog().goals, checkin_form=FlaskForm(),
                           heatmap=heatmap(overview.calendar, overview.today))


@bp.post("/progress/checkin")
@login_required
def acknowledge_checkin():
    if FlaskForm().validate_on_submit():
        current_user.checkin_acknowledged_at = utc_now()
        db.session.commit()
        flash("Noted. We'll remind you again later.", "success")
    return redirect(url_for("account.progress"))


@bp.get("/account/export")
@login_required
def export_json():
    body = json.dumps(user_export(current_user), indent=2, ensure_ascii=False)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": "attachment; filename=glowstep-export.json"},
    )


CSV_COLUMNS = ["completed_at_utc", "completed_at_local", "time_zone", "routine", "routine_title", "seconds_spent",
               "skin_feel", "discomfort", "discomfort_kind", "notes"]


@bp.get("/account/export/sessions.csv")
@login_required
def export_csv():
    buffer = io.StringIO()
    # A byte-order mark: without it Excel reads UTF-8 as the machine's legacy code page ("sÃ¨che").
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in user_export(current_user)["sessions"]:
        # A leading = + - @ would run as a formula in a spreadsheet.
        writer.writerow({key: neutralise_formula(row[key]) for key in CSV_COLUMNS})
    return Response(
        buffer.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=glowstep-sessions.csv"},
    )


def neutralise_formula(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@bp.get("/account/summary")
@login_required
def summary():
    form = SummaryRangeForm(request.args)
    if request.args and not form.validate():
        return render_template("account/summary.html", form=form, summary=practice_summary(current_user)), 400
    return render_template("account/summary.html", form=form,
                           summary=practice_summary(current_user, form.first_day.data, form.last_day.data))


@bp.route("/account/delete", methods=["GET", "POST"])
@keeps_typed_input
@login_required
@limit_attempts
def delete():
    form = PasswordConfirmForm()
    if form.validate_on_submit():
        if current_user.check_password(form.password.data):
            user = current_user._get_current_object()
            # Its sign-ins go with it (ON DELETE CASCADE): every cookie it had is worthless.
            db.session.execute(db.delete(SessionLog).where(SessionLog.user_id == user.id))
            db.session.delete(user)
            db.session.commit()
            forget_sign_in()
            flash("Your account and everything in it are deleted.", "success")
            return redirect(url_for("catalog.home"))
        form.password.errors.append("That password isn't right.")
    status = 400 if form.errors else 200
    count = db.session.scalar(select(db.func.count()).where(SessionLog.user_id == current_user.id))
    return render_template("account/delete.html", form=form, session_count=count), status
