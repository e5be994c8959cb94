"""A new person's first evening, in a real browser: register, answer the three onboarding
screens, pick a goal's routine, play it (the page's clock fast-forwarded), log it with a
rating, see it count on Today and Progress, sign out.

The live server is shared by every browser test, so each run registers a fresh email.
"""

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import more

pytestmark = pytest.mark.browser

GOAL = "Less puffiness"
ROUTINE = "Quick morning de-puff"


def stat(page: Page, label: str):
    return page.locator(".stat", has=page.get_by_text(label, exact=True)).locator(".stat-value")


def test_register_play_log_and_see_it_count(page: Page, live_server, axe_check):
    email = f"journey-{uuid.uuid4().hex[:8]}@example.com"
    page.clock.install()  # before any page loads, so the player's timers run on this clock

    # Register through the form.
    page.goto("/auth/register")
    axe_check()
    page.get_by_label("Your name (optional)").fill("Juno")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("massage every evening")
    page.get_by_label("Repeat the password").fill("massage every evening")
    page.get_by_role("button", name="Create account").click()

    # Onboarding: three short screens, then a first routine chosen from the answers.
    expect(page).to_have_url(re.compile(r"/welcome/goals$"))
    expect(page.get_by_text("Welcome to Glowstep.")).to_be_visible()
    expect(page.get_by_role("heading", name="Welcome, Juno")).to_be_visible()
    axe_check()
    page.get_by_label(GOAL).check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Dry").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("5 minutes", exact=True).check()
    page.get_by_label("In the evening").check()
    zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    expect(page.get_by_label("Your time zone")).to_have_value(zone)  # picked from the device
    axe_check()
    page.get_by_role("button", name="Show my first routine").click()
    expect(page.get_by_role("heading", name=re.compile("^Your first routine: "))).to_be_visible()
    axe_check()

    # Today says nothing is logged yet; pick the routine from the goal's list.
    page.get_by_role("link", name="Glowstep").first.click()
    expect(page.get_by_role("heading", name="Good", exact=False).first).to_be_visible()
    expect(page.get_by_text("0 of 4 sessions")).to_be_visible()
    page.goto("/goals")
    page.get_by_role("link", name=GOAL).first.click()
    expect(page).to_have_url(re.compile(r"/goals/puffiness-dark-circles$"))
    page.get_by_role("link", name=ROUTINE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ROUTINE)
    total = page.locator(".facts dd").first.inner_text()  # "Total time", e.g. "3 min 45 s"
    page.get_by_role("link", name="Start this routine").click()

    # The player: Start, then let the page's clock run through the lead-in and every step.
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    seconds = sum(int(s) for s in page.locator(".player-step").evaluate_all("s => s.map(e => e.dataset.seconds)"))
    page.clock.run_for((5 + seconds + 2) * 1000)
    expect(page).to_have_url(re.compile(rf"/play/done\?spent={seconds}$"))
    expect(page.get_by_role("heading", name="Well done")).to_be_visible()
    expect(page.get_by_text(f"You finished {ROUTINE} in {total}")).to_be_visible()
    axe_check()

    # Log it with a rating.
    page.get_by_role("radio", name="4 · Good").check()
    page.get_by_role("button", name="Log this session").click()
    expect(page).to_have_url(re.compile(r"/sessions/\d+$"))
    expect(page.get_by_text("Session logged. Well done.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(ROUTINE)
    expect(page.get_by_text("4 out of 5")).to_be_visible()
    expect(page.locator(".facts").get_by_text(total, exact=True)).to_be_visible()
    axe_check()
    detail_url = page.url

    # Back on Today, it counts this week.
    page.get_by_role("link", name="Glowstep").first.click()
    expect(page.get_by_text("1 of 4 sessions")).to_be_visible()
    expect(page.locator(".week-dot.done")).to_have_count(1)
    axe_check()

    # It counts on Progress and shows in the history.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    expect(stat(page, "day streak")).to_have_text("1")
    expect(stat(page, "sessions in all")).to_have_text("1")
    expect(page.get_by_role("img", name=re.compile("Practice calendar"))).to_be_visible()
    axe_check()

    more(page).get_by_role("link", name="Sessions").click()
    expect(page.get_by_role("heading", name="Your sessions")).to_be_visible()
    session_link = page.get_by_role("link", name=ROUTINE)
    expect(session_link).to_have_count(1)
    expect(session_link).to_have_attribute("href", detail_url.removeprefix(live_server.url))
    axe_check()

    more(page).get_by_role("link", name="Profile").click()
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    axe_check()

    # Sign out.
    more(page).get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You're signed out.")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto(detail_url)
    expect(page).to_have_url(re.compile(r"/auth/login\?next="))


@pytest.mark.parametrize("path", ["/auth/login", "/sessions/new"])
def test_signed_out_forms_have_no_axe_violations(page: Page, live_server, axe_check, path):
    page.goto(path)
    axe_check()


def test_field_errors_have_no_axe_violations(page: Page, live_server, axe_check):
    """Errors are tied to their fields, for a screen reader too."""
    page.goto("/auth/register")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Email")).to_have_accessible_description(re.compile("Invalid email address"))
    axe_check()


def test_a_password_can_be_shown_while_typing(page: Page, live_server, axe_check):
    page.goto("/auth/login")
    password = page.get_by_label("Password", exact=True)
    password.fill("typed on a phone")
    show = page.get_by_role("button", name="Show")
    expect(show).to_have_attribute("aria-pressed", "false")
    show.click()
    expect(password).to_have_attribute("type", "text")
    expect(show).to_have_attribute("aria-pressed", "true")
    axe_check()
    show.click()
    expect(password).to_have_attribute("type", "password")

