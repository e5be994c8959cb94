"""Strict defaults: headers and cookies on every page, rate limits, size limits, error pages,
and a failed write that leaves nothing behind."""

import math
import re
import uuid

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import StaticPool

from app.extensions import db
from app.models import SessionLog, User
from tests.conftest import make_test_app

PUBLIC_PAGES = [
    "/",
    "/goals",
    "/goals/circulation",
    "/routines",
    "/routines?goal=nope",
    "/routines/quick-tapping-wake-up",
    "/routines/quick-tapping-wake-up/play",
    "/routines/quick-tapping-wake-up/play?step=1",
    "/routines/quick-tapping-wake-up/play/done?spent=200",
    "/safety",
    "/auth/login",
    "/auth/register",
    "/sessions/new",
    "/no-such-page",
]
SIGNED_IN_PAGES = ["/progress", "/sessions", "/account", "/account/summary", "/account/delete"]
# The one page that embeds the mirror frame (app/mirror) lets its own origin use the camera;
# every other page keeps camera=().
EMBEDS_MIRROR = {"/routines/quick-tapping-wake-up/play?step=1"}


def register(client, email="someone@example.com", password="a long enough password"):
    return client.post("/auth/register", data={"email": email, "password": password, "confirm": password})


@pytest.fixture
def signed_in(client):
    register(client)
    return client


def assert_strict_headers(response, url):
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'", url
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
    assert directives["frame-ancestors"] == "'none'", url
    assert response.headers["X-Content-Type-Options"] == "nosniff", url
    assert response.headers["Referrer-Policy"] == "same-origin", url
    permissions = response.headers["Permissions-Policy"].split(", ")
    camera = "camera=(self)" if url in EMBEDS_MIRROR else "camera=()"
    assert "screen-wake-lock=(self)" in permissions and camera in permissions, url
    assert re.fullmatch(r"[A-Za-z0-9-]{8,64}", response.headers["X-Request-ID"]), url


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def assert_no_inline_javascript(page: str, url: str):
    assert not INLINE_SCRIPT.search(page), url
    assert not INLINE_HANDLER.search(page), url
    assert "javascript:" not in page.lower(), url


def test_every_public_page_has_strict_headers_and_no_inline_js(client):
    for url in PUBLIC_PAGES:
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        assert_strict_headers(response, url)
        assert_no_inline_javascript(response.get_data(as_text=True), url)


def test_every_signed_in_page_has_strict_headers_and_no_inline_js(signed_in):
    for url in SIGNED_IN_PAGES:
        response = signed_in.get(url)
        assert response.status_code == 200, url
        assert_strict_headers(response, url)
        assert_no_inline_javascript(response.get_data(as_text=True), url)


def cookie_flags(response, name):
    header = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith(name + "="))
    return {part.strip().split("=")[0].lower(): part for part in header.split(";")[1:]}


def sign_in_remembered(client):
    register(client)
    client.post("/auth/logout")
    return client.post(
        "/auth/login", data={"email": "someone@example.com", "password": "a long enough password", "remember": "y"}
    )


def test_session_and_remember_cookies_are_httponly_and_lax(client):
    response = sign_in_remembered(client)
    for name in ("session", "remember_token"):
        flags = cookie_flags(response, name)
        assert "httponly" in flags, name
        assert flags["samesite"].split("=")[1].strip() == "Lax", name
        assert "secure" not in flags, name


def test_cookies_are_secure_when_served_over_https(db_path):
    client = make_test_app(db_path, HTTPS=True).test_client()
    response = sign_in_remembered(client)
    for name in ("session", "remember_token"):
        assert "secure" in cookie_flags(response, name), name


