"""Progress that speaks to my goals (issue 17, item 5): the skin-feel trend, milestones,
month labels and today on the calendar, my goals first, and a stored summary whose format
version protects old rows."""

from collections import Counter
from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.account.heatmap import heatmap
from app.extensions import db
from app.models import ProgressSnapshot, User
from app.progress import (
    SUMMARY_VERSION,
    LoggedSession,
    PracticeSummary,
    calendar_weeks,
    feel_trend,
    milestones,
    summarise,
)
from tests.conftest import log_session, save_profile


def session(number: int, when: datetime, feel: int) -> LoggedSession:
    return LoggedSession(number, 1, when, 300, feel)


def test_the_feel_trend_averages_each_week_and_leaves_empty_weeks_empty():
    summary = summarise([session(1, datetime(2026, 11, 2, 20), 2), session(2, datetime(2026, 11, 4, 20), 4),
                         session(3, datetime(2026, 11, 23, 20), 5)], "UTC")
    trend = feel_trend(summary, date(2026, 11, 25), weeks=4)
    assert [week.week for week in trend] == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16),
                                             date(2026, 11, 23)]
    assert [week.average for week in trend] == [3.0, None, None, 5.0]
    assert [week.sessions for week in trend] == [2, 0, 0, 1]


def test_the_feel_of_a_session_counts_in_the_persons_own_week():
    # Sunday 23:30 in New York is Monday in UTC: it belongs to the week it was lived in.
    summary = summarise([session(1, datetime(2026, 11, 30, 4, 30), 5)], "America/New_York")
    assert list(summary.feel_per_week) == [date(2026, 11, 23).toordinal()]


def test_milestones_come_in_order():
    assert [m.reached for m in milestones(0, 0)] == [False] * 5
    assert [m.reached for m in milestones(12, 7)] == [True, True, True, False, False]
    assert [m.reached for m in milestones(50, 3, programmes_finished=1)] == [True, False, True, True, True]


def test_a_summary_round_trips_through_json():
    summary = summarise([session(1, datetime(2026, 11, 2, 20), 2)], "UTC")
    assert PracticeSummary.from_json(summary.to_json()) == summary
    assert summary.to_json()["version"] == SUMMARY_VERSION


OLDER_FORMATS = {  # one session's summary as earlier versions stored it (all but the last kept no version)
    "first": {"days": {"2026-11-02": [1, 300]}, "routines": {"1": 300}, "total": 1,
              "recent": ["2026-11-02T20:00:00"], "last": [1, 1, "2026-11-02T20:00:00", 300]},
    "2": {"version": 2, "days": {"2026-11-02": [1, 300]}, "routines": {"1": 300}, "total": 1,
          "recent": ["2026-11-02T20:00:00"], "last": [1, 1, "2026-11-02T20:00:00", 300, 2],
          "feel": {"2026-11-02": [2, 1]}},
}


@pytest.mark.parametrize("older", OLDER_FORMATS.values(), ids=OLDER_FORMATS.keys())
def test_a_stored_summary_of_an_older_format_is_folded_again(app, client, auth, older):
    auth.register()
    log_session(client, skin_feel="5")
    client.get("/progress")  # stores the summary
    with app.app_context():
        stored = db.session.scalar(select(ProgressSnapshot))
        stored.data = older
        db.session.commit()
    page = client.get("/progress").get_data(as_text=True)
    assert "5.0 of 5" in page  # from the history, not from the older row's 2 of 5
    with app.app_context():
        assert db.session.scalar(select(ProgressSnapshot)).data["version"] == SUMMARY_VERSION


