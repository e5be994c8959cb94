"""The drawings (issue 14): the vocabulary, every step's drawing matching its text, the loader's
refusals, and each fault the content review (section d) found, as a rule over every drawing."""

import re
import xml.etree.ElementTree as ET

import pytest
import yaml
from flask import render_template_string

from app.content.drawings import circle_path, end_point, mirror_path, part_seconds, path_points
from app.content.loader import MOTIONS, ContentError, load_library
from app.player.plan import SkinRule
from tests.test_content import content_copy, edit_routine, set_step  # noqa: F401  (fixture)

# Front-view anchors the mirror mode maps to face landmarks (contract: they never move).
FACE_OUTLINE = "M100 22 C62 22 44 52 44 100 C44 150 62 190 100 214 C138 190 156 150 156 100 C156 52 138 22 100 22 Z"
THROAT = (84, 116)  # x range of the front of the neck, below the chin
CHIN_Y, NOTCH_Y = 214, 262  # the chin, and the notch between the collarbones
OUTER_EYE_CORNER = (66, 95)
# Profile anchors: the earlobe and the jaw joint just in front of the ear.
EARLOBE, JAW_JOINT = (92, 136), (100, 114)


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.fixture(scope="module")
def vocabulary(library):
    return library.drawings


def all_steps(library):
    return [(routine, part) for routine in library.routines for step in routine.steps
            for part in (step, step.instead) if part]


def strokes(drawing):
    return [stroke for part in drawing.parts for stroke in part]


def render(app, step, rules=()):
    with app.test_request_context():
        markup = render_template_string(
            '{% from "_macros.html" import face with context %}{{ face(step, rules=rules) }}', step=step, rules=rules)
    return ET.fromstring(markup.strip())


def parts_of(svg, name):
    return [element for element in svg.iter() if element.get("data-part") == name]


# The vocabulary.

def test_the_front_view_keeps_the_faces_coordinates_and_adds_neck_collarbones_and_shoulders(vocabulary):
    front = vocabulary.views["front"]
    assert front.lines[0] == FACE_OUTLINE
    assert front.viewbox == "0 0 200 290"
    lowest = max(y for line in front.lines for _, y in path_points(line))
    widest = min(x for line in front.lines for x, _ in path_points(line))
    assert lowest > 260 and widest < 20, "shoulders reach down and out past the collarbones"


def test_every_motion_has_its_own_symbol_and_every_drawing_a_hand_or_tool(vocabulary):
    assert set(vocabulary.motions) == set(MOTIONS)
    assert len(set(vocabulary.motions.values())) == len(MOTIONS)
    assert {"flat-fingers", "fingertips", "ring-finger", "knuckles", "pinch", "palm",
            "gua-sha", "roller-large", "roller-small", "cool-cloth"} <= set(vocabulary.hands)
    for drawing in vocabulary.drawings.values():
        assert drawing.hand in vocabulary.hands or drawing.motion == "exercise", drawing.key


def test_a_path_mirrors_onto_the_other_side_and_arcs_turn_the_other_way():
    assert mirror_path("M60 172 C65 196 67 220 66 242", 200) == "M140 172 C135 196 133 220 134 242"
    assert mirror_path("M53 74 A8 8 0 1 1 49 75.07", 200) == "M147 74 A8 8 -0 1 0 151 75.07"
    with pytest.raises(ValueError, match="absolute commands"):
        path_points("M10 10 l5 5")


# Every step's drawing shows what its text says.

def test_every_step_has_a_drawing_of_its_own_motion_zone_direction_and_tool(library, vocabulary):
    for routine, step in all_steps(library):
        drawing = vocabulary.drawings[step.illustration]
        where = f"{routine.slug}: {step.title}"
        assert (drawing.motion, drawing.zone) == (step.motion, step.zone), where
        assert drawing.direction == (step.direction_from, step.direction_to, step.direction_path), where
        needed = set() if step.motion == "prepare" else {"roller", "gua-sha", "cool-cloth"} & set(step.needs)
        assert {drawing.tool} - {""} == needed, where


