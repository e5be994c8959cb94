"""Times as people live them (issue 20): zones, daylight saving, the future, Back, exports.

The first tests are the issue's six examples, with its own values; then the kinds they
stand for: typed times in DST gaps and repeats (both hemispheres, odd offsets), the offline
queue's clock, and property tests of the time model in app/timezones.py.
"""

import codecs
import csv
import io
import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from functools import cache

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.extensions import db
from app.models import Routine, SessionLog, User
from app.timezones import (
    CLOCK_SKEW,
    ahead_in_every_zone,
    from_local,
    from_local_keeping,
    is_ahead,
    offset_label,
    to_local,
    wall_time,
)
from tests.conftest import (
    fill,
    log_form,
    log_session,
    read_form,
    save_profile,
)

DONE = "/routines/quick-morning-depuff/play/done?spent=347"
ODD_ZONES = ["Asia/Kathmandu", "Pacific/Kiritimati", "Australia/Lord_Howe"]
DST_ZONES = ["America/New_York", "Europe/London", "Australia/Sydney", "America/Santiago", "Pacific/Chatham"]
ZONES = ["UTC", *ODD_ZONES, *DST_ZONES]


@pytest.fixture
def signed_in(auth):
    auth.register()
    return auth


def the_log(app, log_id: int) -> SessionLog:
    with app.app_context():
        log = db.session.get(SessionLog, log_id)
        db.session.expunge(log)
        return log


def all_logs(app) -> list[SessionLog]:
    with app.app_context():
        logs = db.session.scalars(select(SessionLog).order_by(SessionLog.id)).all()
        db.session.expunge_all()
        return logs


def edit_form(client, log_id: int):
    return read_form(client.get(f"/sessions/{log_id}/edit").get_data(as_text=True), f"/sessions/{log_id}/edit")


def log_id_from(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.fullmatch(r"/sessions/(\d+)", response.headers["Location"]).group(1))


def freeze(time_machine, moment: datetime) -> None:
    time_machine.move_to(moment.replace(tzinfo=UTC), tick=False)


@pytest.fixture
def signed_in_at(auth, time_machine):
    """Sign in at a given time (a session cookie from later than now would not be valid then)."""

    def sign_in(moment: datetime):
        freeze(time_machine, moment)
        auth.register()

    return sign_in


# --- 1. An edit in the repeated daylight-saving hour moves the session ------------------


def test_example_1_an_edit_in_the_repeated_hour_keeps_the_session(app, client, signed_in):
    log_id = log_session(client, completed_at="2025-11-02T06:30")
    save_profile(client, time_zone="America/New_York")

    action, fields = edit_form(client, log_id)
    assert fields["completed_at"] == "2025-11-02T01:30"  # the second 01:30 that night
    assert client.post(action, data=fill(fields, notes="Only the notes changed")).status_code == 302

    log = the_log(app, log_id)
    assert (log.completed_at, log.notes) == (datetime(2025, 11, 2, 6, 30), "Only the notes changed")


def test_example_1_an_edit_keeps_the_seconds(app, client, signed_in_at, time_machine):
    signed_in_at(datetime(2026, 3, 5, 19, 4, 37, 250000))
    log_id = log_session(client, completed_at="")  # "right now", to the microsecond
    freeze(time_machine, datetime(2026, 3, 5, 20, 0))

    action, fields = edit_form(client, log_id)
    assert fields["completed_at"] == "2026-03-05T19:04"
    client.post(action, data=fill(fields, skin_feel="2"))
    assert the_log(app, log_id).completed_at == datetime(2026, 3, 5, 19, 4, 37, 250000)


# --- 2. Sessions in the future are accepted ---------------------------------------------


