"""nginx in front of gunicorn, with deploy/nginx.conf: render the template, run Debian's nginx
on it in a folder of its own (never the system's configuration), and stop what was started.

`make serve-proxy` runs `python -m deploy.proxy`: gunicorn as `make serve` starts it, on
loopback, trusting one proxy (GLOWSTEP_PROXY_HOPS=1), and nginx in front of it. The tests
and the benchmarks start the same pair through `Nginx` and bench.server.Gunicorn.
"""

import argparse
import getpass
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from flask import Flask
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf"
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")
NGINX = "/usr/sbin/nginx"


def app_settings(app: Flask) -> dict[str, str]:
    """What the configuration needs to know of the app: its static folder and fingerprint,
    and the names of the cookies that mark a request as possibly personal."""
    return {
        "STATIC_ROOT": str(Path(app.root_path) / app.static_folder),
        "STATIC_FINGERPRINT": app.config["STATIC_FINGERPRINT"],
        "SESSION_COOKIE": app.config["SESSION_COOKIE_NAME"],
        "REMEMBER_COOKIE": app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE),
    }


def render_config(*, listen: str, upstream: str, run_dir: Path, settings: dict[str, str],
                  user: str | None = None) -> str:
    """deploy/nginx.conf with every @NAME@ filled in: nginx listens on `listen`
    ("127.0.0.1:8080"), passes to gunicorn at `upstream`, and keeps its pid, logs, temporary
    files and cache under `run_dir` (absolute). Raises KeyError naming a placeholder left
    without a value."""
    values = settings | {"LISTEN": listen, "UPSTREAM": upstream, "RUN_DIR": str(run_dir),
                         "USER": user or getpass.getuser()}
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], TEMPLATE.read_text())


def write_config(run_dir: Path, **render_args) -> Path:
    """Render into run_dir/nginx.conf, making the folders nginx writes to; the file's path."""
    for folder in ("temp", "cache"):
        (run_dir / folder).mkdir(parents=True, exist_ok=True)
    path = run_dir / "nginx.conf"
    path.write_text(render_config(run_dir=run_dir, **render_args))
    return path


def nginx_command() -> str | None:
    """Debian's nginx binary, if installed."""
    return shutil.which("nginx") or (NGINX if Path(NGINX).exists() else None)


def stop_group(process: subprocess.Popen, timeout: float = 30) -> None:
    """Stop a process started in its own session (its group id is its pid), and its children."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Nginx:
    """nginx on a rendered configuration, in the foreground of its own process group."""

    def __init__(self, config: Path, url: str):
        self.url = url
        run_dir = config.parent
        command = [nginx_command() or NGINX, "-p", str(run_dir), "-c", str(config),
                   "-e", str(run_dir / "error.log"), "-g", "daemon off;"]
        subprocess.run([*command[:-2], "-t", "-q"], check=True, capture_output=True, text=True)
        self.process = subprocess.Popen(command, start_new_session=True)

    def wait_ready(self, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):  # noqa: S310  (loopback)
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not answer")

    def stop(self) -> None:
        stop_group(self.process)


def configure(listen: str, app_port: int, user: str | None) -> Path:
    """The configuration for this checkout's app, rendered into instance/nginx/."""
    from app import create_app

    app = create_app()
    return write_config(Path(app.instance_path) / "nginx", listen=listen, upstream=f"127.0.0.1:{app_port}",
                        settings=app_settings(app), user=user)


def stop_on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def serve(config: Path, listen: str, app_port: int) -> None:
    """gunicorn on 127.0.0.1:app_port behind nginx on `listen` ("127.0.0.1:8080"), until
    either stops or Ctrl-C."""
    env = os.environ | {"GLOWSTEP_BIND": f"127.0.0.1:{app_port}", "GLOWSTEP_PROXY_HOPS": "1"}
    gunicorn = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
                                cwd=ROOT, env=env, start_new_session=True)
    nginx = None
    for stop_signal in (signal.SIGINT, signal.SIGTERM):  # Ctrl-C or a kill: stop both servers first
        signal.signal(stop_signal, stop_on_signal)
    try:
        nginx = Nginx(config, f"http://{listen}")
        print(f"Glowstep through nginx: http://{listen} (configuration and logs in {config.parent})")
        while gunicorn.poll() is None and nginx.process.poll() is None:
            time.sleep(0.5)
    finally:
        if nginx is not None:
            nginx.stop()
        stop_group(gunicorn)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default="127.0.0.1:8080", help="where nginx listens: address:port, or a port")
    parser.add_argument("--app-port", type=int, default=5000, help="where gunicorn listens on 127.0.0.1")
    parser.add_argument("--user", help="the user nginx's workers run as when started by root (default: whoever "
                        "runs this; on a server, www-data, which must read app/static and write instance/nginx)")
    parser.add_argument("--render-only", action="store_true", help="write the configuration, print its path, stop")
    arguments = parser.parse_args()
    config = configure(arguments.listen, arguments.app_port, arguments.user)
    if arguments.render_only:
        print(config)
        return
    if nginx_command() is None:
        sys.exit("Glowstep: `make serve-proxy` needs Debian's nginx: run it as root, or 'sudo apt-get install nginx'.")
    serve(config, arguments.listen, arguments.app_port)


if __name__ == "__main__":
    main()
