"""Sign-up, sign-in and sign-out. A failed sign-in says the same whatever was wrong, and
takes as long."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth import bp
from app.auth.attempts import limit_attempts
from app.auth.forms import LoginForm, RegisterForm
from app.auth.sign_ins import end_this_sign_in, start_sign_in
from app.extensions import db, login_manager
from app.models import User, normalise_email, password_matches
from app.sessions.pending import save_pending_logs
from app.stale_forms import keeps_typed_input

login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see that page."


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no protocol-relative tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def after_sign_in(otherwise: str = "catalog.home"):
    """Save the sessions logged before signing in, then go where the visitor was heading
    (else to `otherwise`: Today after signing in, onboarding after registering)."""
    saved = save_pending_logs(current_user)
    if len(saved) == 1:
        flash("Your session is saved.", "success")
        return redirect(url_for("sessions.detail", log_id=saved[0].id))
    if saved:
        flash(f"Your {len(saved)} sessions are saved.", "success")
        return redirect(url_for("sessions.history"))
    return redirect(safe_next(request.args.get("next")) or url_for(otherwise))


@bp.route("/register", methods=["GET", "POST"])
@keeps_typed_input
@limit_attempts
def register():
    if current_user.is_authenticated:
        return redirect(url_for("catalog.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        user = User(email=normalise_email(form.email.data), display_name=(form.display_name.data or "").strip())
        user.set_password(form.password.data)
        db.session.add(user)
        try:
            db.session.flush()
        except IntegrityError:  # the same email registered a moment ago
            db.session.rollback()
            form.email.errors.append("An account with this email exists already. Sign in instead?")
            return render_template("auth/register.html", form=form), 400
        start_sign_in(user)  # commits the account and its first sign-in together
        flash("Welcome to Glowstep.", "success")
        return after_sign_in(otherwise="onboarding.goals")
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@keeps_typed_input
@limit_attempts
def login():
    if current_user.is_authenticated:
        return redirect(url_for("catalog.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == normalise_email(form.email.data)))
        if password_matches(user, form.password.data):
            start_sign_in(user, remember=form.remember.data)
            return after_sign_in()
        form.form_errors.append("That email and password don't match an account.")
    status = 400 if form.errors or form.form_errors else 200
    return render_template("auth/login.html", form=form), status


def short_address(endpoint: str):
    """/login and /register, the addresses people type from memory, lead to the real pages
    (keeping ?next=)."""

    def redirect_there():
        return redirect(url_for(endpoint, **request.args), code=301)

    return redirect_there


bp.record_once(lambda state: [
    state.app.add_url_rule(f"/{name}", f"short_{name}", short_address(f"auth.{name}")) for name in ("login", "register")
])


@bp.post("/logout")
@keeps_typed_input
def logout():
    form = FlaskForm()
    if not current_user.is_authenticated:
        return redirect(url_for("catalog.home"))
    if not form.validate_on_submit():  # a stale token: ask once more, with a fresh one
        return render_template("auth/logout.html", form=form), 400
    end_this_sign_in()
    flash("You're signed out. See you tomorrow evening.", "success")
    return redirect(url_for("catalog.home"))
