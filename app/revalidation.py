"""Conditional GETs and who may keep a page: the catalog, the player, a person's progress,
account and session log answer an unchanged page with 304, and each page says whether a
shared cache (a proxy, a CDN, deploy/nginx.conf) may keep it.

A page is shared only when it is the same for every visitor: its view is marked
`@shared_with_visitors`, nobody is signed in, and the render left nothing of the visitor's
in it or in their cookie (no CSRF token, no flashed message, no session change). Everything
else is kept by the person's own browser alone, which asks each time. `Vary: Cookie` goes
on every page, so a cache never hands a visitor's copy to someone whose cookie differs.

The ETag is a hash of the page as sent, so anything that changes what a person sees (a
new routine text, a profile answer, a flashed message) changes it. The one part that
differs on every render without changing the page is the CSRF token's signature (it
carries a timestamp), so it is left out of the hash: a page revalidated later keeps a
token that is still valid, since tokens last as long as the session (WTF_CSRF_TIME_LIMIT).
"""

import hashlib
from collections.abc import Callable

from flask import Blueprint, Response, current_app, g, request, session
from flask_login import current_user

# Pages for a person (profile answers, the sign-out form): only the browser may keep them,
# and it must ask each time.
PAGE_CACHE_CONTROL = "private, no-cache"
# A visitor's page: browsers ask each time (max-age=0); a shared cache keeps it a minute and
# may serve it a minute longer while it asks again, so a content load shows within two.
SHARED_PAGE_CACHE_CONTROL = "public, max-age=0, s-maxage=60, stale-while-revalidate=60"
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")
CSRF_TOKEN_KEY = "csrf_token"  # where Flask-WTF keeps the token it rendered in this request
SHARED_MARK = "shared_with_visitors"


def shared_with_visitors(view: Callable) -> Callable:
    """Mark a view whose page, for a visitor, depends only on the URL and the library, so a
    shared cache may keep it (see is_shared). Put it under the route decorator."""
    setattr(view, SHARED_MARK, True)
    return view


def is_shared() -> bool:
    """Whether this request's page may go to every visitor: a marked view, nobody signed in,
    no CSRF token rendered, and a session cookie left as it came (a flashed message shown,
    a sign-in forgotten or a token made all change it)."""
    view = current_app.view_functions.get(request.endpoint)
    return (
        getattr(view, SHARED_MARK, False)
        and not current_user.is_authenticated
        and CSRF_TOKEN_KEY not in g
        and not current_app.session_interface.should_set_cookie(current_app, session)
    )


def page_etag(html_without_token: str) -> str:
    return hashlib.sha256(html_without_token.encode()).hexdigest()[:32]


def revalidate(response: Response) -> Response:
    # Plain header lookups rather than werkzeug's parsed views: this runs on every page.
    if request.method not in ("GET", "HEAD") or response.status_code != 200 \
            or not response.content_type.startswith("text/html"):
        return response
    html = response.get_data(as_text=True)
    response.set_etag(page_etag(html.replace(token, "") if (token := g.get(CSRF_TOKEN_KEY)) else html))
    response.headers["Cache-Control"] = SHARED_PAGE_CACHE_CONTROL if is_shared() else PAGE_CACHE_CONTROL
    if "Vary" in response.headers:
        response.vary.add("Cookie")
    else:
        response.headers["Vary"] = "Cookie"
    if any(header in request.environ for header in CONDITIONAL_HEADERS):
        return response.make_conditional(request)
    return response  # nothing to compare with: most requests, and the cheapest path


def init_blueprint(blueprint: Blueprint) -> None:
    blueprint.after_request(revalidate)
