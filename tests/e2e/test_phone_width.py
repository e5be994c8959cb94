"""No page scrolls sideways on a phone: a person at the mirror scrolls with one finger, down."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_look import MEMBER_PAGES, ROUTINE, VISITOR_PAGES, register

pytestmark = pytest.mark.browser


def sideways(page: Page) -> int:
    """How far the page reaches past the screen's right edge, in CSS pixels."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_no_page_scrolls_sideways_on_a_phone(page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    wide = {}
    for path in VISITOR_PAGES:
        page.goto(path)
        wide[path] = sideways(page)
    register(page)
    page.goto(f"/routines/{ROUTINE}/play/done?spent=200")  # one session logged, so the tables have rows
    page.get_by_role("radio", name="4 · Good").check()
    page.get_by_role("button", name="Log this session").click()
    expect(page).to_have_url(re.compile(r"/sessions/\d+$"))
    for path in MEMBER_PAGES:
        page.goto(path)
        wide[f"{path} (member)"] = sideways(page)
    assert {path: extra for path, extra in wide.items() if extra > 0} == {}