@pytest.mark.parametrize(("slug", "number", "motion"), [
    ("full-face-workout", 4, "exercise"),    # the still lower-lid lift was drawn as a stroke
    ("evening-jaw-unwind", 6, "press-hold"),  # "press and open" was drawn as circles
    ("quick-tapping-wake-up", 4, "tap"),
    ("jaw-and-cheek-wake-up", 3, "pinch"),
    ("quick-morning-depuff", 6, "lay"),
])
def test_holds_taps_pinches_and_exercises_are_not_drawn_as_glides(library, vocabulary, slug, number, motion):
    step = next(routine for routine in library.routines if routine.slug == slug).steps[number - 1]
    assert vocabulary.drawings[step.illustration].motion == motion


def test_no_stroke_runs_over_the_front_of_the_throat(vocabulary):
    for drawing in vocabulary.drawings.values():
        if drawing.view != "front":
            continue
        for stroke in strokes(drawing):
            for x, y in path_points(stroke.d):
                assert not (THROAT[0] < x < THROAT[1] and CHIN_Y < y < NOTCH_Y), (drawing.key, x, y)


def test_neck_strokes_run_from_below_the_ear_down_the_side_of_the_neck_to_the_collarbone(vocabulary):
    neck = [d for d in vocabulary.drawings.values() if d.direction[:2] == ("ears", "collarbone")]
    assert len(neck) == 4
    for drawing in neck:
        for stroke in strokes(drawing):
            (x0, y0), (_, y1) = path_points(stroke.d)[0], end_point(stroke.d)
            assert y0 > 128 and x0 < 60, f"{drawing.key} starts below the ear, at the side"
            assert y1 > 235, f"{drawing.key} ends above the collarbone"
            assert all(x < THROAT[0] - 10 for x, _ in path_points(stroke.d)), f"{drawing.key} keeps off the throat"


def test_a_drawing_that_names_the_side_of_the_neck_draws_there(vocabulary):
    """prepare-hands said "…and down the neck" and drew nothing there."""
    named = [d for d in vocabulary.drawings.values() if re.search(r"sides? of the neck", d.label, re.IGNORECASE)]
    assert len(named) >= 6
    for drawing in named:
        points = [point for stroke in strokes(drawing) for point in path_points(stroke.d)]
        assert any(y > CHIN_Y - 20 and not THROAT[0] < x < THROAT[1] for x, y in points), drawing.key


def test_the_collarbone_stretch_goes_down_and_in_never_out(vocabulary):
    for stroke in strokes(vocabulary.drawings["neck-open"]):
        (x0, y0), (x1, y1) = path_points(stroke.d)[0], end_point(stroke.d)
        assert y1 > y0 and x1 > x0, "down and in, towards the base of the neck (x=100)"


def test_under_eye_strokes_stay_on_the_bone_and_end_at_the_temple_not_the_eye(vocabulary):
    under = [d for d in vocabulary.drawings.values() if d.key.startswith("under-eye")]
    assert len(under) == 3
    for drawing in under:
        for stroke in strokes(drawing):
            x0, y0 = path_points(stroke.d)[0]
            x1, y1 = end_point(stroke.d)
            assert y0 >= 105, "starts on the bone below the eye, off the lash line"
            assert x1 < 58 and y1 < 100, "ends at the temple"
            assert abs(x1 - OUTER_EYE_CORNER[0]) + abs(y1 - OUTER_EYE_CORNER[1]) > 10, "not at the eye's corner"


def test_temple_strokes_go_on_down_to_the_angle_of_the_jaw(vocabulary):
    down = [d for d in vocabulary.drawings.values() if d.direction[:2] == ("temples", "jawline")]
    assert len(down) == 3
    for drawing in down:
        assert all(end_point(stroke.d)[1] >= 150 for stroke in strokes(drawing)), drawing.key


def test_the_jaw_muscle_is_a_spot_two_finger_widths_in_front_of_the_earlobe_off_the_joint(vocabulary):
    for key in ("jaw-muscle-circles", "jaw-muscle-press"):
        drawing = vocabulary.drawings[key]
        assert drawing.view == "profile" and drawing.area, "a marked spot, not the whole jaw band"
        x, y = path_points(strokes(drawing)[0].d)[0]
        centre_y = y + 9 if drawing.motion == "circle" else y
        assert 15 < x - EARLOBE[0] < 30 and EARLOBE[1] < centre_y < 165
        assert ((x - JAW_JOINT[0]) ** 2 + (centre_y - JAW_JOINT[1]) ** 2) ** 0.5 > 20


