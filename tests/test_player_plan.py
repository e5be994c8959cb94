"""Today's session plan: the skin check's rules, tested without a server."""

from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.content.loader import CONTENT_DIR, FACE_ZONES, MOTIONS, NEEDS, PRESSURES, WHOLE_FACE, load_library
from app.player.plan import (
    SkinAnswer,
    answers_from_stored,
    changes_in_words,
    flags_from_answers,
    plan_session,
    range_today,
    rules_for,
)

CHECKS = load_library(CONTENT_DIR).safety["skin_check"]
LIBRARY = load_library(CONTENT_DIR)


@dataclass(frozen=True)
class Step:
    """A step as the plan sees it; `touches` as the loader's StepData works it out."""

    title: str
    zone: str
    pressure: str = "medium"
    when_flagged: str = "lighten"
    duration_seconds: int = 30
    motion: str = "glide"
    needs: tuple[str, ...] = ()
    instead: "Step | None" = None

    @property
    def touches(self) -> frozenset[str]:
        if self.motion in ("prepare", "rest"):
            return frozenset()
        return frozenset(FACE_ZONES) if self.zone == WHOLE_FACE else frozenset({self.zone})


ROUTINE = [
    Step("Get ready", "full-face", pressure="light", motion="prepare"),
    Step("Forehead strokes", "forehead"),
    Step("Across the cheeks", "cheeks", pressure="light"),
    Step("Chin circles", "chin", pressure="firm", motion="circle"),
    Step("Jaw with the stone", "jawline", needs=("gua-sha",), instead=Step("Jaw by hand", "jawline", pressure="light")),
    Step("Pinch along the jaw", "jawline", motion="pinch", when_flagged="skip"),
    Step("Palms over the face", "full-face", pressure="light", motion="lay"),
]


def titles(plan):
    return [planned.step.title for planned in plan.steps]


def skipped(plan):
    return [step.title for step, _ in plan.skipped]


def rules(*answers):
    return rules_for(list(answers), CHECKS)


def test_nothing_ticked_changes_nothing():
    plan = plan_session(ROUTINE, [])
    assert [planned.step for planned in plan.steps] == ROUTINE
    assert [planned.pressure for planned in plan.steps] == [step.pressure for step in ROUTINE]
    assert not plan.changed and plan.skipped == [] and plan.no_session == []


def test_a_cheek_breakout_leaves_out_every_step_touching_the_cheeks_never_lightens_them():
    """Issue 13: "Across the cheeks" still ran over inflamed spots, marked "extra gentle"."""
    plan = plan_session(ROUTINE, rules(SkinAnswer("breakout", frozenset({"cheeks"}))))
    assert skipped(plan) == ["Across the cheeks", "Palms over the face"]
    assert all(reason.startswith("Left out today (inflamed spots") for _, reason in plan.skipped)
    assert "Get ready" in titles(plan) and "Forehead strokes" in titles(plan)
    assert all(planned.change == "" for planned in plan.steps)


def test_a_breakout_with_no_area_marked_counts_for_the_whole_face():
    plan = plan_session(ROUTINE, rules(SkinAnswer("breakout")))
    # Only getting ready would be left, so nothing is: the player shows the rest page.
    assert titles(plan) == [] and len(plan.skipped) == len(ROUTINE)
    assert plan.mostly_dropped


@pytest.mark.parametrize("check_id", ["unwell", "swelling"])
def test_fever_or_unexplained_swelling_means_no_session(check_id):
    plan = plan_session(ROUTINE, rules(SkinAnswer(check_id)))
    assert plan.steps == [] and [rule.check_id for rule in plan.no_session] == [check_id]
    assert changes_in_words(plan) == "no session today"


def test_toxin_in_the_last_48_hours_means_no_session_at_all():
    plan = plan_session(ROUTINE, rules(SkinAnswer("toxin", when="48h")))
    assert plan.steps == [] and plan.no_session[0].label.startswith("Botulinum toxin")


def test_toxin_within_14_days_means_no_tools_and_nothing_firmer_than_light_anywhere():
    plan = plan_session(ROUTINE, rules(SkinAnswer("toxin", when="14d")))
    by_title = {planned.step.title: planned for planned in plan.steps}
    assert {planned.pressure for planned in plan.steps} == {"light"}
    assert by_title["Forehead strokes"].change == (
        "Light pressure today instead of medium (botulinum toxin injections (such as botox))."
    )
    assert by_title["Chin circles"].pressure == "light"
    # The stone step is replaced by its hand alternative; the pinch cannot be made lighter, so it goes.
    assert "Jaw with the stone" not in by_title
    assert by_title["Jaw by hand"].change.startswith("Instead of “Jaw with the stone”")
    assert skipped(plan) == ["Pinch along the jaw"]
    assert plan_session(ROUTINE, rules(SkinAnswer("toxin", when="older"))).changed is False


def test_filler_leaves_out_the_treated_area_for_two_weeks():
    lips = SkinAnswer("filler", frozenset({"mouth"}), "14d")
    plan = plan_session([*ROUTINE, Step("Around the mouth", "mouth", pressure="light")], rules(lips))
    assert "Around the mouth" in skipped(plan) and "Forehead strokes" in titles(plan)


@pytest.mark.parametrize(("check_id", "when"), [("threads", "28d"), ("surgery", "14d")])
def test_threads_and_surgery_wait_four_weeks(check_id, when):
    assert plan_session(ROUTINE, rules(SkinAnswer(check_id, when=when))).no_session


