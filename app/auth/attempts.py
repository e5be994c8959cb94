"""How often one address may try to sign in or register: AUTH_RATE_LIMIT, per address and
per form, in fixed windows. The counts live where RATELIMIT_STORAGE_URI says: in memory for
one process, in Redis for several (they must all count together).

Only these two forms are limited, so this is a decorator on them rather than an extension
hooked into every request."""

import math
import time
from collections.abc import Callable
from functools import wraps

from flask import Flask, current_app, request
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

EXTENSION_KEY = "glowstep.attempts"


def limit_attempts(view: Callable) -> Callable:
    """Count each POST to the view; past the limit, a 429 page (with Retry-After: when the
    window that is full ends) instead of the view."""

    @wraps(view)
    def wrapper(**kwargs):
        if request.method == "POST" and current_app.config["RATELIMIT_ENABLED"]:
            counter: FixedWindowRateLimiter = current_app.extensions[EXTENSION_KEY]
            who = (request.endpoint, request.remote_addr or "unknown")
            for limit in parse_many(current_app.config["AUTH_RATE_LIMIT"]):
                if not counter.hit(limit, *who):
                    window_ends_at, _ = counter.get_window_stats(limit, *who)
                    raise TooManyRequests(retry_after=max(1, math.ceil(window_ends_at - time.time())))
        return view(**kwargs)

    return wrapper


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = FixedWindowRateLimiter(storage_from_string(app.config["RATELIMIT_STORAGE_URI"]))
