"""A visitor finds a routine in a real browser, and every catalog page passes axe-core."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_from_home_to_a_goal_to_a_routine(page: Page, live_server):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Facial massage")

    page.get_by_role("link", name="Less puffiness").first.click()
    expect(page).to_have_url(re.compile(r"/goals/puffiness-dark-circles$"))
    expect(page.get_by_role("heading", name=re.compile("How strong is the evidence"))).to_be_visible()

    routine_link = page.locator(".routine-card h3 a").first
    title = routine_link.inner_text()
    routine_link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("complementary", name="Professional advice")).to_contain_text("esthetician")
    steps = page.locator("ol.steps > li")
    expect(steps.first).to_be_visible()
    assert steps.count() >= 4
    expect(page.get_by_role("img").first).to_have_attribute("aria-label", re.compile(r"\w"))
    expect(page.get_by_text("Total time")).to_be_visible()


def test_filtering_routines_in_the_form(browser, live_server):
    # The form is the path without JavaScript (with it, chips apply at once: test_look).
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + "/routines")
    page.get_by_label("Skin goal").select_option("tension-relief")
    page.get_by_label("Length").select_option("quick")
    page.get_by_role("button", name="Show routines").click()
    expect(page).to_have_url(re.compile(r"goal=tension-relief.*length=quick"))
    cards = page.locator(".routine-card")
    expect(cards.first).to_be_visible()
    for text in cards.all_inner_texts():
        assert "Tension" in text or "tension" in text
    page.context.close()


CATALOG_PAGES = [
    "/",
    "/goals",
    "/goals/circulation",
    "/routines",
    "/routines?goal=world-peace",
    "/safety",
    "/guide",
    "/routines/full-lymphatic-drainage/play",
    "/routines/quick-tapping-wake-up/play?step=1&toxin=48h",
    "/no-such-page",
]


@pytest.mark.parametrize("path", CATALOG_PAGES)
def test_catalog_pages_have_no_axe_violations(page: Page, live_server, axe_check, path):
    page.goto(live_server.url + path)
    axe_check()


def test_every_routine_page_has_no_axe_violations(page: Page, live_server, axe_check):
    page.goto(live_server.url + "/routines")
    hrefs = page.locator(".routine-card h2 a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) >= 14
    for href in hrefs:
        page.goto(live_server.url + href)
        axe_check()


def test_routine_page_reads_well_on_a_phone(page: Page, live_server):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/routines")
    page.locator(".routine-card h2 a").first.click()
    page.wait_for_url(re.compile(r"/routines/[a-z0-9-]+$"))  # measured mid-navigation, there is no document
    no_sideways_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_sideways_scroll


def test_a_routines_cautions_open_above_start_on_a_phone(page: Page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/routines/full-lymphatic-drainage/play")
    cautions = page.get_by_role("region", name="Cautions for this routine")
    expect(cautions).to_contain_text("Ask your doctor first if you have a heart, kidney, thyroid")
    note = cautions.get_by_text("never work over the front of the neck")
    expect(note).to_be_hidden()
    cautions.get_by_text("Read before you start (6)").click()
    expect(note).to_be_visible()
    start = page.get_by_role("button", name="Start").bounding_box()
    assert cautions.bounding_box()["y"] < start["y"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
