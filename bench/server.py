"""Start the production configuration (gunicorn + gunicorn.conf.py) on a free loopback port,
against a database prepared by the real migrations and content loader; stop it by its
process group. Shared by the load test and the benchmarks."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from deploy.proxy import stop_group

ROOT = Path(__file__).resolve().parent.parent

# Debian's Chromium, for the browser tests and the Lighthouse audit: never a downloaded one.
# Without sandbox (containers and CI run as root) and without Chromium's own background
# traffic, which has nowhere to go on this machine's closed network.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GLOWSTEP_")}
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=os.urandom(16).hex(),
        FLASK_APP="wsgi",
        # Every simulated person comes from 127.0.0.1 here, so the sign-in limits are turned
        # off (several workers may then run without Redis); they are proven in test_security
        # and test_processes.
        GLOWSTEP_RATELIMIT_ENABLED="false",
    )
    env.update(extra)
    return env


def prepare_database(env: dict[str, str]) -> None:
    for command in (["db", "upgrade"], ["content", "load"]):
        subprocess.run([sys.executable, "-m", "flask", *command], cwd=ROOT, env=env, check=True,
                       capture_output=True)


class Gunicorn:
    """gunicorn in its own process group, so stopping it stops every worker."""

    def __init__(self, env: dict[str, str], workers: int | None = 2, app: str = "wsgi:app",
                 log_path: Path | None = None, prefix: tuple[str, ...] = ()):
        """`workers=None` leaves the count to gunicorn.conf.py, as `make serve` does; `prefix`
        runs it under another command (`taskset -c 0` pins it to one core)."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = env | {
            "GLOWSTEP_BIND": f"127.0.0.1:{self.port}",
            "GLOWSTEP_ACCESS_LOG": "/dev/null",
            "GLOWSTEP_LOG_LEVEL": "warning",
        }
        if workers is not None:
            env["GLOWSTEP_WORKERS"] = str(workers)
        self.log = open(log_path or os.devnull, "w")  # noqa: SIM115  (closed in stop())
        self.process = subprocess.Popen(
            [*prefix, sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), app],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def wait_ready(self, path: str = "/healthz", timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.url + path, timeout=2) as response:  # noqa: S310  (loopback)
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not become ready")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def stop(self) -> None:
        stop_group(self.process)
        self.log.close()


@contextmanager
def serving(tmp: Path):
    """The production configuration on a fresh SQLite database in `tmp`, stopped (by its process
    group) however the block ends. Raises RuntimeError if the database cannot be prepared."""
    env = app_env(f"sqlite:///{tmp / 'bench.db'}")
    try:
        prepare_database(env)
    except subprocess.CalledProcessError as error:
        # prepare_database captures flask's output; without it the reason would be lost.
        raise RuntimeError(f"preparing the database failed:\n{error.stderr.decode(errors='replace')}") from error
    server = Gunicorn(env, log_path=tmp / "gunicorn.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()
