"""The one place that knows about time zones: stored times are naive UTC, shown in the user's zone."""

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_ZONE = "UTC"


def utc_now() -> datetime:
    """Now, as the naive UTC value the database stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def to_local(moment_utc: datetime, zone_name: str | None) -> datetime:
    """A stored UTC time as wall-clock time in the zone."""
    return moment_utc.replace(tzinfo=UTC).astimezone(zone(zone_name))


def to_utc(local_wall_time: datetime, zone_name: str | None) -> datetime:
    """Wall-clock time typed in the zone, as naive UTC for storage."""
    return local_wall_time.replace(tzinfo=zone(zone_name)).astimezone(UTC).replace(tzinfo=None)


@cache
def zone_choices() -> list[tuple[str, str]]:
    names = sorted(name for name in available_timezones() if "/" in name and not name.startswith(("Etc/", "SystemV/")))
    return [(DEFAULT_ZONE, DEFAULT_ZONE)] + [(name, name.replace("_", " ")) for name in names]


def is_known_zone(name: str) -> bool:
    return any(name == value for value, _ in zone_choices())
