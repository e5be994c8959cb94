"""Rendered pages kept in memory, so a page asked for again is not rendered again.

Two kinds of page are kept, each in its own store:

- **Catalog and player pages** (`cached_page`) depend only on their URL, the library and a
  few profile answers (goals, skin type, skin check). They are stored under the URL and those
  answers, so everyone with the same answers shares a page and a changed answer is a different
  key, never a stale page. The answers of a signed-in person are read from the database at
  most once every VIEWER_ANSWERS_SECONDS per process (`ViewerAnswers`): these pages then need
  no query at all. A profile saved through another process shows here within that window;
  one saved through this process shows at once (`forget_person`).
- **Personal pages** (`cached_personal_page`: progress, session history) are stored under
  the URL, the person's whole `users` row as read for this request (app.signed_in), and what
  the page takes from the clock (today's date in their zone, for instance).
  `users.log_version` moves on with every change to their logs in the same transaction
  (app.models.progress_snapshot), so a new, edited or deleted log, or any profile change,
  makes a new key in every process at once.

The library changes only with a content load, which clears the stores of its process (app
processes restart after one). The CSRF token is the one part of a page that belongs to a
single browser session: it is stored as a placeholder and filled in for each request, signed
once per process for each session (`signed_csrf_token`). A page
with a flashed message is rendered afresh and never stored. Every process keeps its own
stores; what they hold is either exact for its key or, for profile answers, at most a few
seconds old, so any number of processes agree.
"""

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from flask import Flask, Response, current_app, g, make_response, request, session
from flask_login import current_user
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE
from flask_wtf.csrf import generate_csrf
from sqlalchemy import Row

from app.lru import LeastRecentlyUsed
from app.signed_in import session_user_id, signed_in_row, user_row
from app.timezones import utc_now

EXTENSION_KEY = "glowstep.page_cache"
CSRF_PLACEHOLDER = "\x00csrf\x00"  # a NUL never appears in a rendered page
VISITOR = ("visitor",)


@dataclass(frozen=True)
class CachedPage:
    html: str
    etag: str  # of the page without its CSRF token, as app.revalidation computes it


class ViewerAnswers(LeastRecentlyUsed):
    """Signed-in people's profile answers, by user id, each trusted for `seconds`."""

    def __init__(self, seconds: float, max_entries: int = 4096):
        super().__init__(max_entries)
        self.seconds = seconds

    def answers(self, user_id: str) -> tuple | None:
        found = self.get(user_id)
        if found is None:
            return None
        read_at, answers = found
        return answers if time.monotonic() - read_at < self.seconds else None

    def remember(self, user_id: str, answers: tuple) -> None:
        self.put(user_id, (time.monotonic(), answers))


@dataclass
class PageStores:
    catalog: LeastRecentlyUsed
    personal: LeastRecentlyUsed
    viewers: ViewerAnswers
    signed_tokens: LeastRecentlyUsed


def stores() -> PageStores:
    return current_app.extensions[EXTENSION_KEY]


def page_etag(html_without_token: str) -> str:
    return hashlib.sha256(html_without_token.encode()).hexdigest()[:32]


def answers_of(person) -> tuple:
    """All that a catalog or player page shows of who is looking (a users row or a User)."""
    if person is None:
        return VISITOR
    flags = json.dumps(person.skin_flags, sort_keys=True)
    return ("member", tuple(person.goal_slugs), person.skin_type, flags)


def viewer_key() -> tuple:
    """The viewer's answers, without touching the database while they are fresh."""
    user_id = session_user_id()
    if user_id is None:
        if current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE) in request.cookies:
            # Flask-Login signs them back in from the cookie (or finds it stale).
            return answers_of(current_user if current_user.is_authenticated else None)
        return VISITOR
    if (answers := stores().viewers.answers(user_id)) is None:
        answers = answers_of(user_row(user_id))  # an account deleted since: a visitor's page
        stores().viewers.remember(user_id, answers)
    return answers


