"""Rendered pages kept in memory, for pages that depend only on their URL, the library and
a few profile answers: the catalog and the player.

A page is stored under its URL and what it shows of the viewer (signed in or not, goals,
skin type, skin check), so every viewer with the same answers gets the same page, and a
changed answer is a different key, never a stale page. The library changes only with a
content load, which clears the cache of its process (app processes restart after one).
The CSRF token of the sign-out form is the one part that belongs to a single person: it
is stored as a placeholder and filled in for each request. A page with a flashed message
is rendered afresh and never stored. Every process keeps its own copy; nothing in it can
differ between processes, so any number of them agree.
"""

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Flask, Response, current_app, g, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

EXTENSION_KEY = "glowstep.page_cache"
CSRF_PLACEHOLDER = "\x00csrf\x00"  # a NUL never appears in a rendered page
MAX_PAGES = 512


@dataclass(frozen=True)
class CachedPage:
    html: str
    etag: str  # of the page without its CSRF token, as app.revalidation computes it


class PageCache:
    """A small least-recently-used store, safe to share between a worker's threads."""

    def __init__(self, max_pages: int = MAX_PAGES):
        self.max_pages = max_pages
        self.pages: OrderedDict[tuple, CachedPage] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> CachedPage | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: CachedPage) -> None:
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.max_pages:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


def page_etag(html_without_token: str) -> str:
    return hashlib.sha256(html_without_token.encode()).hexdigest()[:32]


def viewer_key() -> tuple:
    """All that a catalog or player page shows of who is looking."""
    if not current_user.is_authenticated:
        return ("visitor",)
    flags = json.dumps(current_user.skin_flags, sort_keys=True)
    return ("member", tuple(current_user.goal_slugs), current_user.skin_type, flags)


def store(key: tuple, response: Response) -> None:
    """Keep the page, and give the response the ETag it was stored with (hashed once)."""
    html = response.get_data(as_text=True)
    if token := g.get("csrf_token"):
        html = html.replace(token, CSRF_PLACEHOLDER)
    page = CachedPage(html, page_etag(html.replace(CSRF_PLACEHOLDER, "")))
    pages().put(key, page)
    response.set_etag(page.etag)


def serve(page: CachedPage) -> Response:
    html = page.html
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, generate_csrf())
    response = Response(html, mimetype="text/html")
    response.set_etag(page.etag)
    return response


def cached_page(view: Callable) -> Callable:
    """Serve the view's page from memory when the same viewer asked for it before."""

    @wraps(view)
    def wrapper(**kwargs):
        if not current_app.config["PAGE_CACHE"] or session.get("_flashes"):
            return view(**kwargs)
        key = (request.full_path, viewer_key())
        if (page := pages().get(key)) is not None:
            return serve(page)
        response = make_response(view(**kwargs))
        if response.status_code == 200 and response.mimetype == "text/html":
            store(key, response)
        return response

    return wrapper


def pages() -> PageCache:
    return current_app.extensions[EXTENSION_KEY]


def clear_pages() -> None:
    if (cache := current_app.extensions.get(EXTENSION_KEY)) is not None:
        cache.clear()


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = PageCache()
