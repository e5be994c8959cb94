"""Installable and offline (issue 18), on the server's side: the manifest, the service worker
route, the offline page, what the offline queue asks before sending, tombstones for deleted
logs, and a visitor's waiting logs as a list. The browser's side: tests/e2e/test_offline.py."""

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import DeletedLog, SessionLog
from app.offline.build import BUILD_MARK
from app.sessions.pending import PENDING_MAX
from tests.conftest import log_form, log_session, make_test_app


def count_logs(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(SessionLog.id)))


@pytest.fixture
def signed_in(auth):
    auth.register()
    return auth


def test_the_manifest_installs_the_app_on_today(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["name"] and manifest["short_name"] == "Glowstep"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"  # "/" is Today once signed in
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    purposes = {icon["purpose"] for icon in manifest["icons"]}
    assert purposes == {"any", "maskable"}
    assert any(icon["sizes"] == "512x512" and icon["type"] == "image/png" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as served:
            assert served.status_code == 200 and served.mimetype == icon["type"], icon


def test_every_page_links_the_manifest_and_both_themes_colours(client):
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert re.search(r'<meta name="theme-color" content="#[0-9a-f]{6}" media="\(prefers-color-scheme: light\)">', page)
    assert re.search(r'<meta name="theme-color" content="#[0-9a-f]{6}" media="\(prefers-color-scheme: dark\)">', page)


def built_app(db_path, tmp_path, fingerprint: str | None = None):
    """An app whose service worker file was built for `fingerprint` (default: its own)."""
    app = make_test_app(db_path, SERVICE_WORKER=str(tmp_path / "sw.js"))
    mark = BUILD_MARK.format(fingerprint=fingerprint or app.config["STATIC_FINGERPRINT"])
    (tmp_path / "sw.js").write_text(f"{mark}\nself.addEventListener('fetch', () => {{}});\n")
    return app


def test_the_service_worker_is_served_at_the_root_never_kept(db_path, tmp_path):
    client = built_app(db_path, tmp_path).test_client()
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.cache_control.no_cache and response.cache_control.max_age == 0
    page = client.get("/").get_data(as_text=True)
    assert 'id="offline-banner"' in page and "js/offline/register.js" in page


def test_without_a_matching_build_there_is_no_service_worker(db_path, tmp_path, client):
    """Built for other static files (a deploy that forgot `make offline`), or not built at all:
    no service worker, and pages do not try to register one."""
    for app_client in (built_app(db_path, tmp_path, fingerprint="000000000000").test_client(), client):
        assert app_client.get("/sw.js").status_code == 404
        page = app_client.get("/").get_data(as_text=True)
        assert "offline-banner" not in page and "register.js" not in page


def test_the_offline_page_says_it_needs_a_connection(client):
    page = client.get("/offline").get_data(as_text=True)
    assert "You're offline" in page and "needs a connection" in page


def test_a_routines_offline_copy_lists_every_page_that_plays_it(client):
    facts = client.get("/offline/routines/quick-morning-depuff.json").get_json()
    steps = len(facts["steps"])
    assert steps >= 3
    assert [url for url in facts["urls"] if "step=" in url] == [
        f"/routines/quick-morning-depuff/play?step={n}" for n in range(1, steps + 1)]
    for url in facts["urls"]:
        assert client.get(url).status_code == 200, url
    assert client.get("/offline/routines/no-such-routine.json").status_code == 404
    assert client.get("/offline/routines/no-such-routine/parts").status_code == 404


def test_the_queue_learns_who_is_signed_in_and_a_fresh_token(db_path):
    """Before sending, the queue asks who is signed in (never sending a log as another account)
    and for a CSRF token, which then lets a queued log in with CSRF on."""
    app = make_test_app(db_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    visitor = client.get("/offline/sync")
    assert visitor.headers["Cache-Control"] == "no-store" and visitor.get_json()["account"] == ""

    def register(email):
        token = client.get("/offline/sync").get_json()["csrf_token"]
        client.post("/auth/register", data={"email": email, "password": "massage every evening",
                                            "confirm": "massage every evening", "csrf_token": token})
        return client.get("/offline/sync").get_json()

    ana = register("ana@example.com")
    client.post("/auth/logout", data={"csrf_token": ana["csrf_token"]})
    ben = register("ben@example.com")
    assert ana["account"] and ben["account"] and ana["account"] != ben["account"]
    sent = client.post("/sessions/new", data=log_form(queued="1", csrf_token=ben["csrf_token"]))
    assert sent.status_code == 302 and count_logs(app) == 1


def test_a_deleted_log_stays_deleted_when_its_client_id_comes_back(app, client, signed_in):
    log_id = log_session(client, client_id="queued-on-the-phone")
    client.post(f"/sessions/{log_id}/delete", data={"confirmed": "yes"})
    again = client.post("/sessions/new", data=log_form(client_id="queued-on-the-phone", queued="1"))
    assert again.headers["Location"] == "/sessions"
    assert "You deleted that session, so it was not logged again." in client.get("/sessions").get_data(as_text=True)
    assert count_logs(app) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DeletedLog)) == 1


def test_undo_puts_a_deleted_log_back_and_its_tombstone_goes(app, client, signed_in):
    log_id = log_session(client, client_id="kept-after-all")
    client.post(f"/sessions/{log_id}/delete", data={"confirmed": "yes"})
    client.post("/sessions/undo")
    assert count_logs(app) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DeletedLog)) == 0
    log_session(client, client_id="kept-after-all")  # sent again: still the one log
    assert count_logs(app) == 1


