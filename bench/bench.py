"""Throughput of the main pages, as a share of what a minimal Flask app gets on this machine.

Starts the production configuration (gunicorn + gunicorn.conf.py) on a SQLite database holding
the content and one person with 10,000 sessions logged over two years, and, under the same
configuration, the minimal app in bench/ceiling.py. wrk drives each page, signed in as that
person, after a warm-up, each time straight after a measurement of the ceiling. Prints
requests per second, p50, p99 and the share of the ceiling for each page against the budgets,
writes bench/results/latest.json, and exits 1 if any budget fails.

    python -m bench.bench [--seconds 5] [--warmup 2]      (make bench; BENCH_SECONDS=10 make bench)
"""

import argparse
import contextlib
import http.client
import json
import os
import platform
import random
import re
import runpy
import subprocess
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from app import create_app
from app.extensions import db
from app.models import Routine, SessionLog, User
from app.timezones import utc_now
from bench.loadtest import Client, Tally
from bench.server import ROOT, Gunicorn, app_env, prepare_database

RESULTS = ROOT / "bench" / "results" / "latest.json"
CONNECTIONS = 16
WRK_THREADS = 2
SESSIONS = 10_000
HISTORY_DAYS = 730
EMAIL = "bench@example.com"
PASSWORD = "bench password"  # a throwaway account in a throwaway database
# Flask-Login ties the session to the address and User-Agent: sign-in and wrk send the same one.
USER_AGENT = "glowstep-bench"
CATALOG_SHARE = 0.6  # catalog, routine and player pages: at least this share of the ceiling
PERSONAL_SHARE = 0.4  # progress and the session history read the person's log: a lower bar
P99_BUDGET_MS = 50.0
RUNS = 3  # wrk runs per measurement; the median counts
ROUTINE = "full-face-workout"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SETTLE_INTERVAL = 0.5  # seconds between two looks at the workers' CPU time
IDLE_CPU = 0.02  # CPU seconds all workers may use in that interval and count as idle

SIGNED_IN = 'action="/auth/logout"'  # the sign-out form, shown only to a signed-in person
TO_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
PERCENTILE = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
TOTAL = re.compile(r"(\d+) requests in")
NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
SOCKET_ERROR_KINDS = ("connect", "read", "write", "timeout")
SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


@dataclass(frozen=True)
class Page:
    path: str
    min_share: float


PAGES = (
    Page("/", CATALOG_SHARE),
    Page("/goals/circulation", CATALOG_SHARE),
    Page(f"/routines/{ROUTINE}", CATALOG_SHARE),
    Page(f"/routines/{ROUTINE}/play", CATALOG_SHARE),
    Page("/progress", PERSONAL_SHARE),
    Page("/sessions", PERSONAL_SHARE),
)


@dataclass(frozen=True)
class Run:
    """What wrk measured at one URL. Errors are counted, never hidden in the rate."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int  # wrk counts 4xx and 5xx here; 3xx pass unnoticed, hence check_pages()
    socket_errors: dict[str, int]  # connect, read and write errors, and requests that timed out
    worker_cpu_seconds: list[float] = field(default_factory=list)  # by live worker, busiest first
    recycled_workers: int = 0  # workers that reached max_requests and were replaced during the run
    recycled_cpu_seconds: float = 0.0  # what those used during the run
    rps_of_each_run: list[float] = field(default_factory=list)  # this is the median of these


def parse_wrk(output: str) -> Run:
    rps, total = RPS.search(output), TOTAL.search(output)
    if rps is None or total is None:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    percentiles = {share: float(value) * TO_MS[unit] for share, value, unit in PERCENTILE.findall(output)}
    non_2xx, socket_errors = NON_2XX.search(output), SOCKET_ERRORS.search(output)
    return Run(
        rps=float(rps.group(1)),
        p50_ms=percentiles["50"],
        p99_ms=percentiles["99"],
        requests=int(total.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=dict(zip(SOCKET_ERROR_KINDS, map(int, socket_errors.groups()), strict=True))
        if socket_errors else dict.fromkeys(SOCKET_ERROR_KINDS, 0),
    )


def wrk(url: str, seconds: int, headers: list[str]) -> Run:
    header_args = [arg for header in headers for arg in ("-H", header)]
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", *header_args, url]
    return parse_wrk(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def cpu_seconds(pid: int, children: bool = False) -> float:
    """A process's CPU time (user + system), or that of its children it has reaped."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    first = 13 if children else 11  # cutime and cstime follow utime and stime
    return (int(fields[first]) + int(fields[first + 1])) / CLOCK_TICKS


