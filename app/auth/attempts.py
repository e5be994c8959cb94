"""How often sign-in, registration, a password change and account deletion may be tried
(and how often a calendar feed may be fetched: limit_per_address).

Each POST to a limited form is counted twice, in fixed windows:
- per client address (AUTH_RATE_LIMIT_PER_ADDRESS), and
- per account at that address (AUTH_RATE_LIMIT_PER_ACCOUNT): the email typed, or the
  signed-in person. A flood of guesses at one email from one address is stopped there,
  and never locks the owner out when they sign in from their own address.
The client address is the proxy-corrected one (PROXY_HOPS, app.security).

Counts live where RATELIMIT_STORAGE_URI says: Redis (REDIS_URL) when several processes
serve, so they count together; in memory only for a single process (gunicorn.conf.py
refuses to start several processes without Redis).
"""

import math
import time
from collections.abc import Callable, Iterable, Iterator
from functools import wraps

from flask import Flask, current_app, request
from flask_login import current_user
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from app.models import normalise_email

EXTENSION_KEY = "glowstep.attempts"


def account_key() -> str:
    """Whose account this attempt is about: the signed-in person, else the email typed."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return "email:" + normalise_email(request.form.get("email", ""))[:254]


def counted_limits() -> Iterator[tuple[RateLimitItem, tuple[str, ...]]]:
    """Every (limit, counter key) this request is counted against."""
    address = request.remote_addr or "unknown"
    config = current_app.config
    for limit in parse_many(config["AUTH_RATE_LIMIT_PER_ADDRESS"]):
        yield limit, (request.endpoint, "address", address)
    for limit in parse_many(config["AUTH_RATE_LIMIT_PER_ACCOUNT"]):
        yield limit, (request.endpoint, "account", account_key(), address)


def count(limits: Iterable[tuple[RateLimitItem, tuple[str, ...]]]) -> None:
    """Count this request against each (limit, key); past one, a 429 page (with Retry-After:
    when the window that is full ends) instead of the view."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    counter: FixedWindowRateLimiter = current_app.extensions[EXTENSION_KEY]
    for limit, key in limits:
        if not counter.hit(limit, *key):
            window_ends_at, _ = counter.get_window_stats(limit, *key)
            raise TooManyRequests(retry_after=max(1, math.ceil(window_ends_at - time.time())))


def limit_attempts(view: Callable) -> Callable:
    """Count each POST to the view per address and per account at that address."""

    @wraps(view)
    def wrapper(**kwargs):
        if request.method == "POST":
            count(counted_limits())
        return view(**kwargs)

    return wrapper


def limit_per_address(config_key: str) -> Callable[[Callable], Callable]:
    """Count every request to the view per client address, against the limits in `config_key`."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(**kwargs):
            address = request.remote_addr or "unknown"
            count((limit, (request.endpoint, "address", address))
                  for limit in parse_many(current_app.config[config_key]))
            return view(**kwargs)

        return wrapper

    return decorate


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = FixedWindowRateLimiter(storage_from_string(app.config["RATELIMIT_STORAGE_URI"]))
