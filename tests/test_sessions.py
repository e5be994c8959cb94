"""The session log: log by hand or from the player, history, view, edit and delete."""

import re
from datetime import datetime, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app.content import safety_copy
from app.extensions import db
from app.models import Routine, SessionLog, User
from app.timezones import utc_now
from tests.conftest import fill, log_form, log_session, read_form, save_profile


def stored_logs(app) -> list[SessionLog]:
    with app.app_context():
        logs = db.session.scalars(select(SessionLog).order_by(SessionLog.id)).all()
        db.session.expunge_all()
        return logs


def count_logs(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(SessionLog.id)))


def discomfort_copy(app, kind: str) -> dict:
    with app.app_context():
        return {key: str(escape(text)) for key, text in safety_copy()["discomfort"][kind].items()}


@pytest.fixture
def signed_in(auth):
    auth.register()
    return auth


def test_log_a_session_by_hand(app, client, signed_in):
    page = client.get("/sessions/new").get_data(as_text=True)
    action, fields = read_form(page, "/sessions/new")
    assert fields["client_id"]
    fill(fields, routine="quick-jaw-and-cheek-wake-up", minutes="7", skin_feel="5", completed_at="2025-05-04T21:15",
         notes="Jaw felt looser.")

    response = client.post(action, data=fields, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Session logged. Well done." in page
    assert "Sunday 04 May 2025, 21:15 (UTC)" in page
    assert "7 min" in page
    assert "5 out of 5" in page
    assert "Jaw felt looser." in page

    [log] = stored_logs(app)
    assert (log.seconds_spent, log.skin_feel, log.discomfort, log.discomfort_kind) == (420, 5, False, None)
    assert log.completed_at == datetime(2025, 5, 4, 21, 15)
    assert log.client_id == fields["client_id"]


def test_leaving_the_time_empty_means_now(app, client, signed_in):
    log_session(client, completed_at="")
    [log] = stored_logs(app)
    assert abs(utc_now() - log.completed_at) < timedelta(minutes=1)


FAR_FUTURE = (datetime.now() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("routine", "", "Choose the routine you did."),
        ("routine", "no-such-routine", "Not a valid choice."),
        ("minutes", "0", "Between 1 and 240 minutes."),
        ("minutes", "241", "Between 1 and 240 minutes."),
        ("minutes", "abc", "Not a valid integer value."),
        ("minutes", "", "How many minutes?"),
        ("skin_feel", "6", "Not a valid choice."),
        ("skin_feel", "", "Pick 1 to 5."),
        ("discomfort_kind", "itching", "Not a valid choice."),
        ("notes", "x" * 1001, "Field cannot be longer than 1000 characters."),
        ("completed_at", FAR_FUTURE, "That&#39;s in the future"),
        ("completed_at", "1999-12-31T23:00", "That date is too far back."),
        ("completed_at", "yesterday", "Not a valid datetime value."),
    ],
)
def test_each_field_is_checked(app, client, signed_in, field, value, message):
    response = client.post("/sessions/new", data=log_form(**{field: value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    errors = " ".join(re.findall(r'<p class="field-error" id="([\w-]+)-error">(.*?)</p>', page)[0])
    assert errors.startswith(field)
    assert message in errors
    assert count_logs(app) == 0


def test_discomfort_needs_a_kind(app, client, signed_in):
    response = client.post("/sessions/new", data=log_form(discomfort="yes", discomfort_kind=""))
    assert response.status_code == 400
    assert "Tell us what kind, so we can suggest what to do." in response.get_data(as_text=True)
    assert count_logs(app) == 0


def test_a_kind_without_discomfort_is_not_stored(app, client, signed_in):
    log_session(client, discomfort="no", discomfort_kind="pain")
    [log] = stored_logs(app)
    assert (log.discomfort, log.discomfort_kind) == (False, None)


def test_the_form_keeps_what_was_typed_after_an_error(client, signed_in):
    page = client.post("/sessions/new", data=log_form(minutes="0", notes="Keep me")).get_data(as_text=True)
    _, fields = read_form(page, "/sessions/new")
    assert fields["notes"] == "Keep me"
    assert fields["skin_feel"] == "4"
    assert fields["routine"] == "quick-morning-depuff"


def test_a_doubled_post_stores_one_session(app, client, signed_in):
    data = log_form(client_id="double-tap-1")
    first = client.post("/sessions/new", data=data)
    second = client.post("/sessions/new", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert count_logs(app) == 1


def test_the_same_client_id_from_two_people_is_two_sessions(app, client, auth):
    auth.register(email="ana@example.com")
    log_session(client, client_id="shared-id")
    auth.logout()
    auth.register(email="bea@example.com")
    log_session(client, client_id="shared-id")
    assert count_logs(app) == 2


# --- anonymous, then sign in ----------------------------------------------------------


def log_anonymously(client, **overrides):
    response = client.post("/sessions/new", data=log_form(**overrides))
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    page = client.get("/auth/login").get_data(as_text=True)
    assert "the session you just finished is saved straight after" in page
    return response


def assert_saved_for(app, response, email: str, notes: str):
    assert response.status_code == 302
    log_id = int(re.fullmatch(r"/sessions/(\d+)", response.headers["Location"]).group(1))
    with app.app_context():
        log = db.session.get(SessionLog, log_id)
        assert log.user.email == email
        assert log.notes == notes
        assert log.completed_at == datetime(2025, 5, 4, 20, 0)


def test_a_visitor_who_logs_then_registers_keeps_the_session(app, client, auth):
    log_anonymously(client, notes="Before I had an account", completed_at="2025-05-04T20:00")
    assert count_logs(app) == 0

    response = auth.register(email="new@example.com")
    assert_saved_for(app, response, "new@example.com", "Before I had an account")
    assert "Your session is saved." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert count_logs(app) == 1


def test_a_visitor_who_logs_then_signs_in_keeps_the_session(app, client, auth):
    auth.register(email="back@example.com")
    auth.logout()
    log_anonymously(client, notes="Signed in afterwards", completed_at="2025-05-04T20:00")

    response = auth.login(email="back@example.com")
    assert_saved_for(app, response, "back@example.com", "Signed in afterwards")

    # Saved once: signing in again later lands on Today and stores nothing more.
    auth.logout()
    assert auth.login(email="back@example.com").headers["Location"] == "/"
    assert count_logs(app) == 1


def test_a_failed_sign_in_keeps_the_waiting_session(app, client, auth):
    auth.register(email="back@example.com")
    auth.logout()
    log_anonymously(client, notes="Typo first", completed_at="2025-05-04T20:00")
    assert auth.login(email="back@example.com", password="wrong password!").status_code == 400
    assert_saved_for(app, auth.login(email="back@example.com"), "back@example.com", "Typo first")


def test_anonymous_visitors_see_no_history(client):
    assert client.get("/sessions").headers["Location"].startswith("/auth/login")


# --- history --------------------------------------------------------------------------


def test_history_lists_newest_first_twenty_a_page(app, client, signed_in):
    # Logged out of order; 21 days in January.
    log_ids = [log_session(client, completed_at=f"2025-01-{day:02d}T20:00", client_id=f"jan-{day}")
               for day in [5, 1, 21, *range(2, 5), *range(6, 21)]]

    first = client.get("/sessions").get_data(as_text=True)
    dates = re.findall(r"\w{3} (\d{2}) Jan 2025, 20:00", first)
    assert dates == [f"{day:02d}" for day in range(21, 1, -1)]
    assert "Page 1 of 2" in first
    assert 'href="/sessions?page=2"' in first

    second = client.get("/sessions?page=2").get_data(as_text=True)
    assert re.findall(r"\w{3} (\d{2}) Jan 2025, 20:00", second) == ["01"]
    assert 'href="/sessions?page=1"' in second

    assert client.get("/sessions?page=3").status_code == 404

    # The page count follows deletions and undo (it comes from the stored summary, not a COUNT).
    client.post(f"/sessions/{log_ids[0]}/delete", data={"confirmed": "yes"})
    assert "Page 1 of" not in client.get("/sessions").get_data(as_text=True)
    assert client.get("/sessions?page=2").status_code == 404
    action, fields = read_form(client.get("/sessions").get_data(as_text=True), "/sessions/undo")
    client.post(action, data=fields)
    assert "Page 1 of 2" in client.get("/sessions").get_data(as_text=True)
    # Not a page number, or one no database integer holds: not found either, never a 500.
    for page in ["0", "-1", "two", "²", "9" * 40]:
        assert client.get(f"/sessions?page={page}").status_code == 404, page


def test_empty_history_suggests_a_first_routine(client, signed_in):
    page = client.get("/sessions").get_data(as_text=True)
    assert "No sessions yet." in page


def test_history_and_detail_show_times_in_the_users_zone(app, client, signed_in):
    save_profile(client, time_zone="Asia/Tokyo")
    log_id = log_session(client, completed_at="2025-01-10T08:00")
    [log] = stored_logs(app)
    assert log.completed_at == datetime(2025, 1, 9, 23, 0)  # stored in UTC
    assert "Fri 10 Jan 2025, 08:00" in client.get("/sessions").get_data(as_text=True)
    assert "Friday 10 January 2025, 08:00 (Asia/Tokyo)" in client.get(f"/sessions/{log_id}").get_data(as_text=True)


# --- edit and delete ------------------------------------------------------------------


def test_edit_keeps_the_client_id_and_converts_the_time_zone(app, client, signed_in):
    save_profile(client, time_zone="Asia/Tokyo")
    log_id = log_session(client, completed_at="2025-01-10T08:00", client_id="original-id")

    page = client.get(f"/sessions/{log_id}/edit").get_data(as_text=True)
    action, fields = read_form(page, f"/sessions/{log_id}/edit")
    assert fields["completed_at"] == "2025-01-10T08:00"  # shown in Tokyo time
    assert fields["minutes"] == "5"

    fill(fields, completed_at="2025-01-10T21:30", minutes="12", notes="Edited", client_id="someone-elses-id",
         discomfort="yes", discomfort_kind="pain")
    response = client.post(action, data=fields)
    assert response.headers["Location"] == f"/sessions/{log_id}"

    [log] = stored_logs(app)
    assert log.client_id == "original-id"
    assert log.completed_at == datetime(2025, 1, 10, 12, 30)
    assert (log.seconds_spent, log.notes, log.discomfort_kind) == (720, "Edited", "pain")


def test_editing_other_answers_keeps_the_players_exact_seconds(app, client, signed_in):
    page = client.get(PLAYER_DONE).get_data(as_text=True)
    action, fields = read_form(page, PLAYER_DONE)
    fields["skin_feel"] = "3"
    log_id = int(client.post(action, data=fields).headers["Location"].rsplit("/", 1)[1])

    action, fields = read_form(client.get(f"/sessions/{log_id}/edit").get_data(as_text=True),
                               f"/sessions/{log_id}/edit")
    fields["notes"] = "Only the notes changed"
    client.post(action, data=fields)
    [log] = stored_logs(app)
    assert (log.seconds_spent, log.notes) == (347, "Only the notes changed")


def test_edit_with_errors_changes_nothing(app, client, signed_in):
    log_id = log_session(client, minutes="5")
    response = client.post(f"/sessions/{log_id}/edit", data=log_form(minutes="0"))
    assert response.status_code == 400
    assert stored_logs(app)[0].seconds_spent == 300


def test_delete_a_session(app, client, signed_in):
    log_id = log_session(client)
    detail = client.get(f"/sessions/{log_id}").get_data(as_text=True)
    action, fields = read_form(detail, f"/sessions/{log_id}/delete")
    asked = client.post(action, data=fields)  # first: are you sure?
    assert asked.status_code == 200 and "Delete this session?" in asked.get_data(as_text=True)
    assert count_logs(app) == 1
    action, fields = read_form(asked.get_data(as_text=True), f"/sessions/{log_id}/delete")
    response = client.post(action, data=fields)
    assert response.headers["Location"] == "/sessions"
    assert "Session deleted." in client.get("/sessions").get_data(as_text=True)
    assert count_logs(app) == 0
    assert client.get(f"/sessions/{log_id}").status_code == 404


def test_deleting_is_post_only(app, client, signed_in):
    log_id = log_session(client)
    assert client.get(f"/sessions/{log_id}/delete").status_code == 405
    assert count_logs(app) == 1


def test_notes_with_html_come_back_escaped(client, signed_in):
    log_id = log_session(client, notes='<script>alert("hi")</script><b>bold</b>')
    page = client.get(f"/sessions/{log_id}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page


def test_a_retired_routine_keeps_its_logs(app, client, signed_in):
    log_id = log_session(client, routine="quick-jaw-and-cheek-wake-up")
    with app.app_context():
        routine = db.session.scalar(select(Routine).where(Routine.slug == "quick-jaw-and-cheek-wake-up"))
        routine.retired = True
        db.session.commit()
    page = client.get(f"/sessions/{log_id}").get_data(as_text=True)
    assert "Quick jaw and cheek wake-up" in page
    assert client.get(f"/sessions/{log_id}/edit").status_code == 200
    assert count_logs(app) == 1


# --- discomfort -----------------------------------------------------------------------


def test_discomfort_brings_prominent_advice(app, client, signed_in):
    log_id = log_session(client, discomfort="yes", discomfort_kind="redness", completed_at="2025-05-01T20:00")
    page = client.get(f"/sessions/{log_id}").get_data(as_text=True)
    advice = discomfort_copy(app, "redness")
    assert 'role="alert"' in page
    assert "About the discomfort you noted" in page
    assert advice["advice"] in page
    assert advice["firmer"] not in page
    assert "When to see a dermatologist instead" in page
    assert "Redness that lasts" in page


def test_the_same_reaction_twice_in_a_row_gets_firmer_advice(app, client, signed_in):
    first = log_session(client, discomfort="yes", discomfort_kind="bruising", completed_at="2025-05-01T20:00")
    second = log_session(client, discomfort="yes", discomfort_kind="bruising", completed_at="2025-05-02T20:00")
    advice = discomfort_copy(app, "bruising")

    page = client.get(f"/sessions/{second}").get_data(as_text=True)
    assert "This has happened twice in a row" in page
    assert advice["firmer"] in page

    page = client.get(f"/sessions/{first}").get_data(as_text=True)  # the first time: the gentle advice
    assert advice["advice"] in page
    assert "twice in a row" not in page


def test_a_different_reaction_or_a_calm_session_between_keeps_advice_gentle(app, client, signed_in):
    log_session(client, discomfort="yes", discomfort_kind="pain", completed_at="2025-05-01T20:00")
    log_session(client, completed_at="2025-05-02T20:00")
    third = log_session(client, discomfort="yes", discomfort_kind="pain", completed_at="2025-05-03T20:00")
    fourth = log_session(client, discomfort="yes", discomfort_kind="breakout", completed_at="2025-05-04T20:00")
    assert "twice in a row" not in client.get(f"/sessions/{third}").get_data(as_text=True)
    page = client.get(f"/sessions/{fourth}").get_data(as_text=True)
    assert discomfort_copy(app, "breakout")["advice"] in page
    assert "twice in a row" not in page


def test_no_discomfort_shows_the_general_reminder_only(client, signed_in):
    page = client.get(f"/sessions/{log_session(client)}").get_data(as_text=True)
    assert 'role="alert"' not in page
    assert "See a professional." in page


# --- from the player ------------------------------------------------------------------

PLAYER_DONE = "/routines/quick-morning-depuff/play/done?spent=347"


def test_the_players_done_page_logs_the_exact_seconds(app, client, signed_in):
    response = client.get(PLAYER_DONE)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "in 5 min 47 s" in page
    action, fields = read_form(page, PLAYER_DONE)
    assert (fields["routine"], fields["seconds"], fields["minutes"]) == ("quick-morning-depuff", "347", "6")
    fields["skin_feel"] = "4"

    response = client.post(action, data=fields)
    assert response.status_code == 302
    [log] = stored_logs(app)
    assert log.seconds_spent == 347
    assert log.routine_id is not None
    # Submitting the same page again (a double tap, a retry) stores nothing more.
    assert client.post(action, data=fields).headers["Location"] == response.headers["Location"]
    assert count_logs(app) == 1


def test_changing_the_minutes_on_the_done_page_wins_over_the_measurement(app, client, signed_in):
    page = client.get(PLAYER_DONE).get_data(as_text=True)
    action, fields = read_form(page, PLAYER_DONE)
    fill(fields, skin_feel="4", minutes="10")
    client.post(action, data=fields)
    assert stored_logs(app)[0].seconds_spent == 600


def test_a_visitor_finishing_in_the_player_registers_and_keeps_the_exact_time(app, client, auth):
    page = client.get(PLAYER_DONE).get_data(as_text=True)
    action, fields = read_form(page, PLAYER_DONE)
    fields["skin_feel"] = "5"
    assert client.post(action, data=fields).headers["Location"] == "/auth/login"
    auth.register(email="player@example.com")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "player@example.com"))
        [log] = user.session_logs
        assert (log.seconds_spent, log.skin_feel, log.routine.slug) == (347, 5, "quick-morning-depuff")


@pytest.mark.parametrize("spent", ["", "0", "abc", "-5", "9999999"])
def test_the_done_page_copes_with_a_missing_or_odd_time(client, spent):
    response = client.get(f"/routines/quick-morning-depuff/play/done?spent={spent}")
    assert response.status_code == 200
    _, fields = read_form(response.get_data(as_text=True))  # a visitor's page: the log form is its only form
    assert fields["seconds"] == ""
    assert fields["minutes"] == "1"  # never empty: at least a minute is offered


def test_a_deleted_session_can_be_put_back_for_a_few_minutes(app, client, signed_in):
    log_id = log_session(client, notes="worth keeping", skin_feel="5")
    before = client.get("/progress").get_data(as_text=True)
    client.post(f"/sessions/{log_id}/delete", data={"confirmed": "yes"})
    history = client.get("/sessions").get_data(as_text=True)
    assert "Undo" in history and count_logs(app) == 0

    action, fields = read_form(history, "/sessions/undo")
    restored = client.post(action, data=fields)
    assert restored.status_code == 302 and count_logs(app) == 1
    page = client.get(restored.headers["Location"]).get_data(as_text=True)
    assert "Session put back." in page and "worth keeping" in page
    assert "1 of 4" in client.get("/progress").get_data(as_text=True) and "1 of 4" in before
    assert client.post("/sessions/undo", data=fields).headers["Location"] == "/sessions"  # nothing more to undo
    assert count_logs(app) == 1


def test_undo_ends_after_its_window(app, client, signed_in):
    log_id = log_session(client)
    client.post(f"/sessions/{log_id}/delete", data={"confirmed": "yes"})
    with client.session_transaction() as session:
        kept = session["undo_log"]
        kept["deleted_at"] = "2020-01-01T00:00:00"  # five minutes have long passed
        session["undo_log"] = kept
    assert "Undo" not in client.get("/sessions").get_data(as_text=True)
    client.post("/sessions/undo")
    assert count_logs(app) == 0

