"""`make bench-scale`: the signed-in pages at a hundred thousand people and ten million sessions.

On PostgreSQL (TEST_DATABASE_URL: a role that may create databases, as .ci/with-postgres
makes): a new database built by the real migrations and content loader, then 100,000 people
and 10,000,000 session logs streamed in with COPY (the indexes are dropped first and built
again after, as a bulk load should). The production configuration then serves it, and
Locust's HistoryReader (bench/locustfile.py) plays 16 signed-in people of every history size
opening Today, progress and history, with think time. Budget: p99 of each under 50 ms.
Each query those pages send is shown with EXPLAIN (ANALYZE), so index use can be read.

Prints the table and the plans; writes bench/results/scale.json; exits 1 if a budget fails.

    .ci/with-postgres python -m bench.scale [--seconds 60]      (make bench-scale)
"""

import argparse
import json
import os
import random
import tempfile
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import make_url

from app import create_app
from app.config import normalise_database_url
from app.extensions import db
from app.models.user import PASSWORD_METHOD
from bench.mix import GENERATOR_CORE, SERVER_CORE, locust, locust_beside_probe, signed_in
from bench.seed import GOALS, HISTORY_DAYS, PASSWORD, SKIN_TYPES, ZONES, Person
from bench.server import ROOT, Gunicorn, app_env, prepare_database
from bench.steadiness import describe

RESULTS = ROOT / "bench" / "results" / "scale.json"
PEOPLE = 100_000
READERS = 16
P99_BUDGET_MS = 50.0
PAGES = ("/ (signed in)", "/progress", "/sessions")
SIGNED_IN_PER_SIZE = 8  # people signed in from each history size


def history_size(number: int) -> int:
    """Skewed like real histories, 10,000,000 in all: 100 people with 10,000 sessions,
    9,900 with 500, and 90,000 with 0 to 90 (45 on average)."""
    if number < 100:
        return 10_000
    if number < 10_000:
        return 500
    return number % 91


def create_database(admin_url: str) -> str:
    base = make_url(normalise_database_url(admin_url))
    name = f"{base.database}_scale_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base.set(drivername="postgresql").render_as_string(hide_password=False),
                         autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return base.set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, url: str) -> None:
    base = make_url(normalise_database_url(admin_url))
    with psycopg.connect(base.set(drivername="postgresql").render_as_string(hide_password=False),
                         autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def load(url: str, people_count: int) -> dict:
    """People and histories with COPY; how long each part took, in seconds."""
    from werkzeug.security import generate_password_hash

    timings = {}
    password_hash = generate_password_hash(PASSWORD, method=PASSWORD_METHOD)
    rng = random.Random(11)
    now = datetime.now(UTC).replace(tzinfo=None)
    with psycopg.connect(libpq(url)) as connection:
        routine_ids = [row[0] for row in connection.execute("SELECT id FROM routines WHERE NOT retired")]
        kept = connection.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'session_logs' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)").fetchall()
        constraints = connection.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'session_logs'::regclass AND contype IN ('u', 'f')").fetchall()
        for name, _ in kept:
            connection.execute(f'DROP INDEX "{name}"')
        for name, _ in constraints:
            connection.execute(f'ALTER TABLE session_logs DROP CONSTRAINT "{name}"')

        started = time.monotonic()
        zones = [rng.choice(ZONES) for _ in range(people_count)]
        with connection.cursor().copy(
                "COPY users (email, password_hash, display_name, time_zone, skin_type, goal_slugs, weekly_target,"
                " rest_days_per_week, checkin_every_sessions, skin_flags, log_version, created_at) FROM STDIN") as copy:
            for number in range(people_count):
                copy.write_row((f"person{number}@scale.example", password_hash, f"Person {number}", zones[number],
                                rng.choice(SKIN_TYPES), json.dumps(rng.sample(GOALS, 2)), 4, 2, 10, "{}", 0,
                                now - timedelta(days=HISTORY_DAYS)))
        user_ids = [row[0] for row in connection.execute("SELECT id FROM users ORDER BY id")]
        timings["copy_users"] = round(time.monotonic() - started, 1)

        started = time.monotonic()
        with connection.cursor().copy(
                "COPY session_logs (user_id, routine_id, client_id, completed_at, time_zone, seconds_spent,"
                " skin_feel, discomfort, discomfort_kind, notes, created_at) FROM STDIN") as copy:
            for number, user_id in enumerate(user_ids):
                for _ in range(history_size(number)):
                    moment = now - timedelta(seconds=rng.random() * HISTORY_DAYS * 86_400)
                    copy.write_row((user_id, rng.choice(routine_ids), uuid.UUID(int=rng.getrandbits(128)).hex, moment,
                                    zones[number], rng.randint(120, 1200), rng.randint(1, 5), False, None, "", moment))
        timings["copy_session_logs"] = round(time.monotonic() - started, 1)

        started = time.monotonic()
        for _, definition in kept:
            connection.execute(definition)
        for name, definition in constraints:
            connection.execute(f'ALTER TABLE session_logs ADD CONSTRAINT "{name}" {definition}')
        connection.execute("UPDATE users SET log_version = 1")
        connection.commit()
        timings["indexes"] = round(time.monotonic() - started, 1)
    with psycopg.connect(libpq(url), autocommit=True) as connection:
        started = time.monotonic()
        connection.execute("VACUUM ANALYZE")
        timings["vacuum_analyze"] = round(time.monotonic() - started, 1)
        timings["session_logs"] = connection.execute("SELECT count(*) FROM session_logs").fetchone()[0]
    return timings


