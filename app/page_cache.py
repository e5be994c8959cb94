"""Rendered pages kept in memory, so a page asked for again is not rendered again.

Two kinds of page are kept, each in its own store:

- **Catalog and player pages** (`cached_page`) depend only on their address, the library and
  a few profile answers (goals, skin type, skin check). They are stored under the address and
  those answers, so everyone with the same answers shares a page and a changed answer is a
  different key, never a stale page. The answers of a signed-in person are read from the
  database at most once every VIEWER_ANSWERS_SECONDS per process (`ViewerAnswers`): these
  pages then need no query at all. A profile saved through another process shows here within
  that window; one saved through this process shows at once (`forget_person`).
- **Personal pages** (`cached_personal_page`: progress, session history) are stored under the
  address and the person's id, with the state they were rendered from: a digest of the
  person's whole `users` row and what the page takes from the clock (today's date in their
  zone, for instance). `users.log_version` moves on with every change to their logs in the
  same transaction (app.models.progress_snapshot), so a new, edited or deleted log, or any
  profile change, no longer matches in any process, and the page is rendered again.

A kept page is found in one of two places. Most requests for one never reach Flask:
`PagesFromMemory`, a WSGI layer in front of it, answers a plain GET from memory when the
session cookie is one this process has verified and nothing in the session asks Flask to act
(a flashed message, a remember-me cookie to honour or refresh). Everything else goes through
Flask, where the view's decorator looks the page up the same way, and renders and keeps it
when it is missing.

The library changes only with a content load, which clears the stores of its process (app
processes restart after one). The CSRF token is the one part of a page that belongs to a
single browser session: it is stored as a gap between the page's parts and filled in for each
request, signed once per process for each session (`signed_csrf_token`). Every process keeps
its own stores; what they hold is either exact for its key or, for profile answers, at most a
few seconds old, so any number of processes agree.
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
from sqlalchemy import Engine, Row
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import parse_cookie

from app.cookie_session import RememberingSessionInterface
from app.extensions import db
from app.lru import LeastRecentlyUsed
from app.signed_in import SESSION_USER_ID, read_user_row_on, session_user_id, signed_in_row, user_row
from app.timezones import utc_now

EXTENSION_KEY = "glowstep.page_cache"
CSRF_PLACEHOLDER = "\x00csrf\x00"  # a NUL never appears in a rendered page
VISITOR = ("visitor",)
# Pages for a person (profile answers, the sign-out form): only the browser may keep them,
# and it must ask each time (app.revalidation).
PAGE_CACHE_CONTROL = "private, no-cache"
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")
# Session keys that ask Flask or Flask-Login to act on the response: a message to show, a
# remember-me cookie to set or clear, a permanent session's cookie to refresh.
SESSION_KEYS_FOR_FLASK = ("_flashes", "_remember", "_permanent")


@dataclass(frozen=True)
class CachedPage:
    parts: tuple[bytes, ...]  # the page, encoded, split where the CSRF token goes
    etag: str  # of the page without its CSRF token, as app.revalidation computes it

    @property
    def needs_token(self) -> bool:
        return len(self.parts) > 1

    def body(self, token: str | None) -> bytes:
        return token.encode().join(self.parts) if self.needs_token else self.parts[0]


@dataclass(frozen=True)
class PersonalPage:
    state: tuple  # (row_state, clock) of the row and moment it was rendered from
    clock_key: Callable[[Row, datetime], tuple]
    page: CachedPage

    def page_for(self, row: Row, now: datetime) -> CachedPage | None:
        return self.page if personal_state(row, self.clock_key, now) == self.state else None


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
    catalog: LeastRecentlyUsed  # (address, viewer's answers) -> CachedPage
    personal: LeastRecentlyUsed  # (address, user id) -> PersonalPage
    viewers: ViewerAnswers
    signed_tokens: LeastRecentlyUsed  # a session's raw CSRF token -> its signed form


def stores() -> PageStores:
    return current_app.extensions[EXTENSION_KEY]


def page_address(environ: dict) -> str:
    """The page asked for, exactly as the request spelled it (path and query)."""
    return f"{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}"


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
    """A digest of every column of the person's row: any change, a new state."""
    return hashlib.blake2b(repr(tuple(row)).encode(), digest_size=16).hexdigest()


def personal_state(row: Row, clock_key: Callable[[Row, datetime], tuple], now: datetime) -> tuple:
    return row_state(row), clock_key(row, now)


def kept(response: Response) -> CachedPage:
    """The page to keep, and the response given the ETag it is kept with (hashed once)."""
    html = response.get_data(as_text=True)
    if token := g.get("csrf_token"):  # signed while rendering: the next request can reuse it
        html = html.replace(token, CSRF_PLACEHOLDER)
        remember_signed_token(token)
    parts = html.split(CSRF_PLACEHOLDER)
    page = CachedPage(tuple(part.encode() for part in parts), page_etag("".join(parts)))
    response.set_etag(page.etag)
    return page


def keepable(response: Response) -> bool:
    return response.status_code == 200 and response.mimetype == "text/html"


def signed_csrf_token() -> str:
    """This browser session's CSRF token, signed once per process. Signing is the costliest
    step of serving a page from memory, and with WTF_CSRF_TIME_LIMIT = None a signature never
    expires, so the first one stays valid for as long as the session keeps its token."""
    if current_app.config["WTF_CSRF_TIME_LIMIT"] is not None:
        return generate_csrf()
    raw = session.get(current_app.config["WTF_CSRF_FIELD_NAME"])
    if raw is None or (signed := stores().signed_tokens.get(raw)) is None:
        signed = generate_csrf()  # makes the session's token when it has none
        remember_signed_token(signed)
    return signed