def done_form_client_id(client, slug="quick-morning-depuff") -> str:
    page = client.get(f"/routines/{slug}/play/done?spent=200").get_data(as_text=True)
    return re.search(r'name="client_id" type="hidden" value="([^"]+)"', page).group(1)


def test_after_deleting_the_newest_log_the_player_form_can_log_again(app, client, signed_in):
    """Deleting the newest log brings back the token its form had; the form steps past it."""
    first = done_form_client_id(client)
    log_id = log_session(client, client_id=first)
    client.post(f"/sessions/{log_id}/delete", data={"confirmed": "yes"})
    again = done_form_client_id(client)
    assert again != first
    log_session(client, client_id=again)
    assert count_logs(app) == 1


def test_a_visitors_waiting_logs_are_a_list_all_saved_at_sign_in(app, client, auth):
    for routine in ("quick-morning-depuff", "quick-jaw-and-cheek-wake-up"):
        assert client.post("/sessions/new", data=log_form(routine=routine)).status_code == 302
    response = auth.register()
    assert count_logs(app) == 2
    assert response.headers["Location"] == "/sessions"
    assert "Your 2 sessions are saved." in client.get("/sessions").get_data(as_text=True)


def test_a_full_list_of_waiting_logs_refuses_the_next_and_loses_nothing(app, client, auth):
    for _ in range(PENDING_MAX):
        assert client.post("/sessions/new", data=log_form()).status_code == 302
    refused = client.post("/sessions/new", data=log_form(notes="the one more"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and f"Up to {PENDING_MAX} sessions can wait" in page
    assert "the one more" in page  # the form comes back as typed
    auth.register()
    assert count_logs(app) == PENDING_MAX


def test_a_new_log_can_wait_offline_an_edit_cannot(client, signed_in):
    """The offline queue keeps forms marked data-offline-log: the player's last screen and
    the log form by hand, not an edit (which needs the stored log)."""
    # The player's last screen posts to itself (errors come back on it); the log page to /sessions/new.
    for page, action in (("/routines/quick-morning-depuff/play/done?spent=200",
                          "/routines/quick-morning-depuff/play/done?spent=200"), ("/sessions/new", "/sessions/new")):
        html = client.get(page).get_data(as_text=True)
        assert re.search(rf'<form [^>]*action="{re.escape(action)}"[^>]* data-offline-log', html), page
    log_id = log_session(client)
    assert "data-offline-log" not in client.get(f"/sessions/{log_id}/edit").get_data(as_text=True)
