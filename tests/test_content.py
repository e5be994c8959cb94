"""The content files: complete, honest about length, and strictly validated."""

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from flask import render_template_string

from app.content.loader import (
    CONTENT_DIR,
    DRAINAGE_GOAL,
    GOAL_SLUGS,
    HEIGHT,
    MOTIONS,
    NECK_ZONES,
    STROKES,
    ContentError,
    load_library,
)

QUICK_MAX = 5 * 60
FULL_RANGE = (10 * 60, 15 * 60)


@pytest.fixture(scope="module")
def library():
    return load_library()


def test_seven_goals_with_the_agreed_slugs(library):
    assert [goal.slug for goal in library.goals] == list(GOAL_SLUGS)


def test_at_least_fourteen_complete_routines(library):
    assert len(library.routines) >= 14
    for routine in library.routines:
        assert len(routine.steps) >= 4, routine.slug
        for step in routine.steps:
            assert all([step.title, step.instruction, step.tip, step.illustration]), routine.slug
            assert step.duration_seconds > 0 and step.repetitions > 0
            assert step.motion in MOTIONS, routine.slug
            if step.motion in STROKES:
                assert step.direction, f"{routine.slug}: {step.title}"


@pytest.mark.parametrize("goal", GOAL_SLUGS)
def test_every_goal_has_a_quick_and_a_full_routine(library, goal):
    lengths = [r.total_seconds for r in library.routines if goal in r.goals]
    assert any(total <= QUICK_MAX for total in lengths), goal
    assert any(FULL_RANGE[0] <= total <= FULL_RANGE[1] for total in lengths), goal


def test_routines_start_with_a_one_sentence_preparation(library):
    """The oil advice lives on the start page; the first step only says what to do (issue 13)."""
    for routine in library.routines:
        first = routine.steps[0]
        assert first.motion == "prepare", routine.slug
        assert "wash" in first.instruction.lower() or "clean" in first.instruction.lower(), routine.slug
        assert first.instruction.count(". ") == 0 and first.instruction.endswith("."), routine.slug
        assert ("oil" in first.needs) == (routine.oil == "skin-type" and "serum" not in first.needs), routine.slug


def test_product_routines_put_the_serum_on_before_any_oil_or_moisturiser(library):
    """SAFETY-NOTES: water-based serum first on damp skin, moisturiser or oil last."""
    absorption = [r for r in library.routines if "product-absorption" in r.goals]
    assert len(absorption) >= 2
    for routine in absorption:
        needs = [need for step in routine.steps for need in step.needs]
        assert needs[0] == "serum", routine.slug
        assert "oil" not in needs[: needs.index("serum") + 1], routine.slug
        assert routine.steps[-1].title == "Press in your moisturiser", routine.slug


def test_drainage_routines_stretch_lightly_with_little_or_no_oil(library):
    drainage = [r for r in library.routines if DRAINAGE_GOAL in r.goals]
    assert len(drainage) >= 2
    for routine in drainage:
        assert routine.oil == "little-or-none", routine.slug
        for step in routine.steps:
            assert step.pressure == "light" and step.motion != "glide", f"{routine.slug}: {step.title}"


def test_drainage_routines_clear_the_neck_before_the_face_and_the_eyes_last(library):
    """SAFETY-NOTES order: neck first, then jaw, cheeks, under the eyes; finish down the neck."""
    for routine in (r for r in library.routines if DRAINAGE_GOAL in r.goals):
        zones = [step.zone for step in routine.steps if step.motion in STROKES]
        assert zones[0] in NECK_ZONES and zones[-1] in NECK_ZONES, routine.slug
        lower_face = [index for index, zone in enumerate(zones) if zone in ("jawline", "chin", "mouth", "cheeks")]
        assert lower_face and max(lower_face) < zones.index("eyes"), f"{routine.slug}: {zones}"


def test_no_step_strokes_up_the_neck_or_over_the_throat(library):
    for routine in library.routines:
        for step in routine.steps:
            if step.motion in STROKES and step.touches & set(NECK_ZONES):
                assert "neck-front" not in step.touches, f"{routine.slug}: {step.title}"
                assert step.direction_path or HEIGHT[step.direction_to] >= HEIGHT[step.direction_from]


