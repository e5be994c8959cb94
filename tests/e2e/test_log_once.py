"""The player's log form stores one session across Back, reload, a double click and two tabs,
in a real browser that keeps no page in its back/forward cache, against a server with CSRF on.

The browser's HTTP cache is turned off too (DevTools' Network.setCacheDisabled), so Back
fetches the done page from the server again, as a browser does when it kept neither copy.
"""

import re
import uuid

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from app.extensions import db
from app.models import SessionLog, User
from bench.server import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.conftest import LiveServer, served

pytestmark = pytest.mark.browser

ROUTINE = "quick-morning-depuff"
DONE = f"/routines/{ROUTINE}/play/done?spent=200"


@pytest.fixture(scope="module")
def csrf_server(template_db, tmp_path_factory):
    """A live server of its own, with CSRF protection on as in production."""
    with served(template_db, tmp_path_factory.mktemp("log-once"), WTF_CSRF_ENABLED=True) as server:
        yield server


@pytest.fixture
def no_bfcache_context(browser_type, csrf_server):
    """Chromium without its back/forward cache, and with no HTTP cache in its pages."""
    browser = browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--disable-back-forward-cache"], headless=True
    )
    context = browser.new_context(base_url=csrf_server.url)
    yield context
    context.close()
    browser.close()


def new_tab(context) -> Page:
    tab = context.new_page()
    devtools = context.new_cdp_session(tab)
    devtools.send("Network.enable")
    devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
    return tab


def sessions_of(server: LiveServer, email: str) -> int:
    with server.app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        count = db.session.scalar(select(func.count(SessionLog.id)).where(SessionLog.user_id == user_id))
        db.session.remove()
        return count


def register(tab: Page, email: str) -> None:
    tab.goto("/auth/register")
    tab.get_by_label("Email").fill(email)
    tab.get_by_label("Password", exact=True).fill("massage every evening")
    tab.get_by_label("Repeat the password").fill("massage every evening")
    tab.get_by_role("button", name="Create account").click()
    expect(tab.get_by_text("Welcome to Glowstep.")).to_be_visible()


def log_it(tab: Page) -> None:
    tab.get_by_role("radio", name="4 · Good").check()
    tab.get_by_role("button", name="Log this session").click()
    expect(tab).to_have_url(re.compile(r"/sessions/\d+$"))


def test_back_reload_double_click_and_two_tabs_store_one_session(no_bfcache_context, csrf_server, axe_check):
    email = f"once-{uuid.uuid4().hex[:8]}@example.com"
    tab = new_tab(no_bfcache_context)
    register(tab, email)

    # Submit, press Back (the page is fetched again), submit again: still one session.
    tab.goto(DONE)
    log_it(tab)
    stored = tab.url
    tab.go_back()
    log_it(tab)
    assert sessions_of(csrf_server, email) == 1
    assert tab.url == stored

    # Reload the stored session's page, and the done page: nothing more is stored.
    tab.reload()
    tab.goto(DONE)
    tab.reload()
    expect(tab.get_by_role("heading", name="Logged already")).to_be_visible()
    axe_check(tab)
    log_it(tab)
    assert tab.url == stored
    assert sessions_of(csrf_server, email) == 1

    # The person did it again and says so: one more session, however often they click.
    tab.goto(DONE)
    tab.get_by_role("link", name="I did it again: log another session").click()
    tab.get_by_role("radio", name="5 · Great").check()
    tab.get_by_role("button", name="Log this session").dblclick()
    expect(tab).to_have_url(re.compile(r"/sessions/\d+$"))
    assert tab.url != stored
    assert sessions_of(csrf_server, email) == 2

    # Back to the "another" form once it is stored: still two.
    again = tab.url
    tab.go_back()
    log_it(tab)
    assert sessions_of(csrf_server, email) == 2
    assert tab.url == again

    # A third play, its form open in two tabs, both sent: one session more.
    tab.goto(DONE)
    another = tab.get_by_role("link", name="I did it again: log another session").get_attribute("href")
    first, second = tab, new_tab(no_bfcache_context)
    for each in (first, second):
        each.goto(another)
    log_it(first)
    log_it(second)
    assert first.url == second.url
    assert sessions_of(csrf_server, email) == 3


def test_a_visitors_form_sends_the_browsers_zone_and_names_it(no_bfcache_context, csrf_server, axe_check):
    """With JavaScript, a visitor's typed time is read in the zone the browser is in."""
    context = no_bfcache_context.browser.new_context(base_url=csrf_server.url, timezone_id="Australia/Lord_Howe")
    tab = context.new_page()
    tab.goto(DONE)
    tab.get_by_text("Add details").click()  # the time, like every detail, is one tap away
    expect(tab.get_by_text("Read in this device's time zone: Australia/Lord Howe.")).to_be_visible()
    expect(tab.locator('input[name="time_zone"]')).to_have_value("Australia/Lord_Howe")
    expect(tab.get_by_label("When")).to_have_accessible_description(re.compile("Australia/Lord Howe"))
    axe_check(tab)

    # Logged as a visitor at 21:00 on Lord Howe Island (UTC+11 in January), then an account made.
    tab.get_by_role("radio", name="4 · Good").check()
    tab.get_by_label("When").fill("2025-01-15T21:00")
    tab.get_by_role("button", name="Log this session").click()
    expect(tab).to_have_url(re.compile(r"/auth/login$"))
    email = f"lord-howe-{uuid.uuid4().hex[:8]}@example.com"
    tab.get_by_role("link", name="Create an account").first.click()
    tab.get_by_label("Email").fill(email)
    tab.get_by_label("Password", exact=True).fill("massage every evening")
    tab.get_by_label("Repeat the password").fill("massage every evening")
    tab.get_by_role("button", name="Create account").click()
    expect(tab.get_by_text("Your session is saved.")).to_be_visible()
    expect(tab.get_by_text("Wednesday 15 January 2025, 10:00 (UTC); Wed 15 Jan, 21:00 where you were"
                           " (Australia/Lord_Howe)")).to_be_visible()
    context.close()