def test_example_2_a_session_two_days_ahead_is_refused(app, client, signed_in_at, time_machine):
    signed_in_at(datetime(2026, 11, 30, 23, 25))
    response = client.post("/sessions/new", data=log_form(completed_at="2026-12-02T21:25"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "That&#39;s in the future: log a session once you&#39;ve done it." in page
    assert all_logs(app) == []
    assert "Nothing logged yet." in client.get("/progress").get_data(as_text=True)


@pytest.mark.parametrize(
    ("zone_name", "within", "beyond"),
    [
        # At 23:25 UTC on Monday 30 November 2026, the person's now, plus 10 minutes of skew.
        ("UTC", "2026-11-30T23:35", "2026-11-30T23:36"),
        ("America/New_York", "2026-11-30T18:35", "2026-11-30T18:36"),
        ("Asia/Kathmandu", "2026-12-01T05:20", "2026-12-01T05:21"),
        ("Pacific/Kiritimati", "2026-12-01T13:35", "2026-12-01T13:36"),
        ("Australia/Lord_Howe", "2026-12-01T10:35", "2026-12-01T10:36"),
    ],
)
def test_now_is_the_persons_now_with_ten_minutes_of_skew(app, client, signed_in_at, time_machine, zone_name,
                                                          within, beyond):
    signed_in_at(datetime(2026, 11, 30, 23, 25))
    save_profile(client, time_zone=zone_name)
    assert client.post("/sessions/new", data=log_form(completed_at=beyond)).status_code == 400
    log_id = log_session(client, completed_at=within)
    assert the_log(app, log_id).completed_at == datetime(2026, 11, 30, 23, 35)


def test_an_edit_into_the_future_is_refused_too(app, client, signed_in_at, time_machine):
    signed_in_at(datetime(2026, 11, 30, 23, 25))
    log_id = log_session(client, completed_at="2026-11-30T20:00")
    action, fields = edit_form(client, log_id)
    assert client.post(action, data=fill(fields, completed_at="2026-12-01T09:00")).status_code == 400
    assert the_log(app, log_id).completed_at == datetime(2026, 11, 30, 20, 0)


# --- 3. A time typed before signing in is read in the wrong zone ------------------------


@pytest.fixture
def new_yorker_signed_out(client, auth):
    auth.register(email="ny@example.com")
    save_profile(client, time_zone="America/New_York")
    auth.logout()
    return auth


def log_from_done_page(client, **answers):
    action, fields = read_form(client.get(DONE).get_data(as_text=True), DONE)
    return client.post(action, data=fill(fields, skin_feel="4", **answers))


def test_example_3_a_visitors_time_is_read_in_their_accounts_zone_at_sign_in(app, client, new_yorker_signed_out):
    assert log_from_done_page(client, completed_at="2025-01-15T21:00").headers["Location"] == "/auth/login"
    log_id = log_id_from(new_yorker_signed_out.login(email="ny@example.com"))

    page = client.get(f"/sessions/{log_id}").get_data(as_text=True)
    assert "Wednesday 15 January 2025, 21:00 (America/New_York)" in page
    log = the_log(app, log_id)
    assert (log.completed_at, log.time_zone) == (datetime(2025, 1, 16, 2, 0), "America/New_York")


def test_example_3_with_javascript_the_browsers_zone_reads_the_time(app, client, new_yorker_signed_out):
    # log-form.js puts the browser's zone in the form's time_zone field.
    log_from_done_page(client, completed_at="2025-01-15T21:00", time_zone="Asia/Tokyo")
    log_id = log_id_from(new_yorker_signed_out.login(email="ny@example.com"))

    log = the_log(app, log_id)
    assert (log.completed_at, log.time_zone) == (datetime(2025, 1, 15, 12, 0), "Asia/Tokyo")
    page = client.get(f"/sessions/{log_id}").get_data(as_text=True)
    assert "Wednesday 15 January 2025, 07:00 (America/New_York); Wed 15 Jan, 21:00 where you were (Asia/Tokyo)" in page


def test_an_unknown_browser_zone_falls_back_to_the_account(app, client, new_yorker_signed_out):
    log_from_done_page(client, completed_at="2025-01-15T21:00", time_zone="Mars/Olympus_Mons")
    log = the_log(app, log_id_from(new_yorker_signed_out.login(email="ny@example.com")))
    assert (log.completed_at, log.time_zone) == (datetime(2025, 1, 16, 2, 0), "America/New_York")


def test_a_browser_on_a_fixed_offset_zone_is_understood(app, client, new_yorker_signed_out):
    log_from_done_page(client, completed_at="2025-01-15T21:00", time_zone="Etc/GMT-3")  # POSIX sign: UTC+3
    log = the_log(app, log_id_from(new_yorker_signed_out.login(email="ny@example.com")))
    assert (log.completed_at, log.time_zone) == (datetime(2025, 1, 15, 18, 0), "Etc/GMT-3")


def test_a_visitor_typing_a_time_ahead_everywhere_is_told_at_once(app, client, time_machine):
    freeze(time_machine, datetime(2026, 11, 30, 23, 25))
    response = log_from_done_page(client, completed_at="2026-12-01T14:00")  # 14:35 ahead of UTC
    assert response.status_code == 400
    assert "in the future" in response.get_data(as_text=True)


def test_a_visitors_time_ahead_in_their_accounts_zone_is_kept_at_now_and_flagged(app, client, new_yorker_signed_out,
                                                                                 time_machine):
    freeze(time_machine, datetime(2026, 11, 30, 23, 25))
    log_from_done_page(client, completed_at="2026-12-01T09:00")  # now somewhere east, not in New York
    log = the_log(app, log_id_from(new_yorker_signed_out.login(email="ny@example.com")))
    assert (log.completed_at, log.clock_ahead) == (datetime(2026, 11, 30, 23, 25), True)


# --- 4. The browser and the server count a note differently -----------------------------


def note_as_posted(length: int, line_breaks: int, emoji: int = 0) -> str:
    """A note of `length` characters as a browser counts them (a line break once, an emoji
    twice), posted as a browser posts it: line breaks as CRLF."""
    plain = length - line_breaks - 2 * emoji
    lines = ["x" * (plain // (line_breaks + 1))] * (line_breaks + 1)
    lines[0] += "x" * (plain % (line_breaks + 1)) + "🧖" * emoji
    return "\r\n".join(lines)


def test_example_4_a_note_the_browser_allows_is_stored(app, client, signed_in):
    note = note_as_posted(999, line_breaks=24)
    assert len(note) == 1023
    log_id = log_session(client, notes=note)
    assert the_log(app, log_id).notes == note.replace("\r\n", "\n")


@pytest.mark.parametrize(
    ("length", "line_breaks", "emoji", "stored"),
    [(1000, 24, 0, True), (1001, 24, 0, False), (1000, 0, 500, True), (1001, 0, 500, False), (1001, 3, 100, False)],
)
def test_notes_are_counted_as_the_browser_counts_them(app, client, signed_in, length, line_breaks, emoji, stored):
    response = client.post("/sessions/new", data=log_form(notes=note_as_posted(length, line_breaks, emoji)))
    assert (response.status_code == 302) is stored
    if not stored:
        assert "Field cannot be longer than 1000 characters." in response.get_data(as_text=True)


# --- 5. Back, then submit again, logs twice ---------------------------------------------


def test_example_5_the_done_page_fetched_again_stores_once(app, client, signed_in):
    first_fetch = read_form(client.get(DONE).get_data(as_text=True), DONE)
    second_tab = read_form(client.get(DONE).get_data(as_text=True), DONE)
    assert first_fetch[1]["client_id"] == second_tab[1]["client_id"]

    action, fields = first_fetch
    stored = client.post(action, data=fill(fields, skin_feel="4")).headers["Location"]
    page = client.get(DONE).get_data(as_text=True)  # Back: fetched again, not restored
    assert "Logged already" in page
    action, fields = read_form(page, DONE)
    assert client.post(action, data=fill(fields, skin_feel="4")).headers["Location"] == stored
    action, fields = second_tab
    assert client.post(action, data=fill(fields, skin_feel="5")).headers["Location"] == stored
    assert len(all_logs(app)) == 1


def test_logging_another_play_of_the_routine_is_one_click_away(app, client, signed_in):
    action, fields = read_form(client.get(DONE).get_data(as_text=True), DONE)
    client.post(action, data=fill(fields, skin_feel="4"))
    another = re.search(r'href="([^"]*after=\d+[^"]*)"', client.get(DONE).get_data(as_text=True)).group(1)
    action, fields = read_form(client.get(another.replace("&amp;", "&")).get_data(as_text=True), DONE)
    client.post(action, data=fill(fields, skin_feel="5"))
    assert [log.skin_feel for log in all_logs(app)] == [4, 5]


def test_after_half_an_hour_the_done_page_is_a_fresh_form(app, client, signed_in_at, time_machine):
    signed_in_at(datetime(2026, 6, 1, 7, 0))
    action, fields = read_form(client.get(DONE).get_data(as_text=True), DONE)
    client.post(action, data=fill(fields, skin_feel="4"))
    freeze(time_machine, datetime(2026, 6, 1, 19, 0))  # the evening session
    page = client.get(DONE).get_data(as_text=True)
    assert "Logged already" not in page
    action, fields = read_form(page, DONE)
    client.post(action, data=fill(fields, skin_feel="5"))
    assert len(all_logs(app)) == 2


# --- 6. The CSV export garbles accents in a spreadsheet ---------------------------------


def test_example_6_the_csv_has_a_byte_order_mark_and_each_sessions_zone(client, signed_in):
    save_profile(client, time_zone="Europe/Paris")
    log_session(client, completed_at="2025-03-01T19:30", notes="Peau sèche ce soir")

    body = client.get("/account/export/sessions.csv").get_data()
    assert body.startswith(codecs.BOM_UTF8)
    assert "sÃ¨che" in body.decode("cp1252", errors="replace")  # what Excel showed without the mark
    [row] = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert row["notes"] == "Peau sèche ce soir"
    assert (row["completed_at_utc"], row["completed_at_local"], row["time_zone"]) == (
        "2025-03-01T18:30:00", "2025-03-01T19:30:00+01:00", "Europe/Paris")


def test_the_json_export_stays_plain_utf8_with_each_sessions_zone(client, signed_in):
    save_profile(client, time_zone="Asia/Kathmandu")
    log_session(client, completed_at="2025-03-01T19:30", notes="Peau sèche")
    body = client.get("/account/export").get_data()
    assert not body.startswith(codecs.BOM_UTF8)
    assert "Peau sèche".encode() in body
    [session] = json.loads(body)["sessions"]
    assert (session["completed_at_utc"], session["completed_at_local"], session["time_zone"]) == (
        "2025-03-01T13:45:00", "2025-03-01T19:30:00+05:45", "Asia/Kathmandu")
    assert session["clock_ahead"] is False


# --- Typed times that did not exist, or happened twice: resolved, and the person told ---


@pytest.mark.parametrize(
    ("zone_name", "typed", "stored", "message"),
    [
        # Northern hemisphere: spring forward in March, fall back in November.
        ("America/New_York", "2025-03-09T02:30", datetime(2025, 3, 9, 7, 30),
         "02:30 did not happen on 09 Mar 2025 in America/New York: the clocks went forward. "
         "We saved 03:30, the same time after the change."),
        ("America/New_York", "2025-11-02T01:30", datetime(2025, 11, 2, 5, 30),
         "01:30 happened twice on 02 Nov 2025 in America/New York: the clocks went back. "
         "We saved the first 01:30 (UTC-4), before the change."),
        ("Europe/London", "2025-03-30T01:15", datetime(2025, 3, 30, 1, 15), "01:15 did not happen on 30 Mar 2025"),
        ("Europe/London", "2025-10-26T01:15", datetime(2025, 10, 26, 0, 15), "01:15 happened twice on 26 Oct 2025"),
        # Southern hemisphere: spring forward in October, fall back in April.
        ("Australia/Sydney", "2025-10-05T02:30", datetime(2025, 10, 4, 16, 30), "We saved 03:30"),
        ("Australia/Sydney", "2025-04-06T02:30", datetime(2025, 4, 5, 15, 30), "We saved the first 02:30 (UTC+11)"),
        ("America/Santiago", "2025-09-07T00:30", datetime(2025, 9, 7, 4, 30), "We saved 01:30"),
        # Lord Howe Island moves its clocks by half an hour.
        ("Australia/Lord_Howe", "2025-10-05T02:15", datetime(2025, 10, 4, 15, 45), "We saved 02:45"),
        ("Australia/Lord_Howe", "2025-04-06T01:45", datetime(2025, 4, 5, 14, 45), "We saved the first 01:45 (UTC+11)"),
    ],
)
def test_a_typed_time_in_a_dst_gap_or_repeat_is_resolved_and_explained(app, client, signed_in, zone_name, typed,
                                                                       stored, message):
    save_profile(client, time_zone=zone_name)
    response = client.post("/sessions/new", data=log_form(completed_at=typed), follow_redirects=True)
    assert message in response.get_data(as_text=True)
    [log] = all_logs(app)
    assert log.completed_at == stored


@pytest.mark.parametrize(
    ("zone_name", "label"),
    [("Asia/Kathmandu", "UTC+5:45"), ("Pacific/Kiritimati", "UTC+14"), ("America/St_Johns", "UTC-3:30"),
     ("UTC", "UTC+0")],
)
def test_offsets_read_as_people_write_them(zone_name, label):
    assert offset_label(to_local(datetime(2025, 1, 15), zone_name).utcoffset()) == label


def test_an_ordinary_time_brings_no_dst_message(client, signed_in):
    save_profile(client, time_zone="America/New_York")
    page = client.post("/sessions/new", data=log_form(completed_at="2025-03-09T03:30"), follow_redirects=True)
    assert "clocks" not in page.get_data(as_text=True)


def test_an_edit_into_a_gap_is_explained(app, client, signed_in):
    save_profile(client, time_zone="America/New_York")
    log_id = log_session(client, completed_at="2025-03-08T20:00")
    action, fields = edit_form(client, log_id)
    page = client.post(action, data=fill(fields, completed_at="2025-03-09T02:10"), follow_redirects=True)
    assert "02:10 did not happen on 09 Mar 2025" in page.get_data(as_text=True)
    assert the_log(app, log_id).completed_at == datetime(2025, 3, 9, 7, 10)


def test_a_visitors_gap_time_is_explained_at_sign_in(app, client, new_yorker_signed_out):
    log_from_done_page(client, completed_at="2025-03-09T02:30")
    response = new_yorker_signed_out.login(email="ny@example.com")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "02:30 did not happen on 09 Mar 2025 in America/New York" in page
    assert all_logs(app)[0].completed_at == datetime(2025, 3, 9, 7, 30)


# --- The offline queue: a device clock ahead is accepted and flagged, never lost --------


def test_a_queued_log_from_a_clock_ahead_is_stored_at_now_and_flagged(app, client, signed_in_at, time_machine):
    signed_in_at(datetime(2026, 11, 30, 23, 25))
    ahead = log_form(completed_at="2026-12-01T02:00", queued="1")
    log_id = log_session(client, **ahead)
    log = the_log(app, log_id)
    assert (log.completed_at, log.clock_ahead) == (datetime(2026, 11, 30, 23, 25), True)
    assert "the device's clock was ahead" in client.get(f"/sessions/{log_id}").get_data(as_text=True)
    # The queue retrying the same log stores nothing more.
    assert log_id_from(client.post("/sessions/new", data=ahead)) == log_id
    assert len(all_logs(app)) == 1


def test_a_queued_log_within_the_skew_keeps_its_time(app, client, signed_in_at, time_machine):
    signed_in_at(datetime(2026, 11, 30, 23, 25))
    log = the_log(app, log_session(client, completed_at="2026-11-30T23:30", queued="1"))
    assert (log.completed_at, log.clock_ahead) == (datetime(2026, 11, 30, 23, 30), False)


# --- The stored zone: new logs, and logs from before the column -------------------------


def test_a_new_log_keeps_the_zone_it_was_logged_in(app, client, signed_in):
    save_profile(client, time_zone="Pacific/Kiritimati")
    log_id = log_session(client, completed_at="2025-06-01T08:00")
    save_profile(client, time_zone="Europe/London")
    log = the_log(app, log_id)
    assert (log.completed_at, log.time_zone) == (datetime(2025, 5, 31, 18, 0), "Pacific/Kiritimati")


# --- Property tests of the time model ----------------------------------------------------


def offset_at(zone_name: str, moment: datetime) -> timedelta:
    return to_local(moment, zone_name).utcoffset()


@cache
def transitions(zone_name: str) -> list[datetime]:
    """The hours (naive UTC) in which the zone's UTC offset changed, 2022 to 2025."""
    days = [datetime(2022, 1, 1) + timedelta(days=day) for day in range(4 * 365)]
    found = []
    for day in days:
        if offset_at(zone_name, day) != offset_at(zone_name, day + timedelta(days=1)):
            hours = [day + timedelta(hours=hour) for hour in range(25)]
            found += [b for a, b in zip(hours, hours[1:], strict=False)
                      if offset_at(zone_name, a) != offset_at(zone_name, b)]
    return found


CHANGES = {name: transitions(name) for name in [*DST_ZONES, "Australia/Lord_Howe"]}
zones = st.sampled_from(ZONES)
any_instant = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 31))
past_instant = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2025, 12, 31))
near_change = st.sampled_from(sorted(CHANGES)).flatmap(
    lambda name: st.tuples(
        st.just(name),
        st.sampled_from(CHANGES[name]).flatmap(
            lambda change: st.integers(-3 * 3600, 3 * 3600).map(lambda s: change + timedelta(seconds=s, microseconds=s))
        ),
    )
)
zone_and_instant = st.one_of(st.tuples(zones, any_instant), near_change)
zone_and_past_instant = st.one_of(st.tuples(zones, past_instant), near_change)