def test_under_the_chin_is_drawn_from_the_side_below_the_jaw(library, vocabulary):
    for routine, step in all_steps(library):
        if "underside of the jaw" in step.instruction:
            drawing = vocabulary.drawings[step.illustration]
            assert drawing.view == "profile", f"{routine.slug}: {step.title}"
            assert all(path_points(s.d)[0][1] >= 196 for s in strokes(drawing)), drawing.key


def test_a_drawing_shows_the_brow_to_hairline_stroke_exactly_when_its_step_says_so(library, vocabulary):
    for routine, step in all_steps(library):
        drawing = vocabulary.drawings[step.illustration]
        if drawing.view != "front" or step.zone == "forehead":
            continue
        reaches = any(end_point(s.d)[1] < 56 for s in strokes(drawing))
        assert reaches == ("hairline" in step.instruction), f"{routine.slug}: {step.title}"


def test_circles_are_whole_circles_where_the_step_works(vocabulary):
    circles = [d for d in vocabulary.drawings.values() if d.motion == "circle"]
    assert len(circles) == 4
    for drawing in circles:
        for stroke in strokes(drawing):
            assert stroke.kind == "circle", drawing.key
            assert " 0 1 1 " in stroke.d, "eleven twelfths of a turn, not a hook"
    x, y = path_points(strokes(vocabulary.drawings["temples-circles"])[0].d)[0]
    assert 44 < x < 62 and 68 < y + 8 < 96, "centred on the temple, beside the eye, not pointing at it"
    assert circle_path(53, 82, 8).startswith("M53 74 A8 8 0 1 1")


def test_cheek_rows_and_multi_part_moves_are_numbered_in_order(app, library):
    full = next(routine for routine in library.routines if routine.slug == "full-lymphatic-drainage")
    rows = render(app, full.steps[6])  # three rows of five stretches
    assert {element.get("data-order") for element in parts_of(rows, "stroke")} == {"1", "2", "3"}
    assert [number.findtext("{*}text") for number in parts_of(rows, "number")] == ["1", "2", "3"]
    assert len(parts_of(rows, "start")) == 2, "both hands start together, beside the nose"


def test_a_move_done_on_each_side_runs_left_then_right(app, library):
    roller = next(routine for routine in library.routines if routine.slug == "cool-roller-depuff")
    svg = render(app, roller.steps[3])  # five strokes on each side, along the jaw
    strokes_by_order = {s.get("data-order"): path_points(s.get("d"))[0] for s in parts_of(svg, "stroke")}
    assert strokes_by_order["1"][0] < 100 < strokes_by_order["2"][0], "your left (drawn at x < 100) first"
    assert "Your left side first, then your right." in svg.get("aria-label")
    shown = [m.get("keyTimes") for m in svg.findall(".//{*}animate")]
    assert shown == ["0;0;0.5", "0;0.5;1"]


def test_every_drawing_carries_the_mirror_hooks_and_a_start_dot(app, library):
    for routine, step in all_steps(library):
        svg = render(app, step)
        where = f"{routine.slug}: {step.title}"
        assert svg.get("data-view") in ("front", "three-quarter", "profile") and svg.get("data-motion") == step.motion
        assert len(parts_of(svg, "zone")) == 1 and parts_of(svg, "start"), where
        orders = [int(s.get("data-order")) for s in parts_of(svg, "stroke")]
        assert orders == sorted(orders) and orders[0] == 1, where
        assert len(svg.get("aria-label").split()) >= 8, f"{where}: the move in words"
        badge = parts_of(svg, "motion")[0]
        assert badge.get("href") == f"#drawing-motion-{step.motion}", where


def test_lay_and_hold_drawings_draw_no_arrow_onto_the_eyes(app, library):
    depuff = next(routine for routine in library.routines if routine.slug == "quick-morning-depuff")
    cloth = render(app, depuff.steps[5])
    assert cloth.get("data-motion") == "lay"
    assert all(s.get("marker-end") is None for s in parts_of(cloth, "stroke"))
    assert "without pressing" in cloth.get("aria-label")


def test_todays_avoid_areas_are_hatched_and_named(app, library):
    tapping = next(routine for routine in library.routines if routine.slug == "quick-tapping-wake-up")
    rule = SkinRule("breakout", "Inflamed spots", "Skip them.", skip_zones=frozenset({"cheeks", "chin"}))
    svg = render(app, tapping.steps[2], [rule])  # tapping the forehead, kept today
    avoid = parts_of(svg, "avoid")
    assert {element.get("data-zone") for element in avoid} == {"cheeks", "chin"}
    assert all(element.get("fill") == "url(#drawing-hatch)" for element in avoid)
    assert svg.get("aria-label").endswith("Hatched: leave out today: cheeks, chin.")
    assert not parts_of(render(app, tapping.steps[2]), "avoid")