def busy_seconds(servers: list[Gunicorn]) -> dict[int, float]:
    """CPU seconds each worker has used so far, by pid (a worker gone meanwhile is left out)."""
    used = {}
    for server in servers:
        for pid in server.worker_pids():
            with contextlib.suppress(FileNotFoundError):
                used[pid] = cpu_seconds(pid)
    return used


def settle(servers: list[Gunicorn], timeout: float = 120) -> None:
    """Wait until every worker is idle: requests still queued from the last run would slow the next one."""
    deadline = time.monotonic() + timeout
    previous: dict[int, float] = {}
    while time.monotonic() < deadline:
        current = busy_seconds(servers)
        if current.keys() == previous.keys() and sum(current.values()) - sum(previous.values()) < IDLE_CPU:
            return
        previous = current
        time.sleep(SETTLE_INTERVAL)
    raise RuntimeError(f"the servers were still busy after {timeout:.0f} s")


def measure(servers: list[Gunicorn], target: Gunicorn, path: str, seconds: int, warmup: int,
            headers: list[str]) -> Run:
    """From idle servers, and after a warm-up, so worker start-up, template compilation and cold caches
    stay out of the numbers. Notes each worker's CPU time too: wrk's keep-alive connections stay with
    the worker that accepted them, and a run whose work fell on one worker says so."""
    settle(servers)
    if warmup:
        wrk(target.url + path, warmup, headers)
    before, reaped_before = busy_seconds([target]), cpu_seconds(target.process.pid, children=True)
    run = wrk(target.url + path, seconds, headers)
    after, reaped_after = busy_seconds([target]), cpu_seconds(target.process.pid, children=True)
    spread = sorted((round(used - before.get(pid, 0.0), 1) for pid, used in after.items()), reverse=True)
    # max_requests recycles workers: the master's reaped-children time holds what the departed used.
    recycled = reaped_after - reaped_before - sum(used for pid, used in before.items() if pid not in after)
    return replace(run, worker_cpu_seconds=spread, recycled_workers=len(before.keys() - after.keys()),
                   recycled_cpu_seconds=round(recycled, 1))


