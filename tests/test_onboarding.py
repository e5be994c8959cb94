"""First run and the Today screen (issue 17): onboarding after registration, skippable and
resumable; Today at / for a signed-in person; the suggestion's rules as a pure function."""

import pytest

from app.content.snapshot import read_catalog
from app.extensions import db
from app.today import greeting, part_of_day, suggest_routine
from tests.conftest import fill, log_session, read_form, save_profile


def answer(client, path: str, **answers):
    action, fields = read_form(client.get(path).get_data(as_text=True), path)
    return client.post(action, data=fill(fields, **answers))


@pytest.fixture
def newcomer(client, auth):
    assert auth.register(display_name="Ana").headers["Location"] == "/welcome/goals"
    return client


def test_three_screens_then_a_first_routine_that_fits_the_answers(newcomer):
    assert answer(newcomer, "/welcome/goals", goal_slugs=["puffiness-dark-circles"]).headers["Location"] \
        == "/welcome/skin"
    assert answer(newcomer, "/welcome/skin", skin_type="dry").headers["Location"] == "/welcome/practice"
    page = newcomer.get("/welcome/practice").get_data(as_text=True)
    assert "Step 3 of 3" in page and "js/zone.js" in page
    done = answer(newcomer, "/welcome/practice", practice_minutes="5", practice_time="morning",
                  time_zone="Asia/Kathmandu")
    assert done.headers["Location"] == "/welcome/first"

    first = newcomer.get("/welcome/first").get_data(as_text=True)
    assert "Your first routine:" in first and "/play" in first
    profile = newcomer.get("/account").get_data(as_text=True)
    assert 'value="Asia/Kathmandu" selected' in profile or 'selected value="Asia/Kathmandu"' in profile
    today = newcomer.get("/").get_data(as_text=True)
    assert "Finish setting up" not in today


def test_more_than_three_goals_is_refused_and_nothing_is_lost(newcomer):
    response = answer(newcomer, "/welcome/goals", goal_slugs=["circulation", "tension-relief", "muscle-tone",
                                                              "lymphatic-drainage"])
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Pick up to three" in page
    assert page.count("checked") == 4


def test_onboarding_resumes_where_it_was_left_and_can_be_skipped(newcomer):
    answer(newcomer, "/welcome/goals", goal_slugs=["circulation"])
    assert newcomer.get("/welcome").headers["Location"] == "/welcome/skin"
    assert 'href="/">Skip for now' in newcomer.get("/welcome/skin").get_data(as_text=True)
    today = newcomer.get("/").get_data(as_text=True)
    assert "Finish setting up" in today  # skipped is not finished: reachable again
    assert newcomer.get("/welcome").headers["Location"] == "/welcome/skin"


def test_visitors_keep_the_home_page_and_are_sent_to_sign_in_from_onboarding(client):
    home = client.get("/").get_data(as_text=True)
    assert "Pick a goal" in home and "This week" not in home
    assert client.get("/welcome/goals").status_code == 302


def test_today_greets_suggests_one_routine_and_shows_the_week(newcomer, app):
    save_profile(newcomer, time_zone="UTC", goal_slugs=["tension-relief"])
    log_session(newcomer, routine="quick-morning-depuff")
    page = newcomer.get("/").get_data(as_text=True)
    assert any(words in page for words in ("Good morning, Ana", "Good afternoon, Ana", "Good evening, Ana"))
    assert page.count(">Start<") == 1
    assert "1 of 4 sessions" in page
    assert page.count('<li class="week-dot') == 7 and page.count("week-dot done") == 1
    assert "Repeat last" in page and "Quick morning de-puff" in page


def test_short_addresses_lead_to_the_real_pages(client):
    assert client.get("/login?next=/progress").headers["Location"] == "/auth/login?next=/progress"
    assert client.get("/register").headers["Location"] == "/auth/register"


def test_credential_fields_say_what_browsers_should_fill(client):
    login = client.get("/auth/login").get_data(as_text=True)
    register = client.get("/auth/register").get_data(as_text=True)
    assert 'autocomplete="email"' in login and 'autocomplete="current-password"' in login
    assert register.count('autocomplete="new-password"') == 2 and 'autocomplete="email"' in register


# --- the pure rules --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def routines(template_db):
    from tests.conftest import make_test_app

    app = make_test_app(template_db)
    with app.app_context():
        library = read_catalog(db.session).active_routines
        db.engine.dispose()
    return library


@pytest.mark.parametrize(("hour", "words", "moment"), [
    (5, "Good morning", "morning"), (11, "Good morning", "morning"), (13, "Good afternoon", "morning"),
    (17, "Good afternoon", "evening"), (18, "Good evening", "evening"), (2, "Good evening", "evening"),
])
def test_greeting_and_part_of_day_follow_the_local_hour(hour, words, moment):
    assert greeting(hour) == words and part_of_day(hour) == moment


@pytest.mark.parametrize("hour", [2, 9, 13, 21])
def test_a_chosen_time_of_day_is_the_session_suggested(hour):
    assert part_of_day(hour, "morning") == "morning" and part_of_day(hour, "evening") == "evening"


def test_the_suggestion_serves_a_goal_fits_the_time_and_varies(routines):
    pick = suggest_routine(routines, ["tension-relief"], 10, [])
    assert any(goal.slug == "tension-relief" for goal in pick.goals) and pick.minutes <= 10
    assert suggest_routine(routines, ["tension-relief"], 10, [pick.slug]) == pick, "the only one that fits"
    pick = suggest_routine(routines, ["tension-relief"], 60, [])
    other = suggest_routine(routines, ["tension-relief"], 60, [pick.slug])
    assert other is not None and other.slug != pick.slug


def test_the_suggestion_respects_what_today_allows(routines):
    allowed = frozenset({routines[-1].slug})
    assert suggest_routine(routines, [], 5, [], allowed).slug == routines[-1].slug
    assert suggest_routine(routines, [], 5, [], frozenset()) is None


def test_without_a_fitting_length_the_shortest_that_serves_is_offered(routines):
    shortest = min(routines, key=lambda routine: routine.minutes)
    assert suggest_routine(routines, [], 1, []).minutes == shortest.minutes

