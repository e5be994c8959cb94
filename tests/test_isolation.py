"""Nobody reaches anyone else's data: every per-user URL, tried as another user."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import SessionLog
from tests.conftest import AuthActions, log_form, log_session

ANA_NOTE = "ana-private-note-7f3a"
BEA_NOTE = "bea-private-note-91c2"


def snapshot(app) -> list[tuple]:
    """Every stored log, column by column, to prove nothing changed."""
    with app.app_context():
        return [
            (log.id, log.user_id, log.routine_id, log.client_id, log.completed_at, log.seconds_spent, log.skin_feel,
             log.discomfort, log.discomfort_kind, log.notes)
            for log in db.session.scalars(select(SessionLog).order_by(SessionLog.id))
        ]


@pytest.fixture
def two_people(app):
    """Ana and Bea, each signed in on their own browser, each with logged sessions."""
    ana, bea = app.test_client(), app.test_client()
    AuthActions(ana).register(email="ana@example.com", display_name="Ana")
    AuthActions(bea).register(email="bea@example.com", display_name="Bea")
    ana_log = log_session(ana, routine="gua-sha-face-and-neck", notes=ANA_NOTE, client_id="ana-1", discomfort="yes",
                          discomfort_kind="bruising", completed_at="2025-04-01T20:00")
    log_session(ana, routine="gua-sha-face-and-neck", notes=ANA_NOTE, client_id="ana-2",
                completed_at="2025-04-02T20:00")
    bea_log = log_session(bea, routine="serum-press-in", notes=BEA_NOTE, client_id="bea-1",
                          completed_at="2025-04-03T20:00")
    return ana, bea, ana_log, bea_log


def test_someone_elses_log_does_not_exist_for_you(app, two_people):
    ana, bea, ana_log, _ = two_people
    before = snapshot(app)
    attempts = [
        bea.get(f"/sessions/{ana_log}"),
        bea.get(f"/sessions/{ana_log}/edit"),
        bea.post(f"/sessions/{ana_log}/edit", data=log_form(notes="overwritten by bea", minutes="99")),
        bea.post(f"/sessions/{ana_log}/delete"),
    ]
    assert [response.status_code for response in attempts] == [404] * 4
    for response in attempts:
        assert ANA_NOTE not in response.get_data(as_text=True)
    assert snapshot(app) == before
    # ... exactly like a log that doesn't exist at all, so ids reveal nothing.
    assert bea.get("/sessions/999999").status_code == 404
    # Ana still has it all.
    assert ANA_NOTE in ana.get(f"/sessions/{ana_log}").get_data(as_text=True)


def test_the_owner_can_still_edit_and_delete(app, two_people):
    ana, _, ana_log, _ = two_people
    assert ana.get(f"/sessions/{ana_log}/edit").status_code == 200
    assert ana.post(f"/sessions/{ana_log}/delete", data={"confirmed": "yes"}).headers["Location"] == "/sessions"
    with app.app_context():
        assert db.session.get(SessionLog, ana_log) is None


BEAS_OWN_PAGES = ["/sessions", "/sessions?page=1", "/progress", "/account", "/account/export",
                  "/account/export/sessions.csv", "/account/summary", "/account/delete"]


def test_your_own_pages_hold_only_your_data(two_people):
    _, bea, _, _ = two_people
    for path in BEAS_OWN_PAGES:
        response = bea.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert ANA_NOTE not in page, path
        assert "ana@example.com" not in page, path
        assert "Gua sha" not in page and "gua-sha-face-and-neck" not in page, path  # Ana's routine, never Bea's
        assert "bruising" not in page.lower(), path


def test_bea_sees_her_own_data_on_those_pages(two_people):
    _, bea, _, bea_log = two_people
    assert f'href="/sessions/{bea_log}"' in bea.get("/sessions").get_data(as_text=True)
    assert BEA_NOTE in bea.get("/account/export").get_data(as_text=True)
    assert BEA_NOTE in bea.get("/account/export/sessions.csv").get_data(as_text=True)
    assert BEA_NOTE in bea.get("/account/summary").get_data(as_text=True)
    progress = bea.get("/progress").get_data(as_text=True)
    assert '<p class="stat-value">1</p><p class="stat-label">sessions in all' in progress


def test_reusing_someone_elses_client_id_stores_your_own_log(app, two_people):
    """The client id is unique per person: Ana's id in Bea's post never returns Ana's log."""
    ana, bea, ana_log, _ = two_people
    before = snapshot(app)
    response = bea.post("/sessions/new", data=log_form(client_id="ana-1", notes="bea's own"))
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert new_id != ana_log
    assert snapshot(app)[: len(before)] == before
    assert "bea&#39;s own" in bea.get(f"/sessions/{new_id}").get_data(as_text=True)
    assert ana.get(f"/sessions/{new_id}").status_code == 404


def test_the_firmer_advice_looks_only_at_your_own_previous_session(app, two_people):
    """Ana bruised on 1 April; Bea's bruise on 2 April is her first, so her advice stays gentle."""
    _, bea, _, _ = two_people
    log_id = log_session(bea, discomfort="yes", discomfort_kind="bruising", completed_at="2025-04-01T21:00")
    page = bea.get(f"/sessions/{log_id}").get_data(as_text=True)
    assert "About the discomfort you noted" in page
    assert "twice in a row" not in page


SIGNED_IN_ONLY = [
    ("get", "/sessions"), ("get", "/sessions/{id}"), ("get", "/sessions/{id}/edit"), ("post", "/sessions/{id}/edit"),
    ("post", "/sessions/{id}/delete"), ("get", "/progress"), ("post", "/progress/checkin"), ("get", "/account"),
    ("post", "/account"), ("post", "/account/skin-check"), ("get", "/account/export"),
    ("get", "/account/export/sessions.csv"), ("get", "/account/summary"), ("get", "/account/delete"),
    ("post", "/account/delete"),
]


def test_visitors_are_sent_to_sign_in(app, two_people):
    _, _, ana_log, _ = two_people
    before = snapshot(app)
    visitor = app.test_client()
    for method, path in SIGNED_IN_ONLY:
        response = getattr(visitor, method)(path.format(id=ana_log))
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/auth/login"), path
    assert snapshot(app) == before
