"""Deterministic performance budgets: SQL statements per page, and a person-first index behind
every query on session logs. A page that grew a query per logged session (or per routine)
would show here long before anybody felt it."""

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event, insert, select, text

from app.extensions import db
from app.models import ProgressSnapshot, Routine, SessionLog, User
from app.progress import PracticeSummary, summarise
from app.summaries import logged_sessions
from app.timezones import utc_now
from bench.seed import session_rows
from tests.conftest import ON_POSTGRES, AuthActions, fill, log_session, read_form, save_profile

MAX_STATEMENTS = 4
NO_INDEX = "no index"  # a read of session_logs without one (how_session_logs_are_read)
ROUTINE = "quick-morning-depuff"


def add_history(app, email: str, count: int) -> None:
    """`count` sessions spread over two years, inserted in one go, as the benchmark seeds them."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        routine_ids = list(db.session.scalars(select(Routine.id)))
        db.session.execute(insert(SessionLog), session_rows(user.id, routine_ids, utc_now(), count))
        db.session.commit()


@contextmanager
def recorded_statements(app):
    """Every SQL statement the app sends while the block runs, with its parameters."""
    statements: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def signed_in_pages(log_id: int) -> list[str]:
    routine = f"/routines/{ROUTINE}"
    return [
        "/", "/goals", "/goals/puffiness-dark-circles", "/routines", "/routines?goal=circulation&length=quick",
        "/routines?skin_type=dry", routine, f"{routine}/play", f"{routine}/play?step=1", f"{routine}/play?step=3",
        f"{routine}/play/done?spent=300", "/safety", "/healthz",
        "/sessions", "/sessions/new", f"/sessions/{log_id}", f"/sessions/{log_id}/edit",
        "/progress", "/account", "/account/summary", "/account/delete",
    ]


ANONYMOUS_PAGES = ["/", "/goals/circulation", "/routines", f"/routines/{ROUTINE}", f"/routines/{ROUTINE}/play?step=2",
                   "/auth/login", "/auth/register", "/sessions/new", "/safety"]


def statements_per_page(app, client, pages: list[str]) -> dict[str, int]:
    """For each page: the statements of rendering it, the sign-in check included."""
    counts = {}
    for page in pages:
        with recorded_statements(app) as statements:
            response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)
        counts[page] = len(statements)
    return counts


def over_budget(counts: dict[str, int]) -> dict[str, int]:
    return {page: count for page, count in counts.items() if count > MAX_STATEMENTS}


@pytest.fixture
def history_of(app):
    """A signed-in client whose user has the given number of logged sessions."""

    def build(count: int, email: str):
        client = app.test_client()
        auth = AuthActions(client)
        auth.register(email=email)
        auth.login(email=email)
        # Profile answers make catalog pages personal: recommendations and warnings.
        profile = save_profile(client, time_zone="Europe/Paris", skin_type="dry", goal_slugs=["circulation"])
        assert profile.status_code == 302
        action, fields = read_form(client.get("/account").get_data(as_text=True), "/account/skin-check")
        assert client.post(action, data=fill(fields, breakout="y", breakout_zones=["chin"])).status_code == 302
        log_id = log_session(client, discomfort="yes", discomfort_kind="redness")
        add_history(app, email, count - 1)
        return client, log_id

    return build


def test_every_page_stays_within_the_statement_budget_whatever_the_history(app, history_of):
    small_client, small_log = history_of(10, "small@example.com")
    large_client, large_log = history_of(10_000, "large@example.com")
    for client in (small_client, large_client):
        client.get("/")  # shows the "Session logged" message; the library snapshot is read on first use

    small = statements_per_page(app, small_client, signed_in_pages(small_log))
    large = statements_per_page(app, large_client, signed_in_pages(large_log))

    assert not over_budget(large), f"pages over {MAX_STATEMENTS} statements: {over_budget(large)}"
    grew = {page: (before, after) for (page, before), after in zip(small.items(), large.values(), strict=True)
            if before != after}
    assert not grew, f"statement counts that changed with the history (10 vs 10,000 sessions): {grew}"


def test_anonymous_pages_stay_within_the_statement_budget(app, client):
    counts = statements_per_page(app, client, ANONYMOUS_PAGES)
    assert not over_budget(counts), f"pages over {MAX_STATEMENTS} statements: {over_budget(counts)}"


def reads_session_logs(statement: str) -> bool:
    return statement.lstrip().upper().startswith("SELECT") and re.search(r"\bsession_logs\b", statement) is not None


def person_first_indexes(connection) -> set[str]:
    """session_logs' primary key, and its indexes that begin with user_id: the ones that go
    straight to one person's logs."""
    if ON_POSTGRES:
        rows = connection.execute(text(
            "SELECT indexrelid::regclass::text, indisprimary, "
            "(SELECT attname FROM pg_attribute WHERE attrelid = indrelid AND attnum = indkey[0]) "
            "FROM pg_index WHERE indrelid = 'session_logs'::regclass")).all()
        return {name for name, primary, first in rows if primary or first == "user_id"}
    names = [row[1] for row in connection.exec_driver_sql("PRAGMA index_list(session_logs)")]
    return {name for name in names
            if connection.exec_driver_sql(f"PRAGMA index_info('{name}')").first()[2] == "user_id"}


