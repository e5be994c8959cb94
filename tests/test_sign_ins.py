"""Sign-ins you can revoke (issue 12): each attack found on the old code, replayed and refused.

Cookies are copied between test clients the way a thief, a synced browser or a phone still
signed in would hold them; every request goes through the real endpoints.
"""

import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.auth.sign_ins import ENDED_MESSAGE, device_name
from app.config import load_or_create_secret_key
from app.extensions import db
from app.models import SessionLog, SignIn, User
from app.stale_forms import STALE_FORM_MESSAGE
from app.timezones import utc_now
from tests.conftest import (
    PASSWORD,
    AuthActions,
    fill,
    log_form,
    log_session,
    make_test_app,
    page_token,
    read_form,
    save_profile,
    sqlite_only,
)

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) " \
        "Version/17.4 Mobile/15E148 Safari/604.1"
LAPTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
PERSONAL = ["/progress", "/sessions", "/account", "/account/export", "/account/export/sessions.csv",
            "/account/summary", "/account/sign-ins"]
COOKIES = ("session", "remember_token")


def browser(app, user_agent: str = LAPTOP, address: str = "127.0.0.1"):
    """A test client that sends this User-Agent from this address, as one browser would."""
    client = app.test_client()
    client.environ_base.update(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    return client


def copy_cookies(source, target, names=COOKIES) -> None:
    """What a stolen (or synced) cookie jar holds: the same cookie values in another browser."""
    for name in names:
        if (cookie := source.get_cookie(name)) is not None:
            target.set_cookie(name, cookie.value)


def signed_out_everywhere(client) -> bool:
    """Every personal page sends this browser to sign in, and public pages show no account."""
    refused = all(client.get(page).status_code == 302 for page in PERSONAL)
    return refused and "Sign out" not in client.get("/routines").get_data(as_text=True)


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def delete_account(client) -> None:
    _, fields = read_form(client.get("/account/delete").get_data(as_text=True), "")
    assert client.post("/account/delete", data=fill(fields, password=PASSWORD)).status_code == 302


# --- 1. Ids are never reused -----------------------------------------------------------------


def test_a_deleted_accounts_id_and_log_ids_go_to_nobody_else(app):
    ana = browser(app)
    AuthActions(ana).register(email="ana@example.com")
    first_log = log_session(ana)
    first_id = user_id(app, "ana@example.com")
    delete_account(ana)

    bea = browser(app)
    AuthActions(bea).register(email="bea@example.com")
    assert user_id(app, "bea@example.com") > first_id
    assert log_session(bea) > first_log


def test_an_old_cookie_of_a_deleted_account_reads_nothing_of_the_next_person(app):
    phone, laptop = browser(app, PHONE), browser(app)
    AuthActions(laptop).register(email="gone@example.com")
    AuthActions(phone).login(email="gone@example.com", remember=True)
    kept = browser(app)
    copy_cookies(phone, kept)
    delete_account(laptop)

    newcomer = browser(app)
    AuthActions(newcomer).register(email="new@example.com", display_name="Newcomer")
    log_session(newcomer, notes="the newcomer's own notes")

    assert signed_out_everywhere(kept)
    assert b"the newcomer" not in kept.get("/account/export").get_data()
    assert signed_out_everywhere(phone)


# --- 2. A sign-in is revocable ---------------------------------------------------------------


@pytest.mark.parametrize("stolen", [("session",), ("remember_token",), COOKIES])
def test_cookies_copied_before_sign_out_open_nothing_after_it(app, stolen):
    owner = browser(app, PHONE)
    AuthActions(owner).register()
    AuthActions(owner).logout()
    AuthActions(owner).login(remember=True)
    thief = browser(app)
    copy_cookies(owner, thief, stolen)
    assert thief.get("/progress").status_code == 200  # the copy works while the sign-in lasts

    AuthActions(owner).logout()

    assert signed_out_everywhere(thief)
    assert signed_out_everywhere(owner)


def test_sign_out_everywhere_ends_every_other_sign_in_and_says_so_there(app):
    laptop, phone = browser(app), browser(app, PHONE)
    AuthActions(laptop).register()
    AuthActions(phone).login(remember=True)
    page = laptop.get("/account/sign-ins").get_data(as_text=True)
    assert "Safari on iPhone" in page and "Chrome on Linux" in page and "This device" in page

    action, fields = read_form(page, "/account/sign-ins/end-others")
    response = laptop.post(action, data=fields, follow_redirects=True)
    assert "1 sign-in ended" in response.get_data(as_text=True)

    told = phone.get("/routines").get_data(as_text=True)
    assert ENDED_MESSAGE.replace("'", "&#39;") in told and "Sign out" not in told
    assert signed_out_everywhere(phone)
    assert laptop.get("/progress").status_code == 200
    assert "Safari on iPhone" not in laptop.get("/account/sign-ins").get_data(as_text=True)


def test_one_sign_in_can_be_ended_from_another_device(app):
    laptop, phone = browser(app), browser(app, PHONE)
    AuthActions(laptop).register()
    AuthActions(phone).login()
    with app.app_context():
        phone_sign_in = db.session.scalar(select(SignIn.id).where(SignIn.user_agent == PHONE))
    page = laptop.get("/account/sign-ins").get_data(as_text=True)
    action, fields = read_form(page, f"/account/sign-ins/{phone_sign_in}/end")
    assert laptop.post(action, data=fields).status_code == 302
    assert signed_out_everywhere(phone)
    assert laptop.get("/progress").status_code == 200


def test_nobody_can_end_someone_elses_sign_in(app):
    ana, bea = browser(app), browser(app, PHONE)
    AuthActions(ana).register(email="ana@example.com")
    AuthActions(bea).register(email="bea@example.com")
    with app.app_context():
        beas = db.session.scalar(select(SignIn.id).where(SignIn.user_agent == PHONE))
    answer = ana.post(f"/account/sign-ins/{beas}/end", follow_redirects=True)
    assert "That sign-in had ended already." in answer.get_data(as_text=True)
    assert bea.get("/progress").status_code == 200
    assert "Safari on iPhone" not in ana.get("/account/sign-ins").get_data(as_text=True)


def change_password(client, current: str, new: str):
    action, fields = read_form(client.get("/account/sign-ins").get_data(as_text=True), "/account/password")
    return client.post(action, data=fill(fields, current_password=current, new_password=new, confirm=new))


def test_changing_the_password_needs_the_current_one_and_ends_every_other_sign_in(app):
    laptop, phone = browser(app), browser(app, PHONE)
    AuthActions(laptop).register()
    AuthActions(phone).login(remember=True)

    wrong = change_password(laptop, "not my password", "a brand new passphrase")
    assert wrong.status_code == 400 and "That password isn&#39;t right." in wrong.get_data(as_text=True)
    assert phone.get("/progress").status_code == 200

    assert change_password(laptop, PASSWORD, "a brand new passphrase").status_code == 302
    assert signed_out_everywhere(phone)
    assert laptop.get("/progress").status_code == 200
    stranger = browser(app)
    assert AuthActions(stranger).login(password=PASSWORD).status_code == 400
    assert AuthActions(stranger).login(password="a brand new passphrase").status_code == 302


def test_a_sign_in_unused_past_its_idle_lifetime_has_ended(app):
    client = browser(app)
    AuthActions(client).register()
    with app.app_context():
        sign_in = db.session.scalar(select(SignIn))
        sign_in.last_seen_at = sign_in.last_seen_at.replace(year=sign_in.last_seen_at.year - 1)
        db.session.commit()
    assert signed_out_everywhere(client)


def set_last_seen(app, minutes_ago: int):
    """Move the only sign-in's last use back in time; the value set."""
    with app.app_context():
        sign_in = db.session.scalar(select(SignIn))
        sign_in.last_seen_at = utc_now() - timedelta(minutes=minutes_ago)
        db.session.commit()
        return sign_in.last_seen_at


def last_seen(app):
    with app.app_context():
        return db.session.scalar(select(SignIn.last_seen_at))


def test_last_seen_is_written_at_most_every_five_minutes(app):
    client = browser(app)
    AuthActions(client).register()
    recent = set_last_seen(app, 4)
    client.get("/progress")
    assert last_seen(app) == recent

    older = set_last_seen(app, 6)
    client.get("/progress")
    assert last_seen(app) > older + timedelta(minutes=5)


# --- 3. No side door -------------------------------------------------------------------------


def test_every_page_is_rendered_for_the_person_asking_across_processes(db_path):
    """Two apps on one database stand for two processes: a profile saved through one shows
    on the other at once, and a visitor never gets a member's page."""
    one, two = (make_test_app(db_path, SECRET_KEY="one key for every process") for _ in range(2))
    member_on_one = browser(one)
    AuthActions(member_on_one).register()
    member_on_one.get("/")  # shows the welcome message, before the cookie is copied
    member_on_two = browser(two)
    copy_cookies(member_on_one, member_on_two)
    visitor = browser(two)

    for goals, skin in ((["circulation"], "dry"), (["muscle-tone"], "oily")):
        save_profile(member_on_one, goal_slugs=goals, skin_type=skin)
        member_on_one.get("/account")  # the "Profile saved." message
        for page in ("/routines", "/goals/circulation", "/routines/quick-morning-depuff"):
            on_two = member_on_two.get(page).get_data(as_text=True)
            on_one = member_on_one.get(page).get_data(as_text=True)
            assert on_two.replace(csrf_of(on_two), "") == on_one.replace(csrf_of(on_one), ""), page
            anonymous = visitor.get(page).get_data(as_text=True)
            assert "Recommended for you" not in anonymous and "Sign out" not in anonymous


def csrf_of(page: str) -> str:
    return read_form(page, "/auth/logout")[1]["csrf_token"]


def test_a_deleted_accounts_session_with_anothers_remember_me_cookie_leaves_visitors_alone(app):
    gone, bea = browser(app), browser(app, PHONE)
    AuthActions(gone).register(email="gone@example.com")
    AuthActions(bea).register(email="bea@example.com")
    AuthActions(bea).logout()
    AuthActions(bea).login(email="bea@example.com", remember=True)
    save_profile(bea, skin_type="sensitive", goal_slugs=["circulation"])
    mixed = browser(app)
    copy_cookies(gone, mixed, ("session",))
    copy_cookies(bea, mixed, ("remember_token",))
    delete_account(gone)

    mixed.get("/routines")
    visitor_page = browser(app).get("/routines").get_data(as_text=True)
    assert "Recommended for you" not in visitor_page and "Sign out" not in visitor_page


@pytest.mark.parametrize("page", ["/progress", "/sessions", "/account", "/routines", "/routines/quick-morning-depuff"])
def test_strong_session_protection_is_honoured_on_every_page(db_path, page):
    app = make_test_app(db_path, SESSION_PROTECTION="strong")
    owner = browser(app)
    AuthActions(owner).register()
    thief = browser(app, PHONE)  # another browser (and so another identifier)
    copy_cookies(owner, thief, ("session",))
    response = thief.get(page)
    assert response.status_code in (200, 302)
    assert "Sign out" not in response.get_data(as_text=True)
    if page in ("/progress", "/sessions", "/account"):
        assert response.status_code == 302
    assert owner.get("/progress").status_code == 200


def test_nothing_wraps_the_app_that_could_answer_a_request_itself(app):
    """Only the header middleware (and ProxyFix when configured) sit in front of Flask."""
    layers, wsgi = [], app.wsgi_app
    while hasattr(wsgi, "wsgi_app") or hasattr(wsgi, "app"):
        layers.append(type(wsgi).__name__)
        wsgi = getattr(wsgi, "wsgi_app", None) or wsgi.app
    assert layers == ["StrictHeaders"]
    proxied = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"], PROXY_HOPS=1)
    assert type(proxied.wsgi_app).__name__ == "ProxyFix"
    assert type(proxied.wsgi_app.app).__name__ == "StrictHeaders"


# --- 4. Rate limits that hold ----------------------------------------------------------------


def limited_app(db_path, **limits):
    return make_test_app(db_path, RATELIMIT_ENABLED=True, **limits)


def from_address(app, address: str):
    return browser(app, address=address)


def test_a_flood_against_one_email_does_not_lock_its_owner_out(db_path):
    app = limited_app(db_path, AUTH_RATE_LIMIT_PER_ACCOUNT="3 per hour", AUTH_RATE_LIMIT_PER_ADDRESS="100 per hour")
    AuthActions(from_address(app, "192.0.2.9")).register()
    attacker = AuthActions(from_address(app, "198.51.100.7"))
    assert [attacker.login(password="guess").status_code for _ in range(4)] == [400, 400, 400, 429]

    assert AuthActions(from_address(app, "192.0.2.9")).login().status_code == 302


def test_one_address_is_limited_across_every_email(db_path):
    app = limited_app(db_path, AUTH_RATE_LIMIT_PER_ACCOUNT="100 per hour", AUTH_RATE_LIMIT_PER_ADDRESS="3 per hour")
    prober = AuthActions(from_address(app, "198.51.100.7"))
    statuses = [prober.login(email=f"guess{n}@example.com", password="guess").status_code for n in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert AuthActions(from_address(app, "192.0.2.9")).login(email="other@example.com").status_code == 400


def test_behind_a_trusted_proxy_the_limit_counts_the_real_client(db_path):
    app = limited_app(db_path, PROXY_HOPS=1, AUTH_RATE_LIMIT_PER_ADDRESS="2 per hour")
    proxy = browser(app)
    one = {"X-Forwarded-For": "198.51.100.7"}
    other = {"X-Forwarded-For": "192.0.2.9"}
    wrong = {"email": "x@example.com", "password": "guess"}
    assert [proxy.post("/auth/login", data=wrong, headers=one).status_code for _ in range(3)] == [400, 400, 429]
    assert proxy.post("/auth/login", data=wrong, headers=other).status_code == 400


@pytest.mark.parametrize("form", ["password", "delete"])
def test_password_change_and_account_deletion_are_limited(db_path, form):
    app = limited_app(db_path, AUTH_RATE_LIMIT_PER_ACCOUNT="2 per hour")
    client = browser(app)
    AuthActions(client).register()
    if form == "password":
        statuses = [change_password(client, "wrong guess", "a brand new passphrase").status_code for _ in range(3)]
    else:
        statuses = [client.post("/account/delete", data={"password": "wrong guess"}).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    assert client.get("/progress").status_code == 200


# --- 5. No account discovery through sign-in --------------------------------------------------


def test_an_unknown_email_runs_the_same_password_hash_as_a_wrong_password(app, monkeypatch):
    import app.models.user as user_module

    calls = []
    real = user_module.check_password_hash
    monkeypatch.setattr(user_module, "check_password_hash", lambda *args: calls.append(args[0][:6]) or real(*args))
    client = browser(app)
    AuthActions(client).register()
    AuthActions(client).logout()
    client.get("/")  # shows the "signed out" message
    calls.clear()

    unknown = AuthActions(client).login(email="nobody@example.com", password="a wrong guess")
    after_unknown = list(calls)
    wrong = AuthActions(client).login(password="a wrong guess")

    assert unknown.status_code == wrong.status_code == 400
    assert unknown.get_data(as_text=True).replace("nobody@example.com", "ana@example.com") \
        == wrong.get_data(as_text=True)
    assert after_unknown == ["scrypt"] and calls == ["scrypt", "scrypt"]


# --- 6. Tokens and cookies --------------------------------------------------------------------


def csrf_app(db_path):
    return make_test_app(db_path, WTF_CSRF_ENABLED=True)


def token_on(client, page: str = "/sessions/new") -> str:
    return read_form(client.get(page).get_data(as_text=True), "/sessions/new")[1]["csrf_token"]


def test_the_csrf_token_changes_at_sign_in_and_sign_out(db_path):
    app = csrf_app(db_path)
    client = browser(app)
    _, fields = read_form(client.get("/auth/register").get_data(as_text=True))
    before = client.get_cookie("session").value
    visitor_token = fields["csrf_token"]
    assert client.post("/auth/register", data=fill(fields, email="ana@example.com", password=PASSWORD,
                                                   confirm=PASSWORD)).status_code == 302
    member_token = token_on(client)
    assert client.get_cookie("session").value != before
    _, logout = read_form(client.get("/progress").get_data(as_text=True), "/auth/logout")
    logout["csrf_token"] = client.get("/offline/sync").get_json()["csrf_token"]  # as the menu's script does
    assert client.post("/auth/logout", data=logout).status_code == 302
    after_token = token_on(client)

    # Each token was signed for a different raw secret: the old one is refused after the change.
    assert client.post("/sessions/new", data=log_form(csrf_token=visitor_token)).status_code == 400
    assert len({visitor_token.split(".")[0], member_token.split(".")[0], after_token.split(".")[0]}) == 3


def test_a_form_sent_with_a_token_from_before_sign_in_comes_back_filled_in(db_path):
    app = csrf_app(db_path)
    tab = browser(app)
    _, old_form = read_form(tab.get("/sessions/new").get_data(as_text=True), "/sessions/new")
    _, register = read_form(tab.get("/auth/register").get_data(as_text=True))
    tab.post("/auth/register", data=fill(register, email="ana@example.com", password=PASSWORD, confirm=PASSWORD))

    typed = fill(old_form, routine="quick-morning-depuff", minutes="7", skin_feel="5", discomfort="no",
                 notes="typed in the old tab")
    response = tab.post("/sessions/new", data=typed)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert STALE_FORM_MESSAGE.replace("'", "&#39;") in page and "typed in the old tab" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(SessionLog.id))) == 0
    _, again = read_form(page, "/sessions/new")
    assert tab.post("/sessions/new", data=again).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(SessionLog.notes)) == "typed in the old tab"


