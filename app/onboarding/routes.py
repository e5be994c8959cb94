"""The onboarding screens. Each saves its answers to the profile at once, so leaving half-way
keeps them, and /welcome resumes at the first screen still unanswered."""

from collections.abc import Callable

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.content.snapshot import catalog
from app.extensions import db
from app.onboarding import bp
from app.onboarding.forms import GoalsForm, PracticeForm, SkinForm
from app.stale_forms import keeps_typed_input
from app.timezones import utc_now
from app.today import suggest_routine

STEPS = ("goals", "skin", "practice")


@bp.get("")
@login_required
def start():
    """Resume: the first screen whose answer is still missing."""
    if not current_user.goal_slugs:
        return redirect(url_for("onboarding.goals"))
    if current_user.skin_type is None:
        return redirect(url_for("onboarding.skin"))
    return redirect(url_for("onboarding.practice"))


def answer(form: FlaskForm, step: str, save: Callable[[FlaskForm], None], then: str):
    """One screen: its answers saved to the profile at once (so leaving half-way keeps
    them), then the next screen; or the screen again, with what is wrong."""
    if form.validate_on_submit():
        save(form)
        db.session.commit()
        return redirect(url_for(then))
    return render_template(f"onboarding/{step}.html", form=form, step=STEPS.index(step) + 1,
                           steps=len(STEPS)), 400 if form.errors else 200


def save_goals(form: GoalsForm) -> None:
    current_user.goal_slugs = form.goal_slugs.data


def save_skin(form: SkinForm) -> None:
    current_user.skin_type = form.skin_type.data or None


def save_practice(form: PracticeForm) -> None:
    form.populate_obj(current_user)
    current_user.onboarded_at = current_user.onboarded_at or utc_now()


@bp.route("/goals", methods=["GET", "POST"])
@keeps_typed_input
@login_required
def goals():
    return answer(GoalsForm(catalog().goals, obj=current_user), "goals", save_goals, "onboarding.skin")


@bp.route("/skin", methods=["GET", "POST"])
@keeps_typed_input
@login_required
def skin():
    form = SkinForm(data={"skin_type": current_user.skin_type or ""})
    return answer(form, "skin", save_skin, "onboarding.practice")


@bp.route("/practice", methods=["GET", "POST"])
@keeps_typed_input
@login_required
def practice():
    return answer(PracticeForm(obj=current_user), "practice", save_practice, "onboarding.first_routine")


@bp.get("/first")
@login_required
def first_routine():
    routine = suggest_routine(catalog().active_routines, current_user.goal_slugs, current_user.practice_minutes, [])
    return render_template("onboarding/first.html", routine=routine)
