"""Sign-up and sign-in. A failed sign-in says the same whatever was wrong."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth import bp
from app.auth.attempts import limit_attempts
from app.auth.forms import LoginForm, RegisterForm
from app.extensions import db, login_manager
from app.models import User, normalise_email
from app.sessions.pending import save_pending_log

login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see that page."


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no protocol-relative tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def after_sign_in():
    """Save a session logged before signing in, then go where the visitor was heading."""
    saved = save_pending_log(current_user)
    if saved is not None:
        flash("Your session is saved.", "success")
        return redirect(url_for("sessions.detail", log_id=saved.id))
    return redirect(safe_next(request.args.get("next")) or url_for("account.progress"))


@bp.route("/register", methods=["GET", "POST"])
@limit_attempts
def register():
    if current_user.is_authenticated:
        return redirect(url_for("account.progress"))
    form = RegisterForm()
    if form.validate_on_submit():
        user = User(email=normalise_email(form.email.data), display_name=(form.display_name.data or "").strip())
        user.set_password(form.password.data)
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:  # the same email registered a moment ago
            db.session.rollback()
            form.email.errors.append("An account with this email exists already. Sign in instead?")
            return render_template("auth/register.html", form=form), 400
        login_user(user)
        flash("Welcome to Glowstep.", "success")
        return after_sign_in()
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limit_attempts
def login():
    if current_user.is_authenticated:
        return redirect(url_for("account.progress"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == normalise_email(form.email.data)))
        if user is not None and user.check_password(form.password.data):
            login_user(user, remember=form.remember.data)
            return after_sign_in()
        form.form_errors.append("That email and password don't match an account.")
    status = 400 if form.errors or form.form_errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash("You're signed out. See you tomorrow evening.", "success")
    return redirect(url_for("catalog.home"))
