"""Two app processes, one database: nothing a person does depends on which process answers.

In production several gunicorn processes (on one machine or several) sit behind a balancer,
so a person's next request may reach another process than the last one. Any state kept in
one process (a session store, a cached user, a CSRF secret, a rate-limit counter) breaks
that. Here two real gunicorn processes (one worker each, on their own loopback ports) share
one database and one SECRET_KEY, as deployed processes do, and a browser-like client drives
them through the real forms, CSRF tokens included.

The database is a SQLite file, or a PostgreSQL database when TEST_DATABASE_URL says so
(see conftest). The rate-limit tests start Debian's redis-server on loopback themselves.
"""

import copy
import http.cookiejar
import os
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from bench.loadtest import Client, Tally
from bench.server import Gunicorn, app_env, free_port, prepare_database
from deploy.proxy import stop_group
from tests.conftest import drop_database, empty_database, log_form

PASSWORD = "two processes, one account"
LIMIT = 5  # failed sign-ins per minute for the rate-limit tests
LOG_LINK = re.compile(r'href="/sessions/(\d+)"')


# --- Servers ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def database_url(tmp_path_factory) -> Iterator[str]:
    """One database, migrated and content-loaded once, behind every process in this module."""
    database = empty_database(tmp_path_factory.mktemp("processes"))
    url = database if isinstance(database, str) else f"sqlite:///{database}"
    prepare_database(app_env(url))
    yield url
    drop_database(database)


def shared_env(database_url: str, **extra: str) -> dict[str, str]:
    """The one environment both processes get: above all the same SECRET_KEY, which signs the
    session cookie and the CSRF tokens (app_env draws a new key on every call).

    Rate limits are counted in memory unless `extra` names a REDIS_URL, whatever the
    caller's shell has, so each test knows which storage it is proving.
    """
    env = app_env(database_url, **extra)
    if "REDIS_URL" not in extra:
        env.pop("REDIS_URL", None)
    return env


@contextmanager
def two_processes(env: dict[str, str], logs: Path) -> Iterator[tuple[Gunicorn, Gunicorn]]:
    """Start both processes at once (they boot in parallel), wait for both, stop both."""
    servers: list[Gunicorn] = []
    try:
        for name in ("a", "b"):
            servers.append(Gunicorn(env, workers=1, log_path=logs / f"gunicorn-{name}.log"))
        for name, server in zip("ab", servers, strict=True):
            try:
                server.wait_ready()
            except RuntimeError as error:
                log = (logs / f"gunicorn-{name}.log").read_text()
                raise RuntimeError(f"process {name}: {error}\n{log}") from error
        yield servers[0], servers[1]
    finally:
        for server in servers:
            server.stop()


@pytest.fixture(scope="module")
def pair(database_url, tmp_path_factory):
    """Two processes with rate limits in memory: sign-ins and logs must be shared all the same."""
    with two_processes(shared_env(database_url), tmp_path_factory.mktemp("pair")) as servers:
        yield servers


def limited_env(database_url: str, **extra: str) -> dict[str, str]:
    """The production configuration with a small sign-in limit per account and address."""
    return shared_env(database_url, GLOWSTEP_RATELIMIT_ENABLED="true",
                      GLOWSTEP_AUTH_RATE_LIMIT_PER_ACCOUNT=f"{LIMIT} per minute", **extra)


@pytest.fixture(scope="module")
def redis_pair(database_url, redis_url, tmp_path_factory):
    """Two processes counting sign-in attempts in one Redis, with a small limit."""
    env = limited_env(database_url, REDIS_URL=redis_url)
    with two_processes(env, tmp_path_factory.mktemp("redis-pair")) as servers:
        yield servers


