"""Conditional GETs for the site's pages (the catalog, the player, a person's progress,
account and session log): an unchanged page is answered with 304, and only the person's own
browser may keep a page, asking each time.

The ETag is a hash of the page as sent, so anything that changes what a person sees (a
new routine text, a profile answer, a flashed message) changes it. The one part that
differs on every render without changing the page is the CSRF token's signature (it
carries a timestamp), so it is left out of the hash: a page revalidated later keeps a
token that is still valid, since tokens last as long as the session (WTF_CSRF_TIME_LIMIT).
"""

import hashlib

from flask import Blueprint, Response, g, request

# Pages for a person (profile answers, the sign-out form): only the browser may keep them,
# and it must ask each time.
PAGE_CACHE_CONTROL = "private, no-cache"
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")


def page_etag(html_without_token: str) -> str:
    return hashlib.sha256(html_without_token.encode()).hexdigest()[:32]


def revalidate(response: Response) -> Response:
    # Plain header lookups rather than werkzeug's parsed views: this runs on every page.
    if request.method != "GET" or response.status_code != 200 or not response.content_type.startswith("text/html"):
        return response
    html = response.get_data(as_text=True)
    response.set_etag(page_etag(html.replace(token, "") if (token := g.get("csrf_token")) else html))
    response.headers["Cache-Control"] = PAGE_CACHE_CONTROL
    if "Vary" in response.headers:
        response.vary.add("Cookie")
    else:
        response.headers["Vary"] = "Cookie"
    if any(header in request.environ for header in CONDITIONAL_HEADERS):
        return response.make_conditional(request)
    return response  # nothing to compare with: most requests, and the cheapest path


def init_blueprint(blueprint: Blueprint) -> None:
    blueprint.after_request(revalidate)
