"""The player's server-rendered pages, read as a visitor without JavaScript would."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from app.extensions import db
from app.models import Routine

SLUG = "quick-tapping-wake-up"  # six steps; three of them skip when flagged
CHEEK_BREAKOUT = "breakout=y&breakout_zones=cheeks"
REMINDER = "See a professional."


def routine_steps(app, slug=SLUG):
    with app.app_context():
        routine = db.session.scalar(db.select(Routine).filter_by(slug=slug))
        return [(step.title, step.duration_seconds) for step in routine.steps]


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.get_data(as_text=True))


def current_title(page: str) -> str:
    """The title of the one step not hidden."""
    steps = re.findall(r'<li class="player-step"([^>]*)>\s*<h2 class="step-title"[^>]*>(.*?)</h2>', page)
    shown = [title for attrs, title in steps if not attrs.rstrip().endswith("hidden")]
    assert len(shown) == 1, shown
    return shown[0]


def link(page: str, name: str) -> str | None:
    found = re.search(rf'<a class="button[^"]*" href="([^"]+)">{name}</a>', page)
    return found and found.group(1)


def test_start_page_prepares_and_checks_the_skin(app, client):
    page = read(client, f"/routines/{SLUG}/play")
    assert "Quick tapping wake-up" in page
    assert "Total time" in page and "3 min 45 s" in page
    assert "Before you press Start" in page
    assert "Have an oil or serum within reach" in page
    assert REMINDER in page and "esthetician" in page
    for label in ("A breakout or inflamed acne", "Sunburn", "A cold sore, rash or skin infection",
                  "Broken skin, a cut or a bruise", "Injectables, fillers or a peel in the last weeks"):
        assert re.search(rf'<input[^>]+type="checkbox"[^>]*> {re.escape(label)}</label>', page), label
    assert page.count("<legend>Where?") == 4  # sunburn is not asked where
    assert '<input type="hidden" name="step" value="1">' in page
    assert re.search(r'<button type="submit"[^>]*>Start</button>', page)


def test_every_step_renders_with_links_to_its_neighbours(app, client):
    steps = routine_steps(app)
    total = sum(seconds for _, seconds in steps)
    for number, (title, seconds) in enumerate(steps, start=1):
        page = read(client, f"/routines/{SLUG}/play?step={number}")
        assert f"Step {number} of {len(steps)}" in page
        assert current_title(page) == title
        assert f'<span data-role="countdown">{seconds // 60}:{seconds % 60:02d}</span>' in page
        previous, following, finish = link(page, "Previous step"), link(page, "Next step"), link(page, "Finish")
        assert (previous is None) == (number == 1)
        if previous:
            assert parse_qs(urlsplit(previous).query)["step"] == [str(number - 1)]
        if number < len(steps):
            assert parse_qs(urlsplit(following).query)["step"] == [str(number + 1)]
            assert finish is None
        else:
            assert following is None
            assert finish == f"/routines/{SLUG}/play/done?spent={total}"


def test_links_carry_the_skin_check_answers_and_the_session_is_adapted(app, client):
    page = read(client, f"/routines/{SLUG}/play?step=2&{CHEEK_BREAKOUT}")
    assert "Step 2 of 5" in page  # "Tap over the cheeks" is skipped today
    assert "Tap over the cheeks</strong>: Skipped today (a breakout or inflamed acne)." in page
    assert "Today's session, adapted to your skin" in page
    assert "see a dermatologist" in page
    for name in ("Previous step", "Next step"):
        query = parse_qs(urlsplit(link(page, name)).query)
        assert query["breakout"] == ["y"]
        assert query["breakout_zones"] == ["cheeks"]


def test_nothing_ticked_shows_no_changes(client):
    page = read(client, f"/routines/{SLUG}/play?step=1")
    assert "Today's session, adapted" not in page
    assert "Step 1 of 6" in page


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0", 1), ("abc", 1), ("-2", 1), ("1.5", 1), ("", 1), ("²", 1), ("7", 6), ("99999", 6), ("123456", 1)],
)
def test_a_step_out_of_range_or_malformed_redirects_to_a_valid_one(client, raw, expected):
    answers = {"breakout": "y", "breakout_zones": "neck"}  # lightens, skips nothing here
    response = client.get(f"/routines/{SLUG}/play", query_string={"step": raw, **answers})
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.location).query)
    assert query["step"] == [str(expected)]
    assert query["breakout_zones"] == ["neck"]
    assert client.get(response.location).status_code == 200


def test_an_unknown_area_is_a_clear_400(client):
    response = client.get(f"/routines/{SLUG}/play?step=1&breakout=y&breakout_zones=elbow")
    assert response.status_code == 400
    assert "Please choose from the listed areas." in response.get_data(as_text=True)


def test_sunburn_everywhere_leads_to_the_rest_page(client):
    page = read(client, f"/routines/{SLUG}/play?step=3&sunburn=y")
    assert "Let your skin rest today" in page
    assert "reminder-prominent" in page
    assert 'data-role="countdown"' not in page


def test_an_unknown_routine_is_404(client):
    assert client.get("/routines/no-such-routine/play?step=1").status_code == 404


@pytest.mark.parametrize("spent", ["225", "", "²", "lots"])
def test_the_completion_page_never_fails_on_odd_spent_values(client, spent):
    response = client.get(f"/routines/{SLUG}/play/done", query_string={"spent": spent})
    assert response.status_code == 200
    assert "Well done" in response.get_data(as_text=True)