@pytest.mark.parametrize("token", ["stale", "from the menu"])
def test_sign_out_with_a_stale_or_missing_token_asks_again_instead_of_failing(db_path, token):
    """A token gone stale, or none at all: the menu's form carries none (its script fetches
    one, base.html), so without the script the server's own "Sign out?" form asks once more."""
    app = csrf_app(db_path)
    client = browser(app)
    _, register = read_form(client.get("/auth/register").get_data(as_text=True))
    client.post("/auth/register", data=fill(register, email="ana@example.com", password=PASSWORD, confirm=PASSWORD))
    _, menu = read_form(client.get("/sessions").get_data(as_text=True), "/auth/logout")
    assert menu["csrf_token"] == ""
    response = client.post("/auth/logout", data=menu if token == "from the menu" else {"csrf_token": token})
    assert response.status_code == 400 and "Sign out?" in response.get_data(as_text=True)
    confirm = {"csrf_token": page_token(response.get_data(as_text=True))}
    assert client.post("/auth/logout", data=confirm).status_code == 302
    assert client.get("/progress").status_code == 302


def test_hsts_is_sent_only_when_served_over_https(db_path):
    assert "Strict-Transport-Security" not in make_test_app(db_path).test_client().get("/").headers
    secure = make_test_app(db_path, HTTPS=True).test_client().get("/")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def private(path: Path) -> bool:
    return stat.S_IMODE(os.stat(path).st_mode) & 0o077 == 0