def test_no_routine_puts_the_jaw_muscle_just_in_front_of_the_ear(library):
    """The spot just in front of the ear is the jaw joint (SAFETY-NOTES, masseter)."""
    for routine in library.routines:
        for step in routine.steps:
            text = step.instruction.lower()
            assert "muscle just in front of" not in text and "muscle in front of the ears" not in text, routine.slug
            if "chewing muscle" in text or "jaw muscle" in text:
                assert "finger-widths in front of" in text or "on each side" in text, f"{routine.slug}: {step.title}"


def test_routine_names_do_not_promise_firming_or_sculpting(library):
    for routine in library.routines:
        words = f"{routine.title} {routine.summary}".lower()
        assert "firming" not in routine.title.lower() and "sculpt" not in words, routine.slug
        assert " toned" not in words, routine.slug


def test_every_goal_keeps_a_routine_and_muscle_tone_routines_contain_exercise(library):
    for goal in GOAL_SLUGS:
        assert any(goal in routine.goals for routine in library.routines), goal
    for routine in (r for r in library.routines if "muscle-tone" in r.goals):
        assert any(step.motion == "exercise" for step in routine.steps), routine.slug


def test_pressure_around_the_eyes_is_always_light(library):
    for routine in library.routines:
        for step in routine.steps:
            if step.zone == "eyes":
                assert step.pressure == "light", f"{routine.slug}: {step.title}"


def test_every_illustration_renders_as_valid_svg(app, library):
    steps = [part for routine in library.routines for step in routine.steps for part in (step, step.instead) if part]
    with app.test_request_context():
        for step in steps:
            macro = '{% from "_macros.html" import face with context %}{{ face(step) }}'
            markup = render_template_string(macro, step=step)
            svg = ET.fromstring(markup.strip())
            assert svg.get("role") == "img" and svg.get("aria-label"), step.illustration
            assert len(svg.findall("{*}path")) + len(svg.findall("path")) >= 2, step.illustration


@pytest.fixture
def content_copy(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def edit_first_routine(content_dir: Path, change) -> str:
    path = sorted((content_dir / "routines").glob("*.yaml"))[0]
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))
    return path.stem


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["goals"].append("glass-skin"), "unknown glass-skin"),
        (lambda r: r.pop("summary"), "'summary' is missing"),
        (lambda r: r["steps"][1].pop("instruction"), "step 2: 'instruction' is missing"),
        (lambda r: r["steps"][1].pop("cue"), "step 2: 'cue' is missing"),
        (lambda r: r["steps"][3].update(cue="word " * 23), "step 4: 'cue' has 23 words; keep it to 22"),
        (lambda r: r["steps"][0].update(duration=0), "step 1: 'duration' must be positive"),
        (lambda r: r["steps"][2].update(duration=-30), "step 3: 'duration' must be positive"),
        (lambda r: r["steps"][0].update(pressure="crushing"), "'pressure' is 'crushing'"),
        (lambda r: r["steps"][0].update(illustration="nowhere"), "illustration 'nowhere' is not"),
        (lambda r: r.update(steps=r["steps"][:3]), "at least 4 steps"),
        (lambda r: r["steps"][1].pop("motion"), "step 2: 'motion' is missing"),
        (lambda r: r["steps"][1].update(motion="wiggle"), "step 2: 'motion' is 'wiggle'"),
        (lambda r: r["steps"][2].pop("per"), "step 3: 'per' is missing"),
        (lambda r: r["steps"][2].update(direction={"from": "ears", "to": "moon"}),
         "step 3, 'direction': 'to' is 'moon'"),
    ],
)
def test_invalid_content_stops_the_load_naming_file_and_routine(content_copy, change, message):
    slug = edit_first_routine(content_copy, change)
    with pytest.raises(ContentError) as error:
        load_library(content_copy)
    assert f"routines/{slug}.yaml (routine '{slug}')" in str(error.value)
    assert message in str(error.value)


def test_missing_goal_is_reported(content_copy):
    goals = yaml.safe_load((content_copy / "goals.yaml").read_text())
    (content_copy / "goals.yaml").write_text(yaml.safe_dump(goals[:-1]))
    with pytest.raises(ContentError, match="goals.yaml: goals must be exactly"):
        load_library(content_copy)


ROUTINE_FILE = "routines/{slug}.yaml (routine '{slug}')"


def edit_routine(content_dir: Path, slug: str, change) -> None:
    path = content_dir / "routines" / f"{slug}.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))