@given(zone_and_instant)
def test_a_time_shown_in_a_form_and_sent_back_keeps_its_instant(case):
    zone_name, instant = case
    kept = from_local_keeping(wall_time(instant, zone_name), zone_name, instant)
    assert (kept.utc, kept.note) == (instant, None)


@given(zones, st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 31)))
def test_a_typed_time_shows_as_typed_unless_the_clocks_skipped_it(zone_name, wall):
    resolved = from_local(wall, zone_name)
    shown = to_local(resolved.utc, zone_name).replace(tzinfo=None)
    if resolved.note is None or "happened twice" in resolved.note:
        assert shown == wall
    else:  # moved on by exactly the gap: the offset after the change less the one before
        before = to_local(resolved.utc - timedelta(hours=3), zone_name).utcoffset()
        assert "did not happen" in resolved.note
        assert shown - wall == to_local(resolved.utc, zone_name).utcoffset() - before > timedelta(0)


@given(near_change)
def test_a_repeated_wall_time_is_the_first_of_the_two(case):
    zone_name, instant = case
    wall = to_local(instant, zone_name).replace(tzinfo=None)
    resolved = from_local(wall, zone_name)
    assert resolved.utc <= instant
    if resolved.utc != instant:  # the second of the two: the hour (or half hour) the clocks went back
        assert "happened twice" in resolved.note
        assert instant - resolved.utc == offset_at(zone_name, resolved.utc) - offset_at(zone_name, instant)


