"""The session log: log a practice session, list, view, edit and delete your own."""

from flask import Blueprint

from app.revalidation import init_blueprint

bp = Blueprint("sessions", __name__, url_prefix="/sessions")
init_blueprint(bp)

from app.sessions import routes  # noqa: E402,F401  (routes attach themselves to bp)