@contextmanager
def serving(env: dict[str, str], logs: Path, workers: int | None = None) -> Iterator[Gunicorn]:
    """One gunicorn with gunicorn.conf.py, as `make serve` starts it (its own worker count
    unless `workers` is given)."""
    server = Gunicorn(env, workers=workers, log_path=logs / "gunicorn.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


# --- Redis -----------------------------------------------------------------------------------


def install_with_apt(package: str, command: str) -> str | None:
    """A Debian package installed through apt-get, only when we are root; the path of its
    `command`, or None."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    try:
        for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", package]):
            subprocess.run(step, env=env, check=True, capture_output=True, timeout=300)
    except (OSError, subprocess.SubprocessError):
        return None
    return shutil.which(command, path=os.environ.get("PATH", "") + ":/usr/sbin")


@pytest.fixture(scope="session")
def redis_server_command() -> str:
    """redis-server on PATH, installed if need be; without it the Redis test is skipped, saying why."""
    command = shutil.which("redis-server") or install_with_apt("redis-server", "redis-server")
    if command is None:
        pytest.skip(
            "redis-server is not installed and could not be installed (that needs root and apt-get): "
            "the rate limit shared through Redis is NOT tested. Install Debian's redis-server to test it."
        )
    return command


def wait_for_redis(url: str, process: subprocess.Popen, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"redis-server exited with {process.returncode}")
        with redis.Redis.from_url(url, socket_timeout=1) as client:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
    raise RuntimeError("redis-server did not answer")


@pytest.fixture(scope="session")
def redis_url(redis_server_command, tmp_path_factory) -> Iterator[str]:
    """A redis-server of our own on a free loopback port, keeping nothing on disk."""
    port = free_port()
    directory = tmp_path_factory.mktemp("redis")
    options = f"--port {port} --bind 127.0.0.1 --appendonly no --dir {directory}".split()
    command = [redis_server_command, *options, "--save", ""]  # "" turns snapshots off
    with open(directory / "redis.log", "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"redis://127.0.0.1:{port}/0"
        wait_for_redis(url, process)
        yield url
    finally:
        stop_group(process)


# --- A person's browser ----------------------------------------------------------------------


def browser(server: Gunicorn) -> Client:
    return Client(server.url, Tally())


def signed_in_browser(server: Gunicorn) -> Client:
    """A new account made through the register form, then signed out and back in through the login form."""
    client = browser(server)
    account = {"email": f"two-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD}
    assert client.post_form("/auth/register", account | {"confirm": PASSWORD}) == 302
    assert client.request("/auth/logout", {"csrf_token": client.csrf("/sessions/new")})[0] == 302
    assert client.post_form("/auth/login", account) == 302
    return client


def listed_logs(client: Client) -> list[str]:
    """The ids of the logs on the person's /sessions page, as that client's server lists them."""
    status, page = client.request("/sessions")
    assert status == 200, status
    return LOG_LINK.findall(page)


def failed_sign_ins(servers: Sequence[Gunicorn], count: int) -> list[int]:
    """Wrong passwords through the real login form, taking turns between the servers as a balancer would."""
    browsers = [browser(server) for server in servers]
    # An email of its own per call: counts kept in Redis outlive each test's servers.
    wrong = {"email": f"nobody-{uuid.uuid4().hex[:8]}@example.com", "password": "not the password"}
    return [browsers[attempt % len(browsers)].post_form("/auth/login", wrong) for attempt in range(count)]


# --- Tests -----------------------------------------------------------------------------------


def test_a_sign_in_made_through_one_process_is_valid_on_the_other(pair):
    a, b = pair
    assert browser(b).request("/progress")[0] == 302  # B asks a stranger to sign in first

    status, page = signed_in_browser(a).at(b.url).request("/progress")

    assert status == 200  # not a redirect to /auth/login
    assert "<h1>Your progress</h1>" in page and "Sign out" in page


def test_a_session_logged_through_one_process_is_listed_by_the_other(pair):
    a, b = pair
    on_a = signed_in_browser(a)
    on_b = on_a.at(b.url)
    assert listed_logs(on_b) == []
    notes = f"logged through A {uuid.uuid4().hex[:8]}"

    assert on_a.post_form("/sessions/new", log_form(notes=notes)) == 302

    [log_id] = listed_logs(on_b)
    status, page = on_b.request(f"/sessions/{log_id}")
    assert status == 200 and notes in page


def test_a_form_read_from_one_process_can_be_sent_to_the_other(pair):
    """A balancer may serve the form from A and take the post on B: B accepts A's CSRF token."""
    a, b = pair
    on_a = signed_in_browser(a)
    token = on_a.csrf("/sessions/new")

    status, _ = on_a.at(b.url).request("/sessions/new", {"csrf_token": token, **log_form(notes="read on A, sent to B")})

    assert status == 302
    assert len(listed_logs(on_a)) == 1


def test_the_sign_in_limit_is_shared_through_redis(redis_pair, redis_url):
    # A, B, A, B, A, B: each process sees only 3 attempts, under the limit of 5 on its own,
    # yet the 6th attempt in all is refused, because both count in Redis.
    assert failed_sign_ins(redis_pair, LIMIT + 1) == [400] * LIMIT + [429]
    with redis.Redis.from_url(redis_url) as store:
        assert list(store.scan_iter(match="*auth.login*")), "the sign-in counts should be kept in Redis"


def test_the_production_configuration_with_redis_lets_exactly_the_limit_through(database_url, redis_url,
                                                                                 tmp_path_factory):
    """`make serve` with REDIS_URL: a worker per core and one, all counting in Redis."""
    env = limited_env(database_url, REDIS_URL=redis_url)
    with serving(env, tmp_path_factory.mktemp("serve-redis")) as server:
        assert len(server.worker_pids()) > 1
        # A new connection each attempt: the kernel spreads them over the workers.
        assert failed_sign_ins([server] * (LIMIT + 2), LIMIT + 2) == [400] * LIMIT + [429, 429]


def test_the_production_configuration_without_redis_is_one_process_that_counts_exactly(database_url,
                                                                                       tmp_path_factory):
    """`make serve` without REDIS_URL: one process (with threads), whose count is the only one."""
    with serving(limited_env(database_url), tmp_path_factory.mktemp("serve-memory")) as server:
        assert len(server.worker_pids()) == 1
        assert failed_sign_ins([server] * (LIMIT + 2), LIMIT + 2) == [400] * LIMIT + [429, 429]


def test_several_processes_without_redis_refuse_to_start(database_url, tmp_path_factory):
    logs = tmp_path_factory.mktemp("refused")
    server = Gunicorn(limited_env(database_url), workers=2, log_path=logs / "gunicorn.log")
    try:
        with pytest.raises(RuntimeError, match="exited"):
            server.wait_ready()
    finally:
        server.stop()
    assert "need REDIS_URL" in (logs / "gunicorn.log").read_text()


def copied_browser(client: Client, server: Gunicorn) -> Client:
    """Another browser holding copies of `client`'s cookies (a stolen or synced cookie jar)."""
    jar = http.cookiejar.CookieJar()
    for cookie in client.cookies:
        jar.set_cookie(copy.copy(cookie))
    return Client(server.url, Tally(), jar)


def remembered_browser(server: Gunicorn) -> tuple[Client, dict]:
    client = browser(server)
    account = {"email": f"kept-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD}
    assert client.post_form("/auth/register", account | {"confirm": PASSWORD}) == 302
    assert client.request("/auth/logout", {"csrf_token": client.csrf("/sessions/new")})[0] == 302
    assert client.post_form("/auth/login", account | {"remember": "y"}) == 302
    return client, account


def test_a_cookie_copied_before_sign_out_opens_nothing_on_any_process(pair):
    a, b = pair
    phone, _ = remembered_browser(a)
    thief = copied_browser(phone, b)
    assert thief.request("/progress")[0] == 200  # the copy works while the sign-in lasts

    assert phone.request("/auth/logout", {"csrf_token": phone.csrf("/sessions/new")})[0] == 302

    for server in (a, b):
        again = copied_browser(thief, server)
        for path in ("/progress", "/sessions", "/account", "/account/export"):
            assert again.request(path)[0] == 302, (server.url, path)  # to the sign-in page
        status, page = again.request("/routines")
        assert status == 200 and "Sign out" not in page


def test_signing_out_everywhere_through_one_process_ends_the_others_on_the_other(pair):
    a, b = pair
    laptop, account = remembered_browser(a)
    phone = browser(b)
    assert phone.post_form("/auth/login", account) == 302
    assert phone.request("/progress")[0] == 200

    status, _ = laptop.request("/account/sign-ins/end-others", {"csrf_token": laptop.csrf("/account/sign-ins")})
    assert status == 302

    assert phone.request("/progress")[0] == 302
    assert laptop.at(b.url).request("/progress")[0] == 200, "the device that asked stays signed in"
