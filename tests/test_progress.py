"""Streaks, weekly totals and reminders as pure functions over plain values."""

from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.progress import (
    LoggedSession,
    PracticeSummary,
    Streaks,
    add_session,
    calendar_weeks,
    checkin_due,
    goal_minutes,
    repeated_reaction,
    revise,
    streaks,
    summarise,
    week_start,
    week_totals,
)

# A Monday, so week boundaries are easy to read below.
MONDAY = date(2025, 6, 2)


def sessions_at(*moments_and_seconds: tuple[datetime, int]) -> list[LoggedSession]:
    return [LoggedSession(n, 1, moment, seconds) for n, (moment, seconds) in enumerate(moments_and_seconds, 1)]


def practice_days(moments_utc: list[datetime], zone: str) -> Counter:
    """Sessions per local calendar day, as the stored summary counts them (by date here)."""
    per_day = summarise(sessions_at(*((moment, 300) for moment in moments_utc)), zone).sessions_per_day
    return Counter({date.fromordinal(day): count for day, count in per_day.items()})


def streak(days, today: date, rest_days_per_week: int = 0) -> Streaks:
    """app.progress.streaks over dates, as these tests write them (it takes day numbers)."""
    return streaks([day.toordinal() for day in days], today.toordinal(), rest_days_per_week)


def days_from(start: date, *offsets: int) -> list[date]:
    return [start + timedelta(days=offset) for offset in offsets]


# --- streaks -------------------------------------------------------------------------


def test_empty_history_has_no_streak():
    assert streak([], today=MONDAY, rest_days_per_week=2) == Streaks(0, 0)


def test_one_day_practised_today_is_a_streak_of_one():
    assert streak([MONDAY], today=MONDAY) == Streaks(1, 1)


def streaks_day_by_day(days, today, rest_days_per_week):
    """The rule walked one calendar day at a time: the reference app.progress.streaks must equal."""
    practised = {day for day in days if day <= today}
    if not practised:
        return Streaks(0, 0)
    current = longest = 0
    missed_this_week = Counter()
    day = min(practised)
    while day <= today:
        if day in practised:
            current += 1
            longest = max(longest, current)
        elif day != today and current:
            missed_this_week[week_start(day)] += 1
            if missed_this_week[week_start(day)] > rest_days_per_week:
                current = 0
                missed_this_week.clear()
        day += timedelta(days=1)
    return Streaks(current, longest)


@given(offsets=st.lists(st.integers(0, 120), max_size=40), today_offset=st.integers(0, 130),
       rest_days=st.integers(0, 7))
def test_streaks_equal_the_day_by_day_rule(offsets, today_offset, rest_days):
    days = [MONDAY + timedelta(days=offset) for offset in offsets]
    today = MONDAY + timedelta(days=today_offset)
    assert streak(days, today, rest_days) == streaks_day_by_day(days, today, rest_days)


def test_several_sessions_on_one_day_count_once():
    per_day = practice_days([datetime(2025, 6, 2, 7), datetime(2025, 6, 2, 12), datetime(2025, 6, 2, 21)], "UTC")
    assert per_day == Counter({MONDAY: 3})
    assert streak(per_day, today=MONDAY) == Streaks(1, 1)


def test_today_not_practised_yet_keeps_the_streak_even_without_rest_days():
    practised = days_from(MONDAY, 0, 1, 2)  # Mon, Tue, Wed
    assert streak(practised, today=MONDAY + timedelta(days=3), rest_days_per_week=0) == Streaks(3, 3)


def test_yesterday_missed_without_rest_days_breaks_the_streak():
    practised = days_from(MONDAY, 0, 1, 2)
    assert streak(practised, today=MONDAY + timedelta(days=4), rest_days_per_week=0) == Streaks(0, 3)


@pytest.mark.parametrize(
    ("rest_days", "missed", "expected"),
    [
        (2, (1,), Streaks(4, 4)),  # one rest day of two allowed
        (2, (1, 2), Streaks(3, 3)),  # two rest days of two: still going, rest days don't add
        (2, (1, 2, 3), Streaks(1, 1)),  # a third missed day in one week breaks it
        (0, (1,), Streaks(3, 3)),  # no rest days planned: any gap breaks it
        (3, (1, 2, 3), Streaks(2, 2)),
    ],
)
def test_missed_days_within_the_weekly_allowance_keep_the_streak(rest_days, missed, expected):
    """Monday practised, some days of the week missed, then every day to Friday."""
    friday = MONDAY + timedelta(days=4)
    practised = [day for day in days_from(MONDAY, 0, 1, 2, 3, 4) if (day - MONDAY).days not in missed]
    assert streak(practised, today=friday, rest_days_per_week=rest_days) == expected