def row_state(row: Row) -> str:
    """A digest of every column of the person's row: any change, a new key."""
    return hashlib.blake2b(repr(tuple(row)).encode(), digest_size=16).hexdigest()


def store(cache: LeastRecentlyUsed, key: tuple, response: Response) -> None:
    """Keep the page, and give the response the ETag it was stored with (hashed once)."""
    html = response.get_data(as_text=True)
    if token := g.get("csrf_token"):
        html = html.replace(token, CSRF_PLACEHOLDER)
    page = CachedPage(html, page_etag(html.replace(CSRF_PLACEHOLDER, "")))
    cache.put(key, page)
    response.set_etag(page.etag)


def signed_csrf_token() -> str:
    """This browser session's CSRF token, signed once per process. Signing is the costliest
    step of serving a page from memory, and with WTF_CSRF_TIME_LIMIT = None a signature never
    expires, so the first one stays valid for as long as the session keeps its token."""
    if current_app.config["WTF_CSRF_TIME_LIMIT"] is not None:
        return generate_csrf()
    field = current_app.config["WTF_CSRF_FIELD_NAME"]
    if (raw := session.get(field)) is None or (signed := stores().signed_tokens.get(raw)) is None:
        signed = generate_csrf()  # makes the session's token when it has none
        stores().signed_tokens.put(session[field], signed)
    return signed


def serve(page: CachedPage) -> Response:
    html = page.html
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, signed_csrf_token())
    response = Response(html, mimetype="text/html")
    response.set_etag(page.etag)
    return response


def from_cache_or_view(cache: LeastRecentlyUsed, key: tuple, view: Callable, kwargs: dict):
    if (page := cache.get(key)) is not None:
        return serve(page)
    response = make_response(view(**kwargs))
    if response.status_code == 200 and response.mimetype == "text/html":
        store(cache, key, response)
    return response


def caching_allowed() -> bool:
    return current_app.config["PAGE_CACHE"] and not session.get("_flashes")


def cached_page(view: Callable) -> Callable:
    """Serve the view's page from memory when a viewer with the same answers asked for it before."""

    @wraps(view)
    def wrapper(**kwargs):
        if not caching_allowed():
            return view(**kwargs)
        return from_cache_or_view(stores().catalog, (request.full_path, viewer_key()), view, kwargs)

    return wrapper


def cached_personal_page(clock_key: Callable[[Row, datetime], tuple] = lambda row, now: ()) -> Callable:
    """Serve the signed-in person's page from memory while nothing it shows has changed.
    `clock_key(row, now)` is what the page takes from the clock. Put it above login_required:
    a page served from memory needs only the person's row, not Flask-Login's User; anything
    else (a visitor, a remember-me cookie, a flashed message) goes through to the view."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(**kwargs):
            if not caching_allowed() or (row := signed_in_row()) is None:
                return view(**kwargs)
            key = (request.full_path, row.id, row_state(row), clock_key(row, utc_now()))
            return from_cache_or_view(stores().personal, key, view, kwargs)

        return wrapper

    return decorate


def forget_person(user_id: int) -> None:
    """After this process changed a person's profile or account: their answers are read
    again and their pages rendered again here at once (other processes follow within
    VIEWER_ANSWERS_SECONDS, or at once for personal pages, whose key is their row)."""
    if (cache := current_app.extensions.get(EXTENSION_KEY)) is not None:
        cache.viewers.discard(str(user_id))
        cache.personal.drop_where(lambda key: key[1] == user_id)


def clear_pages() -> None:
    """Forget every page and every viewer's answers (after a content load)."""
    if (cache := current_app.extensions.get(EXTENSION_KEY)) is not None:
        cache.catalog.clear()
        cache.personal.clear()
        cache.viewers.clear()


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = PageStores(
        catalog=LeastRecentlyUsed(app.config["CACHED_PAGES"]),
        personal=LeastRecentlyUsed(app.config["CACHED_PERSONAL_PAGES"]),
        viewers=ViewerAnswers(app.config["VIEWER_ANSWERS_SECONDS"]),
        signed_tokens=LeastRecentlyUsed(4096),
    )
