"""How often one address may try to sign in or register: AUTH_RATE_LIMIT, per address and
per form, in fixed windows. The counts live where RATELIMIT_STORAGE_URI says: in memory for
one process, in Redis for several (they must all count together).

Only these two forms are limited, so this is a decorator on them rather than an extension
hooked into every request."""

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, current_app, request
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

EXTENSION_KEY = "glowstep.attempts"


def limit_attempts(view: Callable) -> Callable:
    """Count each POST to the view; past the limit, a 429 page instead of the view."""

    @wraps(view)
    def wrapper(**kwargs):
        if request.method == "POST" and current_app.config["RATELIMIT_ENABLED"]:
            counter: FixedWindowRateLimiter = current_app.extensions[EXTENSION_KEY]
            for limit in parse_many(current_app.config["AUTH_RATE_LIMIT"]):
                if not counter.hit(limit, request.endpoint, request.remote_addr or "unknown"):
                    abort(429)
        return view(**kwargs)

    return wrapper


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = FixedWindowRateLimiter(storage_from_string(app.config["RATELIMIT_STORAGE_URI"]))
