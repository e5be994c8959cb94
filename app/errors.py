"""Error pages in the site's style, each logged with the request id the page shows.

A server error, or a database that refuses a write, rolls the session back first, so the
connection returns to the pool clean and the failed write can never be saved later.
"""

import math

from flask import Flask, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from app.extensions import db
from app.security import request_id

ERROR_TITLES = {
    400: "That request didn't look right",
    403: "That isn't yours to see",
    404: "We couldn't find that page",
    405: "That action isn't allowed here",
    413: "That was more than we can take",
    429: "Let's take a breath",
    500: "Something went wrong on our side",
    503: "We're a little busy",
}
ERROR_ADVICE = {
    404: "The page may have moved, or the link had a typo.",
    413: "What you sent was larger than we accept. Notes can be up to 1,000 characters.",
    429: "Too many tries in a short time. Wait {wait}, then try again.",
    503: "Nothing you sent was saved. Please try again in a moment; a retried log is stored only once.",
}


def wait_in_words(retry_after) -> str:
    """A 429's Retry-After (seconds, when the limit gave one) as the page says it."""
    minutes = math.ceil(retry_after / 60) if isinstance(retry_after, int) else 1
    return "a minute" if minutes <= 1 else f"{minutes} minutes"


def render_error(error: HTTPException):
    code = error.code or 500
    title = ERROR_TITLES.get(code, error.name)
    advice = ERROR_ADVICE.get(code, error.description)
    if code == 429:
        advice = advice.format(wait=wait_in_words(getattr(error, "retry_after", None)))
    # The error's own headers (Allow on a 405, Retry-After on a 429) go with our page.
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    return render_template("errors/error.html", code=code, title=title, advice=advice), code, headers


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        if error.code and error.code >= 400:
            app.logger.info("%s %s -> %s [request %s]", request.method, request.path, error.code, request_id())
        return render_error(error)

    @app.errorhandler(OperationalError)
    def handle_database_busy(error: OperationalError):
        db.session.rollback()
        app.logger.warning("database refused %s %s: %s [request %s]", request.method, request.path, error.orig,
                           request_id())
        return render_error(ServiceUnavailable())

    @app.errorhandler(InternalServerError)
    def handle_server_error(error: InternalServerError):
        db.session.rollback()
        app.logger.error("server error on %s %s [request %s]", request.method, request.path, request_id(),
                         exc_info=error.original_exception)
        return render_error(error)

    @app.teardown_request
    def roll_back_after_failure(exc):
        # Request teardown runs before Flask-SQLAlchemy's app-context teardown closes the
        # session: an unhandled failure's transaction never survives into the next request.
        if exc is not None:
            db.session.rollback()
