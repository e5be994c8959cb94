"""Player pages. Every step renders on the server, so the routine works without JavaScript;
the player script then takes over timing, sound and auto-advance on the same markup."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from app.catalog.personal import oil_advice, personal_notes, standing_rules
from app.content import safety_copy
from app.content.snapshot import RoutineView, catalog, routine_or_404
from app.form_helpers import small_number
from app.player import bp
from app.player.forms import SkinCheckForm
from app.player.plan import plan_session, rules_for, suggest_instead
from app.revalidation import shared_with_visitors
from app.sessions.forms import blank_log_form
from app.sessions.logbook import player_log_token

LEAD_IN_SECONDS = 5


def start_page(routine: RoutineView, form: SkinCheckForm) -> str:
    """The start page: cautions, oil advice for the skin type, and the skin check; for a signed-in
    person whose standing check leaves out most of the routine, another routine to try."""
    rules = standing_rules()
    instead = None
    if plan_session(routine.steps, rules).mostly_dropped:
        instead = suggest_instead(routine, catalog().active_routines, rules)
    return render_template("player/start.html", routine=routine, form=form, oil=oil_advice(routine),
                           note=personal_notes([routine]).get(routine.id), instead=instead)


@bp.get("/routines/<slug:slug>/play")
@shared_with_visitors
def play(slug: str):
    routine = routine_or_404(slug)
    checks = safety_copy()["skin_check"]
    form = SkinCheckForm.for_checks(checks, request.args, safety_copy()["time_ranges"])
    if "step" not in request.args:
        return start_page(routine, form)
    if not form.validate():
        return start_page(routine, form), 400

    rules = rules_for(form.flags(), checks)
    plan = plan_session(routine.steps, rules)
    instead = None
    if plan.mostly_dropped and not plan.no_session:
        instead = suggest_instead(routine, catalog().active_routines, rules)
    if not plan.steps:
        return render_template("player/rest.html", routine=routine, plan=plan, rules=rules, instead=instead)

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
        rules=rules,
        instead=instead,
        answers=answers,
        lead_in_seconds=LEAD_IN_SECONDS,
    )


@bp.get("/routines/<slug:slug>/play/done")
def done(slug: str):
    """The last screen: time spent, and the log form (saved after sign-in for visitors).

    A member's form carries their pending token for this routine, so fetching it again
    (Back, reload, another tab) and sending it again stores one session (player_log_token).
    """
    routine = routine_or_404(slug)
    spent = small_number(request.args.get("spent", ""))
    client_id, logged = "", None
    if current_user.is_authenticated:
        after = small_number(request.args.get("after", ""))
        client_id, logged = player_log_token(current_user, routine.id, after)
    form = blank_log_form(routine.slug, spent, client_id)
    return render_template("player/done.html", routine=routine, spent_seconds=spent, form=form, fixed_routine=routine,
                           logged=logged)