def test_sign_in_is_rate_limited_with_a_friendly_page(db_path):
    app = make_test_app(db_path, RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT_PER_ACCOUNT="3 per minute")
    client = app.test_client()
    wrong = {"email": "nobody@example.com", "password": "wrong password"}
    statuses = [client.post("/auth/login", data=wrong).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    refused = client.post("/auth/login", data=wrong)
    page = refused.get_data(as_text=True)
    assert "take a breath" in page and "Wait a minute" in page
    assert 1 <= int(refused.headers["Retry-After"]) <= 60, "when the minute's window ends"
    assert client.get("/auth/login").status_code == 200  # reading the form is not limited


def test_the_429_page_says_how_long_to_wait(db_path):
    app = make_test_app(db_path, RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT_PER_ACCOUNT="1 per hour")
    client = app.test_client()
    client.post("/auth/login", data={"email": "x"})
    refused = client.post("/auth/login", data={"email": "x"})
    wait = int(refused.headers["Retry-After"])
    assert refused.status_code == 429 and 60 < wait <= 3600
    assert f"Wait {math.ceil(wait / 60)} minutes" in refused.get_data(as_text=True)


def test_registration_is_rate_limited_per_address(db_path):
    app = make_test_app(db_path, RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT_PER_ADDRESS="2 per minute")
    client = app.test_client()
    # Different emails each time: the address alone is counted.
    statuses = [client.post("/auth/register", data={"email": f"x{n}"}).status_code for n in range(3)]
    assert statuses == [400, 400, 429]


def test_oversized_body_gets_a_friendly_413(client):
    response = client.post("/sessions/new", data={"notes": "x" * (70 * 1024)})
    assert response.status_code == 413
    assert "larger than we accept" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("method", "url", "code", "phrase"),
    [
        ("get", "/auth/logout", 405, "allowed here"),
        ("get", "/nowhere", 404, "find that page"),
        ("get", "/sessions/new?x=1", 200, "Log a session"),
    ],
)
def test_error_pages_show_the_request_id(client, method, url, code, phrase):
    response = getattr(client, method)(url)
    page = response.get_data(as_text=True)
    assert response.status_code == code
    assert phrase in page
    if code >= 400:
        assert response.headers["X-Request-ID"] in page


def test_a_sane_incoming_request_id_is_kept_and_a_hostile_one_replaced(client):
    assert client.get("/", headers={"X-Request-ID": "proxy-abc-12345"}).headers["X-Request-ID"] == "proxy-abc-12345"
    hostile = client.get("/", headers={"X-Request-ID": "<script>alert(1)</script>"}).headers["X-Request-ID"]
    assert "<" not in hostile


def test_csrf_is_enforced(db_path):
    app = make_test_app(db_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    data = {"email": "csrf@example.com", "password": "a long enough password", "confirm": "a long enough password"}
    assert client.post("/auth/register", data=data).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def log_form(client, client_id):
    return client.post(
        "/sessions/new",
        data={
            "client_id": client_id,
            "routine": "quick-tapping-wake-up",
            "minutes": "4",
            "skin_feel": "4",
            "discomfort": "no",
        },
    )


def test_failed_commit_is_rolled_back_and_never_saved_later(db_path):
    """A COMMIT that fails ("database is locked") must not leave its row to be saved by the
    next request on the same connection."""
    app = make_test_app(db_path, SQLALCHEMY_ENGINE_OPTIONS={"poolclass": StaticPool})
    client = app.test_client()
    register(client)
    failed, saved = uuid.uuid4().hex, uuid.uuid4().hex
    with app.app_context():
        engine = db.engine
    failures = []

    def fail_once(connection):
        if not failures:
            failures.append(True)
            raise OperationalError("COMMIT", {}, Exception("database is locked"))

    event.listen(engine, "commit", fail_once)
    response = log_form(client, failed)
    assert response.status_code == 503
    assert "Nothing you sent was saved" in response.get_data(as_text=True)
    event.remove(engine, "commit", fail_once)

    assert log_form(client, saved).status_code == 302
    with app.app_context():
        stored = set(db.session.scalars(select(SessionLog.client_id)))
    with app.app_context():
        db.engine.dispose()  # StaticPool holds its one connection until told to let go
    assert stored == {saved}


def test_a_method_not_allowed_says_which_are(client):
    response = client.get("/auth/logout")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
