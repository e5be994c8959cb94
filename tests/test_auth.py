"""Accounts: register, sign in and out, as a visitor would, through the real forms."""

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import User
from tests.conftest import PASSWORD, make_test_app, page_token

SIGN_IN_FAILED = "That email and password don&#39;t match an account."


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def user_by_email(app, email: str) -> User | None:
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


def error_messages(page: str) -> list[str]:
    return re.findall(r'<p class="(?:form|field)-error"[^>]*>(.*?)</p>', page)


def test_register_signs_you_in_and_starts_onboarding(app, client, auth):
    assert client.get("/auth/register").status_code == 200
    response = auth.register(display_name="Ana")
    assert response.status_code == 302
    assert response.headers["Location"] == "/welcome/goals"
    page = client.get("/welcome/goals").get_data(as_text=True)
    assert "Welcome, Ana" in page and "Step 1 of 3" in page
    assert "Welcome to Glowstep." in page
    assert count_users(app) == 1


def test_password_is_stored_as_an_scrypt_hash(app, auth):
    auth.register()
    user = user_by_email(app, "ana@example.com")
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_email_is_normalised_and_unique_whatever_the_case(app, client, auth):
    auth.register(email="  Ana@Example.COM ")
    assert user_by_email(app, "ana@example.com") is not None
    auth.logout()

    response = auth.register(email="ANA@example.com")
    assert response.status_code == 400
    assert "An account with this email exists already." in response.get_data(as_text=True)
    assert count_users(app) == 1

    assert auth.login(email="aNa@EXAMPLE.com").headers["Location"] == "/"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "", "This field is required."),
        ("email", "not-an-email", "Invalid email address."),
        ("password", "short", "Use 10 to 200 characters."),
        ("confirm", "something else entirely", "The passwords differ."),
        ("display_name", "x" * 81, "Field cannot be longer than 80 characters."),
    ],
)
def test_register_field_errors_are_shown_beside_the_form(app, client, field, value, message):
    data = {"display_name": "Ana", "email": "ana@example.com", "password": PASSWORD, "confirm": PASSWORD}
    data[field] = value
    response = client.post("/auth/register", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in error_messages(page)
    assert 'aria-invalid="true"' in page
    assert count_users(app) == 0


def test_register_keeps_what_was_typed_except_the_password(client):
    page = client.post(
        "/auth/register", data={"display_name": "Ana", "email": "ana@example.com", "password": "short", "confirm": ""}
    ).get_data(as_text=True)
    assert 'value="ana@example.com"' in page
    assert 'value="short"' not in page


def test_sign_in_and_out(client, auth):
    auth.register()
    auth.logout()
    assert client.get("/progress").status_code == 302  # signed out: sent to sign in

    response = auth.login()
    assert response.status_code == 302
    assert response.headers["Location"] == "/"  # Today
    assert client.get("/progress").status_code == 200


def test_failed_sign_in_says_the_same_for_unknown_email_and_wrong_password(client, auth):
    auth.register()
    auth.logout()
    unknown = auth.login(email="nobody@example.com")
    wrong = auth.login(password="not the password at all")
    assert unknown.status_code == wrong.status_code == 400
    assert error_messages(unknown.get_data(as_text=True)) == [SIGN_IN_FAILED]
    assert error_messages(wrong.get_data(as_text=True)) == [SIGN_IN_FAILED]
    assert client.get("/progress").status_code == 302


def test_sign_in_field_errors(client):
    response = client.post("/auth/login", data={"email": "", "password": ""})
    assert response.status_code == 400
    assert error_messages(response.get_data(as_text=True)) == ["This field is required."] * 2


def test_remember_me_sets_a_cookie_that_signs_you_in_later(app, client, auth):
    auth.register()
    auth.logout()
    auth.login(remember=False)
    assert client.get_cookie("remember_token") is None
    auth.logout()

    auth.login(remember=True)
    remembered = client.get_cookie("remember_token")
    assert remembered is not None
    assert remembered.http_only

    later = app.test_client()  # a new browser session: only the long-lived cookie survives
    later.set_cookie("remember_token", remembered.value)
    response = later.get("/progress")
    assert response.status_code == 200
    assert "Your progress" in response.get_data(as_text=True)


def test_logout_is_post_only(client, auth):
    auth.register()
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/progress").status_code == 200  # still signed in
    response = auth.logout()
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/progress").status_code == 302


def test_a_protected_page_sends_you_to_sign_in_and_back(client, auth):
    auth.register()
    auth.logout()
    response = client.get("/sessions")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=%2Fsessions"
    assert auth.login(query="?next=%2Fsessions").headers["Location"] == "/sessions"


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "///evil.example",
     "http:/evil.example"],
)
def test_next_only_goes_to_our_own_paths(client, auth, target):
    auth.register()
    auth.logout()
    response = client.post(
        "/auth/login", query_string={"next": target}, data={"email": "ana@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_after_registering_goes_to_our_own_path_only(client):
    data = {"email": "ana@example.com", "password": PASSWORD, "confirm": PASSWORD}
    response = client.post("/auth/register", query_string={"next": "/routines"}, data=data)
    assert response.headers["Location"] == "/routines"

    client.post("/auth/logout")
    data["email"] = "bea@example.com"
    response = client.post("/auth/register", query_string={"next": "//evil.example"}, data=data)
    assert response.headers["Location"] == "/welcome/goals"


def test_signed_in_visitors_skip_the_auth_forms(client, auth):
    auth.register()
    assert client.get("/auth/login").headers["Location"] == "/"
    assert client.get("/auth/register").headers["Location"] == "/"


def test_with_csrf_on_a_post_without_the_token_is_refused(db_path):
    """Every form carries a CSRF token; without it, nothing is stored."""
    app = make_test_app(db_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    data = {"display_name": "Ana", "email": "ana@example.com", "password": PASSWORD, "confirm": PASSWORD}
    try:
        refused = client.post("/auth/register", data=data)
        assert refused.status_code == 400
        assert count_users(app) == 0

        token = page_token(client.get("/auth/register").get_data(as_text=True))
        accepted = client.post("/auth/register", data=data | {"csrf_token": token})
        assert accepted.status_code == 302
        assert count_users(app) == 1

        # Signed in, the same holds for logging a session and for signing out.
        form = {"routine": "quick-morning-depuff", "minutes": "5", "skin_feel": "4", "discomfort": "no",
                "client_id": "csrf-check-1"}
        assert client.post("/sessions/new", data=form).status_code == 400
        assert client.post("/auth/logout").status_code == 400
        page = client.get("/sessions/new").get_data(as_text=True)
        assert client.post("/sessions/new", data=form | {"csrf_token": page_token(page)}).status_code == 302
    finally:
        with app.app_context():
            db.engine.dispose()
