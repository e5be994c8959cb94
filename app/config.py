"""Configuration: defaults here, secrets from the environment or instance/, never literals."""

import contextlib
import os
import secrets
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

SECRET_KEY_FILE = "secret_key"


class Config:
    """Defaults for every environment."""

    SQLALCHEMY_DATABASE_URI = "sqlite:///glowstep.sqlite"  # resolved inside instance/
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}  # see engine_options()
    WTF_CSRF_TIME_LIMIT = None  # a routine can take longer than the default hour
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 64 * 1024
    SESSIONS_PER_PAGE = 20
    CONTENT_DIR = str(Path(__file__).parent / "content")
    HTTPS = False  # behind TLS: set GLOWSTEP_HTTPS=true for Secure cookies
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")  # app.auth.attempts
    # Sign-in, registration, password change, account deletion (app.auth.attempts). An
    # address may be a household or an office behind one router: it gets more room than
    # one account at one address.
    AUTH_RATE_LIMIT_PER_ADDRESS = "30 per minute;200 per hour"
    AUTH_RATE_LIMIT_PER_ACCOUNT = "5 per minute;30 per hour"
    CALENDAR_FEED_RATE_LIMIT = "30 per hour"  # per address; calendar apps poll every few hours
    # Mirror mode (app/mirror): a pause this long turns the camera off; playing again turns it
    # back on. Long enough for a sip of water, short enough that a forgotten pause ends it.
    MIRROR_PAUSE_OFF_SECONDS = 60
    # Rendered fragments the same for everyone (app.fragments): kept in each process, or in
    # Redis, shared by all, when REDIS_URL is set. Keys carry the library's version, so old
    # entries are never read again and simply expire.
    CACHE_TYPE = "RedisCache" if os.environ.get("REDIS_URL") else "SimpleCache"
    CACHE_REDIS_URL = os.environ.get("REDIS_URL")
    CACHE_KEY_PREFIX = "glowstep:"
    CACHE_DEFAULT_TIMEOUT = 24 * 60 * 60
    # Flask-Compress at its fastest levels: server CPU per request is budgeted (issue 19). On the
    # heaviest player step (24.5 KB) brotli 4 and gzip 6, the defaults, took 0.42 and 0.52 ms;
    # brotli 1 and gzip 1 take 0.11 and 0.18 ms (best of five, this 2-core machine) for 5.7 and
    # 5.6 KB instead of 4.9 KB. zstd (what current browsers ask for first) is cheap at level 3.
    COMPRESS_ALGORITHM = ["zstd", "br", "gzip"]
    COMPRESS_BR_LEVEL = 1
    COMPRESS_LEVEL = 1  # gzip
    PROXY_HOPS = 0  # proxies in front that set X-Forwarded-For/-Proto/-Host (app.security)
    REMEMBER_COOKIE_DURATION = timedelta(days=90)  # and 90 days idle ends it (app.models.sign_in)
    SESSION_PROTECTION = "basic"  # "strong" signs a session out when its address or browser changes


def normalise_database_url(url: str) -> str:
    """The bare postgres schemes mapped onto the psycopg 3 driver; other URLs unchanged."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def engine_options(url: str) -> dict:
    """A database server may drop an idle connection (a restart, a proxy's timeout), so
    connections to one are tested before use; a SQLite file has no connection to lose, and
    the test would cost every request a round trip."""
    return {} if url.startswith("sqlite") else {"pool_pre_ping": True}


def database_url_from_env() -> str | None:
    """DATABASE_URL, if set."""
    url = os.environ.get("DATABASE_URL")
    return normalise_database_url(url) if url else None


def create_private_sqlite_file(url: str, instance_path: str) -> None:
    """Create a SQLite database file readable by its owner only, before SQLite makes it with
    the process's umask (SQLite gives its -wal and -shm files the same mode). A file that
    exists already is left as the operator has it."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return
    path = Path(parsed.database)
    path = path if path.is_absolute() else Path(instance_path) / path
    if not path.parent.is_dir():
        return  # SQLite will say so when it is used; the app can still start (and be configured)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def load_or_create_secret_key(instance_path: str) -> str:
    """Read the key generated into instance/, creating it once; safe when workers race."""
    path = Path(instance_path) / SECRET_KEY_FILE
    if not path.exists():
        # Write aside, then link into place: link fails if another worker won, and no
        # reader ever sees a half-written file.
        draft = path.with_name(f"{SECRET_KEY_FILE}.{os.getpid()}.tmp")
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()