def test_rest_allowance_is_counted_per_monday_to_sunday_week():
    """Two missed days at the end of one week and two at the start of the next: each week is within 2."""
    practised = days_from(MONDAY, 0, 1, 2, 3, 4, 9, 10)  # Mon–Fri, skip Sat Sun Mon Tue, then Wed Thu
    assert streak(practised, today=MONDAY + timedelta(days=10), rest_days_per_week=2) == Streaks(7, 7)


def test_longest_streak_survives_a_break_and_current_restarts():
    practised = days_from(MONDAY, 0, 1, 2, 3, 4, 5, 20, 21)  # six days, a long gap, then two
    assert streak(practised, today=MONDAY + timedelta(days=21), rest_days_per_week=1) == Streaks(2, 6)


@pytest.mark.parametrize("weeks_ago", [1, 2, 3])
@pytest.mark.parametrize("weekday", range(7))
def test_a_new_streak_after_a_break_gets_the_same_rest_days_as_a_first_one(weeks_ago, weekday):
    """First ever session on a Friday, Sat and Sun missed, Monday practised: with 2 rest days
    that is a streak of 2. An old, long-broken streak before it must not change the answer,
    whichever day it ended on (the days missed in between belong to no streak)."""
    friday, next_monday = MONDAY + timedelta(days=4), MONDAY + timedelta(days=7)
    first_ever = streak([friday, next_monday], today=next_monday, rest_days_per_week=2)
    long_ago = MONDAY - timedelta(weeks=weeks_ago) + timedelta(days=weekday)
    after_a_break = streak([long_ago, friday, next_monday], today=next_monday, rest_days_per_week=2)
    assert first_ever == Streaks(2, 2)
    assert after_a_break == Streaks(2, 2)


def test_future_days_are_ignored():
    assert streak(days_from(MONDAY, 0, 5), today=MONDAY) == Streaks(1, 1)


# --- time zones and daylight saving ---------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "local_day"),
    [
        ("Asia/Tokyo", date(2025, 6, 3)),  # UTC+9: already 08:30 the next morning
        ("America/New_York", date(2025, 6, 2)),  # UTC-4: still 19:30 the same evening
        ("UTC", date(2025, 6, 2)),
        ("Not/A_Zone", date(2025, 6, 2)),  # an unknown zone falls back to UTC
    ],
)
def test_a_late_utc_session_counts_for_the_local_day(zone, local_day):
    assert practice_days([datetime(2025, 6, 2, 23, 30)], zone) == Counter({local_day: 1})


@pytest.mark.parametrize(
    ("zone", "moments_utc", "local_days"),
    [
        # London springs forward on 30 March 2025: 00:30 each night, local time.
        (
            "Europe/London",
            [datetime(2025, 3, 29, 0, 30), datetime(2025, 3, 30, 0, 30), datetime(2025, 3, 30, 23, 30)],
            days_from(date(2025, 3, 29), 0, 1, 2),
        ),
        # London falls back on 26 October 2025: 00:30 each night, local time.
        (
            "Europe/London",
            [datetime(2025, 10, 24, 23, 30), datetime(2025, 10, 25, 23, 30), datetime(2025, 10, 27, 0, 30)],
            days_from(date(2025, 10, 25), 0, 1, 2),
        ),
        # New York springs forward on 9 March 2025: 23:30 each evening, local time.
        (
            "America/New_York",
            [datetime(2025, 3, 9, 4, 30), datetime(2025, 3, 10, 3, 30), datetime(2025, 3, 11, 3, 30)],
            days_from(date(2025, 3, 8), 0, 1, 2),
        ),
        # New York falls back on 2 November 2025: 23:30 each evening, local time.
        (
            "America/New_York",
            [datetime(2025, 11, 2, 3, 30), datetime(2025, 11, 3, 4, 30), datetime(2025, 11, 4, 4, 30)],
            days_from(date(2025, 11, 1), 0, 1, 2),
        ),
    ],
)
def test_consecutive_local_days_stay_consecutive_across_daylight_saving(zone, moments_utc, local_days):
    per_day = practice_days(moments_utc, zone)
    assert sorted(per_day) == local_days
    assert streak(per_day, today=local_days[-1], rest_days_per_week=0) == Streaks(3, 3)


# --- this week ------------------------------------------------------------------------


def this_week(sessions: list[LoggedSession], zone: str, today, target: int):
    return week_totals(summarise(sessions, zone), today, target)


