"""Programmes (issue 17, item 2): content validated on load, a day that advances when you
practise (not by the calendar), joining, switching and leaving without losing history, and
the programme's day on Today."""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.content import load_library_programmes
from app.content.loader import ContentError, load_library
from app.content.programmes import load_programmes
from app.extensions import db
from app.models import Enrolment, SessionLog
from app.programmes.days import programme_progress
from tests.conftest import log_session, read_form

DAYS = ["a", "b", "c"]
MON, TUE, WED, THU = date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3)


def test_a_day_is_done_by_its_own_routine_once_a_date():
    progress = programme_progress(DAYS, [(MON, "a"), (MON, "b"), (TUE, "x"), (WED, "b")], WED)
    assert (progress.days_done, progress.current_day, progress.today_done) == (2, 3, True)


def test_missed_days_wait_instead_of_being_lost():
    assert programme_progress(DAYS, [(MON, "a")], THU).current_day == 2


def test_other_routines_count_as_practice_but_do_not_move_the_programme():
    progress = programme_progress(DAYS, [(MON, "b"), (TUE, "c")], TUE)
    assert progress.days_done == 0 and not progress.today_done


def test_the_last_day_finishes_it():
    progress = programme_progress(DAYS, [(MON, "a"), (TUE, "b"), (WED, "c"), (THU, "a")], THU)
    assert progress.finished and progress.current_day == 3 and progress.days_done == 3


def test_the_shipped_programmes_have_what_the_issue_asks():
    library = load_library()
    found = load_library_programmes(library_dir(), library)
    lengths = {programme.slug: len(programme.days) for programme in found.values()}
    assert lengths["first-week"] == 7 and lengths["four-calm-weeks"] == 28
    concerns = {programme.concern for programme in found.values()}
    assert {"Puffy mornings", "Jaw clenching", "Desk and neck tension", "Evening wind-down"} <= concerns


def library_dir():
    from app.content.loader import CONTENT_DIR

    return CONTENT_DIR


def test_a_programme_naming_a_renamed_routine_follows_the_rename(tmp_path):
    path = tmp_path / "programmes.yaml"
    path.write_text("- slug: x\n  title: X\n  summary: s\n  concern: c\n  days:\n    - routine: old-name\n")
    assert load_programmes(path, {"old-name": "new-name", "new-name": "new-name"})["x"].day(1).routine == "new-name"


@pytest.mark.parametrize(("text", "message"), [
    ("- slug: x\n  title: X\n  summary: s\n  concern: c\n  days:\n    - routine: no-such-routine\n",
     "programmes.yaml, programme 'x', day 1: 'routine' names no routine in the library: no-such-routine"),
    ("- slug: x\n  title: X\n  summary: s\n  concern: c\n  days: []\n",
     "programme 'x': 'days' must be a non-empty list"),
    ("- slug: x\n  summary: s\n  concern: c\n  days:\n    - routine: a\n",
     "programme 'x': 'title' must be non-empty text"),
    ("- slug: Bad Slug\n  title: X\n  summary: s\n  concern: c\n  days:\n    - routine: a\n", "lowercase letters"),
])
def test_a_broken_programme_stops_the_load_saying_where(tmp_path, text, message):
    path = tmp_path / "programmes.yaml"
    path.write_text(text)
    with pytest.raises(ContentError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_programmes(path, {"a": "a"})


def join(client, slug: str):
    action, fields = read_form(client.get(f"/programmes/{slug}").get_data(as_text=True), f"/programmes/{slug}/join")
    return client.post(action, data=fields)


def test_join_follow_switch_and_leave_keeping_every_log(app, client, auth):
    auth.register()
    assert join(client, "puffy-mornings").headers["Location"] == "/"
    today = client.get("/").get_data(as_text=True)
    assert "Puffy mornings</a>:" in today and "day 1 of 7." in today
    assert "Quick morning de-puff" in today and "Today's programme day" in today  # day 1, suggested

    log_session(client, routine="quick-morning-depuff")
    today = client.get("/").get_data(as_text=True)
    assert "today's day is done. Day 2 of 7 waits for tomorrow." in today

    page = client.get("/programmes/puffy-mornings").get_data(as_text=True)
    assert "You're on day 2 of 7." in page and page.count("programme-day done") == 1

    assert join(client, "jaw-clenching").status_code == 302  # switching
    assert "A softer jaw</a>:" in client.get("/").get_data(as_text=True)
    action, fields = read_form(client.get("/programmes/jaw-clenching").get_data(as_text=True), "/programmes/leave")
    client.post(action, data=fields)
    assert "Follow a programme" in client.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Enrolment.id))) == 2
        assert db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.ended_at.is_(None))) == 0
        assert db.session.scalar(select(func.count(SessionLog.id))) == 1


def test_a_finished_programme_counts_as_a_milestone(app, client, auth):
    auth.register()
    join(client, "first-week")
    started = datetime(2026, 11, 1, 8, 0)
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment))
        enrolment.started_at = started  # joined a while ago, so each day can have its own date
        db.session.commit()
        days = [day.routine for day in load_library_programmes(library_dir(), load_library())["first-week"].days]
    for number, routine in enumerate(days, start=1):
        log_session(client, routine=routine, completed_at=f"2026-11-{number + 1:02d}T20:00")

    today = client.get("/").get_data(as_text=True)
    assert "every day done" in today
    progress = client.get("/progress").get_data(as_text=True)
    assert 'A programme finished<span class="visually-hidden">: reached' in progress

    action, fields = read_form(client.get("/programmes/first-week").get_data(as_text=True), "/programmes/leave")
    client.post(action, data=fields)
    progress = client.get("/progress").get_data(as_text=True)
    assert 'A programme finished<span class="visually-hidden">: reached' in progress, "kept after leaving"
    with app.app_context():
        assert db.session.scalar(select(Enrolment.finished_at)) is not None


def test_visitors_see_programmes_and_are_asked_to_sign_up_to_follow(client):
    page = client.get("/programmes/first-week").get_data(as_text=True)
    assert "Create an account to follow it" in page and "Day 7" in page
    assert client.post("/programmes/first-week/join").status_code == 302  # to sign in
    assert client.get("/programmes/no-such-programme").status_code == 404


def test_the_profiles_time_limited_answer_is_kept_with_its_day_and_rules_today(app, client, auth):
    """A toxin treatment in the last 48 hours, answered on the profile: stored with the day it
    was given, shown again as that range, and Today offers no routine at all."""
    auth.register()
    page = client.get("/account").get_data(as_text=True)
    action, fields = read_form(page, "/account/skin-check")
    fields.setlist("toxin", ["48h"])
    assert client.post(action, data=fields).status_code == 302
    with app.app_context():
        from app.models import User

        stored = db.session.scalar(select(User.skin_flags))
    assert stored["toxin"]["when"] == "48h" and stored["toxin"]["answered_on"]
    _, shown = read_form(client.get("/account").get_data(as_text=True), "/account/skin-check")
    assert shown["toxin"] == "48h"
    today = client.get("/").get_data(as_text=True)
    assert "A rest day" in today and ">Start<" not in today