def paired_run(servers: list[Gunicorn], glowstep: Gunicorn, ceiling: Gunicorn, path: str, seconds: int,
               warmup: int, headers: list[str]) -> tuple[Run, Run]:
    """RUNS pairs: the ceiling, then the page straight after it, so a page is compared with the
    ceiling as the machine was moments before (this machine's speed drifts by a third within
    minutes, and which worker gets which of wrk's connections changes from run to run). The
    pair whose share is the median of the RUNS is the one reported, with both sides' rates."""
    pairs = []
    for _ in range(RUNS):
        top = measure(servers, ceiling, "/", seconds, warmup, [])
        page = measure(servers, glowstep, path, seconds, warmup, headers)
        pairs.append((page.rps / top.rps, top, page))
    pairs.sort(key=lambda pair: pair[0])
    _, top, page = pairs[len(pairs) // 2]
    return (replace(top, rps_of_each_run=[pair[1].rps for pair in pairs]),
            replace(page, rps_of_each_run=[pair[2].rps for pair in pairs]))


def session_rows(user_id: int, routine_ids: list[int], now: datetime, count: int = SESSIONS) -> list[dict]:
    """`count` logs spread over HISTORY_DAYS, seeded so every run reads the same history.
    Also how the statement-budget tests (tests/test_queries.py) give a person a long history."""
    rng = random.Random(6)
    rows = []
    for _ in range(count):
        completed_at = now - timedelta(seconds=rng.uniform(0, HISTORY_DAYS * 86_400))
        discomfort = rng.random() < 0.02
        rows.append({
            "user_id": user_id,
            "routine_id": rng.choice(routine_ids),
            "client_id": uuid.uuid4().hex,
            "completed_at": completed_at,
            "seconds_spent": rng.randint(120, 1200),
            "skin_feel": rng.randint(1, 5),
            "discomfort": discomfort,
            "discomfort_kind": "redness" if discomfort else None,
            "notes": "",
            "created_at": completed_at,
        })
    return rows


def seed(database_url: str) -> None:
    """The person and their history, in process and in one transaction: the forms would take minutes."""
    flask_app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": os.urandom(16).hex()})
    with flask_app.app_context():
        # A profile with goals and a skin type, so the catalog's personal notes do their work.
        user = User(email=EMAIL, display_name="Bench", time_zone="Europe/London", skin_type="combination",
                    goal_slugs=["circulation", "tension-relief"])
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.flush()
        routine_ids = list(db.session.scalars(select(Routine.id).where(Routine.retired.is_(False))))
        db.session.execute(insert(SessionLog), session_rows(user.id, routine_ids, utc_now()))
        db.session.commit()
        db.engine.dispose()


def sign_in(base: str) -> list[str]:
    """Sign in through the real form (CSRF included); the headers that make wrk that person.
    check_pages() then proves the cookie is a signed-in one on every page."""
    person = Client(base, Tally())
    person.opener.addheaders = [("User-Agent", USER_AGENT)]
    status = person.post_form("/auth/login", {"email": EMAIL, "password": PASSWORD})
    if status != 302:
        raise RuntimeError(f"sign-in answered {status}, not a redirect")
    cookie = "; ".join(f"{item.name}={item.value}" for item in person.cookies)
    return [f"Cookie: {cookie}", f"User-Agent: {USER_AGENT}"]


def check_pages(port: int, headers: list[str]) -> None:
    """Every page answers 200 to the signed-in person: a redirect to sign-in would bench the wrong page."""
    fields = dict(header.split(": ", 1) for header in headers)
    for page in PAGES:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", page.path, headers=fields)
            response = connection.getresponse()
            body = response.read().decode()
        finally:
            connection.close()
        if response.status != 200 or SIGNED_IN not in body:
            raise RuntimeError(f"{page.path} answered {response.status}{'' if SIGNED_IN in body else ', signed out'}")


def production_workers() -> int:
    """The worker count gunicorn.conf.py picks on this machine (GLOWSTEP_WORKERS, else cores + 1)."""
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"]


def failures(run: Run, share: float, min_share: float) -> list[str]:
    reasons = []
    if share < min_share:
        reasons.append(f"{share:.2f} x ceiling < {min_share}")
    if run.p99_ms >= P99_BUDGET_MS:
        reasons.append(f"p99 {run.p99_ms:.1f} ms >= {P99_BUDGET_MS:.0f}")
    if run.non_2xx:
        reasons.append(f"{run.non_2xx} non-2xx/3xx answers")
    if sum(run.socket_errors.values()):
        counts = ", ".join(f"{kind} {count}" for kind, count in run.socket_errors.items() if count)
        reasons.append(f"socket errors: {counts}")
    return reasons


def judge(page: Page, run: Run, ceiling: Run) -> dict:
    share = round(run.rps / ceiling.rps, 3)
    reasons = failures(run, share, page.min_share)
    return {"path": page.path, **asdict(run), "ceiling": asdict(ceiling), "share": share,
            "min_share": page.min_share, "p99_budget_ms": P99_BUDGET_MS, "passed": not reasons, "failures": reasons}


def bench_pages(glowstep: Gunicorn, ceiling: Gunicorn, seconds: int, warmup: int) -> list[dict]:
    headers = sign_in(glowstep.url)
    check_pages(glowstep.port, headers)
    servers = [glowstep, ceiling]
    judged = []
    for page in PAGES:
        ceiling_run, page_run = paired_run(servers, glowstep, ceiling, page.path, seconds, warmup, headers)
        judged.append(judge(page, page_run, ceiling_run))
    return judged


def run(seconds: int, warmup: int) -> dict:
    started = time.monotonic()
    workers = production_workers()
    with tempfile.TemporaryDirectory() as scratch, contextlib.ExitStack() as running:
        database_url = f"sqlite:///{Path(scratch) / 'bench.sqlite'}"
        env = app_env(database_url)
        prepare_database(env)
        seed(database_url)
        glowstep = Gunicorn(env, workers=workers)
        running.callback(glowstep.stop)
        ceiling = Gunicorn(env, workers=workers, app="bench.ceiling:app")
        running.callback(ceiling.stop)
        glowstep.wait_ready()
        ceiling.wait_ready("/")
        pages = bench_pages(glowstep, ceiling, seconds, warmup)
    return {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {"seconds": seconds, "runs": RUNS, "warmup_seconds": warmup, "connections": CONNECTIONS,
                     "wrk_threads": WRK_THREADS, "gunicorn_workers": workers, "sessions": SESSIONS,
                     "history_days": HISTORY_DAYS},
        "budgets": {"catalog_share": CATALOG_SHARE, "personal_share": PERSONAL_SHARE, "p99_ms": P99_BUDGET_MS},
        "pages": pages,
        "elapsed_seconds": round(time.monotonic() - started, 1),
        "passed": all(page["passed"] for page in pages),
    }


def machine() -> dict:
    """Enough to tell whether two results came from comparable machines."""
    models = re.findall(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
    version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("[")[0].strip()
    return {"cpu_count": os.cpu_count(), "cpu_model": models[0] if models else platform.processor(),
            "platform": platform.platform(), "python": platform.python_version(), "wrk": version,
            "load_average": os.getloadavg()}


def row(label: str, run: dict, ratio: str = "", budget: str = "", verdict: str = "") -> str:
    workers = "/".join(f"{used:.1f}" for used in run["worker_cpu_seconds"])
    if run["recycled_workers"]:
        workers += f" +{run['recycled_cpu_seconds']:.1f}({run['recycled_workers']})"
    return (f"{label:<36}{run['rps']:>9.1f}{run['p50_ms']:>8.1f}{run['p99_ms']:>8.1f}{ratio:>7}{budget:>6}"
            f"  {workers:<24}{verdict}")


def table(result: dict) -> str:
    rows = [f"{'page':<36}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'ratio':>7}{'min':>6}  {'CPU s by worker':<24}result"]
    for page in result["pages"]:
        verdict = "PASS" if page["passed"] else "FAIL: " + "; ".join(page["failures"])
        rows.append(row(page["path"], page, f"{page['share']:.2f}", f"{page['min_share']:.1f}", verdict))
        rows.append(row("  ceiling, just before", page["ceiling"]))
    ceilings = [page["ceiling"]["rps"] for page in result["pages"]]
    rows.append(f"ratio: the page's req/s over the ceiling's just before it; min: its budget; p99 under "
                f"{P99_BUDGET_MS:.0f} ms at {CONNECTIONS} connections; no error answers. "
                f"Overall: {'PASS' if result['passed'] else 'FAIL'}")
    rows.append(f"the ceiling ranged from {min(ceilings):.0f} to {max(ceilings):.0f} req/s during the run")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 5)),
                        help=f"seconds of each of the {RUNS} runs per page (default: BENCH_SECONDS, else 5)")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up seconds before each measurement (0: none)")
    args = parser.parse_args()
    if args.seconds < 1 or args.warmup < 0:
        parser.error("--seconds must be at least 1 and --warmup at least 0 (wrk takes whole seconds)")
    result = run(args.seconds, args.warmup)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(table(result))
    print(f"written to {RESULTS.relative_to(ROOT)}")
    raise SystemExit(0 if result["passed"] else 1)


if __name__ == "__main__":
    main()
