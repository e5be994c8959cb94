"""What the voice coach says beside each step, and the no-script page's honest wording."""

from dataclasses import replace

import pytest

from app.content.loader import load_library
from app.player.coach import about_time, halfway_cue, spoken_count

LIBRARY = {routine.slug: routine for routine in load_library().routines}


def step(slug: str, number: int):
    return LIBRARY[slug].steps[number - 1]


def test_the_count_and_pace_follow_the_steps_own_fields():
    drainage = step("quick-morning-depuff", 2)  # 5 in all, 40 s
    assert spoken_count(drainage) == "Five in all, about eight seconds each."
    per_side = step("gua-sha-face-and-neck", 2)  # 5 on each side, 60 s: 10 strokes
    assert spoken_count(per_side) == "Five on each side, about six seconds each."
    rows = step("full-lymphatic-drainage", 7)  # 3 rows of 5
    assert spoken_count(rows).startswith("Three rows of five in all, about ")
    holds = step("quick-desk-tension-release", 2)  # two passes of presses held 4 s
    assert spoken_count(holds) == "Hold about four seconds each time."
    assert spoken_count(step("quick-morning-depuff", 1)) == ""  # getting ready: nothing to count


def test_halfway_says_switch_sides_only_where_the_step_counts_per_side():
    assert halfway_cue(step("gua-sha-face-and-neck", 2)) == "Switch sides."
    assert halfway_cue(step("quick-morning-depuff", 4)) == "Halfway."  # 45 s, both sides at once
    assert halfway_cue(replace(step("quick-morning-depuff", 2), duration_seconds=30)) == ""


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(40, "40 seconds"), (60, "1 minute"), (75, "1½ minutes"), (90, "1½ minutes"), (110, "2 minutes"),
     (120, "2 minutes"), (150, "2½ minutes")],
)
def test_the_no_script_page_gives_an_honest_length(seconds, words):
    assert about_time(seconds) == words


def test_without_javascript_a_step_says_about_how_long_instead_of_a_frozen_clock(client):
    page = client.get("/routines/quick-morning-depuff/play?step=2").get_data(as_text=True)
    assert "About 40 seconds for this step: move on when you're done." in page
    # Focus mode: one small esthetician line; player.css hides the site's header and footer.
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert main.count("esthetician") == 1 and 'class="player-page focus-mode"' in page
    assert 'data-spoken-count="Five in all, about eight seconds each."' in page
    assert "Fingers in the hollows above your collarbones." in page  # the cue, beside the drawing
