"""Glowstep's time model. This is the one module that converts between local and UTC time.

What is stored
    Every moment is a naive UTC datetime, seconds included (``SessionLog.completed_at``,
    ``created_at`` and the like). A session log also stores the IANA zone the person was in
    when it happened (``SessionLog.time_zone``): the zone its time was typed or taken in.

How a typed local time becomes an instant (``from_local``)
    It is read in one named zone: a signed-in person's profile zone; a visitor's browser
    zone (sent with the form by JavaScript), else their profile zone once they sign in.
    A wall time that happened twice (the clocks went back) is the first of the two; one that
    never happened (the clocks went forward) moves on by the gap, so 02:30 on a night that
    jumps from 02:00 to 03:00 is 03:30. Either way ``LocalTime.note`` says so, and the form
    tells the person. An edit that sends back the wall time it was shown keeps the stored
    instant, seconds and all (``from_local_keeping``).

How instants become days (``to_local``)
    In the profile's zone at the time of asking: streaks, the calendar, weekly totals and
    Today count days there, and pages show times there, naming the zone. The reminders'
    calendar feed gives its times as wall times in that zone (``local_moment``), for the
    calendar program to keep at, say, 21:00 on both sides of a clock change.

What "now" is
    ``utc_now()``: the server's clock read in UTC, never its local time. A time a person
    gives may be up to ``CLOCK_SKEW`` (10 minutes) ahead of it, for clocks that disagree a
    little (``is_ahead``). A form refuses a time further ahead; a log from the offline queue
    that is further ahead is stored at now and flagged (``SessionLog.clock_ahead``), never lost.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_ZONE = "UTC"
CLOCK_SKEW = timedelta(minutes=10)
# The widest offsets any zone uses (UTC-12 to UTC+14): bounds for a wall time whose zone is not known yet.
MAX_OFFSET = timedelta(hours=14)


def utc_now() -> datetime:
    """Now, as the naive UTC value the database stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def zone(name: str | None) -> ZoneInfo:
    """The zone of that IANA name; UTC for a missing or unknown name."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def to_local(moment_utc: datetime, zone_name: str | None) -> datetime:
    """A stored (naive UTC) time as an aware wall-clock time in the zone."""
    return moment_utc.replace(tzinfo=UTC).astimezone(zone(zone_name))


def local_moment(day: date, time_of_day: time, zone_name: str | None) -> datetime:
    """A wall time on a day in the zone, as an aware datetime: a calendar feed's TZID time,
    which the calendar program keeps at that wall time across clock changes."""
    return datetime.combine(day, time_of_day, tzinfo=zone(zone_name))


def wall_time(moment_utc: datetime, zone_name: str | None) -> datetime:
    """A stored time as the naive wall-clock time a form shows, to the minute."""
    return to_local(moment_utc, zone_name).replace(tzinfo=None, second=0, microsecond=0)


@dataclass(frozen=True)
class LocalTime:
    """A typed wall time resolved in a zone: the naive UTC instant, and a sentence for the
    person when the wall time did not exist or happened twice there (else None)."""

    utc: datetime
    note: str | None = None


def from_local(wall: datetime, zone_name: str | None) -> LocalTime:
    """A naive wall-clock time typed in the zone, as the instant to store (see the module doc)."""
    place = zone(zone_name)
    first = wall.replace(tzinfo=place, fold=0)
    second = wall.replace(tzinfo=place, fold=1)
    instant = first.astimezone(UTC).replace(tzinfo=None)
    if first.utcoffset() == second.utcoffset():
        return LocalTime(instant)
    shown = to_local(instant, zone_name)
    day, name = f"{wall:%d %b %Y}", place.key.replace("_", " ")
    if shown.replace(tzinfo=None) != wall:
        note = (f"{wall:%H:%M} did not happen on {day} in {name}: the clocks went forward. "
                f"We saved {shown:%H:%M}, the same time after the change.")
    else:
        note = (f"{wall:%H:%M} happened twice on {day} in {name}: the clocks went back. "
                f"We saved the first {wall:%H:%M} ({offset_label(shown.utcoffset())}), before the change.")
    return LocalTime(instant, note)


def offset_label(offset: timedelta) -> str:
    """An offset as people write it: UTC-4, UTC+5:45, UTC+10:30."""
    sign, minutes = "-" if offset < timedelta(0) else "+", abs(offset) // timedelta(minutes=1)
    hours, minutes = divmod(minutes, 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def from_local_keeping(wall: datetime, zone_name: str | None, kept_utc: datetime) -> LocalTime:
    """Like from_local, but the wall time a form was shown for `kept_utc` keeps that instant:
    sending a form back unchanged changes nothing, in a repeated hour too, seconds included."""
    if wall == wall_time(kept_utc, zone_name) or wall == to_local(kept_utc, zone_name).replace(tzinfo=None):
        return LocalTime(kept_utc)
    return from_local(wall, zone_name)


def is_ahead(moment_utc: datetime, now_utc: datetime) -> bool:
    """Later than the person's now: more than CLOCK_SKEW after the server's."""
    return moment_utc > now_utc + CLOCK_SKEW


def ahead_in_every_zone(wall: datetime, now_utc: datetime) -> bool:
    """A wall time whose zone is not known yet that is ahead of now wherever it was typed."""
    return is_ahead(wall - MAX_OFFSET, now_utc)


@cache
def zone_choices() -> list[tuple[str, str]]:
    """(IANA name, label) for every zone a person may pick, UTC first."""
    names = sorted(name for name in available_timezones() if "/" in name and not name.startswith(("Etc/", "SystemV/")))
    return [(DEFAULT_ZONE, DEFAULT_ZONE)] + [(name, name.replace("_", " ")) for name in names]


def is_known_zone(name: str | None) -> bool:
    """One of the zones a profile may pick."""
    return any(name == value for value, _ in zone_choices())


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def is_zone_name(name: str | None) -> bool:
    """Any IANA zone name, such as a browser reports (Etc/GMT-3 and old aliases included)."""
    return name in _zone_names()