def how_session_logs_are_read(connection, statement: str, parameters) -> list[str]:
    """Each read of session_logs in the statement's plan: the index it goes through ("primary
    key" for SQLite's rowid lookups), or NO_INDEX."""
    if ON_POSTGRES:
        # Tiny tables make a sequential scan the cheapest plan; forbid it to see whether an
        # index could serve the query at all.
        connection.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).scalars())
        own = set(connection.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'session_logs'"))
                  .scalars())
        return [NO_INDEX] * len(re.findall(r"Seq Scan on session_logs\b", plan)) + [
            name for name in re.findall(r"Index (?:Only )?Scan (?:Backward )?(?:using|on) (\w+)", plan) if name in own]
    plan = [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]
    return [(match.group(1) or "primary key") if (match := re.search(r"INDEX (\w+)|INTEGER PRIMARY KEY", line))
            else NO_INDEX for line in plan if re.match(r"(?:SEARCH|SCAN) session_logs\b", line)]



def test_every_query_on_session_logs_goes_straight_to_one_persons_logs(app, history_of):
    """Through an index, and one that begins with the person: an index on something else (the
    routine, say) still counts as an index, yet walks everybody's logs. The finish screen's
    query once read 10,000 rows for one person's newest log in `make bench`, and would read
    millions at scale."""
    history_of(50, "someone.else@example.com")
    client, log_id = history_of(50, "plans@example.com")
    with recorded_statements(app) as statements:
        for page in signed_in_pages(log_id) + ["/account/export", "/account/export/sessions.csv"]:
            client.get(page)

    queries = {statement: parameters for statement, parameters in statements if reads_session_logs(statement)}
    assert queries, "the pages should have read session logs"
    with app.app_context(), db.engine.connect() as connection:
        allowed = person_first_indexes(connection) | {"primary key"}
        reads = {statement: how_session_logs_are_read(connection, statement, parameters)
                 for statement, parameters in queries.items()}
    scans = [statement for statement, ways in reads.items() if not ways or NO_INDEX in ways]
    assert not scans, f"queries reading session_logs without an index: {scans}"
    wide = {statement: ways for statement, ways in reads.items() if set(ways) - allowed}
    assert not wide, f"queries on session_logs through an index that is not the person's: {wide}"


def test_new_edited_deleted_and_restored_logs_carry_the_stored_summary_forward_instead_of_a_fresh_fold(app, history_of):
    client, _ = history_of(2_000, "regular@example.com")
    assert client.get("/progress").status_code == 200  # folds once and keeps the summary
    log_session(client)
    newest = log_session(client, routine=ROUTINE, minutes="7")
    action, fields = read_form(client.get(f"/sessions/{newest}/edit").get_data(as_text=True),
                               f"/sessions/{newest}/edit")
    assert client.post(action, data=fill(fields, minutes="9", skin_feel="2")).status_code == 302
    doomed = log_session(client, completed_at="2025-03-01T07:30")
    assert client.post(f"/sessions/{doomed}/delete", data={"confirmed": "yes"}).status_code == 302
    undone = log_session(client, completed_at="2025-04-01T07:30")
    assert client.post(f"/sessions/{undone}/delete", data={"confirmed": "yes"}).status_code == 302
    assert client.post("/sessions/undo").status_code == 302

    with recorded_statements(app) as statements:
        assert client.get("/progress").status_code == 200
    history_reads = [statement for statement, _ in statements if reads_session_logs(statement)]
    assert history_reads == [], "the progress page read the history after a change instead of the stored summary"

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "regular@example.com"))
        stored = db.session.get(ProgressSnapshot, user.id)
        assert stored.log_version == user.log_version
        assert PracticeSummary.from_json(stored.data) == summarise(logged_sessions(user), user.time_zone)
        assert PracticeSummary.from_json(stored.data).total_sessions == 2_003
