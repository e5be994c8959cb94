"""Load and faults: nothing lost.

Runs the production configuration (2+ gunicorn workers) on a SQLite file, drives
concurrent clients that register and sign in, then log sessions through the real pages (CSRF
included) for a bounded time, SIGKILLs one worker part-way through the logging, then checks
that every log acknowledged with a redirect is stored exactly once, that no answer was a 5xx,
and that SQLite's integrity check passes.

The clock starts once every client is signed in: sixteen sign-ups and sign-ins are 32 password
hashes on purpose slow (some 4 s of CPU), and on a busy machine (a test run's other worker)
they took most of a 10 s run, leaving too few logs to judge anything by.

    python -m bench.loadtest --seconds 60     (make loadtest)
"""

import argparse
import http.client
import http.cookiejar
import json
import os
import re
import signal
import sqlite3
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from bench.server import Gunicorn, app_env, prepare_database

SIGN_IN_SECONDS = 60  # the most the clients' sign-ups and sign-ins may take, before the timed part

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
ROUTINES = ["quick-tapping-wake-up", "serum-press-in", "quick-morning-depuff"]
PASSWORD = "load test password"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # we read the 302 ourselves: it is the acknowledgement


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    server_errors: list[str] = field(default_factory=list)
    connection_errors: int = 0
    acknowledged: list[str] = field(default_factory=list)

    def count(self, status: int, what: str) -> None:
        with self.lock:
            self.requests += 1
            if status >= 500:
                self.server_errors.append(f"{status} {what}")


class Client:
    """One person with a browser-like cookie jar."""

    def __init__(self, base: str, tally: Tally, cookies: http.cookiejar.CookieJar | None = None):
        self.base = base
        self.tally = tally
        self.cookies = cookies if cookies is not None else http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect())

    def at(self, base: str) -> "Client":
        """The same browser (same cookies) talking to another server, as behind a load balancer."""
        return Client(base, self.tally, self.cookies)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        self.tally.count(status, path)
        return status, text

    def csrf(self, path: str) -> str:
        status, page = self.request(path)
        match = CSRF.search(page)
        if status != 200 or not match:
            raise RuntimeError(f"no form at {path}: {status}")
        return match.group(1)

    def post_form(self, path: str, data: dict) -> int:
        return self.request(path, {"csrf_token": self.csrf(path), **data})[0]

    def retrying(self, action, deadline: float):
        """Retry through a dropped connection (the killed worker): the same data goes again."""
        while time.monotonic() < deadline + 30:
            try:
                return action()
            except (OSError, http.client.HTTPException):
                with self.tally.lock:
                    self.tally.connection_errors += 1
                time.sleep(0.1)
        raise RuntimeError("server unreachable")


def sign_up(client: Client, account: dict) -> int:
    """Register. Retried after a dropped connection, it may find the registration went
    through and this browser signed in (the form then redirects): that is done too. If the
    account was made but the cookie lost, the form says the email is taken and the sign-in
    that follows signs in."""
    status, _ = client.request("/auth/register")
    if status == 302:
        return status
    return client.post_form("/auth/register", account | {"confirm": PASSWORD})


def signed_in_client(base: str, number: int, tally: Tally, deadline: float) -> Client:
    """A new account, signed out and in again through the forms, as a person would."""
    client = Client(base, tally)
    email = f"load{number}-{uuid.uuid4().hex[:6]}@example.com"
    account = {"email": email, "password": PASSWORD}
    client.retrying(lambda: sign_up(client, account), deadline)
    client.retrying(lambda: client.request("/auth/logout", {"csrf_token": client.csrf("/sessions/new")}), deadline)
    client.retrying(lambda: client.post_form("/auth/login", account), deadline)
    return client


def log_sessions(client: Client, number: int, tally: Tally, deadline: float) -> None:
    """Log sessions until the deadline, noting each one the server acknowledged."""
    while time.monotonic() < deadline:
        client_id = uuid.uuid4().hex
        log = {
            "client_id": client_id,
            "routine": ROUTINES[number % len(ROUTINES)],
            "minutes": "4",
            "skin_feel": str(1 + number % 5),
            "discomfort": "no",
            "notes": f"évening {number} <b>&</b>",
        }
        status = client.retrying(lambda log=log: client.post_form("/sessions/new", log), deadline)
        if status == 302:
            with tally.lock:
                tally.acknowledged.append(client_id)


def kill_one_worker(server: Gunicorn, after: float, killed: list[int]) -> None:
    time.sleep(after)
    pid = server.worker_pids()[0]
    os.kill(pid, signal.SIGKILL)
    killed.append(pid)


def check_database(path: Path, acknowledged: list[str]) -> dict:
    with sqlite3.connect(path) as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        stored = dict(connection.execute("SELECT client_id, count(*) FROM session_logs GROUP BY client_id"))
    missing = [cid for cid in acknowledged if stored.get(cid, 0) == 0]
    doubled = [cid for cid, count in stored.items() if count > 1]
    return {"integrity": integrity, "stored": sum(stored.values()), "missing": missing, "doubled": doubled}


def all_at_once(work) -> None:
    """Run each of `work` (callables) in its own thread, and wait for them all."""
    threads = [threading.Thread(target=job) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run(seconds: float, clients: int = 16, workers: int = 2) -> dict:
    """Sign the clients in, then let them log sessions for `seconds`, kill a worker a third of
    the way into that, and check nothing was lost."""
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "load.sqlite"
        env = app_env(f"sqlite:///{database}")
        prepare_database(env)
        server = Gunicorn(env, workers=workers, log_path=Path(scratch) / "gunicorn.log")
        try:
            server.wait_ready()
            tally, killed, ready = Tally(), [], [None] * clients
            signing_in_until = time.monotonic() + SIGN_IN_SECONDS

            def sign_in(number: int) -> None:
                ready[number] = signed_in_client(server.url, number, tally, signing_in_until)

            all_at_once([lambda number=number: sign_in(number) for number in range(clients)])
            deadline = time.monotonic() + seconds
            all_at_once([lambda number=number, client=client: log_sessions(client, number, tally, deadline)
                         for number, client in enumerate(ready)]
                        + [lambda: kill_one_worker(server, seconds / 3, killed)])
        finally:
            server.stop()
        result = check_database(database, tally.acknowledged)
    return {
        "seconds": seconds,
        "clients": clients,
        "workers": workers,
        "requests": tally.requests,
        "server_errors": tally.server_errors,
        "connection_errors": tally.connection_errors,
        "killed_worker": killed,
        "acknowledged": len(tally.acknowledged),
        **result,
    }


def passed(result: dict) -> bool:
    return (
        result["integrity"] == "ok"
        and not result["server_errors"]
        and not result["missing"]
        and not result["doubled"]
        and bool(result["killed_worker"])
        and result["acknowledged"] > 0
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    result = run(args.seconds, args.clients, args.workers)
    print(json.dumps({key: value for key, value in result.items() if key not in ("missing", "doubled")}, indent=2))
    print(
        f"requests served: {result['requests']}, 5xx: {len(result['server_errors'])}, "
        f"logs acknowledged: {result['acknowledged']}, stored: {result['stored']}, "
        f"lost: {len(result['missing'])}, doubled: {len(result['doubled'])}, integrity: {result['integrity']}"
    )
    raise SystemExit(0 if passed(result) else 1)


if __name__ == "__main__":
    main()
