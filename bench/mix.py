"""`make bench`: the load mix of bench/locustfile.py against the production configuration, and the
hello-world ceiling app under the same gunicorn configuration, in the same run.

One run, all on loopback, on a throwaway SQLite database built by the real migrations and
content loader, with 1,000 seeded people whose histories are skewed (bench.seed). The servers
are pinned to core 0 and Locust to core 1 (taskset), so the load generator never competes
with the server it measures. Budgets, as ratios measured in this run (bench/README.md):

- over the whole mix, server CPU per request at most 2.5 x the ceiling's;
- p99 under 100 ms at a fixed offered load of half the measured capacity (people pausing
  after every page to read it), and no errors;
- Today (/), progress and history, for people with 10,000 sessions, each with p99 under
  50 ms at 16 concurrent people (with think time).

Prints requests per second, p50/p95/p99 by page and overall, errors, CPU milliseconds per
request by page and the ratios; writes bench/results/latest.json; exits 1 if a budget fails.

    python -m bench.mix [--seconds 20]      (make bench; BENCH_SECONDS=30 make bench)
"""

import argparse
import contextlib
import csv
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import Routine, Step
from bench.loadtest import Client, Tally
from bench.seed import PASSWORD, Person, seed_people, skewed_people
from bench.server import ROOT, Gunicorn, app_env, free_port, prepare_database
from bench.steadiness import describe, probing, read_samples, read_trace, summary
from deploy.proxy import Nginx, app_settings, write_config

RESULTS = ROOT / "bench" / "results" / "latest.json"
LOCUSTFILE = ROOT / "bench" / "locustfile.py"
LOCUST = Path(sys.executable).with_name("locust")
SERVER_CORE, GENERATOR_CORE = "0", "1"
PEOPLE = 1_000
MEMBERS_SIGNED_IN = 48  # the signed-in people the mix plays (from the 1,000)
MIX_USERS = 32  # simulated people at once in the capacity runs
HEAVY_USERS = 16
READING_S = 1.0  # the mean pause after each page in the half-capacity runs (bench/README.md)
FIRST_PEOPLE = 32  # the first half-capacity run's people: far below capacity, with or without nginx
HALF_BUSY, HALF_BUSY_MARGIN, HALF_RUNS_AT_MOST = 0.5, 0.07, 5
CPU_RATIO_BUDGET = 2.5
HALF_LOAD_P99_MS = 100.0
HEAVY_P99_MS = 50.0
HEAVY_PAGES = ("/ (signed in)", "/progress", "/sessions")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
ONE_PAGE_SECONDS = 4
ONE_PAGES = (  # (page, as whom): each page's own CPU cost, measured alone
    ("/", "visitor"), ("/goals/circulation", "visitor"), ("/routines", "visitor"),
    ("/routines/full-face-workout", "visitor"), ("/routines/full-face-workout/play", "visitor"),
    ("/routines/full-face-workout/play?step=3", "visitor"), ("/safety", "visitor"),
    ("/", "reader"), ("/progress", "reader"), ("/sessions", "reader"),
    ("/routines/full-face-workout/play/done?spent=300", "reader"),
)


@dataclass(frozen=True)
class Row:
    """One line of Locust's statistics (a page, or the whole run as "Aggregated")."""

    name: str
    requests: int
    failures: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float


@dataclass(frozen=True)
class Measured:
    rows: dict[str, Row]
    server_cpu_s: float
    generator_cpu_s: float
    seconds: float
    people: int  # simulated people at once

    @property
    def total(self) -> Row:
        return self.rows["Aggregated"]

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.server_cpu_s / max(1, self.total.requests)


