"""The practice calendar as iCalendar (RFC 5545), built with the icalendar library.

Pure: it takes the schedule and a few facts and returns the calendar's bytes, so tests can
expand it with recurring-ical-events across daylight-saving changes.

- The practice is one weekly recurring event at a local time in the person's zone (TZID with
  its VTIMEZONE), so calendars keep it at 21:00 local on both sides of a clock change.
- Today's occurrence is left out (EXDATE) once a session is logged today: best effort, since
  calendar apps refresh subscribed feeds on their own schedule (hours to a day).
- An esthetician check-in is an all-day event on the day it falls due.
- Each event carries an alarm at its start; some apps ignore alarms in subscribed feeds,
  which is why the account page also offers a one-time download.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event, vRecur

from app.timezones import local_moment

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PRODUCT = "-//Glowstep//Practice reminders//EN"


@dataclass(frozen=True)
class Schedule:
    weekdays: tuple[int, ...]  # 0 = Monday
    time_of_day: time  # local
    minutes: int
    starts_on: date  # local date of the first possible occurrence


def practice_calendar(person_id: int, schedule: Schedule | None, zone_name: str, today: date,
                      logged_today: bool, checkin_on: date | None, link: str, stamp: datetime) -> bytes:
    """The calendar: the practice (when `schedule` has days), and the check-in on `checkin_on`.
    `today` is the person's local date, `stamp` the UTC moment the feed is made (DTSTAMP)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Glowstep")
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    if schedule is not None and schedule.weekdays:
        calendar.add_component(practice_event(person_id, schedule, zone_name, today, logged_today,
                                              link, stamp))
    if checkin_on is not None:
        calendar.add_component(checkin_event(person_id, checkin_on, link, stamp))
    # Zone rules from a little before the first occurrence to ten years on: enough for any
    # calendar app's expansion, and a feed of a few kilobytes rather than seventy years of rules.
    first = min(schedule.starts_on if schedule else today, today) - timedelta(days=1)
    calendar.add_missing_timezones(first_date=first, last_date=date(today.year + 10, 1, 1))
    return calendar.to_ical()


def practice_event(person_id: int, schedule: Schedule, zone_name: str, today: date, logged_today: bool, link: str,
                   stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"practice-{person_id}@glowstep")
    event.add("dtstamp", stamp)
    event.add("summary", "Glowstep: your facial massage")
    event.add("description", f"A few calm minutes for your face. Open Glowstep: {link}")
    event.add("dtstart", local_moment(schedule.starts_on, schedule.time_of_day, zone_name))
    event.add("duration", timedelta(minutes=schedule.minutes))
    event.add("rrule", vRecur(freq="WEEKLY", byday=[BYDAY[day] for day in sorted(schedule.weekdays)]))
    if logged_today and today.weekday() in schedule.weekdays and today >= schedule.starts_on:
        event.add("exdate", local_moment(today, schedule.time_of_day, zone_name))
    event.add_component(alarm("Time for your facial massage"))
    return event


def checkin_event(person_id: int, on: date, link: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"checkin-{person_id}-{on.isoformat()}@glowstep")
    event.add("dtstamp", stamp)
    event.add("summary", "Glowstep: check in with your esthetician")
    event.add("description", "A good moment to show your esthetician how your skin is doing, and to ask "
                             f"a dermatologist or doctor about anything medical. {link}")
    event.add("dtstart", on)
    event.add("dtend", on + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add_component(alarm("Check in with your esthetician"))
    return event


def alarm(text: str) -> Alarm:
    reminder = Alarm()
    reminder.add("action", "DISPLAY")
    reminder.add("description", text)
    reminder.add("trigger", timedelta(0))
    return reminder