def test_the_progress_page_shows_my_goals_first_the_trend_and_milestones(app, client, auth):
    auth.register()
    save_profile(client, goal_slugs=["tension-relief"])
    log_session(client, routine="quick-morning-depuff", skin_feel="4")
    page = client.get("/progress").get_data(as_text=True)

    assert 'role="img" aria-labelledby="feel-chart-title feel-chart-desc"' in page
    assert "4.0 of 5" in page  # the table behind the chart
    mine, others = page.index("Minutes for your goals"), page.index("Other goals your routines served")
    assert mine < page.index("Tension relief", mine) < others, "my goal first, with 0 minutes so far"
    assert "Less puffiness" in page[others:]  # the routine's own goals, folded away
    assert "Your first session<span class=\"visually-hidden\">: reached" in page
    assert "10 sessions<span class=\"visually-hidden\">: not yet" in page
    assert page.count("heat-today") == 1 and "(today)" in page
    with app.app_context():
        zone = db.session.scalar(select(User.time_zone))
    assert zone == "UTC"
    months = Counter(word for word in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                       "Dec") if f">{word}</text>" in page)
    assert 3 <= len(months) <= 4, "twelve weeks span three or four months"


def test_the_calendar_is_drawn_a_week_a_column_with_its_months_and_today():
    today = date(2026, 12, 3)  # a Thursday
    calendar = calendar_weeks(Counter({today.toordinal(): 1, date(2026, 11, 30).toordinal(): 5}), today)
    drawn = heatmap(calendar, today)

    assert (drawn.width, drawn.height) == (12 * 19 + 50, 7 * 19 + 18)
    assert len(drawn.days) == 84
    assert drawn.days[0][:2] == (30, 0) and drawn.days[-1][:2] == (30 + 11 * 19, 6 * 19)  # Sunday, this week
    squares = {title: classes for _, _, classes, title in drawn.days}
    assert squares["Thu 03 Dec (today): 1 session"] == "heat-1 heat-today"
    assert squares["Mon 30 Nov: 5 sessions"] == "heat-3"  # five sessions shade as three
    assert squares["Fri 04 Dec: 0 sessions"] == "heat-future"
    assert squares["Mon 14 Sep: 0 sessions"] == "heat-0"  # the first column's Monday
    # The first column, then the week each month begins in: 1 Oct is a Thursday, 1 Nov a Sunday.
    assert drawn.months == [(30, 145, "Sep"), (30 + 2 * 19, 145, "Oct"), (30 + 6 * 19, 145, "Nov"),
                            (30 + 11 * 19, 145, "Dec")]
    assert [letter for _, letter in drawn.weekdays] == ["M", "W", "F", "S"]


def test_the_printable_summary_covers_chosen_dates_with_the_skin_feel_by_month(client, auth):
    auth.register()
    log_session(client, completed_at="2026-09-15T20:00", skin_feel="2", notes="September")
    log_session(client, completed_at="2026-10-10T20:00", skin_feel="4", notes="October, first")
    log_session(client, completed_at="2026-10-20T20:00", skin_feel="5", notes="October, second")

    everything = client.get("/account/summary").get_data(as_text=True)
    assert "September 2026" in everything and "October 2026" in everything and "4.5" in everything
    assert 'data-print hidden' in everything and "js/print.js" in everything

    october = client.get("/account/summary?first_day=2026-10-01&last_day=2026-10-31").get_data(as_text=True)
    assert "September" not in october and "October, first" in october and "October, second" in october
    assert "from 01 Oct 2026 to 31 Oct 2026" in october

    backwards = client.get("/account/summary?first_day=2026-10-31&last_day=2026-10-01")
    assert backwards.status_code == 400
    assert "Choose a date on or after the first one." in backwards.get_data(as_text=True)


def test_a_person_can_hide_the_streak(client, auth):
    auth.register()
    log_session(client)
    assert "day streak" in client.get("/progress").get_data(as_text=True)
    assert "-day streak" in client.get("/").get_data(as_text=True)
    save_profile(client, show_streak=[])
    assert "day streak" not in client.get("/progress").get_data(as_text=True)
    assert "-day streak" not in client.get("/").get_data(as_text=True)
    assert "1 of 4 sessions" in client.get("/").get_data(as_text=True)  # the week still counts
