"""Configuration: defaults here, secrets from the environment or instance/, never literals."""

import os
import secrets
from pathlib import Path

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
    AUTH_RATE_LIMIT = "10 per minute;60 per hour"
    PAGE_CACHE = True  # pages kept rendered in memory (app.page_cache)
    CACHED_PAGES = 512  # catalog and player pages, per process
    CACHED_PERSONAL_PAGES = 256  # progress and history pages, per process
    VIEWER_ANSWERS_SECONDS = 2.0  # how long a process trusts the profile answers it read


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
