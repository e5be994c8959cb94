"""Limits agree: every length and range a form's HTML gives the browser, the server enforces
the same way. Counted as a browser counts: a line break once (it posts CRLF), an emoji as
two (UTF-16 code units). The limits are read from the pages themselves, so a limited field
without a case here fails the first test.
"""

import re

import pytest

from app.form_helpers import browser_length

# (page, field) for every field that carries maxlength or minlength, and min or max.
LENGTHS = [
    ("/sessions/new", "notes"),
    ("/account", "display_name"),
    ("/account/delete", "password"),
    ("/account/sign-ins", "current_password"),
    ("/account/sign-ins", "new_password"),
    ("/auth/register", "display_name"),
    ("/auth/register", "email"),
    ("/auth/register", "password"),
    ("/auth/login", "email"),
    ("/auth/login", "password"),
]
RANGES = [
    ("/sessions/new", "minutes"),
    ("/account", "weekly_target"),
    ("/account", "rest_days_per_week"),
    ("/account", "checkin_every_sessions"),
    ("/account/reminders", "minutes"),
]
SIGNED_IN_PAGES = {"/sessions/new", "/account", "/account/delete", "/account/sign-ins", "/account/reminders",
                   "/welcome/goals", "/welcome/skin", "/welcome/practice"}
ACTIONS = {"/account/sign-ins": "/account/password"}  # where a page's limited form posts, if elsewhere


def control_tags(page: str) -> dict[str, dict[str, str]]:
    """Each named input and textarea on the page, with its attributes."""
    tags = {}
    for tag in re.findall(r"<(?:input|textarea)\b[^>]*>", page):
        attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        if "name" in attributes:
            tags.setdefault(attributes["name"], attributes)
    return tags


@pytest.fixture
def open_page(client, auth):
    def open_(path: str) -> str:
        if path in SIGNED_IN_PAGES:
            auth.register(email="limits@example.com")
        return client.get(path).get_data(as_text=True)

    return open_


def test_every_limited_field_has_a_case_here(client, auth):
    tags = {(path, name): tag for path in ["/auth/register", "/auth/login"]
            for name, tag in control_tags(client.get(path).get_data(as_text=True)).items()}
    auth.register(email="limits@example.com")
    tags |= {(path, name): tag for path in SIGNED_IN_PAGES
             for name, tag in control_tags(client.get(path).get_data(as_text=True)).items()}
    assert {key for key, tag in tags.items() if {"maxlength", "minlength"} & tag.keys()} == set(LENGTHS)
    assert {key for key, tag in tags.items() if {"min", "max"} & tag.keys()} == set(RANGES)


def text_of(length: int, tag: dict, emoji: bool = False) -> str:
    """A valid value of `length` as the browser counts it, posted as the browser posts it: in
    a textarea every 30th character a line break (CRLF); for an email, a well-formed address."""
    if tag.get("type") == "email":
        return email_of(length)
    parts, counted = [], 0
    while counted < length:
        if "type" not in tag and len(parts) % 30 == 29:
            parts.append("\r\n")
        else:
            parts.append("🧖" if emoji and length - counted >= 2 else "x")
        counted += browser_length(parts[-1])
    return "".join(parts)


def email_of(length: int) -> str:
    """An address of that length: a 64-character local part (the most allowed) and labels of at most 63."""
    local = "a" * min(64, length - 13)
    rest, labels = length - len(local) - 1, []
    while rest > 4 + 64:
        labels.append("b" * 63)
        rest -= 64
    labels.append("b" * (rest - 4))
    return f"{local}@{'.'.join(labels)}.com"


def field_errors(page: str, name: str) -> str | None:
    error = re.search(rf'<p class="field-error" id="{name}-error">(.*?)</p>', page)
    return error.group(1) if error else None


def refused(page: str, name: str, limit: int) -> bool:
    """The field has an error naming this limit (a wrong password, say, is another matter)."""
    return re.search(rf"\b{limit}\b", field_errors(page, name) or "") is not None


def accepted(page: str, name: str, limit: int) -> bool:
    return not refused(page, name, limit)


def post_with(client, path: str, page: str, name: str, value: str) -> str:
    data = {key: tag.get("value", "") for key, tag in control_tags(page).items() if tag.get("type") != "radio"}
    data[name] = value
    if name in ("password", "new_password") and "confirm" in data:
        data["confirm"] = value
    return client.post(ACTIONS.get(path, path), data=data).get_data(as_text=True)


@pytest.mark.parametrize(("path", "name"), LENGTHS)
def test_lengths_agree(client, open_page, path, name):
    page = open_page(path)
    tag = control_tags(page)[name]
    longest = int(tag["maxlength"])
    at_limit, over = text_of(longest, tag), text_of(longest + 1, tag)
    assert (browser_length(at_limit), browser_length(over)) == (longest, longest + 1)
    assert accepted(post_with(client, path, page, name, at_limit), name, longest)
    assert refused(post_with(client, path, page, name, over), name, longest)
    if "minlength" in tag:
        shortest = int(tag["minlength"])
        assert accepted(post_with(client, path, page, name, text_of(shortest, tag)), name, shortest)
        assert refused(post_with(client, path, page, name, text_of(shortest - 1, tag)), name, shortest)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/sessions/new", "notes"),
        ("/account", "display_name"),
        ("/account/delete", "password"),
        ("/account/sign-ins", "new_password"),
        ("/auth/register", "display_name"),
        ("/auth/register", "password"),
        ("/auth/login", "password"),
    ],
)
def test_an_emoji_counts_twice_on_both_sides(client, open_page, path, name):
    page = open_page(path)
    tag = control_tags(page)[name]
    longest = int(tag["maxlength"])
    over = text_of(longest + 1, tag, emoji=True)
    assert browser_length(over) == longest + 1
    assert accepted(post_with(client, path, page, name, text_of(longest, tag, emoji=True)), name, longest)
    assert refused(post_with(client, path, page, name, over), name, longest)
    if "minlength" in tag:
        shortest = int(tag["minlength"])
        assert accepted(post_with(client, path, page, name, text_of(shortest, tag, emoji=True)), name, shortest)


@pytest.mark.parametrize(("path", "name"), RANGES)
def test_ranges_agree(client, open_page, path, name):
    page = open_page(path)
    tag = control_tags(page)[name]
    low, high = int(tag["min"]), int(tag["max"])
    for value in (low, high):
        assert accepted(post_with(client, path, page, name, str(value)), name, value), value
    for value, limit in ((low - 1, low), (high + 1, high)):
        assert refused(post_with(client, path, page, name, str(value)), name, limit), value