@given(zones, any_instant, st.integers(-86400, 86400))
def test_ahead_means_more_than_the_skew_past_now(zone_name, now, seconds):
    moment = now + timedelta(seconds=seconds)
    assert is_ahead(moment, now) is (timedelta(seconds=seconds) > CLOCK_SKEW)


@given(st.datetimes(min_value=datetime(2000, 1, 2), max_value=datetime(2037, 12, 30)), any_instant)
def test_a_time_ahead_in_every_zone_is_ahead_in_each(wall, now):
    if ahead_in_every_zone(wall, now):
        assert all(is_ahead(from_local(wall, name).utc, now) for name in ZONES)


# The real edit form, through HTTP: a stored time, shown and posted back, changes nothing.
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=zone_and_past_instant)
@example(case=("America/New_York", datetime(2000, 1, 1)))  # shown as 1999: before the form's earliest date
def test_the_edit_form_posted_back_unchanged_changes_nothing(app, client, case):
    zone_name, instant = case
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "round@example.com"))
    if user is None:
        client.post("/auth/register", data={"email": "round@example.com", "password": "a long enough passphrase",
                                            "confirm": "a long enough passphrase"})
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "round@example.com"))
        user.time_zone = zone_name
        routine_id = db.session.scalar(select(Routine.id).limit(1))
        log = SessionLog(user=user, routine_id=routine_id, client_id=uuid.uuid4().hex, completed_at=instant,
                         time_zone=zone_name, seconds_spent=347, skin_feel=3, notes="line one\nline two")
        db.session.add(log)
        db.session.commit()
        log_id = log.id
    action, fields = edit_form(client, log_id)
    assert client.post(action, data=fields).status_code == 302
    after = the_log(app, log_id)
    assert (after.completed_at, after.seconds_spent, after.skin_feel, after.notes) == (
        instant, 347, 3, "line one\nline two")