def test_this_week_starts_on_monday_in_the_users_zone():
    items = sessions_at(
        (datetime(2025, 6, 1, 12, 0), 300),  # Sunday: last week everywhere
        (datetime(2025, 6, 1, 22, 0), 600),  # Sunday 22:00 UTC is Monday 07:00 in Tokyo
        (datetime(2025, 6, 2, 8, 0), 420),  # Monday
        (datetime(2025, 6, 4, 20, 0), 120),  # Wednesday
    )
    wednesday = MONDAY + timedelta(days=2)
    in_utc = this_week(items, "UTC", wednesday, target=4)
    in_tokyo = this_week(items, "Asia/Tokyo", wednesday + timedelta(days=1), target=4)
    assert (in_utc.sessions, in_utc.minutes, in_utc.target) == (2, 9, 4)  # 420 + 120 seconds
    assert (in_tokyo.sessions, in_tokyo.minutes) == (3, 19)  # 600 + 420 + 120 seconds
    assert not in_utc.target_met


def test_a_new_week_starts_from_zero_and_the_target_can_be_met():
    items = sessions_at(*((datetime(2025, 6, 2 + offset, 20, 0), 300) for offset in range(7)))
    sunday, next_monday = MONDAY + timedelta(days=6), MONDAY + timedelta(days=7)
    assert this_week(items, "UTC", sunday, target=7).target_met
    assert this_week(items, "UTC", next_monday, target=7).sessions == 0


# --- minutes per goal -----------------------------------------------------------------


def test_a_routine_serving_two_goals_counts_for_both():
    seconds_per_routine = {1: 600, 2: 300, 3: 120}
    goals = {
        1: ("puffiness-dark-circles", "circulation"),
        2: ("circulation",),
        3: (),  # a routine with no goals counts for none
    }
    assert goal_minutes(seconds_per_routine, goals) == {"circulation": 15, "puffiness-dark-circles": 10}
    assert list(goal_minutes(seconds_per_routine, goals)) == ["circulation", "puffiness-dark-circles"]  # most first
    assert goal_minutes({4: 600}, goals) == {}  # a routine the library no longer knows counts for none


def test_minutes_per_goal_of_nothing_is_empty():
    assert goal_minutes({}, {1: ("circulation",)}) == {}


# --- the 12-week calendar -------------------------------------------------------------


def test_calendar_is_twelve_weeks_of_seven_days_monday_first_ending_this_week():
    thursday = MONDAY + timedelta(days=3)
    weeks = calendar_weeks(Counter({thursday.toordinal(): 2, (MONDAY - timedelta(weeks=11)).toordinal(): 1}),
                           today=thursday)
    assert len(weeks) == 12
    assert all(len(week) == 7 for week in weeks)
    assert all(week[0].day.weekday() == 0 for week in weeks)
    assert weeks[0][0].day == MONDAY - timedelta(weeks=11)
    assert weeks[0][0].sessions == 1
    assert weeks[-1][3].day == thursday and weeks[-1][3].sessions == 2
    assert [day.future for day in weeks[-1]] == [False] * 4 + [True] * 3
    assert not any(day.future for week in weeks[:-1] for day in week)


# --- esthetician check-in -------------------------------------------------------------

SINCE = datetime(2025, 6, 1, 9, 0)


@pytest.mark.parametrize(
    ("session_offsets_days", "now_offset_days", "every", "due"),
    [
        ([], 60, 10, False),  # nothing logged since: nothing to check in about
        ([1, 2], 3, 3, False),  # two of three sessions, a few days
        ([1, 2, 3], 4, 3, True),  # N sessions reached
        ([1], 28, 10, True),  # four weeks since, with a session in between
        ([1], 27, 10, False),
        ([-5, -3, -1], 30, 3, False),  # sessions before the last acknowledgement don't count
    ],
)
def test_checkin_due_after_n_sessions_or_four_weeks(session_offsets_days, now_offset_days, every, due):
    sessions = [SINCE + timedelta(days=offset) for offset in session_offsets_days]
    assert checkin_due(sessions, SINCE, SINCE + timedelta(days=now_offset_days), every) is due


# --- repeated reactions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kinds", "firmer"),
    [
        ([], False),
        (["redness"], False),
        (["redness", "redness"], True),
        (["redness", "bruising"], False),
        (["pain", None, "pain"], False),  # a calm session in between resets it
        ([None, None], False),
        (["breakout", "breakout", None], True),
    ],
)
def test_the_same_reaction_twice_in_a_row_makes_advice_firmer(kinds, firmer):
    assert repeated_reaction(kinds) is firmer


# --- the stored summary ---------------------------------------------------------------