@sqlite_only
def test_the_sqlite_file_and_the_secret_key_are_readable_by_their_owner_only(tmp_path):
    database = tmp_path / "new.sqlite"
    app = make_test_app(database)
    with app.app_context():
        db.session.execute(text("CREATE TABLE t (x INTEGER)"))
        db.session.commit()
        files = [database, *tmp_path.glob("new.sqlite-*")]
        assert len(files) == 3  # the file, its write-ahead log and its shared memory
        assert all(private(path) for path in files), files
        db.engine.dispose()
    load_or_create_secret_key(str(tmp_path))
    assert private(tmp_path / "secret_key")


# --- Also -------------------------------------------------------------------------------------


def test_a_log_finished_on_a_device_whose_sign_in_just_ended_is_kept_until_it_signs_in(app):
    laptop, phone = browser(app), browser(app, PHONE)
    AuthActions(laptop).register()
    AuthActions(phone).login()
    _, fields = read_form(laptop.get("/account/sign-ins").get_data(as_text=True), "/account/sign-ins/end-others")
    laptop.post("/account/sign-ins/end-others", data=fields)

    finished = phone.post("/sessions/new", data=log_form(notes="finished as the sign-in ended"))
    assert finished.status_code == 302 and finished.headers["Location"].startswith("/auth/login")
    assert AuthActions(phone).login().status_code == 302
    with app.app_context():
        assert db.session.scalar(select(SessionLog.notes)) == "finished as the sign-in ended"


def test_an_operator_can_reset_a_password_and_end_every_sign_in(app):
    phone = browser(app, PHONE)
    AuthActions(phone).register()
    runner = app.test_cli_runner()

    result = runner.invoke(args=["users", "reset-password", "ANA@example.com"],
                           input="a fresh temporary pass\na fresh temporary pass\n")

    assert result.exit_code == 0, result.output
    assert "1 sign-in ended" in result.output
    assert signed_out_everywhere(phone)
    assert AuthActions(browser(app)).login(password="a fresh temporary pass").status_code == 302
    unknown = runner.invoke(args=["users", "reset-password", "nobody@example.com", "--password", "long enough pass"])
    assert unknown.exit_code != 0 and "No account" in unknown.output
    short = runner.invoke(args=["users", "reset-password", "ana@example.com", "--password", "short"])
    assert short.exit_code != 0 and "10 to 200" in short.output


@pytest.mark.parametrize(("agent", "name"), [
    (PHONE, "Mobile Safari on iPhone"),
    (LAPTOP, "Chrome on Linux"),
    ("", "An unknown browser"),
    ("curl/8.5.0", "curl"),
])
def test_devices_are_named_in_plain_words(agent, name):
    assert device_name(agent) == name
