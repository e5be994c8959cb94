"""The session cookie is verified once per process (app.cookie_session), and still refused
when forged, tampered with or too old, and never shared between requests."""

import time
from datetime import timedelta

from flask import session

from tests.conftest import AuthActions, make_test_app


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def signed_in(client) -> bool:
    return "Sign out" in client.get("/").get_data(as_text=True)


def test_a_tampered_cookie_is_refused_after_the_genuine_one_was_remembered(app, client):
    AuthActions(client).register()
    assert signed_in(client)  # the genuine cookie is now remembered by this process
    genuine = session_cookie(client)
    payload, stamp, signature = genuine.rsplit(".", 2)
    forged = f"{payload}.{stamp}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    client.set_cookie("session", forged)
    assert not signed_in(client)
    client.set_cookie("session", genuine)
    assert signed_in(client)


def test_a_remembered_cookie_still_expires(db_path):
    app = make_test_app(db_path, PERMANENT_SESSION_LIFETIME=timedelta(seconds=2))
    client = app.test_client()
    AuthActions(client).register()
    assert signed_in(client)
    time.sleep(3)
    assert not signed_in(client), "a cookie older than the session lifetime signs nobody in"


def test_each_request_gets_its_own_copy_of_the_session(app, client):
    AuthActions(client).register()
    client.get("/")  # shows the welcome message
    cookie = session_cookie(client)
    headers = {"Cookie": f"session={cookie}"}
    with app.test_request_context("/", headers=headers):
        session["_flashes"] = [("info", "only for this request")]
        session.setdefault("nested", {})["seen"] = True
    with app.test_request_context("/", headers=headers):
        assert "_flashes" not in session and "nested" not in session
        assert session["_user_id"]
