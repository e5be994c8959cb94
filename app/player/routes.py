"""Player pages. Every step renders on the server, so the routine works without JavaScript;
the player script then takes over timing, sound and auto-advance on the same markup."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.account.summary import practice_summary_of
from app.catalog.personal import oil_advice, personal_notes
from app.content import safety_copy
from app.content.loader import ZONE_LABELS
from app.content.snapshot import RoutineView, catalog, routine_or_404
from app.form_helpers import small_number
from app.player import bp
from app.player.finish import FinishCounts, counts_with_this_session
from app.player.forms import SkinCheckForm
from app.player.plan import (
    SkinAnswer,
    answers_as_args,
    answers_from_stored,
    answers_in_words,
    plan_session,
    rules_for,
    suggest_instead,
)
from app.revalidation import shared_with_visitors
from app.sessions.forms import blank_log_form
from app.sessions.logbook import player_log_token
from app.sessions.saving import log_zone, save_log_form
from app.stale_forms import keeps_typed_input
from app.timezones import to_local, utc_now

LEAD_IN_SECONDS = 5


def standing_answers() -> list[SkinAnswer]:
    """The signed-in person's standing skin check as of their today (none for a visitor)."""
    if not current_user.is_authenticated:
        return []
    today = to_local(utc_now(), current_user.time_zone).date()
    return answers_from_stored(current_user.skin_flags, safety_copy()["skin_check"], today)


def start_page(routine: RoutineView, form: SkinCheckForm | None = None) -> str:
    """The start page: this routine's needs and cautions, then "My skin is fine today → Start"
    above the full skin check. A member's check starts from their standing answers; the
    blank check (a visitor's, or a member's with none) renders once per library version
    (app.fragments), since its 80-odd inputs are most of this page's cost."""
    checks = safety_copy()["skin_check"]
    answers = standing_answers()
    if form is None and answers:
        form = SkinCheckForm.for_checks(checks, MultiDict(answers_as_args(answers)), safety_copy()["time_ranges"])
    rules = rules_for(answers, checks)
    instead = None
    if plan_session(routine.steps, rules).mostly_dropped:
        instead = suggest_instead(routine, catalog().active_routines, rules)
    return render_template(
        "player/start.html", routine=routine, form=form, blank_form=blank_skin_check, oil=oil_advice(routine),
        note=personal_notes([routine]).get(routine.id), instead=instead,
        last_answers=answers_in_words(answers, checks, ZONE_LABELS),
    )


def blank_skin_check() -> SkinCheckForm:
    """The skin check with nothing ticked; called by the template only when its cached copy is missing."""
    return SkinCheckForm.for_checks(safety_copy()["skin_check"], None, safety_copy()["time_ranges"])


@bp.get("/routines/<slug:slug>/play")
@shared_with_visitors
def play(slug: str):
    routine = routine_or_404(slug)
    checks = safety_copy()["skin_check"]
    if "step" not in request.args:
        return start_page(routine)
    form = SkinCheckForm.for_checks(checks, request.args, safety_copy()["time_ranges"])
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


def finish_counts(logged) -> FinishCounts | None:
    """A member's streak and week with this session in (None for a visitor: nothing to count yet)."""
    if not current_user.is_authenticated:
        return None
    summary = practice_summary_of(current_user)
    today = to_local(utc_now(), current_user.time_zone).date()
    return counts_with_this_session(summary.sessions_per_day, today, current_user.rest_days_per_week,
                                    current_user.weekly_target, counted=logged is not None)


@bp.route("/routines/<slug:slug>/play/done", methods=["GET", "POST"])
@keeps_typed_input
def done(slug: str):
    """The finish screen: a celebration, the streak and week with this session in, and the log
    form (one required tap: how the skin feels). A visitor's log is kept until they sign in.
    Errors come back on this same page, with a summary that takes focus.

    A member's form carries their pending token for this routine, so fetching it again
    (Back, reload, another tab) and sending it again stores one session (player_log_token).
    """
    routine = routine_or_404(slug)
    spent = small_number(request.args.get("spent", ""))
    client_id, logged = "", None
    if current_user.is_authenticated and request.method == "GET":
        after = small_number(request.args.get("after", ""))
        client_id, logged = player_log_token(current_user, routine.id, after)
    form = blank_log_form(routine.slug, spent, client_id)
    if request.method == "GET" and form.minutes.data is None:
        form.minutes.data = 1  # never empty: with no time measured, a minute is offered to change
    zone_name = log_zone(form)
    form.read_in(zone_name)
    if form.validate_on_submit() and (destination := save_log_form(form, zone_name)) is not None:
        return redirect(destination)
    # Here after a post: the form had errors, or a visitor's waiting sessions are full (flashed).
    return render_template(
        "player/done.html", routine=routine, spent_seconds=spent, form=form, fixed_routine=routine, logged=logged,
        early=request.args.get("early") == "1", counts=finish_counts(logged),
    ), 400 if request.method == "POST" else 200
