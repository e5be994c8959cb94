"""Player pages. Every step renders on the server, so the routine works without JavaScript;
the player script then takes over timing, sound and auto-advance on the same markup."""

from flask import redirect, render_template, request, url_for

from app.content import safety_copy
from app.content.snapshot import routine_or_404
from app.form_helpers import small_number
from app.player import bp
from app.player.forms import SkinCheckForm
from app.player.plan import plan_session
from app.revalidation import shared_with_visitors
from app.sessions.routes import blank_log_form

LEAD_IN_SECONDS = 5


@bp.get("/routines/<slug:slug>/play")
@shared_with_visitors
def play(slug: str):
    routine = routine_or_404(slug)
    checks = safety_copy()["skin_check"]
    form = SkinCheckForm.for_checks(checks, request.args)
    if "step" not in request.args:
        return render_template("player/start.html", routine=routine, form=form)
    if not form.validate():
        return render_template("player/start.html", routine=routine, form=form), 400

    plan = plan_session(routine.steps, form.flags())
    flagged = [check for check in checks if form[check["id"]].data]
    if not plan.steps:
        return render_template("player/rest.html", routine=routine, plan=plan, flagged=flagged)

    answers = form.answered_args()
    number = small_number(request.args["step"])
    if number is None or not 1 <= number <= len(plan.steps):
        valid = 1 if number is None or number < 1 else len(plan.steps)
        return redirect(url_for("player.play", slug=slug, step=valid, **answers))
    return render_template(
        "player/step.html",
        routine=routine,
        plan=plan,
        number=number,
        flagged=flagged,
        answers=answers,
        lead_in_seconds=LEAD_IN_SECONDS,
    )


@bp.get("/routines/<slug:slug>/play/done")
def done(slug: str):
    """The last screen: time spent, and the log form (saved after sign-in for visitors)."""
    routine = routine_or_404(slug)
    spent = small_number(request.args.get("spent", ""))
    form = blank_log_form(routine.slug, spent)
    return render_template("player/done.html", routine=routine, spent_seconds=spent, form=form, fixed_routine=routine)
