"""Today's session plan: the skin check's rules, tested without a server."""

from dataclasses import dataclass

from app.player.plan import SkinFlag, changes_in_words, plan_session


@dataclass(frozen=True)
class Step:
    title: str
    zone: str
    pressure: str = "medium"
    when_flagged: str = "lighten"
    duration_seconds: int = 30


ROUTINE = [
    Step("Warm the oil", "full-face", pressure="light"),
    Step("Forehead strokes", "forehead"),
    Step("Chin circles", "chin", pressure="firm"),
    Step("Chin kneading", "chin", when_flagged="skip"),
    Step("Whole-face lift", "full-face", pressure="firm"),
    Step("Whole-face pinching", "full-face", when_flagged="skip"),
]

CHIN_BREAKOUT = SkinFlag("breakout", "A breakout or inflamed acne", "adapt", frozenset({"chin"}))
WHOLE_FACE_BREAKOUT = SkinFlag("breakout", "A breakout or inflamed acne", "adapt")
MOUTH_COLD_SORE = SkinFlag("cold-sore-or-rash", "A cold sore, rash or skin infection", "skip", frozenset({"mouth"}))
SUNBURN = SkinFlag("sunburn", "Sunburn", "skip")


def by_title(plan):
    return {planned.step.title: planned for planned in plan.steps}


def skipped_titles(plan):
    return [step.title for step, _ in plan.skipped]


def test_nothing_ticked_changes_nothing():
    plan = plan_session(ROUTINE, [])
    assert [planned.step for planned in plan.steps] == ROUTINE
    assert [planned.pressure for planned in plan.steps] == [step.pressure for step in ROUTINE]
    assert all(planned.change == "" for planned in plan.steps)
    assert plan.skipped == []
    assert not plan.changed
    assert plan.total_seconds == 6 * 30


def test_a_chin_breakout_touches_only_chin_and_whole_face_steps():
    plan = plan_session(ROUTINE, [CHIN_BREAKOUT])
    steps = by_title(plan)

    assert steps["Forehead strokes"].pressure == "medium"
    assert steps["Forehead strokes"].change == ""
    assert steps["Chin circles"].pressure == "light"
    assert "instead of firm" in steps["Chin circles"].change
    assert "a breakout or inflamed acne" in steps["Chin circles"].change
    # Whole-face steps follow their own when_flagged: lighten and keep away, or skip.
    assert steps["Whole-face lift"].pressure == "light"
    assert "keep away from: chin" in steps["Whole-face lift"].change
    assert steps["Warm the oil"].pressure == "light"
    assert "keep away from: chin" in steps["Warm the oil"].change
    assert skipped_titles(plan) == ["Chin kneading", "Whole-face pinching"]
    assert all(reason.startswith("Skipped today") for _, reason in plan.skipped)
    assert plan.changed
    assert plan.total_seconds == 4 * 30


def test_a_breakout_everywhere_lightens_every_step_that_allows_it():
    plan = plan_session(ROUTINE, [WHOLE_FACE_BREAKOUT])
    steps = by_title(plan)
    assert skipped_titles(plan) == ["Chin kneading", "Whole-face pinching"]
    assert {planned.pressure for planned in plan.steps} == {"light"}
    assert steps["Warm the oil"].change.startswith("Extra gentle today")
    assert steps["Whole-face lift"].change.startswith("Light pressure today instead of firm")


def test_a_skip_flag_skips_its_area_even_where_the_step_would_lighten():
    routine = [*ROUTINE, Step("Lip corners", "mouth")]
    plan = plan_session(routine, [MOUTH_COLD_SORE])
    steps = by_title(plan)
    assert skipped_titles(plan) == ["Whole-face pinching", "Lip corners"]
    assert "keep away from: mouth" in steps["Whole-face lift"].change
    assert steps["Chin circles"].pressure == "firm"
    assert steps["Chin circles"].change == ""


def test_whole_face_sunburn_skips_everything():
    plan = plan_session(ROUTINE, [SUNBURN])
    assert plan.steps == []
    assert skipped_titles(plan) == [step.title for step in ROUTINE]
    assert all("sunburn" in reason for _, reason in plan.skipped)
    assert plan.total_seconds == 0


def test_every_reason_names_each_flag_that_applies():
    plan = plan_session([Step("Chin circles", "chin")], [CHIN_BREAKOUT, SUNBURN])
    [(_, reason)] = plan.skipped
    assert reason == "Skipped today (a breakout or inflamed acne; sunburn)."


def test_a_profile_warning_says_what_would_change_in_plain_words():
    steps = [Step("Warm the face", "full-face"), Step("Chin circles", "chin", when_flagged="skip"),
             Step("Jaw glide", "chin", when_flagged="skip")]
    assert changes_in_words(plan_session(steps, [CHIN_BREAKOUT])) == (
        "2 steps skipped, 1 step done gently, away from those areas"
    )
    assert changes_in_words(plan_session(steps[:1], [CHIN_BREAKOUT])) == "1 step done gently, away from those areas"