def test_a_summary_folds_a_history_by_local_day_and_goal_and_survives_storage():
    history = sessions_at(
        (datetime(2025, 6, 1, 22, 0), 600),  # Monday morning in Tokyo
        (datetime(2025, 6, 2, 8, 0), 420),
        (datetime(2025, 6, 4, 20, 0), 120),
    )
    summary = summarise(history, "Asia/Tokyo")
    assert summary.sessions_per_day == Counter({MONDAY.toordinal(): 2, MONDAY.toordinal() + 3: 1})
    assert summary.seconds_per_day[MONDAY.toordinal()] == 1020
    assert summary.seconds_per_routine == Counter({1: 1140})
    assert goal_minutes(summary.seconds_per_routine, {1: ("circulation",)}) == {"circulation": 19}
    assert summary.total_sessions == 3
    assert summary.recent_utc[0] == datetime(2025, 6, 4, 20, 0)
    assert summary.last == history[2]
    assert PracticeSummary.from_json(summary.to_json()) == summary


def test_a_summary_of_nothing_is_empty_and_keeps_only_the_newest_times():
    empty = summarise([], "UTC")
    assert (empty.total_sessions, empty.last, empty.recent_utc) == (0, None, ())
    assert PracticeSummary.from_json(empty.to_json()) == empty
    many = sessions_at(*((datetime(2025, 1, 1) + timedelta(hours=n), 60) for n in range(150)))
    kept = summarise(many, "UTC").recent_utc
    assert len(kept) == 100 and kept[0] == datetime(2025, 1, 1) + timedelta(hours=149)


logged = st.builds(
    LoggedSession,
    id=st.integers(1, 10_000),
    routine_id=st.integers(1, 5),
    completed_at=st.datetimes(datetime(2024, 1, 1), datetime(2026, 12, 31)),
    seconds=st.integers(60, 3600),
    skin_feel=st.integers(1, 5),
)


@given(history=st.lists(logged, max_size=25), new=logged,
       zone=st.sampled_from(["UTC", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]))
def test_adding_one_session_to_a_summary_equals_folding_the_whole_history_again(history, new, zone):
    assert add_session(summarise(history, zone), new, zone) == summarise([*history, new], zone)


def test_adding_to_a_long_history_keeps_only_the_newest_times_and_the_newest_session():
    many = sessions_at(*((datetime(2025, 1, 1) + timedelta(hours=n), 60) for n in range(150)))
    older, newer = LoggedSession(500, 2, datetime(2024, 1, 1), 60), LoggedSession(501, 2, datetime(2026, 1, 1), 60)
    summary = add_session(add_session(summarise(many, "UTC"), older, "UTC"), newer, "UTC")
    assert summary == summarise([*many, older, newer], "UTC")
    assert len(summary.recent_utc) == 100 and summary.recent_utc[0] == newer.completed_at
    assert summary.last == newer and summary.total_sessions == 152


@given(history=st.lists(logged, min_size=1, max_size=25, unique_by=lambda session: session.id),
       pick=st.integers(0, 24), replacement=st.one_of(st.none(), logged),
       zone=st.sampled_from(["UTC", "America/New_York", "Australia/Sydney"]))
def test_an_edit_or_a_deletion_revises_a_summary_exactly_or_asks_for_a_fresh_fold(history, pick, replacement, zone):
    removed = history[pick % len(history)]
    added = None if replacement is None else replace(replacement, id=removed.id)
    changed = [session for session in history if session is not removed] + ([added] if added else [])
    revised = revise(summarise(history, zone), removed, added, zone)
    assert revised is None or revised == summarise(changed, zone)


def test_revising_a_long_history_is_exact_where_it_can_be_and_refuses_where_it_cannot():
    history = sessions_at(*((datetime(2025, 1, 1) + timedelta(hours=n), 60) for n in range(150)))
    summary = summarise(history, "UTC")
    newest, oldest, kept_tail = history[-1], history[0], history[50]  # history[50] is the 100th newest
    longer = LoggedSession(newest.id, 1, newest.completed_at, 900)
    assert revise(summary, newest, longer, "UTC") == summarise([*history[:-1], longer], "UTC")
    assert revise(summary, oldest, None, "UTC") == summarise(history[1:], "UTC")
    assert revise(summary, newest, None, "UTC") is None  # which session is newest now is not kept
    assert revise(summary, kept_tail, None, "UTC") is None  # the 101st newest time is not kept
    moved_back = LoggedSession(newest.id, 1, datetime(2024, 1, 1), 60)
    assert revise(summary, newest, moved_back, "UTC") is None