def cpu_seconds(pid: int, field: int = 11) -> float:
    """A process's user + system CPU seconds (field 13: those of its reaped children)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[field]) + int(fields[field + 1])) / CLOCK_TICKS


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def tree_cpu(pid: int) -> float:
    """Everything a server has used: its master, live workers, and workers it has reaped."""
    used = cpu_seconds(pid) + cpu_seconds(pid, 13)
    for child in children(pid):
        with contextlib.suppress(FileNotFoundError):
            used += cpu_seconds(child)
    return used


@dataclass(frozen=True)
class Fronted:
    """The app behind nginx with deploy/nginx.conf, as `make serve-proxy` runs them: requests
    go to nginx, and the server's CPU is both's."""

    app: Gunicorn
    nginx: Nginx

    @property
    def url(self) -> str:
        return self.nginx.url


def server_cpu(server: Gunicorn | Fronted) -> float:
    if isinstance(server, Fronted):
        return tree_cpu(server.app.process.pid) + tree_cpu(server.nginx.process.pid)
    return tree_cpu(server.process.pid)


def behind_nginx(env: dict[str, str], scratch: Path, running: contextlib.ExitStack) -> Fronted:
    """Another gunicorn on the same database, trusting one proxy, with nginx in front; all on
    the servers' core."""
    app = Gunicorn(env | {"GLOWSTEP_PROXY_HOPS": "1"}, workers=None, prefix=("taskset", "-c", SERVER_CORE),
                   log_path=scratch / "fronted.log")
    running.callback(app.stop)
    app.wait_ready()
    settings_app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": "settings only"})
    port = free_port()
    config = write_config(scratch / "nginx", listen=f"127.0.0.1:{port}", upstream=f"127.0.0.1:{app.port}",
                          settings=app_settings(settings_app))
    nginx = Nginx(config, f"http://127.0.0.1:{port}")
    running.callback(nginx.stop)
    nginx.wait_ready()
    for pid in (nginx.process.pid, *children(nginx.process.pid)):
        subprocess.run(["taskset", "-a", "-p", "-c", SERVER_CORE, str(pid)], check=True, capture_output=True)
    return Fronted(app, nginx)


def read_rows(prefix: Path) -> dict[str, Row]:
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for line in csv.DictReader(stats):
            name = line["Name"] if line["Type"] != "POST" or line["Name"].startswith("POST") else f"POST {line['Name']}"
            rows[name] = Row(name, int(line["Request Count"]), int(line["Failure Count"]),
                             float(line["Requests/s"]), float(line["50%"] or 0), float(line["95%"] or 0),
                             float(line["99%"] or 0))
    return rows


def locust(server: Gunicorn | Fronted, users: list[str], count: int, seconds: int, scratch: Path,
           **env: str) -> Measured:
    """Locust, headless, on the generator's core, for `seconds`; with the server's CPU over the run."""
    prefix = scratch / f"run-{time.monotonic_ns()}"
    command = ["taskset", "-c", GENERATOR_CORE, str(LOCUST), "-f", str(LOCUSTFILE), "--headless", "--only-summary",
               "--host", server.url, "-u", str(count), "-r", str(count), "-t", f"{seconds}s", "--stop-timeout", "5",
               "--csv", str(prefix), "--loglevel", "WARNING", *users]
    before, generator_before = server_cpu(server), resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(command, env=os.environ | env, capture_output=True, text=True, timeout=seconds + 60)
    elapsed = time.monotonic() - started
    after, generator_after = server_cpu(server), resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: some requests failed, which the tables report
        raise RuntimeError(f"locust exited with {done.returncode}:\n{done.stderr[-2000:]}")
    generator = (generator_after.ru_utime + generator_after.ru_stime) - (generator_before.ru_utime +
                                                                          generator_before.ru_stime)
    return Measured(read_rows(prefix), round(after - before, 3), round(generator, 3), round(elapsed, 1), count)