def remember_signed_token(signed: str) -> None:
    if current_app.config["WTF_CSRF_TIME_LIMIT"] is None:
        stores().signed_tokens.put(session[current_app.config["WTF_CSRF_FIELD_NAME"]], signed)


def serve(page: CachedPage) -> Response:
    response = Response(page.body(signed_csrf_token() if page.needs_token else None), mimetype="text/html")
    response.set_etag(page.etag)
    return response


def caching_allowed() -> bool:
    return current_app.config["PAGE_CACHE"] and not session.get("_flashes")


def cached_page(view: Callable) -> Callable:
    """Serve the view's page from memory when a viewer with the same answers asked for it before."""

    @wraps(view)
    def wrapper(**kwargs):
        if not caching_allowed():
            return view(**kwargs)
        key = (page_address(request.environ), viewer_key())
        if (page := stores().catalog.get(key)) is not None:
            return serve(page)
        response = make_response(view(**kwargs))
        if keepable(response):
            stores().catalog.put(key, kept(response))
        return response

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
            key, state = (page_address(request.environ), row.id), personal_state(row, clock_key, utc_now())
            if (found := stores().personal.get(key)) is not None and found.state == state:
                return serve(found.page)
            response = make_response(view(**kwargs))
            if keepable(response):
                stores().personal.put(key, PersonalPage(state, clock_key, kept(response)))
            return response

        return wrapper

    return decorate


class PagesFromMemory:
    """WSGI layer in front of Flask that answers a plain GET for a kept page straight from
    memory: what the decorators above would serve, without Flask's request context, session
    handling and response objects around it (most of the cost of a page served from memory).

    It answers only when every input is already known to this process: a session cookie it
    has verified (app.cookie_session) and that has not expired, the viewer's answers while
    fresh, the person's row as read now for a personal page, and the session's signed CSRF
    token. Anything else, or anything that would make Flask act on the response (a flashed
    message, a remember-me cookie, a conditional request, a session to refresh), goes to
    Flask unchanged."""

    def __init__(self, app: Flask, engine: Engine):
        self.app = app
        self.wsgi_app = app.wsgi_app
        self.engine = engine
        self.cookie_headers = LeastRecentlyUsed(4096)  # Cookie header -> (session cookie, remember-me?)

    def __call__(self, environ, start_response):
        page = self.kept_page(environ) if environ.get("REQUEST_METHOD") == "GET" else None
        if page is None:
            return self.wsgi_app(environ, start_response)
        body, etag = page
        start_response("200 OK", [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("ETag", f'"{etag}"'),
            ("Cache-Control", PAGE_CACHE_CONTROL),
            ("Vary", "Cookie"),
        ])
        return [body]

    def kept_page(self, environ: dict) -> tuple[bytes, str] | None:
        config = self.app.config
        if not config["PAGE_CACHE"] or any(header in environ for header in CONDITIONAL_HEADERS):
            return None
        session_cookie, remember_cookie = self.cookies(environ.get("HTTP_COOKIE", ""))
        data = self.session_data(session_cookie)
        if data is None or any(key in data for key in SESSION_KEYS_FOR_FLASK):
            return None
        cache: PageStores = self.app.extensions[EXTENSION_KEY]
        address, user_id = page_address(environ), data.get(SESSION_USER_ID)
        if user_id is None:
            page = None if remember_cookie else cache.catalog.get((address, VISITOR))
        else:
            answers = cache.viewers.answers(user_id)
            page = cache.catalog.get((address, answers)) if answers is not None else None
            page = page or self.personal_page(cache, address, user_id)
        if page is None:
            return None
        if not page.needs_token:
            return page.parts[0], page.etag
        if config["WTF_CSRF_TIME_LIMIT"] is not None:
            return None
        raw_token = data.get(config["WTF_CSRF_FIELD_NAME"])
        signed = cache.signed_tokens.get(raw_token) if raw_token is not None else None
        return (page.body(signed), page.etag) if signed is not None else None

    def personal_page(self, cache: PageStores, address: str, user_id: str) -> CachedPage | None:
        if not user_id.isdecimal() or (found := cache.personal.get((address, int(user_id)))) is None:
            return None
        try:
            row = read_user_row_on(self.engine, int(user_id))
        except SQLAlchemyError:
            return None  # Flask answers, with its error page if the database is really down
        return found.page_for(row, utc_now()) if row is not None else None

    def cookies(self, header: str) -> tuple[str | None, bool]:
        """The session cookie and whether a remember-me cookie came, parsed once per header."""
        if (known := self.cookie_headers.get(header)) is None:
            cookies = parse_cookie(header)
            remember_name = self.app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE)
            known = (cookies.get(self.app.config["SESSION_COOKIE_NAME"]), remember_name in cookies)
            self.cookie_headers.put(header, known)
        return known

    def session_data(self, cookie: str | None) -> dict | None:
        """The session, read only, when this process knows it; None sends the request to Flask."""
        if not cookie:
            return {}
        interface = self.app.session_interface
        return interface.known_session(self.app, cookie) if isinstance(interface, RememberingSessionInterface) else None


def forget_person(user_id: int) -> None:
    """After this process changed a person's profile or account: their answers are read
    again and their pages rendered again here at once (other processes follow within
    VIEWER_ANSWERS_SECONDS, or at once for personal pages, whose state is their row)."""
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
    with app.app_context():
        engine = db.engine
    app.wsgi_app = PagesFromMemory(app, engine)
