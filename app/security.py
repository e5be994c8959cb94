"""Strict defaults on every response, and a request id that ties a page to its log lines."""

import re
import uuid

from flask import Flask, g, request

# No inline script anywhere; styles and images from our own origin (SVG data URIs for icons).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The player keeps the screen awake; nothing else needs a powerful feature.
PERMISSIONS_POLICY = ", ".join(
    [
        "screen-wake-lock=(self)",
        "camera=()",
        "microphone=()",
        "geolocation=()",
        "payment=()",
        "usb=()",
        "serial=()",
        "bluetooth=()",
        "accelerometer=()",
        "gyroscope=()",
        "magnetometer=()",
        "display-capture=()",
        "fullscreen=(self)",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def request_id() -> str:
    """This request's id: the proxy's X-Request-ID when it looks sane, else a new one."""
    if "request_id" not in g:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex[:16]
    return g.request_id


def init_app(app: Flask) -> None:
    if app.config.get("HTTPS"):
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https")

    @app.after_request
    def add_security_headers(response):
        # A view may set its own; one pass over the response's headers (this runs on every request).
        present = {name.lower() for name, _ in response.headers}
        response.headers.extend([(name, value) for name, value in SECURITY_HEADERS.items()
                                 if name.lower() not in present])
        response.headers["X-Request-ID"] = request_id()
        return response

    app.add_template_global(request_id)
