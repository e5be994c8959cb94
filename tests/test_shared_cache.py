"""Which pages a shared cache (a proxy, a CDN, deploy/nginx.conf) may keep: a visitor's
catalog and player pages, the same bytes for every visitor, and nothing else — never a page
for a signed-in person, nor a visitor's page that carries something of theirs (a flashed
message, a CSRF token, a changed cookie)."""

import re

import pytest
from flask import Blueprint, render_template_string

from app.auth.sign_ins import ENDED_MESSAGE
from app.revalidation import init_blueprint, shared_with_visitors
from tests.conftest import AuthActions, fill, make_test_app, read_form
from tests.test_caching import BROWSABLE, ROUTINE

MINUTE = 60


def assert_shared(response, page: str):
    """Public, kept briefly by shared caches and revalidated by browsers, under a strong ETag."""
    control = response.cache_control
    assert response.status_code == 200, page
    assert control.public and not control.private and not control.no_cache and not control.no_store, page
    assert control.max_age == 0, page
    assert 0 < control.s_maxage <= 5 * MINUTE, page
    assert int(control.stale_while_revalidate) > 0, page
    etag = response.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag), f"{page}: {etag} is not a strong ETag"
    assert "Cookie" in response.headers["Vary"], page
    assert "Set-Cookie" not in response.headers, page


def assert_private(response, page: str):
    control = response.cache_control
    assert control.private and control.no_cache and not control.public, page
    assert control.s_maxage is None, page


@pytest.mark.parametrize("page", BROWSABLE)
def test_a_visitors_browsable_page_may_be_kept_by_shared_caches(client, page):
    assert_shared(client.get(page), page)
    assert_shared(client.head(page), f"HEAD {page}")


@pytest.mark.parametrize("page", BROWSABLE)
def test_every_page_for_a_signed_in_person_is_private(client, auth, page):
    auth.register()
    client.get("/")  # shows the welcome message
    assert_private(client.get(page), page)


@pytest.mark.parametrize("page", ["/auth/login", "/auth/register", "/sessions/new",
                                  f"/routines/{ROUTINE}/play/done?spent=200", "/no-such-page",
                                  f"/routines/{ROUTINE}/play?step=99", "/routines?goal=nope"])
def test_pages_that_are_not_for_everyone_are_private(client, page):
    """Forms that post (a CSRF token in the page or the cookie), errors and redirects."""
    assert_private(client.get(page), page)


def test_a_visitors_page_with_a_flashed_message_is_private(client, auth):
    auth.register()
    auth.logout()  # "You're signed out", shown on the next page
    told = client.get("/routines")
    assert "signed out" in told.get_data(as_text=True)
    assert_private(told, "/routines with a message")
    assert_shared(client.get("/routines"), "/routines once the message is shown")


def test_a_page_that_tells_a_visitor_their_sign_in_ended_is_private(app):
    laptop, phone = app.test_client(), app.test_client()
    AuthActions(laptop).register()
    AuthActions(phone).login()
    page = laptop.get("/account/sign-ins").get_data(as_text=True)
    action, fields = read_form(page, "/account/sign-ins/end-others")
    assert laptop.post(action, data=fields).status_code == 302
    told = phone.get("/routines")
    assert ENDED_MESSAGE.split(" because")[0] in told.get_data(as_text=True)
    assert_private(told, "/routines saying the sign-in ended")


@pytest.fixture
def csrf_app(db_path):
    """CSRF on, as in production: forms render a token and keep it in the session."""
    return make_test_app(db_path, WTF_CSRF_ENABLED=True)


def visitor_with_a_full_session(app):
    """A visitor whose cookie holds what a visitor's can: a CSRF token, a finished session
    waiting for sign-in, and a message already shown."""
    visitor = app.test_client()
    visitor.get("/auth/login")  # the CSRF token is made and kept in the cookie
    done = visitor.get(f"/routines/{ROUTINE}/play/done?spent=300")
    assert_private(done, "the done page, whose log form carries the visitor's token")
    action, fields = read_form(done.get_data(as_text=True))
    assert visitor.post(action, data=fill(fields, skin_feel="4")).status_code == 302
    assert "saved straight after" in visitor.get("/auth/login").get_data(as_text=True)
    return visitor


def test_two_visitors_get_the_same_bytes(csrf_app):
    newcomer = csrf_app.test_client()
    regular = visitor_with_a_full_session(csrf_app)
    assert regular.get_cookie("session") is not None
    for page in BROWSABLE:
        first, second = newcomer.get(page), regular.get(page)
        assert_shared(first, page)
        assert_shared(second, page)
        assert first.get_data() == second.get_data(), page
        assert first.headers["ETag"] == second.headers["ETag"], page


def test_a_shared_view_that_renders_a_csrf_token_is_private(csrf_app):
    """Should a marked page ever carry a form that posts, its token keeps it out of shared caches."""
    blueprint = Blueprint("token_page", __name__)
    init_blueprint(blueprint)
    blueprint.add_url_rule("/token-page", view_func=shared_with_visitors(
        lambda: render_template_string("<p>{{ csrf_token() }}</p>")))
    csrf_app.register_blueprint(blueprint)
    visitor = csrf_app.test_client()
    visitor.get("/auth/login")  # the token is made and kept in the cookie
    for _ in range(2):  # the second time, the cookie stays exactly as it came
        assert_private(visitor.get("/token-page"), "a marked page with a token")
