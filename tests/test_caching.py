"""Caching: fingerprinted static files kept for a year, 304s for unchanged pages, and pages
kept rendered in memory that follow every change, whichever process made it."""

import re
import time
from dataclasses import replace
from datetime import datetime, timedelta
from urllib.parse import urljoin

import pytest
from flask import request_started, template_rendered
from sqlalchemy import select

from app.account.summary import progress_clock
from app.content.loader import load_library
from app.content.store import store_library
from app.extensions import db
from app.models import User
from app.page_cache import EXTENSION_KEY
from app.static_files import YEAR, folder_fingerprint
from tests.conftest import PASSWORD, AuthActions, fill, log_session, make_test_app, read_form, save_profile

ROUTINE = "quick-morning-depuff"
BROWSABLE = ["/", "/goals", "/goals/circulation", "/routines", "/routines?length=quick", f"/routines/{ROUTINE}",
             "/safety", f"/routines/{ROUTINE}/play", f"/routines/{ROUTINE}/play?step=2"]


def static_urls(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', page)


def assert_kept_for_a_year(response):
    with response:  # a file response streams: close it
        assert response.status_code == 200
        assert response.cache_control.max_age >= YEAR
        assert response.cache_control.immutable and response.cache_control.public


def test_every_static_file_a_page_uses_is_fingerprinted_and_kept_for_a_year(app, client):
    fingerprint = app.config["STATIC_FINGERPRINT"]
    urls = {url for page in BROWSABLE for url in static_urls(client.get(page).get_data(as_text=True))}
    assert {url.rsplit("/", 2)[-1] for url in urls} >= {"site.css", "main.js"}
    for url in urls:
        assert url.startswith(f"/static/{fingerprint}/"), url
        assert_kept_for_a_year(client.get(url))


def test_player_modules_import_each_other_inside_the_fingerprinted_tree(client):
    page = client.get(f"/routines/{ROUTINE}/play?step=1").get_data(as_text=True)
    main = next(url for url in static_urls(page) if url.endswith("/main.js"))
    with client.get(main) as response:
        imports = re.findall(r'from "(\./[^"]+)"', response.get_data(as_text=True))
    assert imports, "the player's entry module should import its helpers"
    for relative in imports:
        assert_kept_for_a_year(client.get(urljoin(main, relative)))


def test_a_changed_file_changes_the_fingerprint(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_text("body { color: black }")
    before = folder_fingerprint(tmp_path)
    assert folder_fingerprint(tmp_path) == before
    (tmp_path / "css" / "site.css").write_text("body { color: navy }")
    assert folder_fingerprint(tmp_path) != before


def test_a_stale_fingerprint_still_serves_the_file_but_briefly(client):
    with client.get("/static/000000000000/css/site.css") as response:
        assert response.status_code == 200
        assert response.cache_control.max_age == 0


def conditional_status(client, page: str) -> int:
    first = client.get(page)
    assert first.status_code == 200 and first.headers.get("ETag"), page
    assert first.cache_control.no_cache and first.cache_control.private
    again = client.get(page, headers={"If-None-Match": first.headers["ETag"]})
    return again.status_code


@pytest.mark.parametrize("page", BROWSABLE)
def test_unchanged_pages_answer_304_to_visitors(client, page):
    assert conditional_status(client, page) == 304


def test_unchanged_pages_answer_304_when_signed_in_and_change_with_the_profile(client, auth):
    auth.register()
    client.get("/")  # shows (and uses up) the welcome message
    for page in BROWSABLE:
        assert conditional_status(client, page) == 304, page
    before = client.get("/routines").headers["ETag"]
    save_profile(client, skin_type="oily")
    client.get("/account")  # the "Profile saved." message is shown there
    after = client.get("/routines", headers={"If-None-Match": before})
    assert after.status_code == 200, "recommendations changed with the skin type, so must the page"
    assert after.headers["ETag"] != before


def test_a_flashed_message_is_never_swallowed_by_a_304(client, auth):
    auth.register()
    etag = client.get("/").headers["ETag"]
    client.post("/auth/logout")  # flashes a message, shown on the next page
    response = client.get("/", headers={"If-None-Match": etag})
    assert response.status_code == 200


# --- pages kept rendered in memory (app.page_cache) ------------------------------------


def register_with_csrf(client, email: str) -> None:
    _, fields = read_form(client.get("/auth/register").get_data(as_text=True))
    password = "a long enough passphrase"
    assert client.post("/auth/register", data=fill(fields, email=email, password=password, confirm=password)
                       ).status_code == 302
    client.get("/")  # shows (and uses up) the welcome message


def test_a_page_kept_in_memory_carries_each_persons_own_csrf_token(db_path):
    app = make_test_app(db_path, WTF_CSRF_ENABLED=True)
    people = [app.test_client(), app.test_client()]
    for number, client in enumerate(people):
        register_with_csrf(client, f"person{number}@example.com")
    rendered = []
    with template_rendered.connected_to(lambda sender, template, context: rendered.append(template.name), app):
        pages = [client.get("/routines").get_data(as_text=True) for client in people]
    tokens = [read_form(page, "/auth/logout")[1]["csrf_token"] for page in pages]

    assert tokens[0] != tokens[1]
    assert pages[0].replace(tokens[0], "") == pages[1].replace(tokens[1], "")
    assert rendered == ["catalog/routines.html"], "the second person's page should come from memory"
    for client, token in zip(people, tokens, strict=True):
        assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302


def test_people_with_different_answers_never_share_a_page(client, auth):
    visitor_page = client.get("/routines").get_data(as_text=True)
    auth.register()
    save_profile(client, goal_slugs=["circulation"])
    client.get("/account")  # the "Profile saved." message
    member_page = client.get("/routines").get_data(as_text=True)
    assert "Recommended for you" in member_page and "Recommended for you" not in visitor_page
    save_profile(client, goal_slugs=["muscle-tone"])
    client.get("/account")
    changed_page = client.get("/routines").get_data(as_text=True)
    assert changed_page != member_page


def test_a_content_load_replaces_the_pages_kept_in_memory(app, client):
    before = client.get(f"/routines/{ROUTINE}").get_data(as_text=True)
    library = load_library()
    renamed = replace(library, routines=tuple(
        replace(routine, title="Renamed for the test") if routine.slug == ROUTINE else routine
        for routine in library.routines
    ))
    with app.app_context():
        store_library(renamed)
    after = client.get(f"/routines/{ROUTINE}").get_data(as_text=True)
    assert "Renamed for the test" in after and "Renamed for the test" not in before


# --- several processes: two apps on one database stand for two app processes ------------


def two_processes(db_path, **config):
    """Two apps on one database, each with its own memory, and a client of each signed in
    as the same person."""
    first, second = make_test_app(db_path, **config), make_test_app(db_path, **config)
    clients = [first.test_client(), second.test_client()]
    AuthActions(clients[0]).register(email="both@example.com")
    AuthActions(clients[1]).login(email="both@example.com")
    for client in clients:
        client.get("/")  # the welcome message
    return first, clients


def total_sessions(page: str) -> int:
    return int(re.search(r'<p class="stat-value">(\d+)</p><p class="stat-label">sessions in all', page).group(1))


def test_personal_pages_kept_in_memory_follow_a_log_made_through_another_process(db_path):
    first, (here, there) = two_processes(db_path)
    rendered = []
    with template_rendered.connected_to(lambda sender, template, context: rendered.append(template.name), first):
        assert total_sessions(here.get("/progress").get_data(as_text=True)) == 0
        here.get("/sessions")
        assert total_sessions(here.get("/progress").get_data(as_text=True)) == 0
        here.get("/sessions")
        assert rendered == ["account/progress.html", "sessions/history.html"], "asked again: from memory"

        log_id = log_session(there)
        assert total_sessions(here.get("/progress").get_data(as_text=True)) == 1
        assert f"/sessions/{log_id}" in here.get("/sessions").get_data(as_text=True)
        assert rendered[2:] == ["account/progress.html", "sessions/history.html"]

        assert there.post(f"/sessions/{log_id}/delete").status_code == 302
        assert total_sessions(here.get("/progress").get_data(as_text=True)) == 0
        assert f"/sessions/{log_id}" not in here.get("/sessions").get_data(as_text=True)


def test_catalog_pages_follow_a_profile_saved_through_another_process_within_seconds(db_path):
    window = 0.3
    _, (here, there) = two_processes(db_path, VIEWER_ANSWERS_SECONDS=window)
    assert "Recommended for you" not in here.get("/routines").get_data(as_text=True)
    save_profile(there, goal_slugs=["circulation"])
    there.get("/account")  # the "Profile saved." message
    assert "Recommended for you" in there.get("/routines").get_data(as_text=True), "at once where it was saved"
    time.sleep(window)
    assert "Recommended for you" in here.get("/routines").get_data(as_text=True), "within the window elsewhere"


def test_the_progress_page_is_rendered_again_when_its_day_or_check_in_weeks_turn(app):
    with app.app_context():
        person = User(email="clock@example.com", time_zone="Europe/Paris",
                      created_at=datetime(2026, 1, 1, 12, 0), checkin_acknowledged_at=None)
    # Midnight in Paris is 23:00 UTC in January.
    evening, before_midnight, after_midnight = (datetime(2026, 1, 10, 18, 0), datetime(2026, 1, 10, 22, 59),
                                                datetime(2026, 1, 10, 23, 1))
    assert progress_clock(person, evening) == progress_clock(person, before_midnight)
    assert progress_clock(person, before_midnight) != progress_clock(person, after_midnight)
    four_weeks = datetime(2026, 1, 29, 12, 0)
    assert progress_clock(person, four_weeks - timedelta(minutes=1))[1] is False
    assert progress_clock(person, four_weeks)[1] is True


def test_a_deleted_account_is_signed_out_on_its_other_devices_too(db_path):
    app = make_test_app(db_path, VIEWER_ANSWERS_SECONDS=0)
    phone, laptop = app.test_client(), app.test_client()
    AuthActions(phone).register(email="gone@example.com")
    AuthActions(laptop).login(email="gone@example.com")
    for page in ("/", "/progress", "/sessions"):
        assert laptop.get(page).status_code == 200  # kept in memory for this person
    _, fields = read_form(phone.get("/account/delete").get_data(as_text=True), "")
    assert phone.post("/account/delete", data=fill(fields, password=PASSWORD)).status_code == 302

    assert "Sign out" not in laptop.get("/").get_data(as_text=True)
    for page in ("/progress", "/sessions"):
        assert laptop.get(page).status_code == 302, page  # to sign in: nothing of theirs is left to show


# --- kept pages answered in front of Flask (app.page_cache.PagesFromMemory) -------------------

PERSONAL = ["/progress", "/sessions"]


class FlaskRequests:
    """Counts the requests that reached Flask (request_started), as against those answered
    from memory in front of it."""

    def __init__(self, app):
        self.count = 0
        request_started.connect(self.started, app)

    def started(self, sender, **extra):
        self.count += 1


def comparable(response) -> tuple:
    headers = sorted((name, value) for name, value in response.headers.items() if name != "X-Request-ID")
    return response.status_code, headers, response.get_data()


def signed_in_with_csrf(db_path, **config):
    app = make_test_app(db_path, WTF_CSRF_ENABLED=True, **config)
    client = app.test_client()
    register_with_csrf(client, "front@example.com")
    return app, client


def test_a_page_from_memory_in_front_of_flask_is_the_page_flask_renders(db_path):
    app, member = signed_in_with_csrf(db_path)
    visitor = app.test_client()
    flask_requests = FlaskRequests(app)
    for client, pages in ((visitor, BROWSABLE), (member, BROWSABLE + PERSONAL)):
        for page in pages:
            rendered = client.get(page)
            before = flask_requests.count
            again = client.get(page)
            assert flask_requests.count == before, f"{page}: asked again, answered before Flask"
            assert comparable(again) == comparable(rendered), page
    assert 'action="/auth/logout"' in member.get("/").get_data(as_text=True)


def test_a_page_from_memory_still_carries_the_sessions_own_csrf_token(db_path):
    app, member = signed_in_with_csrf(db_path)
    member.get("/routines")
    flask_requests = FlaskRequests(app)
    _, fields = read_form(member.get("/routines").get_data(as_text=True), "/auth/logout")
    assert flask_requests.count == 0
    assert member.post("/auth/logout", data=fields).status_code == 302
    assert "Sign out" not in member.get("/").get_data(as_text=True)


def test_what_asks_flask_to_act_goes_through_flask(db_path):
    app, member = signed_in_with_csrf(db_path)
    flask_requests = FlaskRequests(app)
    first = member.get("/routines")

    def reaches_flask(**request) -> bool:
        before = flask_requests.count
        member.open("/routines", **request)
        return flask_requests.count > before

    assert not reaches_flask()
    assert reaches_flask(method="HEAD")
    assert reaches_flask(headers={"If-None-Match": first.headers["ETag"]}), "a 304 is Flask's to make"
    with member.session_transaction() as session:
        session["_flashes"] = [("info", "A message to show")]
    assert "A message to show" in member.get("/routines").get_data(as_text=True), "never from memory"
    member.get("/routines")  # the session cookie without the message, signed anew: Flask verifies it first
    assert not reaches_flask(), "the message was shown once; pages come from memory again"
    app.config["PAGE_CACHE"] = False
    assert reaches_flask()


def test_a_session_cookie_this_process_has_not_verified_goes_through_flask(db_path):
    app, member = signed_in_with_csrf(db_path)
    member.get("/routines")
    other_process = make_test_app(db_path, WTF_CSRF_ENABLED=True, SECRET_KEY=app.config["SECRET_KEY"])
    other_process.extensions[EXTENSION_KEY] = app.extensions[EXTENSION_KEY]  # the pages, not the cookies
    flask_requests = FlaskRequests(other_process)
    client = other_process.test_client()
    client.set_cookie("session", member.get_cookie("session").value)
    assert "Sign out" in client.get("/routines").get_data(as_text=True)
    assert flask_requests.count == 1, "the page is kept, but the cookie is verified by Flask first"
    client.get("/routines")
    assert flask_requests.count == 1, "then known"


def test_an_expired_session_cookie_gets_a_visitors_page(db_path):
    app, member = signed_in_with_csrf(db_path, PERMANENT_SESSION_LIFETIME=timedelta(seconds=2))
    assert "Sign out" in member.get("/routines").get_data(as_text=True)
    time.sleep(3)
    assert "Sign out" not in member.get("/routines").get_data(as_text=True)
    assert member.get("/progress").status_code == 302


def test_a_remember_me_cookie_alone_signs_the_person_back_in_through_flask(db_path):
    app = make_test_app(db_path)
    client = app.test_client()
    AuthActions(client).register(email="remember@example.com")
    AuthActions(client).logout()
    AuthActions(client).login(email="remember@example.com", remember=True)
    client.get("/")  # sets the remember-me cookie, shows the welcome message
    assert client.get_cookie("remember_token") is not None
    client.get("/routines")
    client.delete_cookie("session")  # the browser was closed; the remember-me cookie stays
    flask_requests = FlaskRequests(app)
    assert "Sign out" in client.get("/routines").get_data(as_text=True)
    assert flask_requests.count == 1


def test_personal_pages_in_front_of_flask_follow_the_persons_row(db_path):
    app, member = signed_in_with_csrf(db_path)
    first = member.get("/progress").get_data(as_text=True)
    flask_requests = FlaskRequests(app)
    assert member.get("/progress").get_data(as_text=True) == first
    assert flask_requests.count == 0
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == "front@example.com"))
        person.log_version += 1  # what any change to their logs does, in any process
        db.session.commit()
    member.get("/progress")
    assert flask_requests.count == 1, "a changed row: rendered again by Flask"
