"""The programmes: the list, one programme's days, joining, switching and leaving."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.content import programmes
from app.content.snapshot import catalog
from app.extensions import db
from app.models import Enrolment
from app.programmes import bp
from app.programmes.enrolments import following, leave_current
from app.revalidation import shared_with_visitors
from app.timezones import utc_now


def current():
    return following(current_user, utc_now()) if current_user.is_authenticated else None


@bp.get("")
@shared_with_visitors
def index():
    return render_template("programmes/index.html", programmes=programmes().values(), current=current())


@bp.get("/<slug:slug>")
@shared_with_visitors
def programme(slug: str):
    chosen = programmes().get(slug) or abort(404)
    # Only a signed-in person gets the join or leave form (and so a CSRF token): a visitor's
    # page stays free of secrets, for shared caches.
    form = FlaskForm() if current_user.is_authenticated else None
    return render_template("programmes/programme.html", programme=chosen, current=current(),
                           routines=catalog().routines_by_slug, form=form)


@bp.post("/<slug:slug>/join")
@login_required
def join(slug: str):
    chosen = programmes().get(slug) or abort(404)
    if FlaskForm().validate_on_submit():
        now = utc_now()
        leave_current(current_user, now)  # switching keeps the old one, ended
        db.session.add(Enrolment(user_id=current_user.id, programme_slug=chosen.slug, started_at=now))
        db.session.commit()
        flash(f"You've started {chosen.title}. Day 1 is on Today.", "success")
    return redirect(url_for("catalog.home"))


@bp.post("/leave")
@login_required
def leave():
    if FlaskForm().validate_on_submit():
        leave_current(current_user, utc_now())
        db.session.commit()
        flash("You've left the programme. Everything you logged stays in your history.", "success")
    return redirect(url_for("programmes.index"))
