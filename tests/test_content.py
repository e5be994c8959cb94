"""The content files: complete, honest about length, and strictly validated."""

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from flask import render_template_string

from app.content.loader import CONTENT_DIR, GOAL_SLUGS, ContentError, load_library

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
            assert all([step.title, step.instruction, step.direction, step.tip, step.illustration]), routine.slug
            assert step.duration_seconds > 0 and step.repetitions > 0


@pytest.mark.parametrize("goal", GOAL_SLUGS)
def test_every_goal_has_a_quick_and_a_full_routine(library, goal):
    lengths = [r.total_seconds for r in library.routines if goal in r.goals]
    assert any(total <= QUICK_MAX for total in lengths), goal
    assert any(FULL_RANGE[0] <= total <= FULL_RANGE[1] for total in lengths), goal


def test_routines_start_with_preparation(library):
    for routine in library.routines:
        first = routine.steps[0]
        assert "clean" in first.instruction.lower(), routine.slug
        assert "oil" in first.needs, routine.slug


def test_product_absorption_routines_end_with_applying_product(library):
    absorption = [r for r in library.routines if "product-absorption" in r.goals]
    assert len(absorption) >= 2
    for routine in absorption:
        assert routine.steps[-1].title == "Apply your serum or moisturiser now", routine.slug


def test_pressure_around_the_eyes_is_always_light(library):
    for routine in library.routines:
        for step in routine.steps:
            if step.zone == "eyes":
                assert step.pressure == "light", f"{routine.slug}: {step.title}"


def test_every_illustration_renders_as_valid_svg(app, library):
    keys = {step.illustration for routine in library.routines for step in routine.steps}
    with app.test_request_context():
        for key in keys:
            markup = render_template_string(
                '{% from "_macros.html" import face with context %}{{ face(key) }}', key=key
            )
            svg = ET.fromstring(markup.strip())
            assert svg.get("role") == "img" and svg.get("aria-label"), key
            assert len(svg.findall("{*}path")) + len(svg.findall("path")) >= 2, key


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
        (lambda r: r["steps"][0].update(duration=0), "step 1: 'duration' must be positive"),
        (lambda r: r["steps"][2].update(duration=-30), "step 3: 'duration' must be positive"),
        (lambda r: r["steps"][0].update(pressure="crushing"), "'pressure' is 'crushing'"),
        (lambda r: r["steps"][0].update(illustration="nowhere"), "illustration 'nowhere' is not"),
        (lambda r: r.update(steps=r["steps"][:3]), "at least 4 steps"),
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
