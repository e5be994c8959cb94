"""Error pages in the site's style; a server error rolls the session back first."""

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db

ERROR_TITLES = {
    400: "That request didn't look right",
    403: "That isn't yours to see",
    404: "We couldn't find that page",
    405: "That action isn't allowed here",
    413: "That was more than we can take",
    429: "Let's take a breath",
    500: "Something went wrong on our side",
}


def render_error(error: HTTPException):
    code = error.code or 500
    title = ERROR_TITLES.get(code, error.name)
    return render_template("errors/error.html", code=code, title=title, description=error.description), code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        return render_error(error)

    @app.errorhandler(InternalServerError)
    def handle_server_error(error: InternalServerError):
        db.session.rollback()
        return render_error(error)
