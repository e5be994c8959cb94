"""Reminders without a push server (issue 17): a schedule, and a calendar feed of it that
calendar apps read correctly across daylight-saving changes."""

from datetime import UTC, date, datetime, time

import icalendar
import pytest
import recurring_ical_events
from sqlalchemy import select

from app.extensions import db
from app.models import Reminder
from app.reminders.calendar import Schedule, practice_calendar
from tests.conftest import PASSWORD, AuthActions, fill, log_session, make_test_app, read_form, save_profile

EVERY_DAY = [str(day) for day in range(7)]


def save_reminders(client, **answers):
    action, fields = read_form(client.get("/account/reminders").get_data(as_text=True), "/account/reminders")
    return client.post(action, data=fill(fields, **answers))


def feed_address(client) -> str:
    _, fields = read_form(client.get("/account/reminders").get_data(as_text=True), "/account/reminders/link")
    client.post("/account/reminders/link", data=fields)
    page = client.get("/account/reminders").get_data(as_text=True)
    start = page.index("http://localhost/calendar/")
    return page[start:page.index('"', start)].removeprefix("http://localhost")


def occurrences(body: bytes, start: date, end: date) -> list:
    return sorted((event for event in recurring_ical_events.of(icalendar.Calendar.from_ical(body)).between(start, end)),
                  key=lambda event: event["DTSTART"].dt if isinstance(event["DTSTART"].dt, datetime)
                  else datetime.combine(event["DTSTART"].dt, time(), tzinfo=UTC))


@pytest.fixture
def member(client, auth):
    auth.register()
    client.get("/")
    return client


def test_a_schedule_becomes_a_feed_at_a_secret_address(member):
    save_profile(member, time_zone="America/New_York")
    assert save_reminders(member, weekdays=["0", "2", "4"], time_of_day="21:30", minutes="15").status_code == 302
    address = feed_address(member)

    response = member.get(address)

    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "private, no-store"
    calendar = icalendar.Calendar.from_ical(response.data)
    [practice] = [event for event in calendar.walk("VEVENT") if "practice" in str(event["UID"])]
    assert str(practice["RRULE"].to_ical(), "ascii") == "FREQ=WEEKLY;BYDAY=MO,WE,FR"
    assert practice["DTSTART"].params["TZID"] == "America/New_York"
    assert practice["DTSTART"].dt.time() == time(21, 30)
    assert [component.name for component in calendar.walk("VTIMEZONE")] == ["VTIMEZONE"]
    assert any(alarm.name == "VALARM" for alarm in practice.subcomponents)


@pytest.mark.parametrize(("zone", "start", "end"), [
    ("America/New_York", date(2026, 10, 28), date(2026, 11, 5)),  # the clocks go back on 1 November
    ("Europe/London", date(2026, 3, 25), date(2026, 4, 2)),  # forward on 29 March
    ("Australia/Sydney", date(2026, 4, 1), date(2026, 4, 9)),  # back on 5 April, southern hemisphere
])
def test_the_practice_stays_at_the_same_local_time_across_a_clock_change(zone, start, end):
    body = practice_calendar(1, Schedule(tuple(range(7)), time(21, 0), 10, date(2026, 1, 1)), zone, date(2026, 1, 1),
                             False, None, "https://glowstep.example/", datetime(2026, 1, 1))
    events = occurrences(body, start, end)
    local = [event["DTSTART"].dt for event in events]
    assert len(local) == (end - start).days
    assert {moment.time() for moment in local} == {time(21, 0)}
    assert len({moment.utcoffset() for moment in local}) == 2, "the UTC offset changes, the wall clock does not"


def test_todays_reminder_is_dropped_once_today_is_logged(member):
    save_reminders(member, weekdays=EVERY_DAY, time_of_day="23:59")
    address = feed_address(member)
    today = datetime.now(UTC).date()  # the profile's zone is UTC
    assert any(event["DTSTART"].dt.date() == today for event in occurrences(member.get(address).data, today,
                                                                           date.fromordinal(today.toordinal() + 2)))
    log_session(member)

    days = [event["DTSTART"].dt.date() for event in occurrences(member.get(address).data, today,
                                                                date.fromordinal(today.toordinal() + 2))
            if "practice" in str(event["UID"])]
    assert today not in days and len(days) == 1


def test_the_esthetician_check_in_is_an_all_day_event(member):
    save_reminders(member, weekdays=["6"])
    calendar = icalendar.Calendar.from_ical(member.get(feed_address(member)).data)
    [checkin] = [event for event in calendar.walk("VEVENT") if "checkin" in str(event["UID"])]
    assert "esthetician" in str(checkin["SUMMARY"])
    assert not isinstance(checkin["DTSTART"].dt, datetime)  # a date: all day
    assert (checkin["DTSTART"].dt - datetime.now(UTC).date()).days in (27, 28)


def test_a_new_address_replaces_the_old_and_a_removed_one_is_gone(member):
    save_reminders(member, weekdays=EVERY_DAY)
    first = feed_address(member)
    second = feed_address(member)  # "make a new address"
    assert first != second
    assert member.get(first).status_code == 404
    assert member.get(second).status_code == 200
    _, fields = read_form(member.get("/account/reminders").get_data(as_text=True), "/account/reminders/link/remove")
    member.post("/account/reminders/link/remove", data=fields)
    assert member.get(second).status_code == 404


def test_a_deleted_accounts_feed_is_gone(app, member):
    save_reminders(member, weekdays=EVERY_DAY)
    address = feed_address(member)
    _, fields = read_form(member.get("/account/delete").get_data(as_text=True), "")
    member.post("/account/delete", data=fill(fields, password=PASSWORD))
    assert member.get(address).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Reminder)) is None


def test_reminders_turned_off_leave_an_empty_calendar(member):
    save_reminders(member, weekdays=EVERY_DAY)
    address = feed_address(member)
    save_reminders(member, enabled=[])
    calendar = icalendar.Calendar.from_ical(member.get(address).data)
    assert list(calendar.walk("VEVENT")) == []


def test_the_schedule_needs_a_day_a_time_and_sensible_minutes(member):
    response = save_reminders(member, weekdays=[], time_of_day="", minutes="500")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose at least one day" in page and "Choose a time of day." in page and "Choose 3 to 60 minutes." in page


def test_a_one_time_download_has_the_same_events_with_alarms(member):
    save_reminders(member, weekdays=EVERY_DAY)
    response = member.get("/account/reminders/glowstep.ics")
    assert response.headers["Content-Disposition"] == "attachment; filename=glowstep-reminders.ics"
    assert b"BEGIN:VALARM" in response.data
    assert AuthActions(member).logout().status_code == 302
    assert member.get("/account/reminders/glowstep.ics").status_code == 302  # to sign in


def test_the_feed_is_rate_limited_per_address(db_path):
    app = make_test_app(db_path, RATELIMIT_ENABLED=True, CALENDAR_FEED_RATE_LIMIT="2 per hour")
    client = app.test_client()
    statuses = [client.get("/calendar/not-a-real-address.ics").status_code for _ in range(3)]
    assert statuses == [404, 404, 429]
