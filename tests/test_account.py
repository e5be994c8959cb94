"""Your account: profile, skin self-check, progress, check-ins, your data and deletion."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.content import safety_copy
from app.content.snapshot import catalog
from app.extensions import db
from app.models import Routine, SessionLog, User
from app.player.plan import flags_from_answers, plan_session
from app.progress import week_start
from app.timezones import to_local, utc_now
from tests.conftest import PASSWORD, fill, log_session, read_form, save_profile


def the_user(app, email="ana@example.com") -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def count_rows(app, model, **where) -> int:
    with app.app_context():
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.scalar(query)


@pytest.fixture
def signed_in(auth):
    auth.register()
    return auth


def save_skin_check(client, **answers):
    """Tick boxes in the profile's skin self-check and save it, as a person would."""
    action, fields = read_form(client.get("/account").get_data(as_text=True), "/account/skin-check")
    fields = MultiDict({"csrf_token": fields["csrf_token"]} if "csrf_token" in fields else {})
    return client.post(action, data=fill(fields, **answers))


def routine_cards(page: str) -> dict[str, str]:
    """Each routine card on a listing, by routine slug."""
    cards = page.split('<article class="card routine-card')[1:]
    return {re.search(r'href="/routines/([\w-]+)"', card).group(1): card.split("</article>")[0] for card in cards}


def stat(page: str, label: str) -> str:
    return re.search(rf'<p class="stat-value">([^<]*)</p><p class="stat-label">{label}', page).group(1)


# --- profile --------------------------------------------------------------------------


def test_profile_starts_with_sensible_defaults(client, signed_in):
    _, fields = read_form(client.get("/account").get_data(as_text=True), "/account")
    assert fields["display_name"] == "Ana"
    assert fields["time_zone"] == "UTC"
    assert (fields["weekly_target"], fields["rest_days_per_week"], fields["checkin_every_sessions"]) == ("4", "2", "10")
    assert fields.getlist("goal_slugs") == []