def explain_pages(url: str, email: str) -> dict[str, list[dict]]:
    """Each query Today, progress and history send for this person, with its EXPLAIN ANALYZE."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(url), "SECRET_KEY": os.urandom(16).hex(),
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    assert client.post("/auth/login", data={"email": email, "password": PASSWORD}).status_code == 302
    plans = {}
    with app.app_context():
        engine = db.engine
        for page in ("/", "/progress", "/sessions", "/progress"):  # the second /progress reads its stored summary
            statements: list[tuple[str, object]] = []

            def record(conn, cursor, statement, parameters, context, executemany, into=statements):
                into.append((statement, parameters))

            event.listen(engine, "before_cursor_execute", record)
            try:
                client.get(page)
            finally:
                event.remove(engine, "before_cursor_execute", record)
            explained = []
            with engine.connect() as connection:
                for statement, parameters in statements:
                    if not statement.lstrip().upper().startswith("SELECT"):
                        continue
                    rows = connection.exec_driver_sql("EXPLAIN (ANALYZE, COSTS OFF) " + statement, parameters)
                    explained.append({"query": " ".join(statement.split()), "plan": [row[0] for row in rows]})
            plans[page if page not in plans else f"{page} (again)"] = explained
        engine.dispose()
    return plans


def run(admin_url: str, seconds: int, people_count: int = PEOPLE) -> dict:
    started = time.monotonic()
    url = create_database(admin_url)
    with ExitStack() as running, tempfile.TemporaryDirectory() as scratch_dir:
        running.callback(drop_database, admin_url, url)
        scratch = Path(scratch_dir)
        env = app_env(normalise_database_url(url))
        prepare_database(env)
        loaded = load(url, people_count)
        server = Gunicorn(env, workers=None, prefix=("taskset", "-c", SERVER_CORE), log_path=scratch / "server.log")
        running.callback(server.stop)
        server.wait_ready()
        firsts = [first for first in (0, 100, 10_000) if first < people_count]  # heavy, medium, light histories
        people = [Person(f"person{first + offset}@scale.example", history_size(first + offset))
                  for first in firsts for offset in range(SIGNED_IN_PER_SIZE)]
        readers, _ = signed_in(server, people)
        plan = scratch / "plan.json"
        plan.write_text(json.dumps({"routines": {}, "members": readers, "readers": readers}))
        mix = {"MIX_PLAN": str(plan), "MIX_PACE": "think"}
        locust(server, ["HistoryReader"], READERS, 5, scratch, **mix)  # warm-up
        measured, spells = locust_beside_probe(server, ["HistoryReader"], READERS, seconds, scratch, P99_BUDGET_MS,
                                               PAGES, **mix)
        plans = explain_pages(url, "person0@scale.example")
    failures = [f"{page} p99 {measured.rows[page].p99_ms:.0f} ms >= {P99_BUDGET_MS:.0f}"
                for page in PAGES if measured.rows[page].p99_ms >= P99_BUDGET_MS]
    failures += [f"{measured.total.failures} failed requests"] if measured.total.failures else []
    return {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "people": people_count, "load": loaded, "readers": READERS, "seconds": seconds,
        "cores": {"server": SERVER_CORE, "generator": GENERATOR_CORE},
        "rows": {name: row.__dict__ for name, row in measured.rows.items()},
        "server_cpu_s": measured.server_cpu_s, "generator_cpu_s": measured.generator_cpu_s, "slow_spells": spells,
        "explain": plans, "budget_p99_ms": P99_BUDGET_MS, "failures": failures, "passed": not failures,
        "elapsed_seconds": round(time.monotonic() - started, 1),
    }


def report(result: dict) -> str:
    load = result["load"]
    lines = [f"{result['people']:,} people, {load['session_logs']:,} sessions: COPY users {load['copy_users']} s, "
             f"session logs {load['copy_session_logs']} s, indexes {load['indexes']} s, "
             f"VACUUM ANALYZE {load['vacuum_analyze']} s",
             f"{result['readers']} signed-in people (histories of 0 to 10,000), 1-3 s think time, "
             f"{result['seconds']} s; times in ms",
             f"{'page':<24}{'requests':>9}{'errors':>7}{'p50':>6}{'p95':>6}{'p99':>6}"]
    for name in (*PAGES, "Aggregated"):
        row = result["rows"][name]
        lines.append(f"{name:<24}{row['requests']:>9}{row['failures']:>7}{row['p50_ms']:>6.0f}{row['p95_ms']:>6.0f}"
                     f"{row['p99_ms']:>6.0f}")
    lines.append(describe(result["slow_spells"], P99_BUDGET_MS))
    for page, queries in result["explain"].items():
        lines.append(f"\nEXPLAIN ANALYZE, {page} (person0, 10,000 sessions):")
        for query in queries:
            lines.append(f"  {query['query'][:160]}")
            lines += [f"    {line}" for line in query["plan"]]
    lines.append(f"\nOverall: {'PASS' if result['passed'] else 'FAIL: ' + '; '.join(result['failures'])}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # 60 s: some 450 requests a page, enough for a p99 that is not just the few slowest.
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 60)))
    parser.add_argument("--people", type=int, default=PEOPLE, help="fewer people for a quick check of the harness")
    args = parser.parse_args()
    admin_url = os.environ.get("TEST_DATABASE_URL")
    if not admin_url:
        raise SystemExit("bench-scale needs TEST_DATABASE_URL (run it as `.ci/with-postgres python -m bench.scale`)")
    result = run(admin_url, args.seconds, args.people)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(report(result))
    print(f"written to {RESULTS.relative_to(ROOT)}")
    raise SystemExit(0 if result["passed"] else 1)


if __name__ == "__main__":
    main()
