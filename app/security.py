"""Strict defaults on every response, and a request id that ties a page to its log lines."""

import re
import secrets

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline script anywhere; styles and images from our own origin (SVG data URIs for icons).
CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "media-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# The player keeps the screen awake; nothing else needs a powerful feature.
PERMISSIONS = {
    "screen-wake-lock": "(self)",
    "camera": "()",
    "microphone": "()",
    "geolocation": "()",
    "payment": "()",
    "usb": "()",
    "serial": "()",
    "bluetooth": "()",
    "accelerometer": "()",
    "gyroscope": "()",
    "magnetometer": "()",
    "display-capture": "()",
    "fullscreen": "(self)",
}


def content_security_policy(**changes: str) -> str:
    """The site's policy with some directives changed (keyword names use _ for -)."""
    directives = CSP_DIRECTIVES | {name.replace("_", "-"): value for name, value in changes.items()}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def permissions_policy(**changes: str) -> str:
    features = PERMISSIONS | {name.replace("_", "-"): value for name, value in changes.items()}
    return ", ".join(f"{name}={allowlist}" for name, allowlist in features.items())


CONTENT_SECURITY_POLICY = content_security_policy()
PERMISSIONS_POLICY = permissions_policy()
# Mirror mode (app.mirror). Camera permission is inherited: a page that sends camera=() blocks
# the camera in every frame inside it. So the one page that embeds the mirror frame (the
# player's step page) lets its own origin use the camera, and the frame, a document of its
# own, alone runs MediaPipe, whose wasm glue builds functions from strings ('unsafe-eval';
# 'wasm-unsafe-eval' is not enough) and may be framed by our own pages only.
EMBEDS_MIRROR_PERMISSIONS_POLICY = permissions_policy(camera="(self)")
MIRROR_FRAME_HEADERS = {
    "Content-Security-Policy": content_security_policy(script_src="'self' 'unsafe-eval'", frame_ancestors="'self'"),
    "Permissions-Policy": EMBEDS_MIRROR_PERMISSIONS_POLICY,
    "X-Frame-Options": "SAMEORIGIN",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    # A response that says nothing about caching (sign-in pages, redirects, errors, exports)
    # is kept by the person's browser alone: no shared cache may guess (app.revalidation).
    "Cache-Control": "private, no-cache",
}
# Sent only when the site is served over HTTPS (GLOWSTEP_HTTPS): browsers then refuse plain HTTP for two years.
STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains"
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9-]{8,64}$")
REQUEST_ID_KEY = "glowstep.request_id"


def request_id() -> str:
    """This request's id (see StrictHeaders): the proxy's X-Request-ID when it looks sane."""
    # A request made without the middleware (a test request context) still gets one.
    if REQUEST_ID_KEY not in request.environ:
        request.environ[REQUEST_ID_KEY] = secrets.token_hex(8)
    return request.environ[REQUEST_ID_KEY]


class StrictHeaders:
    """WSGI middleware: gives every request its id, and every response the security headers
    (unless the view set its own) and X-Request-ID. Working on the plain header list as the
    response leaves costs a fraction of doing it through Flask's Headers on every request, and
    covers every response, error pages and static files included."""

    def __init__(self, wsgi_app, headers: dict[str, str]):
        self.wsgi_app = wsgi_app
        self.headers = headers

    def __call__(self, environ, start_response):
        incoming = environ.get("HTTP_X_REQUEST_ID", "")
        environ[REQUEST_ID_KEY] = identifier = (
            incoming if REQUEST_ID_PATTERN.match(incoming) else secrets.token_hex(8))

        def start_with_headers(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers.extend((name, value) for name, value in self.headers.items() if name.lower() not in present)
            headers.append(("X-Request-ID", identifier))
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start_with_headers)


def init_app(app: Flask) -> None:
    headers = dict(SECURITY_HEADERS)
    if app.config.get("HTTPS"):
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https")
        headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    app.wsgi_app = StrictHeaders(app.wsgi_app, headers)
    if hops := int(app.config["PROXY_HOPS"]):
        # Trust exactly this many proxies' X-Forwarded-* headers: the client address the
        # rate limits count and session protection compares is then the real one.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.add_template_global(request_id)