def locust_beside_probe(server: Gunicorn | Fronted, users: list[str], count: int, seconds: int, scratch: Path,
                        budget_ms: float, pages: tuple[str, ...], **env: str) -> tuple[Measured, dict]:
    """locust(), with the machine's slow spells found beside it: (the run, bench.steadiness.summary)."""
    stamp = time.monotonic_ns()
    samples, trace = scratch / f"probe-{stamp}.txt", scratch / f"trace-{stamp}.txt"
    with probing(samples, GENERATOR_CORE):
        measured = locust(server, users, count, seconds, scratch, **env, MIX_TRACE=str(trace))
    return measured, summary(read_samples(samples), read_trace(trace), budget_ms, pages)


def seed(database_url: str) -> dict:
    """The 1,000 people, and the routines the mix plays with their step counts."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": os.urandom(16).hex()})
    with app.app_context():
        people = skewed_people(PEOPLE)
        seed_people(people)
        steps = dict(db.session.execute(
            select(Routine.slug, func.count(Step.id)).join(Step).where(Routine.retired.is_(False))
            .group_by(Routine.slug)).all())
        db.engine.dispose()
    return {"people": people, "routines": steps}


def signed_in(server: Gunicorn, people: list[Person]) -> tuple[list[dict], list[float]]:
    """Sign each person in through the real form, then open Today, where signing in leads; their
    cookies, and how long each sign-in took (the form's answer only).

    Opening Today is also what makes each person's stored summary (app.summaries), as their
    first page after signing in does in use. Until 2026-12-01 the runs left that to a few
    seconds of Locust, whose simulated people pick people at random: about half were never
    picked, and their first Today in a measured run folded a whole history (for 10,000
    sessions some 100 ms on SQLite here), a first visit's cost rather than the steady state
    the runs measure."""
    signed, timings = [], []
    for person in people:
        client = Client(server.url, Tally())
        client.csrf("/auth/login")
        started = time.monotonic()
        status = client.post_form("/auth/login", {"email": person.email, "password": PASSWORD})
        timings.append(1000 * (time.monotonic() - started))
        if status != 302:
            raise RuntimeError(f"signing in {person.email} answered {status}")
        client.request("/")
        client.request("/sessions/new")  # the session now holds its CSRF secret, as a browser's would
        signed.append({"email": person.email, "cookies": {cookie.name: cookie.value for cookie in client.cookies}})
    return signed, timings


def at_half(server: Gunicorn | Fronted, seconds: int, scratch: Path,
            mix: dict) -> tuple[list[Measured], Measured, dict]:
    """The mix at half of capacity: the offered load that keeps the servers' one core half busy
    (HALF_BUSY, within HALF_BUSY_MARGIN), found in a few runs. Returns (the runs before, the run,
    the machine's slow spells in it: bench.steadiness.summary).

    People who pause READING_S on average after each page each ask for about one page per
    READING_S, so N people offer about N / READING_S requests a second, arriving
    independently, in the stated proportions. The capacity run's rate cannot simply be halved:
    without pauses, people who get quick answers ask more often, so its mix is cheaper than
    the stated one (through nginx, mostly visitors' cached pages). Nor does CPU per request stay
    put as the load changes: nginx's cache answers more of the visitors' pages the more often
    they are asked for, and a saturated server slows the members, whose pages cost the most.
    So the runs start low (FIRST_PEOPLE) and scale the people by how busy the core was."""
    people, runs = FIRST_PEOPLE, []
    while True:
        measured, spells = locust_beside_probe(server, ["Visitor", "Member"], people, seconds, scratch,
                                               HALF_LOAD_P99_MS, ("Aggregated",), **mix,
                                               MIX_PACE=f"reading:{READING_S}")
        runs.append(measured)
        busy = busy_share(measured)
        if abs(busy - HALF_BUSY) <= HALF_BUSY_MARGIN or len(runs) == HALF_RUNS_AT_MOST:
            return runs[:-1], measured, spells
        people = max(1, round(people * HALF_BUSY / busy))


def half_capacity_failures(label: str, measured: Measured) -> list[str]:
    """A half-capacity run's failures: the core not half busy after all, or the p99 over budget."""
    failures = []
    if abs(busy_share(measured) - HALF_BUSY) > HALF_BUSY_MARGIN:
        failures.append(f"half capacity{label} not reached in {HALF_RUNS_AT_MOST} runs: the core was "
                        f"{busy_share(measured):.0%} busy")
    if measured.total.p99_ms >= HALF_LOAD_P99_MS:
        failures.append(f"p99 {measured.total.p99_ms:.0f} ms at half capacity{label} >= {HALF_LOAD_P99_MS:.0f}")
    return failures


def busy_share(measured: Measured) -> float:
    """How much of the servers' one core the run used."""
    return measured.server_cpu_s / measured.seconds


def run(seconds: int) -> dict:
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch_dir, contextlib.ExitStack() as running:
        scratch = Path(scratch_dir)
        database_url = f"sqlite:///{scratch / 'bench.sqlite'}"
        env = app_env(database_url)
        prepare_database(env)
        seeded = seed(database_url)
        pinned = ("taskset", "-c", SERVER_CORE)
        glowstep = Gunicorn(env, workers=None, prefix=pinned, log_path=scratch / "glowstep.log")
        running.callback(glowstep.stop)
        ceiling = Gunicorn(env, workers=None, app="bench.ceiling:app", prefix=pinned, log_path=scratch / "ceiling.log")
        running.callback(ceiling.stop)
        glowstep.wait_ready()
        ceiling.wait_ready("/")

        heavy = [person for person in seeded["people"] if person.sessions == 10_000]
        light = [person for person in seeded["people"] if person.sessions < 10_000][:MEMBERS_SIGNED_IN - len(heavy)]
        members, sign_in_ms = signed_in(glowstep, heavy + light)
        plan = scratch / "plan.json"
        plan.write_text(json.dumps({"routines": seeded["routines"], "members": members,
                                    "readers": members[:len(heavy)]}))
        mix = {"MIX_PLAN": str(plan)}

        locust(glowstep, ["Visitor", "Member"], MIX_USERS, 5, scratch, **mix, MIX_PACE="capacity")  # warm-up
        top = locust(ceiling, ["Ceiling"], MIX_USERS, seconds, scratch, MIX_PACE="capacity")
        capacity = locust(glowstep, ["Visitor", "Member"], MIX_USERS, seconds, scratch, **mix, MIX_PACE="capacity")
        half_steps, half, half_spells = at_half(glowstep, seconds, scratch, mix)
        heavy_run, heavy_spells = locust_beside_probe(glowstep, ["HistoryReader"], HEAVY_USERS, 2 * seconds,
                                                      scratch, HEAVY_P99_MS, HEAVY_PAGES, **mix, MIX_PACE="think")
        # The same mix through nginx, as deployed: visitors' pages come from its shared cache.
        fronted = behind_nginx(env, scratch, running)
        locust(fronted, ["Visitor", "Member"], MIX_USERS, 5, scratch, **mix, MIX_PACE="capacity")  # warm-up
        proxied = locust(fronted, ["Visitor", "Member"], MIX_USERS, seconds, scratch, **mix, MIX_PACE="capacity")
        proxied_half_steps, proxied_half, proxied_half_spells = at_half(fronted, seconds, scratch, mix)
        pages = {}
        for page, role in ONE_PAGES:
            alone = locust(glowstep, ["OnePage"], 8, ONE_PAGE_SECONDS, scratch, **mix, MIX_PACE="capacity",
                           MIX_PAGE=page, MIX_ROLE=role)
            pages[f"{page} ({role})"] = round(alone.cpu_ms_per_request, 2)

    # CPU per request is read from the half-capacity runs: they keep the journeys in the stated
    # proportions, where at capacity people who get quick answers make more requests (through
    # nginx, visitors' cached pages then crowd the members' pages out of the mix).
    ratio = half.cpu_ms_per_request / top.cpu_ms_per_request
    proxied_ratio = proxied_half.cpu_ms_per_request / top.cpu_ms_per_request
    failures = []
    for label, value in (("", ratio), (" through nginx", proxied_ratio)):
        if value > CPU_RATIO_BUDGET:
            failures.append(f"server CPU per request{label} {value:.2f} x the ceiling's > {CPU_RATIO_BUDGET}")
    steps = [(f"half-capacity step {n}", measured) for n, measured in enumerate(half_steps, 1)] + [
        (f"nginx half-capacity step {n}", measured) for n, measured in enumerate(proxied_half_steps, 1)]
    for label, measured in (("capacity", capacity), ("half capacity", half), ("heavy", heavy_run),
                            ("nginx capacity", proxied), ("nginx half capacity", proxied_half), *steps):
        if measured.total.failures:
            failures.append(f"{measured.total.failures} failed requests in the {label} run")
    failures += half_capacity_failures("", half) + half_capacity_failures(" through nginx", proxied_half)
    for page in HEAVY_PAGES:
        if heavy_run.rows[page].p99_ms >= HEAVY_P99_MS:
            failures.append(f"{page} p99 {heavy_run.rows[page].p99_ms:.0f} ms at 10,000 sessions >= {HEAVY_P99_MS:.0f}")
    return {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "load_average": os.getloadavg()},
        "settings": {"seconds": seconds, "people": PEOPLE, "signed_in_people": len(members),
                     "mix_users": MIX_USERS, "heavy_users": HEAVY_USERS, "reading_s": READING_S,
                     "histories": {"10,000": len(heavy),
                                   "100-1,000": sum(100 <= p.sessions < 10_000 for p in seeded["people"]),
                                   "under 100": sum(p.sessions < 100 for p in seeded["people"])}},
        "ceiling": as_dict(top),
        "capacity": as_dict(capacity),
        "half_capacity_steps": [as_dict(measured) for measured in half_steps],
        "half_capacity": as_dict(half),
        "half_capacity_slow_spells": half_spells,
        "heavy": as_dict(heavy_run),
        "heavy_slow_spells": heavy_spells,
        "nginx_capacity": as_dict(proxied),
        "nginx_half_capacity_steps": [as_dict(measured) for measured in proxied_half_steps],
        "nginx_half_capacity": as_dict(proxied_half),
        "nginx_half_capacity_slow_spells": proxied_half_spells,
        "cpu_ms_per_request_by_page": pages,
        "sign_in_ms": {"count": len(sign_in_ms), "median": round(statistics.median(sign_in_ms), 1),
                       "max": round(max(sign_in_ms), 1)},
        "cpu_ratio": round(ratio, 2),
        "nginx_cpu_ratio": round(proxied_ratio, 2),
        "budgets": {"cpu_ratio": CPU_RATIO_BUDGET, "half_load_p99_ms": HALF_LOAD_P99_MS, "heavy_p99_ms": HEAVY_P99_MS},
        "failures": failures,
        "passed": not failures,
        "elapsed_seconds": round(time.monotonic() - started, 1),
    }


def as_dict(measured: Measured) -> dict:
    return {"rows": {name: asdict(row) for name, row in measured.rows.items()}, "server_cpu_s": measured.server_cpu_s,
            "generator_cpu_s": measured.generator_cpu_s, "seconds": measured.seconds, "people": measured.people,
            "core_busy": round(busy_share(measured), 3),
            "cpu_ms_per_request": round(measured.cpu_ms_per_request, 3)}


def table(title: str, run: dict) -> list[str]:
    lines = [f"\n{title}: server CPU {run['server_cpu_s']:.1f} s ({run['core_busy']:.0%} of its core), "
             f"{run['cpu_ms_per_request']:.2f} ms a request; "
             f"Locust used {run['generator_cpu_s']:.1f} s of its own core in {run['seconds']:.0f} s",
             f"{'page':<44}{'requests':>9}{'errors':>7}{'req/s':>8}{'p50':>6}{'p95':>6}{'p99':>6}"]
    for name, row in sorted(run["rows"].items(), key=lambda item: (item[0] == "Aggregated", item[0])):
        lines.append(f"{name:<44}{row['requests']:>9}{row['failures']:>7}{row['rps']:>8.1f}{row['p50_ms']:>6.0f}"
                     f"{row['p95_ms']:>6.0f}{row['p99_ms']:>6.0f}")
    return lines


def half_tables(label: str, steps: list[dict], half: dict, spells: dict) -> list[str]:
    """The runs that found half capacity (bench.mix.at_half), then the one at it."""
    lines = [f"\nFinding half capacity{label} (people reading each page {READING_S:.0f} s on average):"]
    lines += [f"  {step['people']} people: {step['rows']['Aggregated']['rps']:.1f} requests/s, "
              f"{step['core_busy']:.0%} of the core" for step in steps]
    lines += table(f"The mix{label} at half capacity: {half['people']} people", half)
    return [*lines, describe(spells, HALF_LOAD_P99_MS)]


def report(result: dict) -> str:
    lines = [f"1,000 people ({result['settings']['histories']}), {result['settings']['signed_in_people']} "
             f"signed in; servers on core {SERVER_CORE}, Locust on core {GENERATOR_CORE}; times in ms"]
    lines += table(f"The ceiling (hello world), {MIX_USERS} users, no think time", result["ceiling"])
    lines += table(f"The mix at capacity, {MIX_USERS} users, no think time", result["capacity"])
    lines += half_tables("", result["half_capacity_steps"], result["half_capacity"],
                         result["half_capacity_slow_spells"])
    lines += table(f"{HEAVY_USERS} people with 10,000 sessions, 1-3 s think time", result["heavy"])
    lines.append(describe(result["heavy_slow_spells"], HEAVY_P99_MS))
    lines += table(f"The mix through nginx at capacity, {MIX_USERS} users (server CPU: gunicorn + nginx)",
                   result["nginx_capacity"])
    lines += half_tables(" through nginx", result["nginx_half_capacity_steps"], result["nginx_half_capacity"],
                         result["nginx_half_capacity_slow_spells"])
    lines.append("\nServer CPU ms per request, each page alone (visitor, or reader: a person with 10,000 sessions):")
    lines += [f"  {page:<62}{cost:>7.2f}" for page, cost in result["cpu_ms_per_request_by_page"].items()]
    sign_in = result["sign_in_ms"]
    lines.append(f"Sign-in (scrypt, on purpose): median {sign_in['median']} ms, max {sign_in['max']} ms over "
                 f"{sign_in['count']} sign-ins, outside the mix")
    half_p99 = result["half_capacity"]["rows"]["Aggregated"]["p99_ms"]
    lines.append("\nServer CPU per request over the mix at its stated proportions (the half-capacity runs): "
                 f"{result['cpu_ratio']:.2f} x the ceiling's "
                 f"(through nginx {result['nginx_cpu_ratio']:.2f}; budget {CPU_RATIO_BUDGET}); "
                 f"p99 at half capacity {half_p99:.0f} (through nginx "
                 f"{result['nginx_half_capacity']['rows']['Aggregated']['p99_ms']:.0f})"
                 f" ms (budget {HALF_LOAD_P99_MS:.0f}); heavy pages p99 "
                 + ", ".join(f"{page} {result['heavy']['rows'][page]['p99_ms']:.0f}" for page in HEAVY_PAGES)
                 + f" ms (budget {HEAVY_P99_MS:.0f})")
    lines.append("Overall: " + ("PASS" if result["passed"] else "FAIL: " + "; ".join(result["failures"])))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 20)),
                        help="seconds of each measured run (default: BENCH_SECONDS, else 20)")
    args = parser.parse_args()
    result = run(args.seconds)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(report(result))
    print(f"written to {RESULTS.relative_to(ROOT)}")
    raise SystemExit(0 if result["passed"] else 1)


if __name__ == "__main__":
    main()
