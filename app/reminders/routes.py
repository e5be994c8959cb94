"""The practice schedule, the calendar feed at a secret address, and a one-time download."""

import secrets
from datetime import datetime, time, timedelta

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from app.account.summary import checkin_since
from app.auth.attempts import limit_per_address
from app.extensions import db
from app.models import Reminder, SessionLog, User
from app.progress import CHECKIN_EVERY_DAYS
from app.reminders import bp
from app.reminders.calendar import Schedule, practice_calendar
from app.reminders.forms import ReminderForm
from app.stale_forms import keeps_typed_input
from app.timezones import to_local, utc_now

FEED_TOKEN_BYTES = 24


def reminder_of(user: User) -> Reminder | None:
    return db.session.get(Reminder, user.id)


@bp.route("/account/reminders", methods=["GET", "POST"])
@keeps_typed_input
@login_required
def settings():
    reminder = reminder_of(current_user)
    form = ReminderForm(obj=reminder, data=None if reminder else {"enabled": True, "weekdays": [0, 2, 4, 6],
                                                                  "time_of_day": time(21, 0), "minutes": 10})
    if reminder and not form.is_submitted():
        form.time_of_day.data = time.fromisoformat(reminder.time_of_day)
    if form.validate_on_submit():
        if reminder is None:
            reminder = Reminder(user_id=current_user.id, starts_on=utc_now())
            db.session.add(reminder)
        reminder.enabled = form.enabled.data
        reminder.weekdays = sorted(set(form.weekdays.data))
        reminder.time_of_day = form.time_of_day.data.strftime("%H:%M")
        reminder.minutes = form.minutes.data
        db.session.commit()
        flash("Reminders saved." if reminder.enabled else "Reminders are off.", "success")
        return redirect(url_for("reminders.settings"))
    feed = url_for("reminders.feed", token=reminder.feed_token, _external=True) if reminder and reminder.feed_token \
        else None
    return render_template("reminders/settings.html", form=form, reminder=reminder, feed=feed,
                           link_form=FlaskForm()), 400 if form.errors else 200


@bp.post("/account/reminders/link")
@login_required
def new_link():
    """A new secret address for the feed; the old one stops working at once."""
    reminder = reminder_of(current_user)
    if reminder is None or not FlaskForm().validate_on_submit():
        return redirect(url_for("reminders.settings"))
    reminder.feed_token = secrets.token_urlsafe(FEED_TOKEN_BYTES)
    db.session.commit()
    flash("Here is your calendar address. Any address you had before no longer works.", "success")
    return redirect(url_for("reminders.settings"))


@bp.post("/account/reminders/link/remove")
@login_required
def remove_link():
    reminder = reminder_of(current_user)
    if reminder is not None and FlaskForm().validate_on_submit():
        reminder.feed_token = None
        db.session.commit()
        flash("The calendar address is removed: calendars subscribed to it get nothing new.", "success")
    return redirect(url_for("reminders.settings"))


@bp.get("/calendar/<token>.ics")
@limit_per_address("CALENDAR_FEED_RATE_LIMIT")
def feed(token: str):
    """The feed a calendar app subscribes to. Anyone with the address can read it (that is
    how subscriptions work), so it holds only the schedule and check-in days."""
    reminder = db.session.scalar(select(Reminder).where(Reminder.feed_token == token)) if token else None
    if reminder is None:
        abort(404)
    return calendar_response(reminder.user, reminder)


@bp.get("/account/reminders/glowstep.ics")
@login_required
def download():
    """The same calendar as a file to import once: imported events keep their alarms."""
    response = calendar_response(current_user, reminder_of(current_user))
    response.headers["Content-Disposition"] = "attachment; filename=glowstep-reminders.ics"
    return response


def calendar_response(user: User, reminder: Reminder | None) -> Response:
    """The person's calendar; empty (but valid) when reminders are off."""
    now = utc_now()
    today = to_local(now, user.time_zone).date()
    on = reminder is not None and reminder.enabled
    schedule = Schedule(tuple(reminder.weekdays), time.fromisoformat(reminder.time_of_day), reminder.minutes,
                        to_local(reminder.starts_on, user.time_zone).date()) if on else None
    body = practice_calendar(user.id, schedule, user.time_zone, today, on and logged_on(user, today),
                             checkin_day(user, now) if on else None, url_for("catalog.home", _external=True), now)
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def logged_on(user: User, day) -> bool:
    """Whether the person's newest session happened on `day`, their local date."""
    newest = db.session.scalar(select(func.max(SessionLog.completed_at)).where(SessionLog.user_id == user.id))
    return newest is not None and to_local(newest, user.time_zone).date() == day


def checkin_day(user: User, now: datetime):
    """The local date the next esthetician check-in falls due: today when enough sessions
    have been logged since the last one, else four weeks after it."""
    since = checkin_since(user)
    sessions_since = db.session.scalar(select(func.count(SessionLog.id)).where(
        SessionLog.user_id == user.id, SessionLog.completed_at > since))
    due = now if sessions_since >= user.checkin_every_sessions else since + timedelta(days=CHECKIN_EVERY_DAYS)
    return to_local(max(due, now), user.time_zone).date()
