"""Flask's signed-cookie sessions, with each distinct cookie checked once per process.

A browser sends the same session cookie with every request until the session changes.
Checking its signature and unpacking it (HMAC, zlib, JSON) was the largest single cost of
serving a page from memory, so a process remembers, for each cookie it has verified, what
the cookie said and when it was signed. Only the exact same bytes (signature included) are
ever looked up, so nothing unsigned gets in; the age limit is checked on every request as
Flask does; and each request gets its own copy of the data, so a change made by one request
never leaks into another. The cookie itself, and everything that writes it, is Flask's own.
"""

import copy
import time

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

from app.lru import LeastRecentlyUsed

REMEMBERED_COOKIES = 4096


class RememberingSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self.verified = LeastRecentlyUsed(REMEMBERED_COOKIES)

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return super().open_session(app, request)
        if (data := self.known_session(app, value)) is not None:
            return self.session_class(private_copy(data))
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        try:
            data, signed_at = serializer.loads(value, max_age=self.max_age(app), return_timestamp=True)
        except BadSignature:
            return self.session_class()
        self.verified.put(value, (signed_at.timestamp(), data))
        return self.session_class(private_copy(data))

    def known_session(self, app: Flask, value: str) -> dict | None:
        """What this cookie says, if this process verified it and it has not expired since;
        None otherwise. Shared between requests: read it, never change it."""
        if (known := self.verified.get(value)) is None:
            return None
        signed_at, data = known
        if time.time() - signed_at > self.max_age(app):  # what itsdangerous checks on every load
            return None
        return data

    @staticmethod
    def max_age(app: Flask) -> int:
        return int(app.permanent_session_lifetime.total_seconds())


def private_copy(data: dict) -> dict:
    """A copy no other request can change. Most values are strings and flags; the nested
    ones (a pending log, flashed messages) are copied all the way down."""
    return {key: copy.deepcopy(value) if isinstance(value, dict | list | tuple) else value
            for key, value in data.items()}


def init_app(app: Flask) -> None:
    app.session_interface = RememberingSessionInterface()