def set_step(number: int, **fields):
    return lambda routine: routine["steps"][number - 1].update(fields)


@pytest.mark.parametrize(
    ("slug", "change", "message"),
    [
        # Drainage: light pressure only, and no glide.
        ("full-lymphatic-drainage", set_step(5, motion="glide"), "step 5: 'motion': drainage routines"),
        ("full-lymphatic-drainage", set_step(5, pressure="medium"), "step 5: 'pressure': drainage routines use light"),
        ("quick-lymphatic-drainage", lambda r: r.update(oil="skin-type"),
         "'oil': drainage routines use little or no oil"),
        # Neck strokes never upward, never over the throat.
        ("jaw-and-cheek-wake-up", set_step(2, direction={"from": "collarbone", "to": "jawline"}),
         "step 2: 'direction': neck strokes run down the sides"),
        ("jaw-and-cheek-wake-up", set_step(2, zone="neck-front", illustration="neck-lift"),
         "step 2: 'zone': strokes never run over the front of the throat"),
        # The 3-second rule: seconds >= 3 x reps x sides x rows (the cheeks: 5 in each of 3 rows).
        ("full-lymphatic-drainage", set_step(7, duration=44),
         "step 7: 'duration': 44 s leaves less than 3 s for each of 15"),
        ("cool-roller-depuff", set_step(6, duration=35),
         "step 6: 'duration': 35 s leaves less than 3 s for each of 12"),
        # Holds leave time to rest: 8 holds of 10 s in 90 s is too tight.
        ("full-face-workout", set_step(5, reps=8), "step 5: 'duration': 90 s is too short for 8 holds of 10 s"),
        ("full-face-workout", lambda r: r["steps"][4].pop("hold_seconds") and r["steps"][4].update(motion="press-hold"),
         "step 5: 'hold_seconds' is missing"),
        # Renames: an old slug belongs to one routine only.
        ("serum-press-in", lambda r: r.update(previous_slugs=["gua-sha-sculpt"]), "slug 'gua-sha-sculpt' is also used"),
    ],
)
def test_broken_technique_rules_stop_the_load_with_file_routine_step_and_field(content_copy, slug, change, message):
    edit_routine(content_copy, slug, change)
    with pytest.raises(ContentError) as error:
        load_library(content_copy)
    if "also used" not in message:
        assert ROUTINE_FILE.format(slug=slug) in str(error.value)
    assert message in str(error.value)


def test_an_instead_step_follows_the_same_rules(content_copy):
    alternative = {
        "title": "Light glide", "instruction": "Glide.", "cue": "Glide.",
        "duration": 10, "motion": "glide", "reps": 5, "per": "total",
        "pressure": "light", "direction": {"from": "chin", "to": "ears"}, "zone": "jawline",
        "illustration": "jawline-outward", "when_flagged": "lighten",
    }
    edit_routine(content_copy, "gua-sha-face-and-neck", lambda r: r["steps"][2].update(instead=alternative))
    with pytest.raises(ContentError, match=r"step 3, 'instead': 'duration': 10 s leaves less than 3 s"):
        load_library(content_copy)


def test_the_skin_check_rules_are_validated(content_copy):
    path = content_copy / "safety.yaml"
    data = yaml.safe_load(path.read_text())
    data["skin_check"][8]["when"]["14d"] = {"max_pressure": "crushing"}
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match=r"safety.yaml, skin_check 9, 'when', 14d: 'max_pressure' is 'crushing'"):
        load_library(content_copy)


def test_every_step_has_a_short_cue_on_the_line_after_its_instruction():
    """The player shows and speaks the cue (issue 15); it sits right after `instruction:`, so
    edits to the other step fields merge cleanly."""
    for path in sorted((CONTENT_DIR / "routines").glob("*.yaml")):
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            if line.strip().startswith("instruction:"):
                follows = lines[number + 1]
                assert follows.strip().startswith("cue:"), f"{path.name}:{number + 2}"
                assert len(line) - len(line.lstrip()) == len(follows) - len(follows.lstrip()), path.name
    for routine in load_library().routines:
        for part in (part for step in routine.steps for part in (step, step.instead) if part):
            assert 0 < len(part.cue.split()) <= 22 and part.cue != part.instruction, (routine.slug, part.title)