def test_an_eye_infection_keeps_everything_away_from_the_eyes():
    eyes = Step("Under the eyes", "eyes", pressure="light")
    plan = plan_session([*ROUTINE, eyes], rules(SkinAnswer("eye-infection")))
    assert {"Under the eyes", "Palms over the face"} <= set(skipped(plan))


def test_rosacea_prone_skin_has_no_pinching_tapping_tools_or_firm_pressure():
    plan = plan_session(ROUTINE, rules(SkinAnswer("rosacea-prone")))
    assert "Pinch along the jaw" in skipped(plan)
    assert {planned.pressure for planned in plan.steps} <= {"light", "medium"}
    assert all(not set(planned.step.needs) & {"gua-sha", "roller"} for planned in plan.steps)


def test_a_real_routine_the_cheek_breakout_example():
    routine = next(r for r in LIBRARY.routines if r.slug == "full-lymphatic-drainage")
    plan = plan_session(routine.steps, rules(SkinAnswer("breakout", frozenset({"cheeks"}))))
    assert "Across the cheeks" in skipped(plan)
    assert all("cheeks" not in planned.step.touches for planned in plan.steps)


@pytest.mark.parametrize(
    ("when", "days_ago", "today_range"),
    [("48h", 0, "48h"), ("48h", 1, "48h"), ("48h", 2, "14d"), ("48h", 13, "14d"), ("48h", 14, "older"),
     ("14d", 11, "14d"), ("14d", 12, "older"), ("older", 0, "older")],
)
def test_a_time_limited_answer_moves_on_with_the_days_and_lapses(when, days_ago, today_range):
    today = date(2026, 12, 1)
    assert range_today(when, today - timedelta(days=days_ago), today, ("48h", "14d")) == today_range


def test_the_profile_keeps_when_a_time_limited_answer_was_given_and_lets_it_lapse():
    stored = {
        "breakout": ["chin"],
        "toxin": {"zones": [], "when": "48h", "answered_on": "2026-11-30"},
        "threads": {"zones": [], "when": "28d"},  # no day given: cannot be aged, so it does not count
    }
    assert answers_from_stored(stored, CHECKS, date(2026, 12, 1)) == [
        SkinAnswer("breakout", frozenset({"chin"})), SkinAnswer("toxin", frozenset(), "48h"),
    ]
    later = flags_from_answers(stored, CHECKS, date(2026, 12, 10))
    assert [(rule.check_id, rule.no_session, rule.max_pressure) for rule in later] == [
        ("breakout", False, "firm"), ("toxin", False, "light"),
    ]
    assert [rule.check_id for rule in flags_from_answers(stored, CHECKS, date(2026, 12, 20))] == ["breakout"]


def test_a_neck_area_stored_before_the_split_still_covers_the_whole_neck():
    answers = answers_from_stored({"breakout": ["neck", "chin"]}, CHECKS, date(2026, 12, 1))
    assert answers == [SkinAnswer("breakout", frozenset({"neck-side", "neck-front", "collarbone", "chin"}))]


# The invariants, over any answers and any steps.
ANSWERS = st.lists(
    st.builds(
        lambda check, zones, when: SkinAnswer(check["id"], frozenset(zones), when if check["asks"] == "when" else ""),
        st.sampled_from(CHECKS),
        st.sets(st.sampled_from(FACE_ZONES)),
        st.sampled_from(["48h", "14d", "28d", "older"]),
    ),
    max_size=4,
)
STEP = st.builds(
    Step,
    title=st.text(min_size=1, max_size=8),
    zone=st.sampled_from((*FACE_ZONES, WHOLE_FACE)),
    pressure=st.sampled_from(PRESSURES),
    when_flagged=st.sampled_from(("skip", "lighten")),
    motion=st.sampled_from(MOTIONS),
    needs=st.lists(st.sampled_from(NEEDS), max_size=2).map(tuple),
)
STEPS = st.lists(
    st.tuples(STEP, st.none() | STEP).map(lambda pair: replace(pair[0], instead=pair[1])), min_size=1, max_size=8
)


@given(answers=ANSWERS, steps=STEPS)
def test_what_remains_is_always_within_every_rule(answers, steps):
    today = rules_for(answers, CHECKS)
    plan = plan_session(steps, today)
    if any(rule.no_session for rule in today):
        assert plan.steps == []
        return
    assert len(plan.steps) + len(plan.skipped) == len(steps)
    for planned in plan.steps:
        for rule in today:
            assert not planned.step.touches & rule.skip_zones
            assert not set(planned.step.needs) & rule.no_needs
            assert planned.step.motion not in rule.no_motions
            assert PRESSURES.index(planned.pressure) <= PRESSURES.index(rule.max_pressure)
        assert PRESSURES.index(planned.pressure) <= PRESSURES.index(planned.step.pressure)


@given(answers=ANSWERS)
def test_every_real_routine_keeps_the_invariants(answers):
    today = rules_for(answers, CHECKS)
    for routine in LIBRARY.routines:
        plan = plan_session(routine.steps, today)
        skipped_areas = frozenset().union(*(rule.skip_zones for rule in today))
        assert all(not planned.step.touches & skipped_areas for planned in plan.steps)
        assert not (plan.no_session and plan.steps)