def test_the_hand_moves_at_the_steps_pace(library, vocabulary):
    roller = next(routine for routine in library.routines if routine.slug == "cool-roller-depuff").steps[3]
    assert part_seconds(vocabulary.drawings[roller.illustration], roller) == 6  # 60 s for 5 + 5 strokes
    lift = next(r for r in library.routines if r.slug == "full-face-workout").steps[8]
    assert part_seconds(vocabulary.drawings[lift.illustration], lift) == round(60 / 6 / 3, 2)  # 6 rounds of 3
    knead = next(r for r in library.routines if r.slug == "evening-jaw-unwind").steps[4]
    assert part_seconds(vocabulary.drawings[knead.illustration], knead) == 8  # 12 s circles shown at most 8 s


# The loader refuses a step whose drawing disagrees with it.

@pytest.mark.parametrize(("slug", "change", "message"), [
    ("full-lymphatic-drainage", set_step(3, illustration="neck-sweep-down"),
     "step 3: illustration 'neck-sweep-down' shows the motion glide, but the step's motion is stretch-release"),
    ("full-lymphatic-drainage", set_step(9, direction={"from": "eyes", "to": "cheeks"}),
     "step 9: illustration 'under-eye-stretch' shows the direction eyes to temples, but the step's direction is"),
    ("full-lymphatic-drainage", set_step(9, illustration="forehead-stretch"),
     "step 9: illustration 'forehead-stretch' shows forehead, but the step works on eyes"),
    ("cool-roller-depuff", set_step(6, illustration="cheeks-outward"),
     "step 6: illustration 'cheeks-outward' shows hands, but the step uses roller"),
    ("full-lymphatic-drainage", set_step(7, illustration="cheeks-stretch"),
     "step 7: illustration 'cheeks-stretch' shows 1 parts, but the step works in 3 rows"),
    ("quick-tapping-wake-up", set_step(4, illustration="cheeks-outward"),
     "step 4: illustration 'cheeks-outward' shows the motion glide, but the step's motion is tap"),
])
def test_a_step_whose_drawing_disagrees_stops_the_load(content_copy, slug, change, message):  # noqa: F811
    edit_routine(content_copy, slug, change)
    with pytest.raises(ContentError) as error:
        load_library(content_copy)
    assert f"routines/{slug}.yaml (routine '{slug}'): {message}" in str(error.value)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["drawings"]["neck-open"].update(motion="wiggle"), "drawing 'neck-open': 'motion' is 'wiggle'"),
    (lambda d: d["drawings"]["neck-open"]["parts"].append(["M10 10 l5 5"]), "use the absolute commands"),
    (lambda d: d["motions"].pop("pinch"), "give one symbol for each of"),
    (lambda d: d["views"]["front"]["zones"].pop("chin"), "view 'front': 'zones' must give one shape"),
])
def test_a_broken_vocabulary_stops_the_load_naming_the_entry(content_copy, change, message):  # noqa: F811
    path = content_copy / "drawings.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match=re.escape(message)):
        load_library(content_copy)


def test_an_instead_step_is_checked_against_its_drawing_too(content_copy):  # noqa: F811
    def change(routine):
        routine["steps"][4]["instead"]["illustration"] = "cheeks-roll"
    edit_routine(content_copy, "gua-sha-face-and-neck", change)
    with pytest.raises(ContentError, match="step 5, 'instead': illustration 'cheeks-roll' shows roller"):
        load_library(content_copy)


def test_the_contact_sheet_shows_every_step_with_its_drawing(app, runner, tmp_path, library):
    target = tmp_path / "sheet.html"
    result = runner.invoke(args=["content", "sheet", str(target)])
    assert result.exit_code == 0, result.output
    page = target.read_text()
    count = len(all_steps(library))
    assert f"{count} drawings written" in result.output
    assert page.count('<figure class="sheet-step"') == page.count('<svg class="drawing"') == count
    assert "<link" not in page, "the sheet opens from disk: its styles travel inside it"
