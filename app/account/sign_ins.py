"""Where you are signed in: the list of your sign-ins, ending one or all the others, and
changing your password (which ends all the others too)."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.account import bp
from app.account.forms import ChangePasswordForm
from app.auth.attempts import limit_attempts
from app.auth.sign_ins import active_sign_ins, current_sign_in, device_name, end_sign_ins, forget_sign_in
from app.extensions import db
from app.stale_forms import keeps_typed_input
from app.timezones import utc_now


def render_sign_ins(password_form: ChangePasswordForm, status: int = 200):
    here = current_sign_in()
    listed = [
        {"sign_in": sign_in, "device": device_name(sign_in.user_agent), "here": sign_in is here}
        for sign_in in active_sign_ins(current_user.id, utc_now())
    ]
    return render_template("account/sign_ins.html", sign_ins=listed, password_form=password_form,
                           end_form=FlaskForm()), status


@bp.get("/account/sign-ins")
@login_required
def sign_ins():
    return render_sign_ins(ChangePasswordForm())


@bp.post("/account/sign-ins/<row_id:sign_in_id>/end")
@login_required
def end_sign_in(sign_in_id: int):
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("account.sign_ins"))
    ended = end_sign_ins(current_user.id, only=sign_in_id)  # only the person's own rows match
    db.session.commit()
    here = current_sign_in()
    if here is not None and here.id == sign_in_id:
        forget_sign_in()
        flash("You're signed out on this device.", "success")
        return redirect(url_for("catalog.home"))
    flash("That sign-in is ended." if ended else "That sign-in had ended already.", "success")
    return redirect(url_for("account.sign_ins"))


@bp.post("/account/sign-ins/end-others")
@login_required
def end_other_sign_ins():
    if FlaskForm().validate_on_submit():
        ended = end_sign_ins(current_user.id, keep=current_sign_in().id)
        db.session.commit()
        flash(f"Signed out everywhere else ({ended} sign-in{'' if ended == 1 else 's'} ended).", "success")
    return redirect(url_for("account.sign_ins"))


@bp.post("/account/password")
@keeps_typed_input
@login_required
@limit_attempts
def change_password():
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return render_sign_ins(form, 400)
    if not current_user.check_password(form.current_password.data):
        form.current_password.errors.append("That password isn't right.")
        return render_sign_ins(form, 400)
    current_user.set_password(form.new_password.data)
    ended = end_sign_ins(current_user.id, keep=current_sign_in().id)
    db.session.commit()
    flash(f"Password changed. Every other sign-in is ended ({ended}).", "success")
    return redirect(url_for("account.sign_ins"))