def test_update_the_profile(app, client, signed_in):
    response = save_profile(
        client,
        display_name="Ana B.",
        time_zone="America/New_York",
        skin_type="dry",
        goal_slugs=["tension-relief", "circulation"],
        weekly_target="5",
        rest_days_per_week="1",
        checkin_every_sessions="6",
    )
    assert response.headers["Location"] == "/account"
    page = client.get("/account").get_data(as_text=True)
    assert "Profile saved." in page

    user = the_user(app)
    assert (user.display_name, user.time_zone, user.skin_type) == ("Ana B.", "America/New_York", "dry")
    assert sorted(user.goal_slugs) == ["circulation", "tension-relief"]
    assert (user.weekly_target, user.rest_days_per_week, user.checkin_every_sessions) == (5, 1, 6)

    _, fields = read_form(page, "/account")  # the form shows what was saved
    assert fields["time_zone"] == "America/New_York"
    assert sorted(fields.getlist("goal_slugs")) == ["circulation", "tension-relief"]

    save_profile(client, skin_type="")  # "Not sure" clears it
    assert the_user(app).skin_type is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("time_zone", "Mars/Olympus_Mons"),
        ("time_zone", ""),
        ("skin_type", "scaly"),
        ("goal_slugs", ["world-peace"]),
        ("weekly_target", "0"),
        ("weekly_target", "15"),
        ("rest_days_per_week", "4"),
        ("rest_days_per_week", "-1"),
        ("checkin_every_sessions", "2"),
        ("display_name", "x" * 81),
    ],
)
def test_profile_rejects_bad_answers_and_keeps_the_old_ones(app, client, signed_in, field, value):
    response = save_profile(client, **{field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "field-invalid" in page
    user = the_user(app)
    assert (user.time_zone, user.skin_type, user.goal_slugs, user.weekly_target) == ("UTC", None, [], 4)
    assert (user.rest_days_per_week, user.checkin_every_sessions, user.display_name) == (2, 10, "Ana")


def test_profile_needs_sign_in(client):
    assert client.get("/account").headers["Location"].startswith("/auth/login")


# --- skin self-check, recommendations, warnings ---------------------------------------


def expected_warnings(app, answers: dict) -> set[str]:
    """Routines the player would change today for these answers (app.player.plan is tested on its own)."""
    with app.app_context():
        flags = flags_from_answers(answers, safety_copy()["skin_check"])
        routines = catalog().active_routines
        return {routine.slug for routine in routines if plan_session(routine.steps, flags).changed}


def test_skin_check_is_saved_and_warns_on_routines_without_hiding_them(app, client, signed_in):
    before = routine_cards(client.get("/routines").get_data(as_text=True))
    assert not any('class="warning"' in card for card in before.values())

    response = save_skin_check(client, breakout="y", breakout_zones=["chin"])
    assert response.headers["Location"] == "/account"
    assert the_user(app).skin_flags == {"breakout": ["chin"]}
    _, fields = read_form(client.get("/account").get_data(as_text=True), "/account/skin-check")
    assert (fields["breakout"], fields.getlist("breakout_zones")) == ("y", ["chin"])

    after = routine_cards(client.get("/routines").get_data(as_text=True))
    warned = {slug for slug, card in after.items() if "Your skin check flags areas this routine works on" in card}
    assert set(after) == set(before)  # warned, not hidden
    assert warned == expected_warnings(app, {"breakout": ["chin"]})
    assert "quick-jaw-and-cheek-wake-up" in warned

    save_skin_check(client)  # unticking everything clears the warnings
    assert the_user(app).skin_flags == {}
    assert "Your skin check flags" not in client.get("/routines").get_data(as_text=True)


def test_sunburn_warns_on_every_routine_including_the_routine_page(client, signed_in):
    save_skin_check(client, sunburn="y")
    cards = routine_cards(client.get("/routines").get_data(as_text=True))
    assert len(cards) >= 14
    assert all('class="warning"' in card for card in cards.values())
    assert 'class="warning"' in client.get("/routines/serum-press-in").get_data(as_text=True)


def test_skin_check_rejects_unknown_areas(app, client, signed_in):
    response = save_skin_check(client, breakout="y", breakout_zones=["elbow"])
    assert response.status_code == 400
    assert the_user(app).skin_flags == {}


def test_profile_recommends_routines_and_an_oil_for_the_skin_type(app, client, signed_in):
    save_profile(client, goal_slugs=["tension-relief"], skin_type="sensitive")
    with app.app_context():
        routines = db.session.scalars(select(Routine).where(Routine.retired.is_(False))).all()
        expected = {
            r.slug for r in routines if "sensitive" in r.skin_types and "tension-relief" in [g.slug for g in r.goals]
        }
        oil = str(escape(safety_copy()["oil_by_skin_type"]["sensitive"]))
    assert expected

    page = client.get("/routines").get_data(as_text=True)
    recommended = {slug for slug, card in routine_cards(page).items() if "Recommended for you" in card}
    assert recommended == expected
    assert oil in page

    page = client.get("/goals/tension-relief").get_data(as_text=True)
    recommended = {slug for slug, card in routine_cards(page).items() if "Recommended for you" in card}
    assert recommended == expected
    assert "For your skin type:" in page and oil in page


def test_visitors_get_no_personal_notes(client):
    page = client.get("/routines").get_data(as_text=True)
    assert "Recommended for you" not in page
    assert "For your skin type:" not in page


# --- progress -------------------------------------------------------------------------


def test_progress_before_any_session(client, signed_in):
    page = client.get("/progress").get_data(as_text=True)
    assert stat(page, "day streak") == "0"
    assert stat(page, "sessions this week") == "0 of 4"
    assert "Nothing logged yet." in page
    assert "You practised on 0 of the last 84 days." in page


def test_progress_counts_logged_sessions(app, client, signed_in):
    save_profile(client, weekly_target="3", time_zone="Europe/Berlin")
    now_local = to_local(utc_now(), "Europe/Berlin").replace(tzinfo=None)
    days_ago = [0, 0, 1, 2]  # two today, one yesterday, one the day before
    for ago in days_ago:
        moment = (now_local - timedelta(days=ago, minutes=1)).strftime("%Y-%m-%dT%H:%M")
        log_session(client, completed_at=moment, minutes="10", routine="quick-tapping-wake-up")

    page = client.get("/progress").get_data(as_text=True)
    this_monday = week_start(now_local.date())
    in_week = [ago for ago in days_ago if (now_local - timedelta(days=ago, minutes=1)).date() >= this_monday]
    assert stat(page, "day streak") == "3"
    assert stat(page, "longest streak") == "3"
    assert stat(page, "sessions this week") == f"{len(in_week)} of 3"
    assert f"sessions this week · {len(in_week) * 10} min" in page
    assert stat(page, "sessions in all") == "4"
    assert "You practised on 3 of the last 84 days." in page
    assert "<tr><td>Better circulation</td><td>40</td></tr>" in page  # the routine's one goal
    assert "Quick tapping wake-up" in page.split("Last session")[1]


# --- esthetician check-in -------------------------------------------------------------

CHECKIN = "Time for a check-in"


def test_checkin_appears_after_n_sessions_and_goes_once_acknowledged(app, client, signed_in):
    save_profile(client, checkin_every_sessions="3")
    log_session(client)
    log_session(client)
    assert CHECKIN not in client.get("/progress").get_data(as_text=True)
    log_session(client)
    page = client.get("/progress").get_data(as_text=True)
    assert CHECKIN in page

    action, fields = read_form(page, "/progress/checkin")
    assert client.post(action, data=fields).headers["Location"] == "/progress"
    page = client.get("/progress").get_data(as_text=True)
    assert CHECKIN not in page
    assert "We&#39;ll remind you again later." in page
    assert the_user(app).checkin_acknowledged_at is not None


def test_checkin_appears_four_weeks_after_the_last_one(app, client, signed_in):
    log_session(client)
    assert CHECKIN not in client.get("/progress").get_data(as_text=True)
    with app.app_context():  # four weeks pass: move the account's clock back rather than wait
        user = db.session.scalar(select(User))
        user.created_at -= timedelta(days=29)
        log = db.session.scalar(select(SessionLog))
        log.completed_at -= timedelta(days=20)
        db.session.commit()
    assert CHECKIN in client.get("/progress").get_data(as_text=True)


def test_checkin_acknowledgement_is_post_only(client, signed_in):
    assert client.get("/progress/checkin").status_code == 405


# --- your data ------------------------------------------------------------------------


def test_export_json_holds_the_account_and_every_session(client, signed_in):
    save_profile(client, skin_type="oily", goal_slugs=["circulation"])
    save_skin_check(client, sunburn="y")
    log_session(client, completed_at="2025-03-01T19:30", notes="first", client_id="c-1")
    log_session(client, completed_at="2025-03-02T19:30", notes="second", discomfort="yes",
                discomfort_kind="redness", client_id="c-2")

    response = client.get("/account/export")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "ana@example.com"
    assert (data["account"]["skin_type"], data["account"]["goals"]) == ("oily", ["circulation"])
    assert data["account"]["skin_check"] == {"sunburn": []}
    assert "password" not in json.dumps(data).lower()
    assert [(s["notes"], s["completed_at_utc"], s["client_id"]) for s in data["sessions"]] == [
        ("first", "2025-03-01T19:30:00", "c-1"),
        ("second", "2025-03-02T19:30:00", "c-2"),
    ]
    assert data["sessions"][1]["discomfort_kind"] == "redness"
    assert data["sessions"][0]["routine"] == "quick-morning-depuff"


def test_export_csv_has_a_row_per_session_and_neutralises_formulas(client, signed_in):
    log_session(client, completed_at="2025-03-01T19:30", notes="=HYPERLINK(\"http://evil.example\")")
    log_session(client, completed_at="2025-03-02T19:30", notes="+1 felt great, with a comma")
    log_session(client, completed_at="2025-03-03T19:30", notes="plain")

    response = client.get("/account/export/sessions.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 3
    assert [row["notes"] for row in rows] == [
        "'=HYPERLINK(\"http://evil.example\")",
        "'+1 felt great, with a comma",
        "plain",
    ]
    assert rows[0]["routine"] == "quick-morning-depuff"
    assert rows[0]["seconds_spent"] == "300"


def test_printable_summary_shows_routines_reactions_and_notes(client, signed_in):
    save_profile(client, skin_type="combination")
    log_session(client, routine="quick-jaw-and-cheek-wake-up", completed_at="2025-03-01T19:30", notes="tight jaw")
    log_session(client, routine="quick-jaw-and-cheek-wake-up", completed_at="2025-03-03T19:30")
    log_session(client, routine="serum-press-in", completed_at="2025-03-04T19:30", discomfort="yes",
                discomfort_kind="breakout", notes="<b>spots</b> on chin")

    page = client.get("/account/summary").get_data(as_text=True)
    assert "Facial massage practice: Ana" in page
    assert "Combination" in page
    assert re.search(r"<td>Quick jaw and cheek wake-up</td><td>2</td><td>10</td>", page)
    assert re.search(r"<td>Serum press-in[^<]*</td><td>1</td>", page)
    assert "A breakout after Serum press-in" in page
    assert "tight jaw" in page
    assert "&lt;b&gt;spots&lt;/b&gt; on chin" in page
    assert "<b>spots</b>" not in page


# --- deleting the account -------------------------------------------------------------


def test_delete_needs_the_right_password(app, client, signed_in):
    log_session(client)
    page = client.get("/account/delete").get_data(as_text=True)
    assert "all 1 logged session, for good" in page
    response = client.post("/account/delete", data={"password": "not my password"})
    assert response.status_code == 400
    assert "That password isn&#39;t right." in response.get_data(as_text=True)
    assert count_rows(app, User) == 1
    assert count_rows(app, SessionLog) == 1


def test_delete_removes_the_account_and_every_log_and_nobody_elses(app, client, auth):
    auth.register(email="stays@example.com")
    log_session(client, notes="not mine to delete")
    auth.logout()
    auth.register(email="leaves@example.com")
    for _ in range(3):
        log_session(client)
    leaving_id = the_user(app, "leaves@example.com").id

    action, fields = read_form(client.get("/account/delete").get_data(as_text=True), "")
    response = client.post("/account/delete", data=fill(fields, password=PASSWORD))
    assert response.headers["Location"] == "/"

    assert the_user(app, "leaves@example.com") is None
    assert count_rows(app, SessionLog, user_id=leaving_id) == 0
    assert count_rows(app, SessionLog) == 1
    assert count_rows(app, User) == 1
    assert client.get("/progress").status_code == 302  # signed out
    assert auth.login(email="leaves@example.com").status_code == 400
